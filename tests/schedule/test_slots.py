"""Due decisions as a pure function of time: on time, missed, coalesced, skipped, grace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from generator.config.model import DeliveryConfig, Schedule
from generator.config.schedules import check_schedules
from generator.schedule.slots import Decision, due, local_date, next_wake, upcoming

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def schedule(**overrides: Any) -> Schedule:
    data: dict[str, Any] = {
        "name": "daily",
        "cron": "0 8 * * *",
        "timezone": "Europe/London",
        "select": {"tags": ["ev"]},
    }
    data.update(overrides)
    return Schedule.model_validate(data)


# 2026-03-02 is a Monday; London is on GMT (UTC+0) until 29 March.
MON_8 = at("2026-03-02T08:00Z")
TUE_8 = at("2026-03-03T08:00Z")
WED_8 = at("2026-03-04T08:00Z")


def test_nothing_due_between_slots():
    assert due(schedule(), cursor=MON_8, now=at("2026-03-02T20:00Z")) == []


def test_slot_just_passed_runs_on_time():
    assert due(schedule(), cursor=MON_8, now=at("2026-03-03T08:04Z")) == [Decision(TUE_8, "run")]


def test_slot_exactly_now_is_due_and_cursor_slot_is_not():
    assert due(schedule(), cursor=MON_8, now=TUE_8) == [Decision(TUE_8, "run")]
    assert due(schedule(), cursor=TUE_8, now=TUE_8) == []


def test_claimed_slot_is_not_due_again():
    assert due(schedule(), cursor=MON_8, now=at("2026-03-03T08:04Z"), claimed={TUE_8}) == []


def test_off_across_two_slots_once_runs_a_single_late_catch_up():
    decisions = due(schedule(grace_minutes=3 * 1440), cursor=MON_8, now=at("2026-03-04T10:00Z"))
    assert [(d.slot, d.action, d.late) for d in decisions] == [
        (TUE_8, "skip", False),
        (WED_8, "run", True),
    ]
    assert decisions[0].note == "coalesced into the run planned for 2026-03-04T08:00:00Z"
    assert "covering 1 earlier missed slot" in decisions[1].note


def test_off_across_two_slots_skip_runs_nothing():
    decisions = due(
        schedule(on_missed="skip", grace_minutes=3 * 1440),
        cursor=MON_8,
        now=at("2026-03-04T10:00Z"),
    )
    # Two slots skipped for one reason are one decision standing for both.
    assert [(d.first, d.slot, d.action, d.count) for d in decisions] == [(TUE_8, WED_8, "skip", 2)]
    assert decisions[0].note == "missed (on_missed: skip)"


def test_off_across_two_slots_all_runs_each_late_oldest_first():
    decisions = due(
        schedule(on_missed="all", grace_minutes=3 * 1440),
        cursor=MON_8,
        now=at("2026-03-04T10:00Z"),
    )
    assert [(d.slot, d.action, d.late) for d in decisions] == [
        (TUE_8, "run", True),
        (WED_8, "run", True),
    ]


@pytest.mark.parametrize("policy", ["once", "skip", "all"])
def test_slots_older_than_grace_are_skipped_whatever_the_policy(policy):
    decisions = due(
        schedule(on_missed=policy, grace_minutes=1440),
        cursor=MON_8,
        now=at("2026-03-04T10:00Z"),
    )
    assert decisions[0] == Decision(TUE_8, "skip", note="missed; older than the grace period (1 d)")
    assert decisions[1].slot == WED_8
    assert decisions[1].action == ("skip" if policy == "skip" else "run")


def test_everything_past_grace_means_no_run():
    decisions = due(schedule(grace_minutes=60), cursor=MON_8, now=at("2026-03-04T10:00Z"))
    assert [(d.action, d.first, d.slot, d.count) for d in decisions] == [("skip", TUE_8, WED_8, 2)]


def test_a_month_of_five_minute_slots_past_grace_is_one_decision():
    five = schedule(cron="*/5 * * * *", grace_minutes=60)
    start = at("2026-10-01T00:00Z")
    decisions = due(five, cursor=start, now=start + dt.timedelta(days=30))
    # 8,640 pending slots: the on-time one runs, the 12 within the hour's grace are
    # coalesced into it, the 8,627 before them are past the grace period.
    assert [(d.action, d.count) for d in decisions] == [("skip", 8627), ("skip", 12), ("run", 1)]
    (gap, coalesced, run) = decisions
    assert (gap.first, gap.slot) == (start + dt.timedelta(minutes=5), at("2026-10-30T22:55Z"))
    assert gap.note == "missed; older than the grace period (1 h)"
    assert (coalesced.first, coalesced.slot) == (at("2026-10-30T23:00Z"), at("2026-10-30T23:55Z"))
    assert run.slot == start + dt.timedelta(days=30) and run.count == 1


def test_on_time_slot_runs_and_covers_missed_ones_under_once():
    decisions = due(schedule(grace_minutes=3 * 1440), cursor=MON_8, now=at("2026-03-04T08:05Z"))
    assert decisions == [
        Decision(TUE_8, "skip", note="coalesced into the run planned for 2026-03-04T08:00:00Z"),
        Decision(WED_8, "run"),
    ]


def test_on_time_slot_runs_even_with_zero_grace():
    assert due(schedule(grace_minutes=0), cursor=MON_8, now=at("2026-03-03T08:00:40Z")) == [
        Decision(TUE_8, "run")
    ]


def test_late_beyond_on_time_window():
    decisions = due(schedule(), cursor=MON_8, now=at("2026-03-03T08:11Z"))
    assert decisions == [Decision(TUE_8, "run", late=True, note="missed")]


def test_hong_kong_monday_seven():
    weekly = schedule(cron="0 7 * * 1", timezone="Asia/Hong_Kong")
    now = at("2026-03-09T07:02+08:00")
    assert due(weekly, cursor=at("2026-03-05T00:00Z"), now=now) == [
        Decision(at("2026-03-08T23:00Z"), "run")
    ]
    assert upcoming(weekly, now) == [
        at("2026-03-15T23:00Z"),
        at("2026-03-22T23:00Z"),
        at("2026-03-29T23:00Z"),
    ]


def test_spring_gap_slot_is_due_right_after_the_change():
    nightly = schedule(cron="30 2 * * *", timezone="America/New_York")
    cursor = at("2026-03-07T02:30-05:00")
    assert due(nightly, cursor=cursor, now=at("2026-03-08T02:59-04:00")) == []
    assert due(nightly, cursor=cursor, now=at("2026-03-08T03:01-04:00")) == [
        Decision(at("2026-03-08T07:00Z"), "run")
    ]


def test_autumn_fold_slot_is_due_once():
    nightly = schedule(cron="30 1 * * *", timezone="America/New_York")
    first = at("2026-11-01T01:30-04:00")
    assert due(nightly, cursor=at("2026-10-31T12:00Z"), now=first) == [Decision(first, "run")]
    assert due(nightly, cursor=first, now=at("2026-11-01T01:45-05:00")) == []


def test_next_wake_is_the_earliest_of_all_schedules():
    now = at("2026-03-02T09:00Z")
    found = next_wake([schedule(), schedule(name="hourly", cron="0 * * * *")], now)
    assert found == at("2026-03-02T10:00Z")


def test_local_date_is_in_the_schedule_zone():
    late_evening = at("2026-03-02T23:30Z")
    assert local_date(schedule(timezone="Asia/Hong_Kong"), late_evening) == dt.date(2026, 3, 3)
    assert local_date(schedule(), late_evening) == dt.date(2026, 3, 2)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        due(schedule(), cursor=MON_8, now=dt.datetime(2026, 3, 3, 8))


def test_check_schedules_reports_each_problem_at_its_field():
    config = DeliveryConfig.model_validate(
        {
            "sender": "Desk <desk@example.org>",
            "lists": {"trade-desk": {"recipients": ["a@example.org"]}},
            "schedules": [
                {"name": "a", "cron": "0 7 * * 1", "timezone": "Europe/Lodnon", "select": {}},
                {
                    "name": "a",
                    "cron": "0 25 * * *",
                    "select": {},
                    "send_to": ["trade-desk", "nobody"],
                    "archive": True,
                    "formats": ["html"],
                },
            ],
        }
    )
    assert check_schedules(config) == [
        (("schedules", 0, "timezone"), "unknown time zone 'Europe/Lodnon'", "Europe/London"),
        (
            ("schedules", 1, "cron"),
            "'0 25 * * *' is not a valid cron expression: [0 25 * * *] is not acceptable, "
            "out of range",
            None,
        ),
        (("schedules", 1, "name"), "another schedule is named 'a'", None),
        (("schedules", 1, "archive"), "archiving needs 'pdf' in formats", None),
    ]
