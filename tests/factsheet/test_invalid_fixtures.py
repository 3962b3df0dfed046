"""Every file under tests/data/invalid gives exactly the diagnostics of its .expected file.

Each fixture is a valid fact sheet with one defect (or, for ``three-errors``, three),
shown as ``briefs/<name>.yaml``. Loading errors are compared when loading fails; else
the loader's warnings, the rules' findings for a fixed today and the characters no
shipped font has are compared.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import Diagnostic, FactSheetError
from generator.factsheet.glyphs import check as glyph_check
from generator.factsheet.loader import load
from generator.factsheet.markings import DEFAULT_MARKINGS
from generator.factsheet.rules import check

DATA = Path(__file__).resolve().parent.parent / "data"
TEMPLATES = DATA.parent.parent / "templates"
TODAY = dt.date(2026, 2, 1)
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))


def findings(path: Path) -> list[Diagnostic]:
    """Everything ``brief check`` would report for the file at ``path``."""
    try:
        loaded = load(path, f"briefs/{path.name}")
    except FactSheetError as exc:
        return exc.diagnostics
    found = [*loaded.warnings, *check(loaded, TODAY, markings=DEFAULT_MARKINGS)]
    return [*found, *glyph_check(loaded, TEMPLATES, None)]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_gives_the_expected_diagnostics(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [d.format() for d in findings(path)] == expected


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_gives_no_diagnostics(path: Path) -> None:
    assert findings(path) == []


def test_every_fixture_has_its_expected_file_and_reports_something() -> None:
    expected = sorted((DATA / "invalid").glob("*.expected"))
    assert [p.stem for p in expected] == [p.stem for p in INVALID]
    assert all(p.read_text(encoding="utf-8").strip() for p in expected)


def test_the_python_tag_fixture_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [diagnostic] = findings(DATA / "invalid" / "explicit-tag-python.yaml")
    assert "explicit tags are not allowed" in diagnostic.message
    assert list(tmp_path.iterdir()) == []
