"""The build of a sheet with internal content: two editions of each format, named so, kept
up to date like any output, and gone again when the sheet loses its internal content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import tinyhtml5

from generator.builder import edition_files, recorded_files
from generator.builder.editions import EDITIONS, ONLY, split_key, target_key
from generator.factsheet import EDITIONS as SHEET_EDITIONS
from generator.factsheet import MARKINGS_FILE
from generator.factsheet import ONLY as SHEET_ONLY
from tests.builder.conftest import hashes, plan, rebuilt, run
from tests.builder.test_build_cli import SUMMARY

SHEET = Path(__file__).resolve().parents[1] / "data" / "valid" / "internal-everywhere.yaml"
BOTH = {f"x.{e}.{fmt}" for e in ("internal", "external") for fmt in ("html", "pdf")}


def _with_sheet(project: Path, write_brief) -> Path:
    shutil.copy(SHEET, project / "briefs" / "x.yaml")
    write_brief("plain", title="Plain plant")
    return project


def test_the_names_are_the_builders_and_the_fact_sheets_alike() -> None:
    assert (EDITIONS, ONLY) == (SHEET_EDITIONS, SHEET_ONLY)
    assert edition_files("x", False, "pdf") == {"only": "x.pdf"}
    assert edition_files("x", True, "docx") == {
        "internal": "x.internal.docx",
        "external": "x.external.docx",
    }
    assert split_key(target_key("external", "print.html")) == ("external", "print.html")
    assert split_key("print.html") == ("only", "print.html")
    from generator.builder import jobs

    assert jobs.MARKINGS_FILE == MARKINGS_FILE


def test_two_editions_of_each_format_and_a_second_build_does_nothing(
    project: Path, write_brief, run_brief
) -> None:
    _with_sheet(project, write_brief)
    first = run_brief("build")
    assert first.returncode == 0, first.stderr
    names = set(hashes(project / "output"))
    assert names == BOTH | {"plain.html", "plain.pdf", "index.html", "portfolio.pdf"}
    again = run_brief("build")
    assert SUMMARY.search(again.stdout).groups()[:3] == ("0", "2", "0"), again.stdout
    page = tinyhtml5.parse((project / "output" / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in page.iter() if a.get("href")}
    assert BOTH | {"plain.html", "plain.pdf"} <= hrefs


def test_a_dry_run_names_the_files_of_both_editions(project: Path, write_brief, run_brief):
    _with_sheet(project, write_brief)
    shown = run_brief("build", "-n", "x").stdout.splitlines()[0]
    assert shown == (
        "would build briefs/x.yaml (html, pdf as internal and external editions:"
        " output/x.internal.html, output/x.external.html, output/x.internal.pdf,"
        " output/x.external.pdf): new"
    )


def test_editing_an_internal_field_rebuilds_both_editions(project: Path, write_brief) -> None:
    _with_sheet(project, write_brief)
    run(project)
    before = hashes(project / "output")
    sheet = project / "briefs" / "x.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("**Marmoset**", "**Mongoose**"), "utf-8")
    assert rebuilt(run(project)) == {"x": ("briefs/x.yaml changed",)}
    after = hashes(project / "output")
    assert "Mongoose" in (project / "output" / "x.internal.html").read_text(encoding="utf-8")
    assert after["x.internal.html"] != before["x.internal.html"]
    # Rendered again from the new sheet, the external edition shows what it showed.
    assert after["x.external.html"] == before["x.external.html"]
    assert rebuilt(run(project)) == {}


def test_a_missing_edition_is_rebuilt_and_named(project: Path, write_brief) -> None:
    _with_sheet(project, write_brief)
    run(project)
    (project / "output" / "x.external.html").unlink()
    [work] = plan(project).plan.work
    assert work.reasons == ("x.external.html: output missing",)
    run(project)
    assert (project / "output" / "x.external.html").exists()


def test_losing_and_regaining_internal_content_changes_the_files(
    project: Path, write_brief
) -> None:
    _with_sheet(project, write_brief)
    run(project)
    sheet = project / "briefs" / "x.yaml"
    text = sheet.read_text(encoding="utf-8")
    flat = re.sub(r"\n\s+(mitigations_)?internal: true", "", text)
    sheet.write_text(flat, encoding="utf-8")
    run(project)
    names = set(hashes(project / "output"))
    assert {"x.html", "plain.html", "index.html", "portfolio.pdf"} == names
    index = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="x.html"' in index and "x.internal" not in index
    sheet.write_text(text, encoding="utf-8")
    run(project)
    assert set(hashes(project / "output")) == {"x.internal.html", "x.external.html"} | {
        "plain.html",
        "index.html",
        "portfolio.pdf",
    }


def test_markings_yaml_is_an_input_of_the_sheets_with_a_marking(project: Path, write_brief) -> None:
    _with_sheet(project, write_brief)
    run(project)
    wording = "OFFICIAL–SENSITIVE: handle with care"
    (project / "markings.yaml").write_text(
        f"markings:\n  - code: OFFICIAL-SENSITIVE\n    wording: '{wording}'\n", encoding="utf-8"
    )
    assert rebuilt(run(project)) == {"x": ("markings.yaml changed",)}
    for name in ("x.internal.html", "x.external.html"):
        assert wording in (project / "output" / name).read_text(encoding="utf-8")
    (project / "markings.yaml").unlink()
    assert rebuilt(run(project)) == {"x": ("markings.yaml removed",)}
    assert rebuilt(run(project)) == {}


def test_a_marking_the_project_does_not_have_fails_the_sheet_alone(
    project: Path, write_brief
) -> None:
    _with_sheet(project, write_brief)
    (project / "markings.yaml").write_text(
        "markings:\n  - code: UNCLASSIFIED\n    wording: Unclassified\n", encoding="utf-8"
    )
    report = run(project)
    [failed] = [r for r in report.results if r.status == "failed"]
    assert failed.brief_id == "x"
    [problem] = [d.format() for d in failed.diagnostics if d.is_error]
    assert problem == (
        "briefs/x.yaml:9:10: marking: 'OFFICIAL-SENSITIVE' is not one of the project's"
        " markings: UNCLASSIFIED"
    )
    assert rebuilt(report) == {"plain": ("new",)}


def test_clean_removes_both_editions(project: Path, write_brief, run_brief) -> None:
    _with_sheet(project, write_brief)
    run(project, formats=("html", "pdf"), keep_intermediate=True)
    from generator.builder.manifest import read_state

    state, _ = read_state(project / "output")
    assert state is not None
    targets = state.briefs["x"]["targets"]
    assert recorded_files("x", targets, "print.html") == {
        "internal": "x.internal.print.html",
        "external": "x.external.print.html",
    }
    cleaned = run_brief("clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert sorted(p.name for p in (project / "output").iterdir()) == []
