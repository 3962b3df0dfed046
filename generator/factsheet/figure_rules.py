"""The rules of format 2's figures: data series, charts and highlighted key facts.

Errors: two series or two charts with one id; a chart naming no series of the file; the
series of one chart in different units (a chart never mixes currencies); a point whose
``x`` is not of its series' kind (years, partial dates or categories); a point with no
source, neither its own nor its series'; a chart ``place`` that is no section's heading.
Warnings: a highlighted key fact whose value is text (the panel shows figures); a key fact
and a data point giving different numbers for the same label and year.

A highlighted fact without sources needs no rule: every key fact must cite one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from generator.errors import Diagnostic
from generator.factsheet.loader import LoadedSheet
from generator.factsheet.locations import FieldPath, format_path
from generator.factsheet.model import AFTER_KEY_FACTS, DataSeries, KeyFact, Quantity, quoted

_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
#: How each kind of ``x`` is named in messages.
X_KINDS = {"year": "years", "date": "partial dates", "category": "categories"}
_A_KIND = {"year": "a year", "date": "a partial date", "category": "a category"}


def x_kind(x: int | str) -> str:
    """``year``, ``date`` or ``category``: what a point's ``x`` is."""
    if isinstance(x, int) or _YEAR.match(x):
        return "year"
    return "date" if _DATE.match(x) else "category"


def check(loaded: LoadedSheet) -> list[Diagnostic]:
    """Every error and warning of the figures of ``loaded``."""
    rules = _Rules(loaded)
    return [
        *rules.duplicate_ids("data"),
        *rules.duplicate_ids("charts"),
        *rules.chart_series(),
        *rules.chart_places(),
        *rules.point_kinds(),
        *rules.unsourced_points(),
        *rules.text_highlights(),
        *rules.disagreeing_figures(),
    ]


class _Rules:
    def __init__(self, loaded: LoadedSheet) -> None:
        self.loaded = loaded
        self.sheet = loaded.sheet
        self.series = {s.id: s for s in reversed(self.sheet.data or [])}

    def _at(self, path: FieldPath, message: str, code: str, severity: str = "error") -> Any:
        line, col = self.loaded.source_map.position(path)
        return Diagnostic(
            self.loaded.display, line, col, format_path(path), message,
            severity=severity, code=code,
        )  # fmt: skip

    def duplicate_ids(self, key: str) -> Iterator[Diagnostic]:
        seen: dict[str, int] = {}
        for index, entry in enumerate(getattr(self.sheet, key) or []):
            if entry.id in seen:
                line, _col = self.loaded.source_map.position((key, seen[entry.id], "id"))
                message = f"{quoted(entry.id)} is the id of {key}[{seen[entry.id]}] already"
                message += f" (line {line}): ids are unique in a file"
                yield self._at((key, index, "id"), message, "duplicate-id")
            seen.setdefault(entry.id, index)

    def chart_series(self) -> Iterator[Diagnostic]:
        for index, chart in enumerate(self.sheet.charts or []):
            units: dict[str, str] = {}
            for position, series_id in enumerate(chart.series):
                path = ("charts", index, "series", position)
                series = self.series.get(series_id)
                if series is None:
                    yield self._at(path, self._unknown_series(series_id), "unknown-series")
                    continue
                first = next(iter(units.items()), None)
                if first and series.unit != first[1]:
                    message = f"series {quoted(series_id)} is in {series.unit} but"
                    message += f" {quoted(first[0])} is in {first[1]}: the series of one"
                    message += " chart share a unit"
                    yield self._at(path, message, "mixed-units")
                units.setdefault(series_id, series.unit)

    def _unknown_series(self, series_id: str) -> str:
        message = f"{quoted(series_id)} names no data series of the file"
        close = difflib.get_close_matches(series_id, list(self.series), n=1)
        return message + (f" (did you mean {quoted(close[0])}?)" if close else "")

    def chart_places(self) -> Iterator[Diagnostic]:
        headings = [section.heading for section in self.sheet.sections or []]
        for index, chart in enumerate(self.sheet.charts or []):
            if chart.place == AFTER_KEY_FACTS or chart.place in headings:
                continue
            message = f"{quoted(chart.place)} is not the heading of a section"
            close = difflib.get_close_matches(chart.place, [*headings, AFTER_KEY_FACTS], n=1)
            message += f" (did you mean {quoted(close[0])}?)" if close else ""
            message += f"; write {AFTER_KEY_FACTS} or a section's heading"
            yield self._at(("charts", index, "place"), message, "unknown-place")

    def point_kinds(self) -> Iterator[Diagnostic]:
        for index, series in enumerate(self.sheet.data or []):
            kind = x_kind(series.points[0].x)
            for number, point in enumerate(series.points[1:], start=1):
                if x_kind(point.x) != kind:
                    message = f"{quoted(point.x)} is {_A_KIND[x_kind(point.x)]}, but this"
                    message += f" series' x values are {X_KINDS[kind]} (as its first point's)"
                    path = ("data", index, "points", number, "x")
                    yield self._at(path, message, "mixed-x")

    def unsourced_points(self) -> Iterator[Diagnostic]:
        for index, series in enumerate(self.sheet.data or []):
            if series.sources:
                continue
            for number, point in enumerate(series.points):
                if not point.sources:
                    message = "this point cites no source: give it `sources`, or give its"
                    message += " series `sources` for every point"
                    yield self._at(("data", index, "points", number), message, "unsourced-point")

    def text_highlights(self) -> Iterator[Diagnostic]:
        for index, fact in enumerate(self.sheet.key_facts):
            if fact.highlight and isinstance(fact.value, str):
                message = "a highlighted fact shows a figure: give a number or {amount, unit}"
                path = ("key_facts", index, "value")
                yield self._at(path, message, "text-highlight", "warning")

    def disagreeing_figures(self) -> Iterator[Diagnostic]:
        for index, fact in enumerate(self.sheet.key_facts):
            for series in self.series.values():
                found = _disagreement(fact, series)
                if found:
                    path = ("key_facts", index, "value")
                    yield self._at(path, found, "figure-mismatch", "warning")


def _disagreement(fact: KeyFact, series: DataSeries) -> str | None:
    """What a key fact and a data series say differently for one label and year, if any."""
    if fact.year is None or fact.label.casefold() != series.title.casefold():
        return None
    amount, unit = _figure(fact.value)
    if amount is None:
        return None
    for point in series.points:
        same_year = x_kind(point.x) == "year" and int(point.x) == fact.year
        if same_year and (point.y != amount or unit not in (None, series.unit)):
            shown = f"{amount:g}" + (f" {unit}" if unit else "")
            message = f"this fact gives {shown} for {fact.year}, but data series"
            return message + f" {quoted(series.id)} gives {point.y:g} {series.unit}"
    return None


def _figure(value: str | int | float | Quantity) -> tuple[float | None, str | None]:
    if isinstance(value, Quantity):
        return value.amount, value.unit
    if isinstance(value, int | float):
        return value, None
    return None, None
