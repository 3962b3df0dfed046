"""The timeline's order is total and stated: less precise dates first, ties in file order.

docs/factsheet-format.md ("Rendering") states the order; these properties hold it to that
for any timeline, through the view every output takes its timeline from.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.html import render_html
from generator.render.order import partial_date_key
from generator.render.view import build_view
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

#: Few years and months, so equal and overlapping dates are common.
_DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2025, 12, 31))
PARTIAL_DATES = st.one_of(
    _DAYS.map(lambda d: d.isoformat()),
    _DAYS.map(lambda d: d.isoformat()[:7]),
    _DAYS.map(lambda d: d.isoformat()[:4]),
)


def precedes(a: str, b: str) -> bool:
    """``a`` comes before ``b`` as docs/factsheet-format.md states it: an earlier date,
    or the same date given less precisely (``2025`` heads 2025, ``2025-01`` its days)."""
    if a == b:
        return False
    if b.startswith(a):
        return True
    if a.startswith(b):
        return False
    length = min(len(a), len(b))
    return a[:length] < b[:length]


@given(st.lists(PARTIAL_DATES, max_size=12))
@settings(max_examples=150, deadline=None)
def test_the_timeline_is_in_the_stated_order_and_ties_keep_file_order(dates: list[str]) -> None:
    data = minimal_data()
    data["timeline"] = [{"date": d, "event": f"event {i}"} for i, d in enumerate(dates)]
    shown = [(e.date, int(e.event.split()[1])) for e in build_view(make_sheet(data), "x").timeline]
    assert sorted(d for d, _ in shown) == sorted(dates)
    for (first, i), (second, j) in itertools.pairwise(shown):
        assert not precedes(second, first)
        if first == second:
            assert i < j


@given(PARTIAL_DATES, PARTIAL_DATES, PARTIAL_DATES)
def test_the_key_is_a_total_order_that_agrees_with_the_stated_one(a: str, b: str, c: str) -> None:
    ka, kb, kc = (partial_date_key(x) for x in (a, b, c))
    # Antisymmetric and total: equal keys only for equal dates, else one way or the other.
    assert (ka == kb) == (a == b)
    assert (ka < kb) == precedes(a, b)
    if ka <= kb and kb <= kc:
        assert ka <= kc


def test_the_briefing_prints_a_year_then_its_month_then_its_day() -> None:
    data = minimal_data()
    data["timeline"] = [
        {"date": "2025-01-15", "event": "Day."},
        {"date": "2025-01", "event": "Month."},
        {"date": "2025", "event": "Year."},
    ]
    html = render_html(make_sheet(data), "x", TEMPLATES).html
    timeline = html[html.index('id="timeline"') :]
    positions = [timeline.index(text) for text in ("Year.", "Month.", "Day.")]
    assert positions == sorted(positions)
    assert re.search(
        r'<time class="when" datetime="2025">(<span[^>]*>\d+</span> )?2025</time>', timeline
    )
    assert "January 2025</time>" in timeline and "15 January 2025</time>" in timeline
