"""The graphics' view models: the timeline strip, the risk matrix and the locator map."""

from __future__ import annotations

import datetime as dt

from generator.factsheet.model import FactSheet
from generator.render.locator_map import HEIGHT, WIDTH, locator_map
from generator.render.timeline_strip import date_span, timeline_strip
from generator.render.view import build_view
from tests.support.pdf_samples import rich_data

AS_OF = dt.date(2026, 11, 25)


def test_a_partial_date_is_the_span_it_names():
    assert date_span("2025") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert date_span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span("2025-12") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert date_span("2025-05-20") == (dt.date(2025, 5, 20), dt.date(2025, 5, 20))


def test_strip_places_events_in_time_and_marks_the_scheduled_ones():
    strip = timeline_strip(["2022-12", "2025", "2025-05-20", "2026-11-26", "2027"], AS_OF)
    assert strip is not None
    assert (strip.first_year, strip.last_year) == (2022, 2027)
    xs = [mark.x for mark in strip.marks]
    assert xs[0] < xs[2] < xs[3] < xs[4]
    # A year is a bar over the year with its marker at mid-year; a day is a point.
    year = strip.marks[1]
    assert year.span is not None and year.span[0] < year.x < year.span[1]
    assert strip.marks[2].span is None
    # Scheduled: the span starts after the as-of date (the day after counts; 2026 would not).
    assert [m.scheduled for m in strip.marks] == [False, False, False, True, True]
    assert (strip.past_count, strip.scheduled_count) == (3, 2)
    assert strip.axis_start < strip.as_of_x < strip.axis_end
    assert [m.number for m in strip.marks] == [1, 2, 3, 4, 5]


def test_strip_stacks_events_that_would_overlap():
    strip = timeline_strip(["2025-05-01", "2025-05-02", "2025-05-03", "2020"], AS_OF)
    ys = [mark.y for mark in strip.marks]
    assert len(set(ys[:3])) == 3, "three events on the same days share no lane"
    assert all(y < strip.axis_y for y in ys)


def test_strip_labels_every_year_or_every_fifth_over_a_long_range():
    short = timeline_strip(["2024", "2026"], AS_OF)
    assert [t.label for t in short.ticks if t.label] == ["2024", "2025", "2026"]
    long = timeline_strip(["1990", "2026"], AS_OF)
    assert [t.label for t in long.ticks if t.label] == [
        "1990",
        "1995",
        "2000",
        "2005",
        "2010",
        "2015",
        "2020",
        "2025",
    ]


def test_no_events_no_strip():
    assert timeline_strip([], AS_OF) is None


def test_risk_matrix_rows_are_categories_columns_severities_cells_link_cards():
    view = build_view(FactSheet.model_validate(rich_data()), "rich")
    matrix = view.risk_matrix
    assert [s for s, _ in matrix.severities] == ["high", "medium", "low"]
    assert [row.label for row in matrix.rows] == [g.label for g in view.challenge_groups]
    cards = {c.anchor: c for g in view.challenge_groups for c in g.challenges}
    assert matrix.count == len(cards)
    for row in matrix.rows:
        for (severity, _), cell in zip(matrix.severities, row.cells, strict=True):
            for link in cell:
                assert cards[link.anchor].severity == severity
                assert cards[link.anchor].title == link.title
    assert sorted(cards) == sorted(f"challenge-{n}" for n in range(1, len(cards) + 1))


class _Site:
    def __init__(self, name: str, lat: float, lon: float) -> None:
        self.name, self.lat, self.lon = name, lat, lon


def test_locator_map_frames_the_sites_on_shipped_outlines():
    sites = [_Site("Debrecen", 47.53, 21.63), _Site("Arnstadt", 50.83, 10.95)]
    drawing = locator_map(sites)
    assert [s.country for s in drawing.sites] == ["Hungary", "Germany"]
    for site in drawing.sites:
        assert 0.1 * WIDTH < site.x < 0.9 * WIDTH and 0.1 * HEIGHT < site.y < 0.9 * HEIGHT
    west, east = sorted(drawing.sites, key=lambda s: s.x)
    assert west.name == "Arnstadt" and west.y < east.y, "north is up, west is left"
    assert drawing.countries and all(path.startswith("M") for path in drawing.countries)
    # Countries are named where their name would not cover a site's marker and label.
    assert "Hungary" in {label.name for label in drawing.labels}
    for label in drawing.labels:
        assert all(abs(label.x - s.x) > 60 or abs(label.y - s.y) > 18 for s in drawing.sites)


def test_a_single_site_shows_its_region():
    (site,) = locator_map([_Site("Hong Kong", 22.3, 114.2)]).sites
    assert (site.x, site.y) == (WIDTH / 2, HEIGHT / 2)
    assert site.country == "China"
    assert locator_map([]) is None
