"""The view of the portfolio tracker: counts, money per currency, rates, a chart, a map.

Worked out here from the index entries (what the build state records of each briefing),
printed by ``templates/index.html`` and drawn by :mod:`generator.render.charts` and
:mod:`generator.render.locator_map`. Decisions (docs/output.md, "The portfolio tracker"):

- Money is summed per currency, exactly (decimals, never floats), and never converted
  unless ``portfolio.yaml`` gives a rate from that currency into the portfolio's one.
  The converted total is shown only when every currency has a rate: a total that left
  some money out would read as the whole. It names each rate used, with date and source.
- The chart is a stacked column per jurisdiction, one colour per stage (grouped bars,
  the names beside them, when the names would not fit under the columns): one chart per
  currency, or one in the portfolio's currency when every amount could be converted.
- Counts run over every listed briefing; stages in the format's order, jurisdictions by
  count, then name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from generator.render.figures import ChartView, SeriesView
from generator.render.i18n import Language
from generator.render.labels import STAGE_LABELS
from generator.render.locator_map import LocatorMap, locator_map
from generator.render.markdown import is_safe_link
from generator.render.numbers import format_amount, format_count, format_money


@dataclass(frozen=True)
class Tally:
    """How many briefings have one stage or one jurisdiction."""

    code: str
    label: str
    count: int
    shown: str


@dataclass(frozen=True)
class Total:
    """The announced investment in one currency, summed, and how many briefings gave it."""

    currency: str
    amount: Decimal
    shown: str
    full: str
    count: int


@dataclass(frozen=True)
class UsedRate:
    """A rate of ``portfolio.yaml`` the converted total used."""

    source_currency: str
    currency: str
    rate: str
    as_of: dt.date
    title: str
    url: str | None


@dataclass(frozen=True)
class Conversion:
    """The total in the portfolio's currency (``shown`` None: a currency has no rate,
    named in ``missing``) and the rates it used."""

    currency: str
    shown: str | None
    full: str | None
    rates: tuple[UsedRate, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Money:
    """One briefing's investment as its row shows and sorts it."""

    shown: str
    full: str
    #: The sort key: the converted amount when there is one, else currency then amount.
    key: str


def tallies(codes: Sequence[str], labels: Mapping[str, str], order: Sequence[str], locale: str):
    """A :class:`Tally` per code met, in ``order`` (codes not in it after, by count)."""
    counts = Counter(codes)
    known = [c for c in order if c in counts]
    rest = sorted((c for c in counts if c not in order), key=lambda c: (-counts[c], c))
    return tuple(
        Tally(c, labels.get(c, c), counts[c], format_count(counts[c], locale))
        for c in [*known, *rest]
    )


def stage_labels(language: Language) -> dict[str, str]:
    """Every stage's word in ``language``."""
    return {code: language.gettext(word) for code, word in STAGE_LABELS.items()}


def number(amount: Decimal) -> int | float:
    """A decimal as :mod:`generator.render.numbers` takes it: whole numbers as ints."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def amount_of(investment: Mapping[str, str] | None) -> tuple[Decimal, str] | None:
    """The recorded ``{amount, currency}`` as a decimal and a code."""
    if not investment:
        return None
    return Decimal(investment["amount"]), investment["currency"]


def totals(investments: Sequence[tuple[Decimal, str]], locale: str) -> tuple[Total, ...]:
    """The sum per currency, currencies in alphabetical order."""
    sums: dict[str, Decimal] = {}
    counts: Counter[str] = Counter()
    for amount, currency in investments:
        sums[currency] = sums.get(currency, Decimal(0)) + amount
        counts[currency] += 1
    return tuple(
        Total(
            cur, sums[cur], money(sums[cur], cur, locale), full(sums[cur], cur, locale), counts[cur]
        )
        for cur in sorted(sums)
    )


def money(amount: Decimal, currency: str, locale: str) -> str:
    """``US$7.59 billion`` in the locale."""
    return format_money(number(amount), currency, locale)


def full(amount: Decimal, currency: str, locale: str) -> str:
    """``USD 7,590,000,000``: the exact figure, for the table and a copy-paste."""
    return f"{currency}\u00a0{format_amount(number(amount.quantize(Decimal(1))), locale)}"


def rates_into(fx: Mapping[str, Any] | None) -> tuple[str | None, dict[str, Mapping[str, Any]]]:
    """The portfolio's currency and its rates by source currency (none without fx)."""
    if not fx or not fx.get("currency"):
        return None, {}
    return fx["currency"], {r["from"]: r for r in fx.get("fx", ())}


