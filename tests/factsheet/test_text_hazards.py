"""Unicode text hazards: what is flagged, what is left alone, and where it is located.

The fixtures ``bidi-control``, ``zero-width`` and ``lookalike`` under tests/data/invalid
pin the exact messages; these tests pin the judgement calls around them.
"""

from __future__ import annotations

import pytest

from generator.factsheet.loader import load_bytes
from generator.factsheet.lookalikes import lookalike
from generator.factsheet.text_hazards import check

SHOWN = "briefs/x.yaml"


def hazards(minimal_text: str, old: str, new: str) -> list[str]:
    """The hazard warnings of the minimal sheet with ``old`` replaced by ``new``."""
    assert old in minimal_text
    text = minimal_text.replace(old, new, 1)
    return [d.format() for d in check(load_bytes(text.encode("utf-8"), SHOWN, "x"))]


@pytest.mark.parametrize(
    "word",
    ["Tesla", "EV新闻", "Москва", "λόγος", "一汽", "Zürich", "naïve", "Ελλάδα", "Hong-Kong"],
)
def test_ordinary_words_are_not_lookalikes(word: str) -> None:
    assert lookalike(word) is None


@pytest.mark.parametrize(
    ("word", "index", "char"),
    [
        ("p\u0430ypal", 1, "\u0430"),  # Cyrillic a among Latin letters
        ("\u0430\u0440\u0440\u04cf\u0435", 0, "\u0430"),  # 'apple' wholly in Cyrillic
        ("g\u03bfogle", 1, "\u03bf"),  # Greek omicron
        ("\uff41pple", 0, "\uff41"),  # fullwidth a
        ("\U0001d41aws", 0, "\U0001d41a"),  # mathematical bold a
    ],
)
def test_lookalikes_are_found_at_the_letter(word: str, index: int, char: str) -> None:
    found = lookalike(word)
    assert found is not None
    assert found[0] == index and word[found[0]] == char


def test_joiners_and_marks_inside_other_scripts_are_left_alone(minimal_text: str) -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ between Persian letters
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # ZWJ emoji sequence
    marked = "\u05e9\u05dc\u05d5\u05dd\u200f (\u05e2\u05d1\u05e8\u05d9\u05ea)"  # RLM in Hebrew
    new = f"subtitle: {persian} {family} {marked}\njurisdiction:"
    assert hazards(minimal_text, "jurisdiction:", new) == []


def test_a_joiner_between_latin_letters_is_flagged(minimal_text: str) -> None:
    found = hazards(minimal_text, "Candidate area", "Cand\u200cidate area")
    assert found == [
        "briefs/x.yaml:13:16: warning: key_facts[0].label: contains the invisible character"
        " U+200C (ZERO WIDTH NON-JOINER)"
    ]


def test_direction_marks_and_joiners_are_flagged_inside_urls_and_cited_ids(
    minimal_text: str,
) -> None:
    found = hazards(
        minimal_text,
        "costly [@hk-ev-talks].",
        "costly [@hk-ev-talks] (https://example.org/\u200fa).",
    )
    assert found == [
        "briefs/x.yaml:20:102: warning: challenges[0].body: URL 'https://example.org/<U+200F>a'"
        " contains the invisible character U+200F (RIGHT-TO-LEFT MARK)"
    ]


def test_one_warning_per_character_and_field_at_its_first_place(minimal_text: str) -> None:
    found = hazards(minimal_text, "Candidate area", "Cand\u200bid\u200bate\u200b area")
    assert len(found) == 1 and ":13:16:" in found[0]


def test_an_escaped_hazard_is_located_at_its_value(minimal_text: str) -> None:
    found = hazards(minimal_text, "  - label: Candidate area", '  - label: "Candidate \\u202eaera"')
    assert len(found) == 1 and found[0].startswith(
        "briefs/x.yaml:13:12: warning: key_facts[0].label"
    )


def test_hazards_in_list_items_and_nested_fields_are_found(minimal_text: str) -> None:
    found = hazards(minimal_text, "  - Policy Analysis Unit", "  - Policy\u2066 Analysis Unit")
    assert [f.split(": ", 2)[:2] for f in found] == [["briefs/x.yaml:5:11", "warning"]]
    assert "authors[0]" in found[0]


def test_a_clean_sheet_has_no_hazards(minimal_text: str) -> None:
    assert hazards(minimal_text, "title:", "title:") == []
