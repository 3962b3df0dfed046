"""The project's markings (``markings.yaml``) and the format gate of the audience keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import FactSheetError
from generator.factsheet import DEFAULT_MARKINGS, load_markings


def test_without_a_file_the_default_set_applies_in_rank_order(tmp_path: Path) -> None:
    markings = load_markings(tmp_path)
    assert markings is DEFAULT_MARKINGS
    assert markings.codes == ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")
    assert markings.rank("SECRET") > markings.rank("OFFICIAL") >= 0
    assert markings.problem("OFFICIAL") is None


def test_a_project_file_sets_codes_wording_and_order(tmp_path: Path) -> None:
    (tmp_path / "markings.yaml").write_text(
        "markings:\n"
        "  - code: UNCLASSIFIED\n    wording: Unclassified\n"
        "  - code: RESTRICTED\n    wording: RESTRICTED – handle with care\n",
        encoding="utf-8",
    )
    markings = load_markings(tmp_path)
    assert markings.codes == ("UNCLASSIFIED", "RESTRICTED")
    assert markings.wording("RESTRICTED") == "RESTRICTED – handle with care"
    message, _ = markings.problem("OFFICIAL") or ("", "")
    assert "not one of the project's markings: UNCLASSIFIED, RESTRICTED" in message
    assert markings.problem("restricted") == (
        "'restricted' is not one of the project's markings: UNCLASSIFIED, RESTRICTED",
        "RESTRICTED",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "markings:\n  - code: A\n    wording: a\n  - code: A\n    wording: b\n",
            "markings.yaml:4:11: markings[1].code: code 'A' is already used by markings[0]",
        ),
        (
            "markings:\n  - code: A\n    wordng: a\n",
            "markings.yaml:3:5: markings[0].wordng: unknown key (did you mean 'wording'?)",
        ),
        ("markings: []\n", "markings.yaml:1:11: markings: needs at least one entry"),
    ],
)
def test_a_broken_file_gives_located_errors(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "markings.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FactSheetError) as caught:
        load_markings(tmp_path)
    assert expected in [d.format() for d in caught.value.diagnostics]


def test_check_file_reads_the_projects_markings_for_sheets_with_a_marking(
    tmp_path: Path,
) -> None:
    import datetime as dt
    import shutil

    from generator.factsheet import check_file
    from generator.settings import default_settings

    data = Path(__file__).resolve().parent.parent / "data" / "valid"
    (tmp_path / "briefs").mkdir()
    marked = tmp_path / "briefs" / "marked.yaml"
    shutil.copy(data / "internal-everywhere.yaml", marked)
    shutil.copy(data / "minimal.yaml", tmp_path / "briefs" / "plain.yaml")
    settings = default_settings(tmp_path)
    today = dt.date(2026, 2, 1)
    assert check_file(marked, settings, today).diagnostics == ()
    (tmp_path / "markings.yaml").write_text("markings:\n  - code: A\n", encoding="utf-8")
    broken = check_file(marked, settings, today)
    assert broken.loaded is None
    assert [d.format() for d in broken.diagnostics] == [
        "markings.yaml:2:5: markings[0].wording: required key is missing"
    ]
    plain = check_file(tmp_path / "briefs" / "plain.yaml", settings, today)
    assert not plain.has_errors()
