"""Cron expressions as instants: when a schedule fires in its time zone, across clock changes.

croniter parses the expression and walks the wall-clock calendar; this module decides
which real instants those wall-clock times are, following the classic cron daemon
(Vixie cron, cronie) on daylight-saving days:

- a *fixed-time* job (plain numbers in both the minute and the hour field) whose time
  falls into the hour skipped in spring runs once, right after the change;
- a fixed-time job whose time falls into the hour repeated in autumn runs once, in the
  first pass;
- a *wall-clock* job (``*``, a step or a range in the minute or hour field) follows the
  clock on the wall: it does not fire in the skipped hour and fires in both passes of
  the repeated one.

Why not croniter's own time-zone handling: given an aware start time it fires a
fixed-time job in both passes of the repeated hour (``30 1 * * *`` runs twice in New
York on 2026-11-01), fires ``30 1-3 * * *`` in the skipped hour, and its time-zone logic
has had recurring bugs around transitions (half-hour shifts such as Australia/Lord_Howe
among them). Iterating naive wall-clock
times is the part croniter does plainly; mapping them to instants is done here and
checked in the tests against a brute-force minute-by-minute matcher.
"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import CroniterBadDateError, CroniterError, croniter

from generator.errors import ConfigError

UTC = dt.UTC

#: The usual nicknames, spelled out (``@reboot`` has no meaning for a schedule).
NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

#: Larger than any daylight-saving shift: instants whose wall-clock times are further
#: apart than this are in the same order as those wall-clock times.
_SLACK = dt.timedelta(hours=3)
_MINUTE = dt.timedelta(minutes=1)

#: The instants schedules fire at: from ``SCHEDULABLE_FROM`` up to, not including,
#: ``SCHEDULABLE_UNTIL``. No clock shows an earlier time, and both ends stay years away
#: from the ends of ``datetime`` (years 1 and 9999), where a wall time, a slack or a
#: croniter step would overflow.
SCHEDULABLE_FROM = dt.datetime(1970, 1, 1, tzinfo=UTC)
SCHEDULABLE_UNTIL = dt.datetime(9000, 1, 1, tzinfo=UTC)
#: A wall time later than this is past the end in every zone (offsets are under a day).
_LAST_WALL = SCHEDULABLE_UNTIL.replace(tzinfo=None) + dt.timedelta(days=1)

#: No IANA name is longer than this (the longest, America/Argentina/ComodRivadavia, has
#: 32 characters); a longer one is a mistake, and a file name too long to open.
MAX_ZONE_NAME = 64
#: What IANA names are made of; anything else (``.``, ``..``, a leading ``/``, spaces,
#: NUL) never reaches the time-zone database, which would read it as a path.
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")


@dataclass(frozen=True)
class CronSpec:
    """A parsed cron expression."""

    expression: str
    fields: str
    wall_clock: bool

    @property
    def kind(self) -> str:
        """``"wall-clock"`` or ``"fixed-time"``: how the job behaves on clock changes."""
        return "wall-clock" if self.wall_clock else "fixed-time"


def parse_cron(expression: str) -> CronSpec:
    """Parse a five-field cron expression (or a nickname such as ``@daily``).

    Raises :class:`ConfigError` when croniter rejects it, when it does not have exactly
    five fields, or when it can never fire (``0 0 30 2 *``).
    """
    text = " ".join(expression.split())
    fields = NICKNAMES.get(text.lower(), text)
    parts = fields.split(" ")
    if len(parts) != 5:
        raise ConfigError(
            f"'{expression}' has {len(parts)} field(s); a cron expression has five: "
            "minute hour day-of-month month day-of-week"
        )
    try:
        croniter.expand(fields)
        croniter(fields, dt.datetime(2000, 1, 1)).get_next(dt.datetime)
    except CroniterBadDateError:
        raise ConfigError(f"'{expression}' never fires (no such date)") from None
    except (CroniterError, ValueError) as exc:
        reason = _reason(exc)
        raise ConfigError(f"'{expression}' is not a valid cron expression: {reason}") from None
    wall_clock = any(mark in part for part in parts[:2] for mark in "*/-")
    return CronSpec(expression, fields, wall_clock)


def load_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; raises :class:`ConfigError` naming a close match."""
    if len(name) <= MAX_ZONE_NAME and _ZONE_NAME.fullmatch(name):
        try:
            return ZoneInfo(name)
        # A folder of the database (``Europe``) or one of its other files (``zone.tab``)
        # is no zone either: an OSError or a ValueError while it is read.
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    message, suggestion = unknown_zone(name)
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    raise ConfigError(message + hint)