def converted(amount: Decimal, currency: str, fx: Mapping[str, Any] | None) -> Decimal | None:
    """``amount`` in the portfolio's currency, or None when there is no rate for it."""
    target, rates = rates_into(fx)
    if target is None:
        return None
    if currency == target:
        return amount
    rate = rates.get(currency)
    return None if rate is None else amount * Decimal(rate["rate"])


def conversion(
    found: Sequence[Total], fx: Mapping[str, Any] | None, locale: str
) -> Conversion | None:
    """The converted total and the rates used; None without ``portfolio.yaml`` rates."""
    target, rates = rates_into(fx)
    if target is None:
        return None
    missing = tuple(t.currency for t in found if t.currency != target and t.currency not in rates)
    used = tuple(_used(rates[t.currency], locale) for t in found if t.currency in rates)
    if missing or not found:
        return Conversion(target, None, None, used, missing)
    total = sum((converted(t.amount, t.currency, fx) or Decimal(0) for t in found), Decimal(0))
    return Conversion(target, money(total, target, locale), full(total, target, locale), used, ())


def _used(rate: Mapping[str, Any], locale: str) -> UsedRate:
    from babel.numbers import format_decimal

    url = rate["source"]["url"]
    return UsedRate(
        rate["from"],
        rate["to"],
        # The rate as written (0.0064), never rounded to the locale's three places.
        format_decimal(Decimal(rate["rate"]), locale=locale, decimal_quantization=False),
        dt.date.fromisoformat(rate["as_of"]),
        rate["source"]["title"],
        url if is_safe_link(url) else None,
    )


def row_money(
    investment: Mapping[str, str] | None, fx: Mapping[str, Any] | None, locale: str
) -> Money | None:
    """How a row shows its investment, and its sort key."""
    found = amount_of(investment)
    if found is None:
        return None
    amount, currency = found
    value = converted(amount, currency, fx)
    key = f"{value:.2f}" if value is not None else f"{currency} {amount:024.2f}"
    return Money(money(amount, currency, locale), full(amount, currency, locale), key)


def investment_charts(
    entries: Sequence[Any],
    fx: Mapping[str, Any] | None,
    language: Language,
    labels: Mapping[str, str],
) -> tuple[ChartView, ...]:
    """Investment by jurisdiction (columns) and stage (stacked colours): one chart per
    currency, or with ``fx`` (given only when every amount converts) one chart in the
    portfolio's currency."""
    given = [(e, a) for e, a in ((e, amount_of(e.investment)) for e in entries) if a]
    target, _ = rates_into(fx)
    cells = [(e, converted(a, c, fx), target) if target else (e, a, c) for e, (a, c) in given]
    charts = []
    for currency in sorted({c for _, _, c in cells}):
        mine = [(e, a) for e, a, c in cells if c == currency]
        charts.append(_chart(currency, mine, language, labels, target is not None))
    return tuple(charts)


