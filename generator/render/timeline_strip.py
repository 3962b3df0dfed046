"""The timeline strip: the timeline's events placed on a time axis, worked out for an SVG.

The template (``partials/brief/timeline_strip.html``) only prints what is computed here, in
the units of the drawing's ``viewBox``. Decisions, documented in docs/output.md
("Timeline strip"):

- A partial date is the span it names: a year runs from 1 January to 31 December, a month
  over its days, a day is a point. A span is drawn as a bar with the event's marker at its
  middle, so ``2027`` sits at mid-2027 and shows the whole year it may fall in.
- An event is *scheduled* when its span starts after the "facts as of" date (it cannot have
  happened yet); it gets a hollow marker and the axis after the as-of date is dashed.
- Markers carry the event's number in the timeline list beneath, and events that would
  overlap are stacked in lanes above the axis, so every number stays legible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Width of the drawing, in viewBox units (the figure scales it to the text column).
WIDTH = 640
#: Left and right margin of the axis, so end markers and labels are not cut.
MARGIN = 28
#: Marker radius, and the gap kept between two markers in one lane.
RADIUS = 8
GAP = 3
#: Height of one lane of markers, and the most lanes before markers may overlap.
LANE = 21
MAX_LANES = 8
#: Room above the lanes for the as-of label, and below the axis for the year labels.
TOP = 22
BOTTOM = 26


@dataclass(frozen=True)
class StripMark:
    """One event: its number in the list, marker centre, span (if wider than the marker)."""

    number: int
    date: str
    x: float
    y: float
    span: tuple[float, float] | None
    scheduled: bool


@dataclass(frozen=True)
class StripTick:
    """A year boundary on the axis; ``label`` (a year, or "") is printed at ``label_x``."""

    x: float
    label_x: float
    label: str


@dataclass(frozen=True)
class TimelineStrip:
    """The whole drawing; ``as_of_x`` is where the "facts as of" line stands."""

    width: int
    height: int
    axis_y: float
    axis_start: float
    axis_end: float
    as_of: dt.date
    as_of_x: float
    as_of_anchor: str
    marks: tuple[StripMark, ...]
    ticks: tuple[StripTick, ...]
    first_year: int
    last_year: int

    @property
    def scheduled_count(self) -> int:
        """How many events are scheduled (after the as-of date)."""
        return sum(mark.scheduled for mark in self.marks)

    @property
    def past_count(self) -> int:
        """How many events are on or before the as-of date."""
        return len(self.marks) - self.scheduled_count


def date_span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) names."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, after - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def timeline_strip(dates: Sequence[str], as_of: dt.date) -> TimelineStrip | None:
    """The strip of events dated ``dates`` (in list order); None when there are none."""
    if not dates:
        return None
    spans = [date_span(d) for d in dates]
    first_year = min(min(start.year for start, _ in spans), as_of.year)
    last_year = max(max(end.year for _, end in spans), as_of.year)
    origin = dt.date(first_year, 1, 1).toordinal()
    days = dt.date(last_year + 1, 1, 1).toordinal() - origin

    def x_of(day: dt.date) -> float:
        return round(MARGIN + (day.toordinal() - origin) / days * (WIDTH - 2 * MARGIN), 1)

    placed = [(x_of(start), x_of(end)) for start, end in spans]
    lanes = _lanes(placed)
    axis_y = TOP + (max(lanes) + 1) * LANE + 4
    marks = tuple(
        StripMark(
            number=i,
            date=date,
            x=round((a + b) / 2, 1),
            y=axis_y - 4 - LANE * lane - LANE / 2,
            span=(a, b) if b - a > 2 * RADIUS else None,
            scheduled=start > as_of,
        )
        for i, (date, (a, b), lane, (start, _)) in enumerate(
            zip(dates, placed, lanes, spans, strict=True), start=1
        )
    )
    as_of_x = x_of(as_of)
    return TimelineStrip(
        width=WIDTH,
        height=round(axis_y + BOTTOM),
        axis_y=axis_y,
        axis_start=MARGIN,
        axis_end=WIDTH - MARGIN,
        as_of=as_of,
        as_of_x=as_of_x,
        as_of_anchor="end" if as_of_x > WIDTH / 2 else "start",
        marks=marks,
        ticks=_ticks(first_year, last_year, x_of),
        first_year=first_year,
        last_year=last_year,
    )


def _lanes(placed: Sequence[tuple[float, float]]) -> list[int]:
    """The lane of each mark: the lowest one whose last mark ends before this one starts.

    Past :data:`MAX_LANES` a mark goes to the lane that frees up first (and may overlap).
    """
    ends: list[float] = []
    lanes = []
    for a, b in placed:
        centre = (a + b) / 2
        left, right = min(a, centre - RADIUS), max(b, centre + RADIUS)
        free = [n for n, end in enumerate(ends) if end + GAP <= left]
        if free:
            lane = free[0]
        elif len(ends) < MAX_LANES:
            lane = len(ends)
            ends.append(right)
        else:
            lane = min(range(len(ends)), key=lambda n: ends[n])
        ends[lane] = right
        lanes.append(lane)
    return lanes


def _ticks(first: int, last: int, x_of: Callable[[dt.date], float]) -> tuple[StripTick, ...]:
    """A tick where each year starts. With room, each year's label is centred on its year;
    over a long range only every 2nd, 5th or 10th year is labelled, at its tick."""
    years = last - first + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 12 or s == 50)
    ticks = []
    for year in range(first, last + 2):
        x = x_of(dt.date(year, 1, 1))
        if step == 1 and year <= last:
            middle = round((x + x_of(dt.date(year + 1, 1, 1))) / 2, 1)
            ticks.append(StripTick(x, middle, str(year)))
        else:
            labelled = step > 1 and year % step == 0
            ticks.append(StripTick(x, x, str(year) if labelled else ""))
    return tuple(ticks)
