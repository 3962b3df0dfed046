"""The view of a briefing's figures (format 2): the key-figures panel and the charts.

Worked out here, printed by ``partials/*/key_figures.html`` and ``partials/brief/chart.html``
and drawn by :mod:`generator.render.charts`. Nothing here imports the charting library:
a chart's view is its numbers in order, what its table and its text alternative say.

The panel holds the initiative's investment, then every key fact marked ``highlight``,
in the file's order. A highlighted fact of the same amount and currency as the investment
stands for it (with its sources, which the investment has none of), so the figure is not
shown twice.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from generator.factsheet import FactSheet, x_kind
from generator.render.i18n import Language
from generator.render.labels import INITIATIVE_LABELS
from generator.render.numbers import format_amount, format_money, format_number
from generator.render.order import partial_date_key


@dataclass(frozen=True)
class KeyFigure:
    """One large figure of the panel; ``sources`` are ids, printed as citations."""

    label: str
    value: str
    year: int | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SeriesView:
    """One series of a chart: its values aligned with the chart's categories (None: no
    point there), written in ``locale``'s numbers."""

    id: str
    title: str
    values: tuple[float | int | None, ...]
    locale: str = "en"

    @functools.cached_property
    def shown(self) -> tuple[str | None, ...]:
        """The values as the table writes them (worked out once: the table asks per row)."""
        return tuple(None if v is None else format_amount(v, self.locale) for v in self.values)


@dataclass(frozen=True)
class ChartView:
    """A chart: what is drawn, captioned, tabulated and said in its text alternative.

    ``categories`` are the x values as written, in order (years and dates by time,
    categories as first met); ``positions`` are where a line chart puts them (years and
    dates at their time, categories evenly).
    """

    id: str
    anchor: str
    title: str
    kind: str
    unit: str
    note: str | None
    place: str
    #: What the x values are: ``year``, ``date`` or ``category`` (names the table's column).
    x_kind: str
    categories: tuple[str, ...]
    positions: tuple[float, ...]
    series: tuple[SeriesView, ...]
    sources: tuple[str, ...]
    #: The briefing's locale: the numbers of the ticks, the table and the alternative.
    locale: str = "en"

    @property
    def lowest(self) -> str:
        """The smallest value drawn, as written (for the text alternative)."""
        low = min(v for s in self.series for v in s.values if v is not None)
        return format_amount(low, self.locale)

    @property
    def highest(self) -> str:
        """The largest value drawn, as written (for the text alternative)."""
        high = max(v for s in self.series for v in s.values if v is not None)
        return format_amount(high, self.locale)

    @property
    def first(self) -> str:
        """The first category or year."""
        return self.categories[0]

    @property
    def last(self) -> str:
        """The last category or year."""
        return self.categories[-1]


def key_figures(sheet: FactSheet, language: Language | None = None) -> tuple[KeyFigure, ...]:
    """The panel: the investment (unless a highlighted fact stands for it), then every
    highlighted key fact in file order, in ``language``'s words and numbers (None: US
    English). A format-1 sheet has none, even with an investment: format-1 files render
    as they always have."""
    if sheet.format < 2:
        return ()
    locale = language.locale if language else "en"
    highlighted = [f for f in sheet.key_facts if f.highlight]
    figures = [
        KeyFigure(f.label, format_number(f.value, locale), f.year, tuple(f.sources))
        for f in highlighted
    ]
    money = sheet.initiative.investment
    if money is not None and not any(_same_money(f.value, money) for f in highlighted):
        shown = format_money(money.amount, money.currency, locale)
        label = language.label(INITIATIVE_LABELS, "investment") if language else "Investment"
        figures.insert(0, KeyFigure(label, shown, None, ()))
    return tuple(figures)


def _same_money(value: object, money: object) -> bool:
    amount, unit = getattr(value, "amount", None), getattr(value, "unit", None)
    return unit == getattr(money, "currency", "") and amount == getattr(money, "amount", None)


def chart_views(sheet: FactSheet, language: Language | None = None) -> tuple[ChartView, ...]:
    """Every chart of ``sheet`` with the series it names (``brief check`` has made sure
    they exist and share a unit), in file order, its numbers in ``language``'s (None: US
    English)."""
    locale = language.locale if language else "en"
    series = {s.id: s for s in sheet.data or ()}
    views = []
    for chart in sheet.charts or ():
        drawn = [series[name] for name in chart.series if name in series]
        if not drawn:
            continue
        categories, positions, x_kind = _axis(drawn)
        views.append(
            ChartView(
                id=chart.id,
                anchor=f"chart-{chart.id}",
                title=chart.title,
                kind=chart.kind,
                unit=drawn[0].unit,
                note=chart.note,
                place=chart.place,
                x_kind=x_kind,
                categories=categories,
                positions=positions,
                series=tuple(_series_view(s, categories, locale) for s in drawn),
                sources=_chart_sources(drawn),
                locale=locale,
            )
        )
    return tuple(views)


def charts_at(charts: Sequence[ChartView], place: str) -> tuple[ChartView, ...]:
    """The charts placed at ``place``: ``after_key_facts`` or a section's heading."""
    return tuple(c for c in charts if c.place == place)


def _x_text(x: object) -> str:
    return str(x)


def _axis(drawn: Sequence[object]) -> tuple[tuple[str, ...], tuple[float, ...], str]:
    seen: dict[str, None] = {}
    for s in drawn:
        for point in s.points:  # type: ignore[attr-defined]
            seen.setdefault(_x_text(point.x), None)
    names = list(seen)
    # The kinds are the format's, as brief check tells them (factsheet.x_kind).
    kinds = {x_kind(x) for x in names}
    if names and kinds <= {"year", "date"}:
        names.sort(key=partial_date_key)
        year, month, day = zip(*(partial_date_key(x) for x in names), strict=True)
        # The sort key counts a missing month or day as 0; on the axis a year stands at
        # its start, a month at its first day.
        at = tuple(
            y + (max(m, 1) - 1) / 12 + (max(d, 1) - 1) / 365
            for y, m, d in zip(year, month, day, strict=True)
        )
        return tuple(names), at, "year" if kinds == {"year"} else "date"
    return tuple(names), tuple(float(i) for i in range(len(names))), "category"


def _series_view(series: object, categories: Sequence[str], locale: str) -> SeriesView:
    by_x = {_x_text(p.x): p.y for p in series.points}  # type: ignore[attr-defined]
    values = tuple(_plain(by_x.get(x)) for x in categories)
    return SeriesView(series.id, series.title, values, locale)  # type: ignore[attr-defined]


def _plain(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _chart_sources(drawn: Sequence[object]) -> tuple[str, ...]:
    """The sources of every point drawn (a point's own, else its series'), first met first."""
    ids: dict[str, None] = {}
    for s in drawn:
        for point in s.points:  # type: ignore[attr-defined]
            for source in point.sources or s.sources or ():  # type: ignore[attr-defined]
                ids.setdefault(source, None)
    return tuple(ids)
