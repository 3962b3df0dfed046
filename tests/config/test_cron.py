"""Cron fire times across daylight-saving days, checked against a simulated cron daemon.

The oracle below shares no code with generator.config.cron: it matches fields with its own tiny
matcher and replays the classic daemon minute by minute in UTC (run fixed-time jobs of
every wall minute jumped over, run only wall-clock jobs while the wall clock repeats).
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from generator.config.cron import fires_between, next_fires, parse_cron
from generator.errors import ConfigError

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)


def _field_values(text: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            start, end = (int(v) for v in base.split("-"))
        else:
            start = end = int(base)
        values.update(range(start, end + 1, int(step or 1)))
    return values


def _matches(expr: str, wall: dt.datetime) -> bool:
    minute, hour, dom, month, dow = expr.split()
    days = _field_values(dom, 1, 31)
    weekdays = {d % 7 for d in _field_values(dow, 0, 7)}
    day_ok = wall.day in days
    dow_ok = wall.isoweekday() % 7 in weekdays
    both_restricted = dom != "*" and dow != "*"
    day_matches = (day_ok or dow_ok) if both_restricted else (day_ok and dow_ok)
    return (
        wall.minute in _field_values(minute, 0, 59)
        and wall.hour in _field_values(hour, 0, 23)
        and wall.month in _field_values(month, 1, 12)
        and day_matches
    )


def simulated_daemon(
    expr: str, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """When the classic cron daemon would run ``expr`` between two UTC instants."""
    minute, hour = expr.split()[:2]
    wildcard = any(c in minute + hour for c in "*/-")
    fired: list[dt.datetime] = []
    instant = start
    previous = instant.astimezone(zone).replace(tzinfo=None)
    high_water = previous
    while instant < end:
        instant += MINUTE
        wall = instant.astimezone(zone).replace(tzinfo=None)
        run = False
        if wall <= high_water:  # the clock went back: repeated minutes
            run = wildcard and _matches(expr, wall)
        else:
            skipped = previous + MINUTE
            while skipped < wall:  # the clock jumped forward
                run = run or (not wildcard and _matches(expr, skipped))
                skipped += MINUTE
            run = run or _matches(expr, wall)
        if run:
            fired.append(instant)
        previous, high_water = wall, max(high_water, wall)
    return fired


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


TRANSITION_DAYS = [
    ("Europe/London", "2026-03-29"),
    ("Europe/London", "2026-10-25"),
    ("America/New_York", "2026-03-08"),
    ("America/New_York", "2026-11-01"),
    ("Australia/Lord_Howe", "2026-10-04"),
    ("Australia/Lord_Howe", "2026-04-05"),
]
EXPRESSIONS = [
    "30 2 * * *",
    "30 1 * * *",
    "15 2 * * *",
    "45 1 * * *",
    "*/15 * * * *",
    "0 * * * *",
    "30 1-3 * * *",
    "0,30 2 * * *",
]


@pytest.mark.parametrize(("zone_name", "day"), TRANSITION_DAYS)
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_matches_the_classic_daemon_on_transition_days(zone_name, day, expr):
    zone = ZoneInfo(zone_name)
    start = dt.datetime.fromisoformat(day).replace(tzinfo=zone).astimezone(UTC) - dt.timedelta(
        hours=30
    )
    end = start + dt.timedelta(hours=72)
    expected = simulated_daemon(expr, zone, start, end)
    assert fires_between(parse_cron(expr), zone, start, end) == expected


@pytest.mark.parametrize(
    ("expr", "zone", "after", "expected"),
    [
        # New York, spring: 02:30 does not exist; runs once at 03:00 EDT.
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00-05:00", "2026-03-08T03:00-04:00"),
        # London, spring: 01:30 does not exist; runs at 02:00 BST.
        ("30 1 * * *", "Europe/London", "2026-03-28T12:00Z", "2026-03-29T02:00+01:00"),
        # Lord Howe, spring: 02:00-02:30 is skipped; 02:15 runs at 02:30 +11.
        ("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00+10:30", "2026-10-04T02:30+11:00"),
        # Weekly on Sunday, asked on the Thursday before the change: not a week late.
        ("0 12 * * 0", "Europe/Berlin", "2026-03-26T09:00+01:00", "2026-03-29T12:00+02:00"),
    ],
)
def test_fixed_time_in_the_gap_runs_right_after_the_change(expr, zone, after, expected):
    assert next_fires(parse_cron(expr), ZoneInfo(zone), utc(after), 1) == [utc(expected)]


def test_fixed_time_in_the_repeated_hour_runs_once_in_the_first_pass():
    zone = ZoneInfo("America/New_York")
    fires = next_fires(parse_cron("30 1 * * *"), zone, utc("2026-10-31T12:00-04:00"), 2)
    assert fires == [utc("2026-11-01T01:30-04:00"), utc("2026-11-02T01:30-05:00")]


def test_wall_clock_job_fires_in_both_passes_and_not_in_the_gap():
    zone = ZoneInfo("America/New_York")
    autumn = fires_between(
        parse_cron("0 * * * *"), zone, utc("2026-11-01T00:30-04:00"), utc("2026-11-01T02:30-05:00")
    )
    assert autumn == [
        utc("2026-11-01T01:00-04:00"),
        utc("2026-11-01T01:00-05:00"),
        utc("2026-11-01T02:00-05:00"),
    ]
    spring = fires_between(
        parse_cron("*/30 * * * *"),
        zone,
        utc("2026-03-08T01:00-05:00"),
        utc("2026-03-08T03:30-04:00"),
    )
    assert spring == [
        utc("2026-03-08T01:30-05:00"),
        utc("2026-03-08T03:00-04:00"),
        utc("2026-03-08T03:30-04:00"),
    ]


def test_lord_howe_half_hour_fold_hourly():
    zone = ZoneInfo("Australia/Lord_Howe")
    fires = fires_between(
        parse_cron("*/30 * * * *"),
        zone,
        utc("2026-04-05T01:00+11:00"),
        utc("2026-04-05T02:00+10:30"),
    )
    assert fires == [
        utc("2026-04-05T01:30+11:00"),
        utc("2026-04-05T01:30+10:30"),
        utc("2026-04-05T02:00+10:30"),
    ]


def test_fire_times_are_strictly_after_and_ordered():
    spec = parse_cron("*/15 * * * *")
    after = utc("2026-11-01T05:15Z")
    fires = next_fires(spec, ZoneInfo("America/New_York"), after, 12)
    assert fires[0] == utc("2026-11-01T05:30Z")
    assert fires == sorted(set(fires))
    assert all(b - a == dt.timedelta(minutes=15) for a, b in itertools.pairwise(fires))


def test_classification_and_nicknames():
    assert parse_cron("30 2 * * *").kind == "fixed-time"
    assert parse_cron("0,30 2 * * 1-5").kind == "fixed-time"
    assert parse_cron("*/15 * * * *").kind == "wall-clock"
    assert parse_cron("0 1-3 * * *").kind == "wall-clock"
    assert parse_cron("@daily").fields == "0 0 * * *"
    assert parse_cron("  0   7 *  * 1 ").fields == "0 7 * * 1"


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("0 7 * *", "'0 7 * *' has 4 field(s); a cron expression has five"),
        ("0 0 0 7 * * *", "has 7 field(s)"),
        ("61 7 * * *", "'61 7 * * *' is not a valid cron expression"),
        ("0 0 30 2 *", "'0 0 30 2 *' never fires"),
        ("@reboot", "'@reboot' has 1 field(s)"),
        ("banana", "has 1 field(s)"),
    ],
)
def test_bad_expressions_are_config_errors(expr, message):
    with pytest.raises(ConfigError) as caught:
        parse_cron(expr)
    assert message in str(caught.value)
