"""What changed between two editions of a fact sheet."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from generator.delivery import changes as changes_module
from generator.factsheet import load_bytes
from generator.factsheet.model import FactSheet
from generator.render import INITIATIVE_LABELS, PART_LABELS, build_view, format_money, language_for
from tests.conftest import REPO

TEMPLATES = REPO / "templates"


def compare(before: FactSheet, after: FactSheet) -> list[changes_module.Change]:
    """The changes as the email lists them: in the language of the edition sent."""
    return changes_module.compare(before, after, language_for(after.language, TEMPLATES))


TITLE = "Hong Kong courts mainland EV assembly plants"
SUBTITLE = "Talks with FAW and others over a New Territories base"
AUDIENCE = "Investment promotion board"
AUTHORS = "Policy Analysis Unit; J. Chan (Trade and Industry Desk)"
FRAMEWORK = "Northern Metropolis development strategy"

BASE = {
    "title": "Plant",
    "jurisdiction": "Testland",
    "as_of": "2026-01-20",
    "status": "final",
    "authors": ["Analyst"],
    "summary": "Bottom line [@a].",
    "initiative": {"name": "Plant", "stage": "talks"},
    "key_facts": [
        {"label": "Jobs", "value": 100, "sources": ["a"]},
        {"label": "Site", "value": "North", "sources": ["a"]},
    ],
    "challenges": [{"category": "labor", "title": "Wages", "severity": "low", "body": "x"}],
    "sources": [{"id": "a", "title": "A", "publisher": "P", "url": "https://example.org/a"}],
}


def sheet(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return FactSheet.model_validate(data, strict=False)


def test_identical_sheets_have_no_changes():
    assert compare(sheet(), sheet()) == []


def test_every_kind_of_change_is_listed():
    after = sheet(
        initiative={"name": "Plant", "stage": "announced"},
        key_facts=[
            {"label": "jobs", "value": 250, "sources": ["a"]},
            {"label": "Investment", "value": "HKD 1bn", "sources": ["a"]},
        ],
        challenges=[
            {"category": "labor", "title": "Wages", "severity": "high", "body": "x"},
            {"category": "land_cost", "title": "Land", "severity": "medium", "body": "y"},
        ],
        sources=[
            *BASE["sources"],
            {"id": "b", "title": "B report", "publisher": "Q", "url": "https://example.org/b"},
        ],
    )
    texts = [c.text for c in compare(sheet(), after)]
    assert texts == [
        "Stage: In talks → Announced",
        "jobs: 100 → 250",
        "New key fact: Investment: HKD 1bn",
        "Key fact dropped: Site",
        "Challenge Wages: severity Low → High",
        "New challenge: Land (Medium severity)",
        "New source: B report (Q)",
    ]


def test_reordering_is_not_a_change():
    before = sheet()
    after = sheet(key_facts=list(reversed(BASE["key_facts"])))
    assert compare(before, after) == []


# Golden tests, one part of the briefing at a time, from the fact sheet that has every key
# (tests/data/valid/full.yaml) and from the shipped Hong Kong sheet. Each changes one part
# and asserts the exact lines a reader gets.

FULL = REPO / "tests" / "data" / "valid" / "full.yaml"
HONG_KONG = REPO / "briefs" / "hong-kong-ev-assembly.yaml"


def data_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def loaded(data: dict) -> FactSheet:
    """A sheet through the project's own loader, as the archive's copy would be read."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")
    return load_bytes(text, "briefs/x.yaml", "x").sheet


def changed(edit, path: Path = FULL) -> list[str]:
    """The lines of "what changed" after ``edit`` changes the data of ``path``."""
    before = data_of(path)
    after = copy.deepcopy(before)
    edit(after)
    return [c.text for c in compare(loaded(before), loaded(after))]


def add_event(data):
    data["timeline"].append({"date": "2026-11-30", "event": "Factory ground-breaking"})


def test_the_hong_kong_sheet_with_a_revised_summary_and_a_new_event():
    def edit(data):
        data["summary"] += "\n**Update.** A site has been chosen.\n"
        add_event(data)

    assert changed(edit, HONG_KONG) == [
        "Summary revised",
        "Timeline: added 30 November 2026 Factory ground-breaking",
    ]


