"""The tracker's view: counts in order, exact sums per currency, conversion only with rates.

The view is worked out from index entries as the build state records them (amounts as
decimal strings), so these tests build entries by hand and read the view's values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from generator.render import language_for
from generator.render.html import IndexEntry, IndexRow
from generator.render.portfolio_view import tracker_view
from tests.support.render_samples import TEMPLATES

FX = {
    "currency": "USD",
    "fx": [
        {
            "from": "EUR",
            "to": "USD",
            "rate": "1.08",
            "as_of": "2026-06-30",
            "source": {"title": "ECB", "url": "https://www.ecb.europa.eu/stats/"},
        }
    ],
}


def _row(brief_id: str, place: str, stage: str, money: Any = None, sites: Any = ()) -> IndexRow:
    entry = IndexEntry(
        brief_id,
        brief_id.title(),
        place,
        stage,
        "final",
        dt.date(2026, 6, 30),
        None,
        None,
        investment=money,
        sites=tuple(sites),
    )
    return IndexRow(entry, stage, "Final", None, None)


def _view(rows: list[IndexRow], fx: Any = None, tag: str = "en") -> Any:
    language = language_for(tag, TEMPLATES)
    return tracker_view(rows, language, fx, {"primary": "#16365c"}, "Brief Sans")


ROWS = [
    _row("a", "Hungary", "operating", {"amount": "0.1", "currency": "EUR"}),
    _row("b", "Hungary", "talks", {"amount": "0.2", "currency": "EUR"}),
    _row("c", "Japan", "talks", {"amount": "150000000000", "currency": "JPY"}),
    _row("d", "Ohio", "stalled", None, [{"name": "Marysville", "lat": 40.24, "lon": -83.37}]),
]


def test_stages_come_in_the_formats_order_and_places_by_count() -> None:
    view = _view(ROWS)
    assert [(t.code, t.count) for t in view.stages] == [
        ("talks", 2),
        ("operating", 1),
        ("stalled", 1),
    ]
    assert [(t.code, t.count) for t in view.jurisdictions] == [
        ("Hungary", 2),
        ("Japan", 1),
        ("Ohio", 1),
    ]


def test_sums_are_exact_per_currency_and_never_converted_without_rates() -> None:
    view = _view(ROWS)
    assert [(t.currency, t.amount, t.count) for t in view.totals] == [
        ("EUR", Decimal("0.3"), 2),
        ("JPY", Decimal("150000000000"), 1),
    ]
    assert view.conversion is None
    assert [c.unit for c in view.charts] == ["EUR", "JPY"]


def test_a_currency_without_a_rate_means_no_total() -> None:
    view = _view(ROWS, FX)
    assert view.conversion is not None
    assert (view.conversion.shown, view.conversion.missing) == (None, ("JPY",))
    assert [r.source_currency for r in view.conversion.rates] == ["EUR"]
    # The charts stay per currency, and rows sort by currency then amount: not every
    # amount converts, and a mix of converted and unconverted keys would not sort.
    assert [(c.unit, c.note) for c in view.charts] == [("EUR", None), ("JPY", None)]
    keys = [r.money.key for r in view.rows if r.money]
    assert [k.split()[0] for k in keys] == ["EUR", "EUR", "JPY"]


def test_with_every_rate_one_total_one_chart_and_converted_sort_keys() -> None:
    rows = [r for r in ROWS if r.entry.brief_id != "c"]
    view = _view(rows, FX)
    assert view.conversion is not None and view.conversion.full == "USD\u00a00"
    big = [_row("e", "Hungary", "talks", {"amount": "7340000000", "currency": "EUR"})]
    view = _view(big, FX)
    assert view.conversion is not None
    assert (view.conversion.shown, view.conversion.full) == (
        "US$7.93 billion",
        "USD\u00a07,927,200,000",
    )
    assert view.rows[0].money is not None and view.rows[0].money.key == "7927200000.00"
    [chart] = view.charts
    assert (chart.unit, chart.categories, chart.series[0].values) == (
        "USD",
        ("Hungary",),
        (7927200000,),
    )


def test_the_language_writes_the_money_and_the_counts() -> None:
    big = [_row("e", "Hongrie", "talks", {"amount": "7340000000", "currency": "EUR"})]
    view = _view(big, None, "fr")
    assert view.totals[0].shown == "7,34 milliards\u00a0€"
    assert view.stages[0].label == "En négociation"


def test_every_site_of_every_briefing_is_on_the_map() -> None:
    rows = [
        *ROWS,
        _row("f", "Hungary", "talks", None, [{"name": "Debrecen", "lat": 47.53, "lon": 21.63}]),
    ]
    view = _view(rows)
    assert view.locator_map is not None
    assert [s.name for s in view.locator_map.sites] == ["Marysville", "Debrecen"]
    assert _view(ROWS[:3]).locator_map is None