def _chart(
    currency: str,
    cells: Sequence[tuple[Any, Any]],
    language: Language,
    labels: Mapping[str, str],
    in_target: bool,
) -> ChartView:
    places = tallies([e.jurisdiction for e, _ in cells], {}, (), language.locale)
    places_in = [t.code for t in places]
    stages = [s for s in STAGE_LABELS if any(e.stage == s for e, _ in cells)]
    series = []
    for stage in stages:
        sums = [
            sum((a for e, a in cells if e.stage == stage and e.jurisdiction == p), Decimal(0))
            for p in places_in
        ]
        values = tuple(number(v) if v else None for v in sums)
        series.append(SeriesView(stage, labels.get(stage, stage), values, language.locale))
    title = language.gettext("Announced investment by jurisdiction and stage (%(currency)s)")
    note = language.gettext("Converted at the rates shown above.") if in_target else None
    slug = currency.lower()
    return ChartView(
        id=f"investment-{slug}",
        anchor=f"chart-investment-{slug}",
        title=title % {"currency": currency},
        kind="stacked" if _columns_fit(places_in) else "bar",
        unit=currency,
        note=note,
        place="tracker",
        x_kind="category",
        categories=tuple(places_in),
        positions=tuple(float(i) for i in range(len(places_in))),
        series=tuple(series),
        sources=(),
        locale=language.locale,
    )


#: How many character widths of jurisdiction names fit under the columns of one chart
#: (its text width at the chart's type size, less the value axis and the legend).
COLUMN_LABELS = 60


def _columns_fit(names: Sequence[str]) -> bool:
    """Whether every name fits under its column; else the chart is drawn as bars, the
    names beside them, where they never overlap (a wide character counts two)."""
    import unicodedata

    def width(name: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in name)

    return max((width(n) for n in names), default=0) * len(names) <= COLUMN_LABELS


def sites_map(entries: Sequence[Any]) -> LocatorMap | None:
    """Every site of every briefing on one map (None when no briefing gives one)."""
    sites = [SimpleNamespace(**site) for e in entries for site in e.sites]
    return locator_map(sites)


@dataclass(frozen=True)
class TrackerRow:
    """A row of the tracker's table: the index row, its investment and what the filters
    match (the stage and jurisdiction codes, and the row's words in lower case)."""

    row: Any
    money: Money | None
    sites: str
    search: str
    #: Where the stage comes in the format's order: what sorting by stage follows.
    stage_rank: int


@dataclass(frozen=True)
class Tracker:
    """Everything the tracker shows besides the house style."""

    rows: tuple[TrackerRow, ...]
    stages: tuple[Tally, ...]
    jurisdictions: tuple[Tally, ...]
    totals: tuple[Total, ...]
    conversion: Conversion | None
    charts: tuple[ChartView, ...]
    locator_map: LocatorMap | None
    #: What the locator-map partial draws with (as a briefing's view has them).
    colours: Mapping[str, str]
    graphic_font: str
    briefings: str


def tracker_view(
    rows: Sequence[Any],
    language: Language,
    fx: Mapping[str, Any] | None,
    colours: Mapping[str, str],
    font: str,
) -> Tracker:
    """The tracker of the index ``rows`` (each with its ``entry``), in ``language``."""
    locale = language.locale
    entries = [r.entry for r in rows]
    labels = stage_labels(language)
    found = [a for a in (amount_of(e.investment) for e in entries) if a is not None]
    sums = totals(found, locale)
    converts = conversion(sums, fx, locale)
    # Rows sort by, and the chart draws, converted amounts only when every one converts.
    every = fx if converts is not None and converts.shown is not None else None
    shown_rows = tuple(
        TrackerRow(
            r,
            row_money(r.entry.investment, every, locale),
            "; ".join(s["name"] for s in r.entry.sites),
            " ".join([r.entry.title, r.entry.jurisdiction, r.stage, r.status]).casefold(),
            _rank(r.entry.stage),
        )
        for r in rows
    )
    return Tracker(
        rows=shown_rows,
        stages=tallies([e.stage for e in entries], labels, tuple(STAGE_LABELS), locale),
        jurisdictions=tallies([e.jurisdiction for e in entries], {}, (), locale),
        totals=sums,
        conversion=converts,
        charts=investment_charts(entries, every, language, labels),
        locator_map=sites_map(entries),
        colours=colours,
        graphic_font=font,
        briefings=format_count(len(entries), locale),
    )


def _rank(stage: str) -> int:
    order = list(STAGE_LABELS)
    return order.index(stage) if stage in order else len(order)