def test_the_hong_kong_sheet_against_itself_has_no_changes():
    assert changed(lambda data: None, HONG_KONG) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.update(summary=d["summary"] + "\nMore."), ["Summary revised"]),
        (
            lambda d: d.update(
                summary=d["summary"].replace(" [@hk-ev-talks;\n", "\n[@hk-ev-talks; ")
            ),
            [],
        ),
        (lambda d: d.update(title="Hong Kong signs"), ["Title: " + TITLE + " → Hong Kong signs"]),
        (lambda d: d.pop("subtitle"), [f"Subtitle: removed {SUBTITLE}"]),
        (lambda d: d.update(audience="Cabinet"), [f"Audience: {AUDIENCE} → Cabinet"]),
        (
            lambda d: d["authors"].append("K. Lee"),
            [f"Authors: {AUTHORS} → {AUTHORS}; K. Lee"],
        ),
        (lambda d: d.update(status="final"), ["Status: For review → Final"]),
        (lambda d: d.update(as_of="2026-02-01", tags=["ev"], language="en"), []),
    ],
    ids=[
        "summary",
        "summary-reflowed",
        "title",
        "subtitle",
        "audience",
        "authors",
        "status",
        "date-tags-language",
    ],
)
def test_the_title_block_and_the_summary(edit, expected):
    assert changed(edit) == expected


def money(data: dict) -> dict:
    return data["initiative"]["investment"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: money(d).update(amount=3_000_000), ["Investment: HK$2,500.5 → HK$3 million"]),
        (lambda d: money(d).update(currency="USD"), ["Investment: HK$2,500.5 → US$2,500.5"]),
        (lambda d: money(d).update(amount=2500.50), []),
        (lambda d: money(d).update(note="Committed."), ["Investment: note revised"]),
        (lambda d: d["initiative"].pop("investment"), ["Investment: removed HK$2,500.5"]),
        (
            lambda d: d["initiative"]["locations"].append("Lantau"),
            ["Locations: New Territories → New Territories; Lantau"],
        ),
        (
            lambda d: d["initiative"].update(sponsor="Treasury"),
            ["Sponsor: Invest Hong Kong → Treasury"],
        ),
        (lambda d: d["initiative"].pop("framework"), [f"Policy framework: removed {FRAMEWORK}"]),
        (lambda d: d["initiative"].update(stage="announced"), ["Stage: In talks → Announced"]),
    ],
    ids=[
        "amount",
        "currency",
        "same-amount",
        "note",
        "removed",
        "locations",
        "sponsor",
        "framework",
        "stage",
    ],
)
def test_the_initiative_and_its_investment(edit, expected):
    assert changed(edit) == expected


def test_an_investment_added_is_formatted_as_the_briefing_writes_it():
    before = data_of(FULL)
    before["initiative"].pop("investment")
    after = copy.deepcopy(before)
    after["initiative"]["investment"] = {"amount": 1_500_000_000, "currency": "CNY"}
    assert [c.text for c in compare(loaded(before), loaded(after))] == [
        "Investment: added CN¥1.5 billion"
    ]


def event(data: dict, index: int) -> dict:
    return data["timeline"][index]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (add_event, ["Timeline: added 30 November 2026 Factory ground-breaking"]),
        (lambda d: d["timeline"].pop(0), ["Timeline: removed 2024 Neta Auto opens an R&D centre."]),
        (
            lambda d: event(d, 2).update(event="Site study begins at **two** sites."),
            ["Timeline: revised 18 January 2026 Site study begins at two sites."],
        ),
        (
            lambda d: event(d, 2).update(date="2026-02"),
            ["Timeline: revised February 2026 Site study begins. (was 18 January 2026)"],
        ),
        (
            lambda d: event(d, 1).update(sources=["hk-ev-talks", "invest-hk-2025"]),
            ["Timeline: revised November 2025 Talks with automakers reported."],
        ),
        (lambda d: d["timeline"].reverse(), []),
    ],
    ids=["added", "removed", "text", "date", "sources", "reordered"],
)
def test_the_timeline(edit, expected):
    assert changed(edit) == expected


def test_timeline_changes_are_listed_in_date_order():
    def edit(data):
        add_event(data)
        data["timeline"].pop(0)
        data["timeline"].append({"date": "2025-12", "event": "Shortlist of sites [@hk-ev-talks]."})

    assert changed(edit) == [
        "Timeline: removed 2024 Neta Auto opens an R&D centre.",
        "Timeline: added December 2025 Shortlist of sites.",
        "Timeline: added 30 November 2026 Factory ground-breaking",
    ]


