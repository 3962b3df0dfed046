"""YAML-level problems never hide the rest: ``brief check`` reports them with the model's
and the citations' problems in one run; only a syntax error stops the other checks, and
says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import FactSheetError
from generator.factsheet.loader import load_bytes
from generator.factsheet.yamlsrc import FIX_FIRST, read

INVALID = Path(__file__).resolve().parent.parent / "data" / "invalid"


def _problems(text: str) -> list[str]:
    with pytest.raises(FactSheetError) as caught:
        load_bytes(text.encode("utf-8"), "briefs/x.yaml", "x")
    return [d.format() for d in caught.value.diagnostics]


def test_check_reports_a_duplicate_key_and_an_unknown_citation_together(project, run_brief):
    shutil.copy(INVALID / "duplicate-key-and-citation.yaml", project / "briefs" / "hk.yaml")
    result = run_brief("check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "briefs/hk.yaml:3:1: title: key given twice (first at line 1, column 1)" in lines
    assert (
        "briefs/hk.yaml:9:20: summary: citation [@hk-ev-talk] names no source of this file"
        " (did you mean 'hk-ev-talks'?)" in lines
    )
    assert "checked 1 fact sheet(s): 2 error(s), 0 warning(s)" in result.stdout


def test_a_syntax_error_stops_the_checks_after_it_and_says_so(project, run_brief):
    text = (INVALID / "duplicate-key-and-citation.yaml").read_text(encoding="utf-8")
    broken = text.replace("  stage: talks", "  stage: talks: now")
    (project / "briefs" / "hk.yaml").write_text(broken, encoding="utf-8")
    result = run_brief("check")
    assert result.returncode == 1
    found = [ln for ln in result.stderr.splitlines() if ln.startswith("briefs/hk.yaml")]
    # What was read before the error is reported; the citation check, which needs the
    # whole file, did not run (its unknown [@hk-ev-talk] goes unreported).
    assert found == [
        "briefs/hk.yaml:3:1: title: key given twice (first at line 1, column 1)",
        f"briefs/hk.yaml:12:15: mapping values are not allowed here; {FIX_FIRST}",
    ]


def test_the_first_of_two_equal_keys_is_the_one_checked(minimal_text: str) -> None:
    # Were the second one kept, 'later' would be reported as no stage of the format.
    text = minimal_text.replace("  stage: talks\n", "  stage: talks\n  stage: later\n")
    assert text != minimal_text
    assert _problems(text) == [
        "briefs/x.yaml:12:3: initiative.stage: key given twice (first at line 11, column 3)"
    ]


def test_a_refused_alias_is_not_reported_a_second_time_as_null(minimal_text: str) -> None:
    text = minimal_text.replace("title: ", "title: &t ", 1) + "subtitle: *t\n"
    found = _problems(text)
    assert [line.split(": ", 2)[2] for line in found] == ["anchors and aliases are not allowed"] * 2


def test_a_value_the_reader_refuses_leaves_the_rest_checked(minimal_text: str) -> None:
    text = minimal_text.replace("jurisdiction: Hong Kong SAR, China", "jurisdiction: .inf")
    text = text.replace("as_of:", "subtitel: typo\nas_of:")
    found = [line.split(": ", 1)[1] for line in _problems(text)]
    assert found == [
        "jurisdiction: numbers must be finite",
        "subtitel: unknown key (did you mean 'subtitle'?)",
    ]


def test_nesting_too_deep_stops_the_reader_and_leaves_nothing_to_check() -> None:
    text = "title: " + "[" * 70 + "]" * 70 + "\nsubtitel: typo\n"
    parsed = read(text.encode("utf-8"), "briefs/x.yaml", max_bytes=1 << 20)
    assert not parsed.complete
    [problem] = parsed.problems
    assert problem.message == f"nesting is deeper than 64 levels; {FIX_FIRST}"
