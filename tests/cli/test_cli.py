"""The CLI in a real subprocess: exit codes, what it writes and what it leaves alone."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pypdf import PdfReader


def tree_state(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the hash of its content."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_help_lists_every_command(run_brief):
    result = run_brief("--help")
    assert result.returncode == 0
    for command in ("check", "build", "new", "clean"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command


def test_check_valid_sheet_exits_zero_and_changes_nothing(project, write_brief, run_brief):
    write_brief("good")
    before = tree_state(project)
    result = run_brief("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "1 fact sheet(s): 0 error(s), 0 warning(s)" in result.stdout
    assert tree_state(project) == before


def test_check_bad_sheet_reports_location_and_exits_one(project, write_brief, run_brief):
    write_brief("bad", challenges=[{**_challenge(), "severity": "severe"}])
    before = tree_state(project)
    result = run_brief("check", "bad")
    assert result.returncode == 1
    assert re.search(
        r"^briefs/bad\.yaml:\d+:\d+: challenges\[0\]\.severity: 'severe' is not one of "
        r"low, medium, high",
        result.stderr,
        re.M,
    ), result.stderr
    assert tree_state(project) == before
    assert "Traceback" not in result.stderr


def test_strict_turns_warnings_into_failure(write_brief, run_brief):
    sources = [
        {"id": "src-a", "title": "Source A", "publisher": "P", "url": "https://example.org/a"},
        {"id": "unused", "title": "Unused", "publisher": "P", "url": "https://example.org/u"},
    ]
    write_brief("warned", sources=sources)
    assert run_brief("check").returncode == 0
    strict = run_brief("check", "--strict")
    assert strict.returncode == 1
    assert "sources[1]" in strict.stderr


def test_build_mixed_set_builds_the_good_ones(project, write_brief, run_brief):
    write_brief("alpha", title="Alpha plant")
    write_brief("broken", initiative={"name": "X", "stage": "dreaming"})
    write_brief("gamma", title="Gamma plant")
    result = run_brief("build", "--formats", "html,pdf")
    assert result.returncode == 1
    out = project / "output"
    for good in ("alpha", "gamma"):
        assert (out / f"{good}.html").is_file()
        assert "Alpha plant" in (out / "alpha.html").read_text(encoding="utf-8")
        reader = PdfReader(out / f"{good}.pdf")
        assert len(reader.pages) >= 1
    assert not list(out.glob("broken.*"))
    assert "initiative.stage" in result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "alpha.html" in index and "gamma.pdf" in index and "broken" not in index
    assert not list(out.glob(".tmp-*"))


def test_formats_option_limits_outputs(project, write_brief, run_brief):
    write_brief("only-html")
    result = run_brief("build", "--formats", "html", "--out", "elsewhere")
    assert result.returncode == 0, result.stderr
    assert (project / "elsewhere" / "only-html.html").is_file()
    assert not (project / "elsewhere" / "only-html.pdf").exists()


def test_usage_mistakes_exit_two(write_brief, run_brief):
    write_brief("ok")
    assert run_brief("build", "--formats", "epub").returncode == 2
    assert run_brief("check", "--no-such-option").returncode == 2
    assert run_brief("frobnicate").returncode == 2


def test_unknown_id_is_an_error_not_a_traceback(write_brief, run_brief):
    write_brief("ok")
    result = run_brief("check", "missing")
    assert result.returncode == 1
    assert "no fact sheet 'missing'" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_writes_a_starter_that_passes_strict_check(project, run_brief):
    created = run_brief("new", "fresh-initiative")
    assert created.returncode == 0, created.stderr
    assert (project / "briefs" / "fresh-initiative.yaml").is_file()
    checked = run_brief("check", "--strict", "fresh-initiative")
    assert checked.returncode == 0, checked.stderr
    again = run_brief("new", "fresh-initiative")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert run_brief("new", "Bad_Id").returncode == 2  # a usage mistake


def test_clean_removes_outputs(project, write_brief, run_brief):
    write_brief("ok")
    assert run_brief("build", "--formats", "html").returncode == 0
    assert run_brief("clean").returncode == 0
    assert not list((project / "output").glob("*.html"))


def _challenge() -> dict[str, str]:
    return {
        "category": "land_cost",
        "title": "Land is dear",
        "severity": "high",
        "body": "Costly [@src-a].",
    }
