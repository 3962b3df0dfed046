"""The briefing view model: order, grouping, numbering, labels and metadata."""

from __future__ import annotations

from generator import __version__
from generator.render.i18n import language_for
from generator.render.numbers import format_amount, format_number
from generator.render.order import partial_date_key
from generator.render.view import build_view, shorten
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data, rich_data


def test_timeline_is_in_date_order_partial_dates_as_their_first_day() -> None:
    view = build_view(make_sheet(rich_data()), "hk")
    assert [e.date for e in view.timeline] == [
        "2022-12-22",
        "2024",
        "2024-06",
        "2025-11",
        "2025-11-14",
    ]


def test_timeline_puts_the_less_precise_date_first_and_keeps_file_order_for_ties() -> None:
    data = minimal_data()
    data["timeline"] = [
        {"date": "2024-01-01", "event": "day, first in file"},
        {"date": "2024", "event": "year"},
        {"date": "2024-01", "event": "month"},
        {"date": "2023-12-31", "event": "earliest"},
        {"date": "2024-01-01", "event": "day, second in file"},
    ]
    view = build_view(make_sheet(data), "x")
    assert [e.event for e in view.timeline] == [
        "earliest",
        "year",
        "month",
        "day, first in file",
        "day, second in file",
    ]


def test_partial_date_key() -> None:
    assert partial_date_key("2024") == (2024, 0, 0)
    assert partial_date_key("2024-07") == (2024, 7, 0)
    assert partial_date_key("2024-07-19") == (2024, 7, 19)


def test_challenges_grouped_in_format_order_then_severity_then_file_order() -> None:
    data = minimal_data()
    data["challenges"] = [
        {"category": "policy", "title": "P-low", "severity": "low", "body": "x"},
        {"category": "labor", "title": "L-medium-1", "severity": "medium", "body": "x"},
        {"category": "land_cost", "title": "Land-low", "severity": "low", "body": "x"},
        {"category": "labor", "title": "L-high", "severity": "high", "body": "x"},
        {"category": "labor", "title": "L-medium-2", "severity": "medium", "body": "x"},
        {"category": "land_cost", "title": "Land-high", "severity": "high", "body": "x"},
    ]
    sheet = make_sheet(data)
    groups = build_view(
        sheet, "x", language=language_for(sheet.language, TEMPLATES)
    ).challenge_groups
    assert [(g.category, g.label) for g in groups] == [
        ("land_cost", "Land cost"),
        ("labor", "Labour"),
        ("policy", "Policy"),
    ]
    assert [[c.title for c in g.challenges] for g in groups] == [
        ["Land-high", "Land-low"],
        ["L-high", "L-medium-1", "L-medium-2"],
        ["P-low"],
    ]
    assert [c.severity_label for c in groups[1].challenges] == ["High", "Medium", "Medium"]


def test_sources_numbered_by_first_citation_in_reading_order_then_uncited() -> None:
    view = build_view(make_sheet(rich_data()), "hk")
    assert dict(view.source_numbers) == {
        "scmp-talks": 1,
        "gov-blueprint": 2,
        "land-report": 3,
        "overcapacity-study": 4,
        "analyst-note": 5,
        "census-wages": 6,
        "industry-data": 7,
        "faw-statement": 8,
        "retail-news": 9,
        "neta-rd": 10,
        "trade-rules": 11,
        "uncited-background": 12,
    }
    assert [s.number for s in view.sources] == list(range(1, 13))
    assert [s.anchor for s in view.sources][:2] == ["source-1", "source-2"]


def test_reading_order_follows_sorted_timeline_and_grouped_challenges() -> None:
    data = minimal_data()
    data["sources"] += [
        {"id": id_, "title": id_, "publisher": "P"}
        for id_ in ("late", "early", "labour-src", "land-src")
    ]
    data["timeline"] = [
        {"date": "2025", "event": "later [@late]"},
        {"date": "2020-05", "event": "earlier", "sources": ["early"]},
    ]
    data["challenges"] = [
        {"category": "labor", "title": "L", "severity": "high", "body": "[@labour-src]"},
        {"category": "land_cost", "title": "Ld", "severity": "low", "body": "[@land-src]"},
    ]
    numbers = build_view(make_sheet(data), "x").source_numbers
    assert sorted(numbers, key=numbers.__getitem__) == [
        "s1",
        "early",
        "late",
        "land-src",
        "labour-src",
    ]


def test_empty_optional_sections_are_empty() -> None:
    view = build_view(make_sheet(minimal_data()), "x")
    assert view.players == view.timeline == view.sections == ()
    assert view.title_block.subtitle is None
    assert view.title_block.status_mark == "DRAFT"


