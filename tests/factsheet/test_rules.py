"""rules: cross-field errors and warnings, located in the file."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.factsheet.loader import LoadedSheet, load_bytes
from generator.factsheet.rules import check

TODAY = dt.date(2026, 2, 1)
SHOWN = "briefs/x.yaml"
SOURCE = (
    "  - id: hk-ev-talks\n"
    "    title: Hong Kong pushes EV factory deals\n"
    "    publisher: Example News\n"
    "    url: https://news.example.org/hk-ev-factory-deals\n"
)


def loaded(text: str) -> LoadedSheet:
    """A fact sheet given as text, loaded."""
    return load_bytes(text.encode(), SHOWN, "x")


def findings(text: str, today: dt.date = TODAY) -> list[str]:
    """The rules' findings for a fact sheet given as text, formatted."""
    return [d.format() for d in check(loaded(text), today)]


def test_a_clean_sheet_has_no_findings(minimal_text: str) -> None:
    assert check(loaded(minimal_text), TODAY) == []


def test_citations_are_checked_in_every_markdown_field(minimal_text: str) -> None:
    text = minimal_text.replace(
        "    sources: [hk-ev-talks]\n",
        "    note: Reported [@a1].\n    sources: [hk-ev-talks]\n",
    ).replace(
        "    severity: high\n",
        "    severity: high\n    mitigations: Brownfield sites [@a2].\n",
    )
    text += (
        "players:\n  - name: FAW Group\n    kind: automaker\n    role: In talks [@a3].\n"
        "timeline:\n  - date: 2025\n    event: Talks start [@a4].\n"
        "sections:\n  - heading: Outlook\n    body: Uncertain [@a5].\n"
    )
    assert findings(text) == [
        f"{SHOWN}:15:21: key_facts[0].note: citation [@a1] names no source of this file",
        f"{SHOWN}:21:36: challenges[0].mitigations: citation [@a2] names no source of this file",
        f"{SHOWN}:32:21: players[0].role: citation [@a3] names no source of this file",
        f"{SHOWN}:35:25: timeline[0].event: citation [@a4] names no source of this file",
        f"{SHOWN}:38:22: sections[0].body: citation [@a5] names no source of this file",
    ]


def test_each_repeat_of_an_unknown_citation_is_located(minimal_text: str) -> None:
    text = minimal_text.replace(
        "summary: >-\n", "summary: >-\n  First [@nope], then [@nope-2; @nope] and\n"
    )
    assert findings(text) == [
        f"{SHOWN}:7:10: summary: citation [@nope] names no source of this file",
        f"{SHOWN}:7:24: summary: citation [@nope-2] names no source of this file",
        f"{SHOWN}:7:33: summary: citation [@nope] names no source of this file",
    ]


def test_a_citation_hidden_by_an_escape_is_located_at_its_field(minimal_text: str) -> None:
    text = minimal_text.replace(
        "summary: >-\n  Hong Kong", 'summary: "See [\\x40nope]."\nnotes: >-\n  Hong Kong'
    ).replace("notes: >-", "subtitle: >-")
    assert findings(text) == [
        f"{SHOWN}:6:10: summary: citation [@nope] names no source of this file"
    ]


def test_unknown_entries_of_sources_lists_suggest_the_closest_id(minimal_text: str) -> None:
    text = minimal_text.replace("sources: [hk-ev-talks]", "sources: [hk-ev-talk, other]")
    found = check(loaded(text), TODAY)
    assert [(d.path, d.suggestion, d.severity) for d in found] == [
        ("key_facts[0].sources[0]", "hk-ev-talks", "error"),
        ("key_facts[0].sources[1]", None, "error"),
    ]


def test_every_repeat_of_a_source_id_names_the_first(minimal_text: str) -> None:
    text = minimal_text + SOURCE + SOURCE
    assert findings(text) == [
        f"{SHOWN}:27:9: sources[1].id: source id 'hk-ev-talks' is already used by sources[0]",
        f"{SHOWN}:31:9: sources[2].id: source id 'hk-ev-talks' is already used by sources[0]",
    ]


def test_a_source_named_only_in_a_sources_list_counts_as_cited(minimal_text: str) -> None:
    text = minimal_text.replace(" [@hk-ev-talks]", "")
    assert "[@" not in text
    assert findings(text) == []


def test_a_source_named_only_in_a_citation_counts_as_cited(minimal_text: str) -> None:
    text = minimal_text + SOURCE.replace("hk-ev-talks", "other")
    text = text.replace("sources: [hk-ev-talks]", "sources: [other]")
    assert findings(text) == []


@pytest.mark.parametrize(("kind", "warned"), [("", True), ("news", True), ("government", False)])
def test_news_sources_need_a_url(minimal_text: str, kind: str, warned: bool) -> None:
    text = minimal_text.replace("    url: https://news.example.org/hk-ev-factory-deals\n", "")
    if kind:
        text += f"    kind: {kind}\n"
    expected = [f"{SHOWN}:22:5: warning: sources[0]: source 'hk-ev-talks' is news but has no url"]
    assert findings(text) == (expected if warned else [])


@pytest.mark.parametrize(
    ("today", "warned"),
    [(dt.date(2026, 1, 19), True), (dt.date(2026, 1, 20), False), (dt.date(2027, 1, 1), False)],
)
def test_as_of_may_not_be_later_than_the_given_today(
    minimal_text: str, today: dt.date, warned: bool
) -> None:
    text = minimal_text.replace("accessed: 2026-01-18", "accessed: 2026-01-10")
    expected = [f"{SHOWN}:3:8: warning: as_of: 2026-01-20 is later than today ({today})"]
    assert findings(text, today) == (expected if warned else [])


def test_accessed_dates_may_not_be_later_than_today(minimal_text: str) -> None:
    text = minimal_text.replace("as_of: 2026-01-20", "as_of: 2026-01-01")
    assert findings(text, dt.date(2026, 1, 17)) == [
        f"{SHOWN}:26:15: warning: sources[0].accessed: 2026-01-18 is later than today (2026-01-17)"
    ]


@pytest.mark.parametrize("category", ["land_cost", "labor", "overcapacity"])
def test_one_core_category_is_enough(minimal_text: str, category: str) -> None:
    text = minimal_text.replace("category: land_cost", f"category: {category}")
    assert findings(text) == []


def test_warnings_become_errors_only_when_the_caller_says_so(minimal_text: str) -> None:
    text = minimal_text.replace("category: land_cost", "category: talent")
    [warning] = check(loaded(text), TODAY)
    assert (warning.severity, warning.code) == ("warning", "no-core-category")
    assert warning.as_error().format() == (
        f"{SHOWN}:16:1: challenges: no challenge has the category land_cost, labor or overcapacity"
    )


def test_findings_come_in_file_order(minimal_text: str) -> None:
    text = minimal_text.replace("category: land_cost", "category: talent").replace(
        "as_of: 2026-01-20", "as_of: 2026-03-01"
    )
    text = text.replace("New Territories [@hk-ev-talks]", "New Territories [@x]") + SOURCE
    found = check(loaded(text), TODAY)
    assert [(d.line, d.col) for d in found] == sorted((d.line, d.col) for d in found)
    assert [d.code for d in found] == [
        "future-date",
        "unknown-citation",
        "no-core-category",
        "duplicate-source",
    ]