def player(data: dict) -> dict:
    return data["players"][0]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["players"].append({"name": "BYD", "kind": "automaker", "role": "Bidder."}),
            ["Players: added BYD (Automaker)"],
        ),
        (lambda d: d["players"].pop(), ["Players: removed FAW Group"]),
        (
            lambda d: player(d).update(kind="investor"),
            ["Players: revised FAW Group (Automaker → Investor)"],
        ),
        (lambda d: player(d).update(role="Leads the talks."), ["Players: revised FAW Group"]),
        (lambda d: player(d).update(name="faw group "), []),
    ],
    ids=["added", "removed", "kind", "role", "same-name"],
)
def test_the_players(edit, expected):
    assert changed(edit) == expected


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["sections"].append({"heading": "Recommendations", "body": "Act."}),
            ["Sections: added Recommendations"],
        ),
        (lambda d: d.pop("sections"), ["Sections: removed Outlook"]),
        (
            lambda d: d["sections"][0].update(body="A decision is due in 2027."),
            ["Sections: revised Outlook"],
        ),
    ],
    ids=["added", "removed", "revised"],
)
def test_the_sections(edit, expected):
    assert changed(edit) == expected


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["challenges"].pop(), ["Challenge dropped: Few assembly workers"]),
        (
            lambda d: d["challenges"][1].update(category="talent"),
            ["Challenge Few assembly workers: Labour → Talent"],
        ),
        (
            lambda d: d["challenges"][0].update(body="Land is scarce.", mitigations="Lease it."),
            ["Challenge Scarce industrial land: text and mitigations revised"],
        ),
        (
            lambda d: d["challenges"][0].update(severity="low", sources=["hk-ev-talks"]),
            [
                "Challenge Scarce industrial land: severity High → Low",
                "Challenge Scarce industrial land: sources revised",
            ],
        ),
    ],
    ids=["dropped", "category", "text", "severity-and-sources"],
)
def test_the_challenges(edit, expected):
    assert changed(edit) == expected


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["sources"].pop(), ["Source dropped: Annual report 2025 (Invest Hong Kong)"]),
        (
            lambda d: d["sources"][0].update(url="https://news.example.org/moved"),
            ["Source revised: Hong Kong pushes EV factory deals (Example News)"],
        ),
        (
            lambda d: d["key_facts"][0].update(sources=["invest-hk-2025"]),
            ["Candidate area: sources revised"],
        ),
        (
            lambda d: d["key_facts"][1].update(note="Up since 2023."),
            ["Showrooms opened by Aion: note revised"],
        ),
    ],
    ids=["source-dropped", "source-revised", "fact-sources", "fact-note"],
)
def test_the_sources_and_key_facts(edit, expected):
    assert changed(edit) == expected


def test_changes_follow_the_briefing_order_after_stage_and_status():
    def edit(data):
        data["status"] = "final"
        data["initiative"]["stage"] = "announced"
        data["sections"][0]["body"] = "Later."
        data["sources"][1]["title"] = "Annual report 2025, revised"
        data["challenges"].pop()
        data["players"][0]["role"] = "Leads."
        add_event(data)
        data["key_facts"][0]["value"] = "Lantau"
        money(data)["amount"] = 3000
        data["summary"] = "New bottom line [@hk-ev-talks]."
        data["title"] = "New title"

    assert changed(edit) == [
        "Stage: In talks → Announced",
        "Status: For review → Final",
        f"Title: {TITLE} → New title",
        "Summary revised",
        "Investment: HK$2,500.5 → HK$3,000",
        "Candidate area: New Territories, near the boundary → Lantau",
        "Players: revised FAW Group",
        "Timeline: added 30 November 2026 Factory ground-breaking",
        "Challenge dropped: Few assembly workers",
        "Sections: revised Outlook",
        "Source revised: Annual report 2025, revised (Invest Hong Kong)",
    ]


def test_the_labels_are_the_briefing_s_own():
    """The words "what changed" names parts by are the headings the briefing prints."""
    sheet = loaded(data_of(FULL))
    view = build_view(sheet, "x")
    headings = [entry.heading for entry in view.contents]
    for part in ("summary", "initiative", "key_facts", "players", "timeline", "challenges"):
        assert PART_LABELS[part] in headings
    assert [row.label for row in view.initiative] == list(INITIATIVE_LABELS.values())
    title_block = (REPO / "templates/partials/brief/title_block.html").read_text(encoding="utf-8")
    for part in ("jurisdiction", "authors", "audience"):
        assert f"{PART_LABELS[part]}<" in title_block or f'"{PART_LABELS[part]}"' in title_block
    investment = next(row for row in view.initiative if row.label == "Investment")
    assert investment.value == format_money(2500.5, "HKD")