def test_status_marks() -> None:
    data = minimal_data()
    data["status"] = "review"
    assert build_view(make_sheet(data), "x").title_block.status_mark == "FOR REVIEW"
    data["status"] = "final"
    head = build_view(make_sheet(data), "x").title_block
    assert head.status_mark is None
    assert head.status_label == "Final"


def test_initiative_rows_and_labels() -> None:
    view = build_view(make_sheet(rich_data()), "hk")
    rows = {row.label: row for row in view.initiative}
    assert rows["Stage"].value == "In talks"
    assert rows["Investment"].value == "HK$1.5 billion"
    assert rows["Investment"].note.startswith("Indicative")
    assert rows["Locations"].value == "Northern Metropolis, New Territories; San Tin Technopole"
    assert [p.kind for p in view.players][:2] == ["Automaker", "Battery maker"]
    assert view.players[1].local_name == "宁德时代"


def test_minimal_initiative_has_only_required_rows() -> None:
    view = build_view(make_sheet(minimal_data()), "x")
    assert [row.label for row in view.initiative] == ["Initiative", "Stage"]


def test_key_fact_values_are_printed_as_written() -> None:
    view = build_view(make_sheet(rich_data()), "hk")
    assert [f.value for f in view.key_facts] == [
        "2",
        "HKD 8,000 per sq ft",
        "HKD 19,100 / month",
        "0.5",
    ]
    assert format_number(2027) == "2027"
    assert format_number(3.0) == "3"
    assert format_amount(2_500_000.5) == "2,500,000.5"
    assert format_amount(1.5e9) == "1,500,000,000"


def test_head_metadata_comes_from_the_sheet_never_the_clock() -> None:
    data = rich_data()
    meta = [(m.name, m.content) for m in build_view(make_sheet(data), "hk").meta]
    assert meta == [
        ("author", "Mei Ling Chan"),
        ("author", "Daniel Okafor"),
        ("description", data["subtitle"]),
        ("keywords", "ev, hong-kong, manufacturing"),
        ("dcterms.created", "2026-01-20"),
        ("dcterms.modified", "2026-01-20"),
        ("generator", f"brief {__version__}"),
    ]


def test_description_falls_back_to_the_summary_as_plain_text() -> None:
    data = minimal_data()
    data["summary"] = "A *bold* claim [@s1].\n\nSecond paragraph."
    meta = {m.name: m.content for m in build_view(make_sheet(data), "x").meta}
    assert meta["description"] == "A bold claim. Second paragraph."
    assert "keywords" not in meta


def test_shorten() -> None:
    assert shorten("short title", 60) == "short title"
    long = "Hong Kong courts mainland EV makers for a New Territories assembly base"
    short = shorten(long, 60)
    assert short == "Hong Kong courts mainland EV makers for a New Territories…"
    assert len(short) <= 60


def test_leading_facts_are_the_first_five() -> None:
    data = minimal_data()
    data["key_facts"] = [{"label": f"Fact {n}", "value": n, "sources": ["s1"]} for n in range(1, 8)]
    view = build_view(make_sheet(data), "x")
    assert [f.label for f in view.leading_facts] == [f"Fact {n}" for n in range(1, 6)]
    assert len(build_view(make_sheet(minimal_data()), "x").leading_facts) == 1


def test_headline_challenges_are_all_of_the_highest_severity_present() -> None:
    data = minimal_data()
    data["challenges"] = [
        {"category": "policy", "title": "P-medium", "severity": "medium", "body": "x"},
        {"category": "labor", "title": "L-low", "severity": "low", "body": "x"},
        {"category": "land_cost", "title": "Land-medium", "severity": "medium", "body": "x"},
    ]
    headline = build_view(make_sheet(data), "x").headline_challenges
    assert [(c.category, c.title, c.severity_label) for c in headline] == [
        ("Land cost", "Land-medium", "Medium"),
        ("Policy", "P-medium", "Medium"),
    ]


def test_contents_follow_the_format_order_and_leave_out_empty_sections() -> None:
    full = build_view(make_sheet(rich_data()), "hk").contents
    assert [e.anchor for e in full][:6] == [
        "summary",
        "initiative",
        "key-facts",
        "players",
        "timeline",
        "challenges",
    ]
    assert full[-1].anchor == "sources" and full[6].anchor == "section-1"
    bare = build_view(make_sheet(minimal_data()), "x").contents
    assert [e.heading for e in bare] == [
        "Summary",
        "Initiative at a glance",
        "Key facts",
        "Challenges",
        "Sources",
    ]
