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
