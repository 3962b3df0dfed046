"""`brief schema` and `brief sources` through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator.factsheet.schema import schema_text

SOURCING = Path(__file__).resolve().parent.parent / "data" / "sourcing"


def test_schema_prints_and_writes_the_schema(project, run_brief) -> None:
    printed = run_brief("schema")
    assert printed.returncode == 0 and printed.stdout == schema_text()
    written = run_brief("schema", "--output", "schema/factsheet.schema.json")
    assert written.stdout == "wrote schema/factsheet.schema.json\n"
    assert (project / "schema" / "factsheet.schema.json").read_text() == schema_text()
    again = run_brief("schema", "-o", "schema/factsheet.schema.json")
    assert again.stdout == "up to date: schema/factsheet.schema.json\n"


def test_new_fact_sheet_points_editors_at_the_schema(project, run_brief) -> None:
    assert run_brief("new", "fresh").returncode == 0
    first = (project / "briefs" / "fresh.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/factsheet.schema.json"


def test_sources_report_text_json_and_exit_status(project, run_brief) -> None:
    for name in ("clean", "stale-source"):
        shutil.copy(SOURCING / f"{name}.yaml", project / "briefs" / f"{name}.yaml")
    text = run_brief("sources", "clean")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "briefs/clean.yaml: 2 source(s), 8 citation(s), as of 2026-01-20"
    assert lines[1] == "[1] hk-ev-talks (news): 5 citation(s)"
    assert "cited in summary x2, key_facts[0].sources, key_facts[1].sources," in text.stdout
    assert lines[-1] == "no findings"

    flagged = run_brief("sources", "stale-source", "--format", "json", "--strict")
    assert flagged.returncode == 1
    [report] = json.loads(flagged.stdout)
    assert [f["code"] for f in report["findings"]] == ["stale-source"]
    relaxed = run_brief("sources", "stale-source", "--stale-days", "400", "--strict")
    assert relaxed.returncode == 0 and relaxed.stdout.endswith("no findings\n")


def test_sources_refuses_a_broken_fact_sheet(write_brief, run_brief) -> None:
    write_brief("broken", initiative={"name": "X", "stage": "dreaming"})
    result = run_brief("sources", "broken")
    assert result.returncode == 1
    assert "initiative.stage" in result.stderr
    assert "briefs/broken.yaml: has errors; fix them first (brief check)" in result.stderr
