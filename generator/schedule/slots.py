"""What a schedule should do at a given moment: a pure function of time and history.

Nothing here reads the clock, the state store or the disk: the caller passes ``now``
(an aware datetime), the schedule's cursor (the last slot already handled, or when the
schedule was first seen) and the slots already claimed; the answer is a list of
:class:`Decision` values, one per slot, saying *run* or *skip* and why.

Vocabulary:

- a *slot* is an instant at which the cron expression fires (see :mod:`generator.config.cron`);
- the newest pending slot is *on time* when ``now`` is at most :data:`ON_TIME` after it;
  every other pending slot was *missed* (the machine was off, the service stopped);
- a missed slot older than the schedule's ``grace_minutes`` is always skipped;
- the remaining missed slots follow ``on_missed``: ``once`` runs the newest of them a
  single time and records the others as coalesced into it, ``skip`` records them all as
  skipped, ``all`` runs each of them, oldest first;
- a run found *interrupted* (its process killed before it recorded an outcome) is resumed
  while its slot is within the grace period, at most :data:`MAX_RESUMES` times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from zoneinfo import ZoneInfo

from generator.config import (
    CronSpec,
    Schedule,
    fires_between,
    load_zone,
    next_fires,
    parse_cron,
)

UTC = dt.UTC

#: How long after its slot a run still counts as on time (covers a cron line or timer
#: calling ``run-due`` every few minutes).
ON_TIME = dt.timedelta(minutes=10)

#: How often one slot's run is resumed after interruptions: a run that keeps getting
#: killed (by the memory limit, say) is given up instead of retried every few minutes.
MAX_RESUMES = 3

Action = Literal["run", "skip"]


@dataclass(frozen=True)
class Decision:
    """What to do with one slot: run it (perhaps late) or record it as skipped, and why."""

    slot: dt.datetime
    action: Action
    late: bool = False
    note: str = ""
    #: A skip standing for a run of consecutive slots with the same reason: the first of
    #: them (``slot`` is the last) and how many there are. After a week of downtime a
    #: five-minute schedule has thousands; they are recorded and logged as one.
    first: dt.datetime | None = None
    count: int = 1

    @property
    def span(self) -> bool:
        """Whether this decision stands for more than one slot."""
        return self.count > 1


@dataclass(frozen=True)
class Timing:
    """A schedule's parsed cron expression and time zone."""

    spec: CronSpec
    zone: ZoneInfo


def timing(schedule: Schedule) -> Timing:
    """Parse the schedule's cron expression and time zone; raises :class:`ConfigError`."""
    return Timing(parse_cron(schedule.cron), load_zone(schedule.timezone))


def due(
    schedule: Schedule,
    *,
    cursor: dt.datetime,
    now: dt.datetime,
    claimed: Collection[dt.datetime] = (),
) -> list[Decision]:
    """The decisions for every slot in ``(cursor, now]`` not yet ``claimed``, oldest first.

    The slots older than the grace period come back as one decision (``first``,
    ``count``): after months of downtime there are tens of thousands of them.
    """
    _require_aware(now, cursor)
    when = timing(schedule)
    pending = [s for s in fires_between(when.spec, when.zone, cursor, now) if s not in claimed]
    if not pending:
        return []
    on_time = pending[-1] if now - pending[-1] <= ON_TIME else None
    missed = pending[:-1] if on_time else pending
    # Slots are in order, so the expired ones are a prefix of the missed ones.
    cut = next((i for i, s in enumerate(missed) if within_grace(schedule, s, now)), len(missed))
    expired, live = missed[:cut], missed[cut:]
    decisions = _apply_policy(schedule.on_missed, live, on_time)
    if expired:
        note = expired_note(schedule)
        first = expired[0] if cut > 1 else None
        decisions.append(Decision(expired[-1], "skip", note=note, first=first, count=cut))
    return summarise(sorted(decisions, key=lambda d: d.slot))


