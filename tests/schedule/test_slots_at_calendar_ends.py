"""Deciding what is due never overflows: at the ends of the schedulable years nothing is
due and nothing is upcoming, and a huge grace period cannot be configured at all."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from generator.config.cron import SCHEDULABLE_FROM, SCHEDULABLE_UNTIL
from generator.config.model import Schedule
from generator.schedule.slots import due, next_wake, upcoming

UTC = dt.UTC
FAR_PAST = dt.datetime(1, 1, 1, tzinfo=UTC)
FAR_FUTURE = dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)


def weekly(**overrides: object) -> Schedule:
    data = {"name": "weekly", "cron": "0 7 * * 1", "timezone": "America/New_York", "select": {}}
    return Schedule.model_validate({**data, **overrides})


@pytest.mark.parametrize("policy", ["once", "skip", "all"])
def test_nothing_is_due_or_upcoming_past_the_end(policy):
    item = weekly(on_missed=policy, grace_minutes=366 * 1440)
    assert due(item, cursor=SCHEDULABLE_UNTIL - dt.timedelta(days=1), now=FAR_FUTURE) == []
    assert upcoming(item, FAR_FUTURE) == []
    assert next_wake([item], FAR_FUTURE) is None


def test_before_the_start_the_first_slot_is_in_1970():
    item = weekly()
    assert due(item, cursor=FAR_PAST, now=FAR_PAST + dt.timedelta(days=30)) == []
    [first] = upcoming(item, FAR_PAST, 1)
    assert first == dt.datetime(1970, 1, 5, 12, tzinfo=UTC)  # 07:00 EST, a Monday
    assert first > SCHEDULABLE_FROM


def test_the_grace_period_and_time_limit_are_bounded_in_the_model():
    for field, value in (("grace_minutes", 10**12), ("time_limit_minutes", 10**12)):
        with pytest.raises(ValidationError, match="minutes is too long: at most"):
            weekly(**{field: value})
