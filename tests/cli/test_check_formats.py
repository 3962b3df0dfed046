"""`brief check --format text|json|github` report the same findings, read back from each."""

from __future__ import annotations

import json
import re

import pytest

from generator.authoring.findings import github_annotation

Row = tuple[str, int | None, int | None, str, str, str]

_TEXT = re.compile(
    r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: "
    r"(?:(?P<warning>warning): )?(?P<rest>.*)$"
)
_GITHUB = re.compile(r"^::(?P<severity>error|warning) (?P<props>[^:]*)::(?P<data>.*)$")
_SOURCING_HEADER = "sourcing (advice; not counted as failures):"


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def from_text(stderr: str) -> list[Row]:
    rows, section = [], "format"
    for line in stderr.splitlines():
        if line == _SOURCING_HEADER:
            section = "sourcing"
            continue
        m = _TEXT.match(line)
        assert m, line
        severity = "warning" if m["warning"] else "error"
        rows.append(
            (m["file"], _number(m["line"]), _number(m["col"]), severity, m["rest"], section)
        )
    return rows


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def from_github(stdout: str) -> list[Row]:
    rows = []
    for line in stdout.splitlines():
        m = _GITHUB.match(line)
        if m is None:
            assert line.startswith("checked "), line
            continue
        props = dict(part.split("=", 1) for part in m["props"].split(","))
        section = "sourcing" if _unescape(props["title"]).startswith("brief sourcing") else "format"
        rows.append(
            (
                _unescape(props["file"]),
                _number(props.get("line")),
                _number(props.get("col")),
                m["severity"],
                _unescape(m["data"]),
                section,
            )
        )
    return rows


def from_json(stdout: str) -> list[Row]:
    rows = []
    for f in json.loads(stdout)["findings"]:
        rest = f"{f['path']}: {f['message']}" if f["path"] else f["message"]
        if f["suggestion"]:
            rest += f" (did you mean '{f['suggestion']}'?)"
        rows.append((f["file"], f["line"], f["col"], f["severity"], rest, f["section"]))
    return rows


@pytest.fixture
def mixed_project(write_brief):
    """Three fact sheets: clean but with sourcing flags, with warnings, with errors."""
    write_brief("good")
    sources = [
        {"id": "src-a", "title": "A", "publisher": "P", "url": "https://example.org/a"},
        {"id": "unused", "title": "U", "publisher": "P"},
    ]
    write_brief("warned", sources=sources)
    write_brief(
        "broken",
        status="fine, final: 100%",
        initiative={"name": "X", "stage": "talks", "sponsr": "Y"},
    )


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_three_formats_report_the_same_findings(mixed_project, run_brief, strict) -> None:
    extra = ["--strict"] if strict else []
    text = run_brief("check", *extra)
    as_json = run_brief("check", "--format", "json", *extra)
    github = run_brief("check", "--format", "github", *extra)
    assert text.returncode == as_json.returncode == github.returncode == 1
    assert as_json.stderr == github.stderr == ""
    rows = from_text(text.stderr)
    assert rows == from_json(as_json.stdout) == from_github(github.stdout)
    sections = {(row[3], row[5]) for row in rows}
    assert ("error", "format") in sections and ("warning", "sourcing") in sections
    assert (("warning", "format") in sections) is not strict
    assert any("did you mean 'sponsor'" in row[4] for row in rows)
    assert any("'fine, final: 100%'" in row[4] for row in rows)
    summary = json.loads(as_json.stdout)
    assert (summary["checked"], summary["failed"]) == (3, 2 if strict else 1)


def test_github_annotation_escapes_properties_and_message() -> None:
    from generator.authoring.findings import Finding
    from generator.errors import Diagnostic

    diagnostic = Diagnostic("briefs/a,b.yaml", 3, 8, "title", "50% off\nnow", code="value")
    line = github_annotation(Finding(diagnostic))
    assert line == (
        "::error file=briefs/a%2Cb.yaml,line=3,col=8,title=brief check%3A value"
        "::title: 50%25 off%0Anow"
    )
    whole_file = Diagnostic("briefs/x.yaml", None, None, "", "the file is empty")
    assert github_annotation(Finding(whole_file, "sourcing")).startswith(
        "::error file=briefs/x.yaml,title=brief sourcing%3A invalid::"
    )


def test_the_project_settings_files_are_checked_with_every_sheet(
    project, write_brief, run_brief
) -> None:
    write_brief("good")
    (project / "portfolio.yaml").write_text(
        "currency: USD\nfx:\n  - {from: EUR, to: USDD, rate: 1.1, as_of: 2026-01-01,\n"
        '     source: {title: ECB, url: "https://www.ecb.europa.eu/"}}\n',
        encoding="utf-8",
    )
    (project / "brand.yaml").write_text("colours: {primary: navy}\n", encoding="utf-8")
    text = run_brief("check")
    as_json = run_brief("check", "--format", "json")
    assert text.returncode == as_json.returncode == 1
    rows = from_text(text.stderr)
    assert rows == from_json(as_json.stdout)
    files = {(row[0], row[1], row[3]) for row in rows if row[5] == "format"}
    assert ("portfolio.yaml", 3, "error") in files and ("brand.yaml", 1, "error") in files
    assert any("'USDD' is not an ISO 4217 currency code" in row[4] for row in rows)
    summary = json.loads(as_json.stdout)
    assert (summary["checked"], summary["failed"], summary["errors"]) == (1, 2, 2)
    # A check of named sheets is about them alone.
    assert run_brief("check", "good").returncode == 0
    # Mended, the project passes.
    (project / "portfolio.yaml").write_text("currency: USD\n", encoding="utf-8")
    (project / "brand.yaml").unlink()
    assert run_brief("check").returncode == 0