def summarise(decisions: Sequence[Decision]) -> list[Decision]:
    """Consecutive skips with the same note as one decision (``first``, ``count``).

    Every slot between the first and the last of a group is pending and skipped for the
    same reason, so the group's last slot moves the cursor past all of them.
    """
    merged: list[Decision] = []
    for decision in decisions:
        last = merged[-1] if merged else None
        if last and last.action == decision.action == "skip" and last.note == decision.note:
            first = last.first or last.slot
            merged[-1] = replace(decision, first=first, count=last.count + decision.count)
        else:
            merged.append(decision)
    return merged


def _apply_policy(
    policy: str, live: Sequence[dt.datetime], on_time: dt.datetime | None
) -> list[Decision]:
    """Decisions for the missed slots within the grace period and the on-time slot."""
    decisions = [Decision(on_time, "run")] if on_time else []
    if policy == "all":
        return decisions + [Decision(s, "run", late=True, note="missed; run late") for s in live]
    if policy == "skip":
        return decisions + [Decision(s, "skip", note="missed (on_missed: skip)") for s in live]
    if not live:
        return decisions
    runner = on_time or live[-1]
    coalesced = [s for s in live if s != runner]
    if on_time is None:
        note = f"missed; run late, covering {len(coalesced)} earlier missed slot(s)"
        decisions.append(Decision(runner, "run", late=True, note=note if coalesced else "missed"))
    into = f"coalesced into the run planned for {iso(runner)}"
    return decisions + [Decision(s, "skip", note=into) for s in coalesced]


def resumption(schedule: Schedule, slot: dt.datetime, now: dt.datetime, resumes: int) -> Decision:
    """What to do with the interrupted run of ``slot``, resumed ``resumes`` times so far:
    run it again (the send ledger skips whoever already has the edition), or give it up
    (*skip*; the caller records it as failed, with the note)."""
    _require_aware(now, slot)
    if not within_grace(schedule, slot, now):
        return Decision(slot, "skip", note=expired_note(schedule))
    if resumes >= MAX_RESUMES:
        return Decision(slot, "skip", note=f"already resumed {resumes} time(s)")
    return Decision(slot, "run", late=now - slot > ON_TIME, note="resumed after an interruption")


def within_grace(schedule: Schedule, slot: dt.datetime, now: dt.datetime) -> bool:
    """Whether ``slot`` is recent enough at ``now`` to be run late (``grace_minutes``)."""
    return now - slot <= dt.timedelta(minutes=schedule.grace_minutes)


def expired_note(schedule: Schedule) -> str:
    """``missed; older than the grace period (1 d)``."""
    grace = dt.timedelta(minutes=schedule.grace_minutes)
    return f"missed; older than the grace period ({_span(grace)})"


def upcoming(schedule: Schedule, now: dt.datetime, count: int = 3) -> list[dt.datetime]:
    """The next ``count`` slots strictly after ``now`` (UTC)."""
    _require_aware(now)
    when = timing(schedule)
    return next_fires(when.spec, when.zone, now, count)


def next_wake(schedules: Sequence[Schedule], now: dt.datetime) -> dt.datetime | None:
    """The earliest slot of any schedule strictly after ``now``, or None if none fires again."""
    slots = [s for schedule in schedules for s in upcoming(schedule, now, 1)]
    return min(slots, default=None)


def local_date(schedule: Schedule, instant: dt.datetime) -> dt.date:
    """The calendar date in the schedule's time zone at ``instant``."""
    return instant.astimezone(load_zone(schedule.timezone)).date()


def iso(instant: dt.datetime) -> str:
    """``2026-03-29T07:00:00Z``: an instant in UTC, to the second."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(instant: dt.datetime) -> str:
    """``2026-03-29T07:00:04.512Z``: when something happened, in UTC, to the millisecond
    (the run history and the alerts record events with it; slots are whole seconds)."""
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes:
        return f"{minutes // 1440} d"
    if minutes % 60 == 0 and minutes:
        return f"{minutes // 60} h"
    return f"{minutes} min"


def _require_aware(*instants: dt.datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{instant!r} has no time zone; pass an aware datetime")
