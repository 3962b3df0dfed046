"""Values YAML 1.1 would silently convert: clear errors, or the text as written.

The loader's own tests pin the conversions (tests/factsheet/test_yamlsrc.py) and one fixture
per defect (tests/data/invalid: bool-trap-no, number-for-text, impossible-date,
timestamp-not-date, ...); these add the cases the hostile-input catalogue names and
follow the YAML 1.1 lookalikes through a real build to the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import FactSheetError
from generator.factsheet.loader import load_bytes
from tests.security.hostile import Html
from tests.security.projects import build_project, make_project

DATA = Path(__file__).resolve().parents[1] / "data"
SHOWN = "briefs/x.yaml"
MINIMAL = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "as_of: 2026-01-20",
            "as_of: 2026-13-45",
            "3:8: as_of: '2026-13-45' is not a valid date (month must be in 1..12)",
        ),
        (
            "accessed: 2026-01-18",
            'accessed: "2026-02-29"',
            "26:15: sources[0].accessed: '2026-02-29' is not a valid date"
            " (day is out of range for month)",
        ),
        (
            "as_of: 2026-01-20",
            "as_of: 2026-01-20 10:00:00",
            "3:8: as_of: '2026-01-20 10:00:00' is not a date of the form YYYY-MM-DD",
        ),
        (
            "as_of: 2026-01-20",
            "as_of: 2026-01-20T10:00:00",
            "3:8: as_of: '2026-01-20T10:00:00' is not a date of the form YYYY-MM-DD",
        ),
        (
            "as_of: 2026-01-20",
            "as_of: 2026-01-20T10:00:00+08:00",
            "3:8: as_of: '2026-01-20T10:00:00+08:00' is not a date of the form YYYY-MM-DD",
        ),
        (
            "  stage: talks",
            "  stage: on",
            "11:10: initiative.stage: 'on' is not one of proposed, talks, announced,"
            " under_construction, operating, stalled, cancelled",
        ),
        (
            "    severity: high",
            "    severity: yes",
            "19:15: challenges[0].severity: 'yes' is not one of low, medium, high",
        ),
        (
            "  - Policy Analysis Unit",
            "  - 2024",
            "5:5: authors[0]: expected text or a mapping, got a number"
            " (quote it if you mean the text '2024')",
        ),
        (
            "    publisher: Example News",
            "    publisher: 1.50",
            "24:16: sources[0].publisher: expected text, got a number"
            " (quote it if you mean the text '1.50')",
        ),
        (
            "  name: New Territories EV assembly base",
            "  name: true",
            "10:9: initiative.name: expected text, got a boolean"
            " (quote it if you mean the text 'true')",
        ),
    ],
)
def test_values_yaml_1_1_would_convert_are_clear_errors(old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    with pytest.raises(FactSheetError) as caught:
        load_bytes(MINIMAL.replace(old, new).encode("utf-8"), SHOWN, "x")
    assert [d.format() for d in caught.value.diagnostics] == [f"{SHOWN}:{message}"]


def test_yaml_1_1_lookalikes_reach_the_page_as_written(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    shutil.copy(DATA / "valid" / "yaml-text.yaml", root / "briefs" / "yaml-text.yaml")
    report = build_project(root, formats=("html",))
    assert [r.status for r in report.results] == ["built"]
    doc = Html((root / "output" / "yaml-text.html").read_text("utf-8"))
    pieces = {text.strip().rstrip(".") for text in doc.texts}
    for written in ("Yes", "on", "NO", "off", "012345", "12:30", "no", "1e3", "0x1F", "1_000"):
        assert written in pieces, written
    for converted in ("True", "False", "5349", "750", "1000.0", "1000", "31"):
        assert converted not in pieces