def unknown_zone(name: str) -> tuple[str, str | None]:
    """The message for a ``name`` that is no time zone, and the closest known one."""
    if len(name) > MAX_ZONE_NAME:
        shown = name[:57] + "..." if len(name) > 60 else name
        limit = f"{len(name)} characters; a time zone name has at most {MAX_ZONE_NAME}"
        return f"unknown time zone '{shown}' ({limit})", None
    return f"unknown time zone '{name}'", closest_zone(name)


def closest_zone(name: str) -> str | None:
    """The known time zone nearest to a mistyped ``name``, if any is near enough."""
    found = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
    return found[0] if found else None


def fire_times(spec: CronSpec, zone: ZoneInfo, after: dt.datetime) -> Iterator[dt.datetime]:
    """Every instant (aware, UTC) at which ``spec`` fires in ``zone``, strictly after ``after``.

    Lazy and in increasing order, without duplicates, and only instants from
    :data:`SCHEDULABLE_FROM` up to :data:`SCHEDULABLE_UNTIL`; ends there, or earlier if the
    expression has no further match within croniter's search horizon.
    """
    after = max(after, SCHEDULABLE_FROM - dt.timedelta(microseconds=1))
    if after >= SCHEDULABLE_UNTIL:
        return
    start = _wall(after, zone) - _SLACK
    matches = croniter(spec.fields, start, ret_type=dt.datetime)
    pending: list[dt.datetime] = []
    last: dt.datetime | None = None
    while True:
        wall = _next_wall(matches)
        while pending and (wall is None or _wall(pending[0], zone) + _SLACK < wall):
            instant = heapq.heappop(pending)
            if instant != last:
                last = instant
                yield instant
        if wall is None:
            return
        for instant in instants_of(wall, zone, spec.wall_clock):
            if after < instant < SCHEDULABLE_UNTIL:
                heapq.heappush(pending, instant)


def fires_between(
    spec: CronSpec, zone: ZoneInfo, after: dt.datetime, until: dt.datetime
) -> list[dt.datetime]:
    """The fire instants in ``(after, until]``, oldest first."""
    return list(itertools.takewhile(lambda t: t <= until, fire_times(spec, zone, after)))


def next_fires(spec: CronSpec, zone: ZoneInfo, after: dt.datetime, count: int) -> list[dt.datetime]:
    """The next ``count`` fire instants strictly after ``after``."""
    return list(itertools.islice(fire_times(spec, zone, after), count))


def _next_wall(matches: croniter) -> dt.datetime | None:
    """croniter's next wall time, or None past the schedulable instants or its horizon."""
    try:
        wall = matches.get_next(dt.datetime)
    except CroniterBadDateError:
        return None
    return None if wall > _LAST_WALL else wall


def instants_of(wall: dt.datetime, zone: ZoneInfo, wall_clock: bool) -> list[dt.datetime]:
    """The instants (UTC) at which a job matching the naive wall time ``wall`` runs.

    None, one or two: see the module docstring for the rule.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if not exists(wall, zone):
        return [] if wall_clock else [_end_of_gap(wall, zone)]
    if first.utcoffset() != second.utcoffset() and wall_clock:
        return [first.astimezone(UTC), second.astimezone(UTC)]
    return [first.astimezone(UTC)]


def exists(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the naive wall time ``wall`` is ever shown on clocks in ``zone``."""
    there = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there.replace(tzinfo=None) == wall


def _end_of_gap(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The instant clocks jumped over ``wall``: the first wall minute after it that exists."""
    probe = wall.replace(second=0, microsecond=0)
    while not exists(probe, zone):
        probe += _MINUTE
    return probe.replace(tzinfo=zone).astimezone(UTC)


def _wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The naive wall-clock time in ``zone`` at ``instant``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _reason(exc: Exception) -> str:
    """croniter's message without the traceback it sometimes carries."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
