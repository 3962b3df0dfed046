"""Running schedules: claim a slot, run its job in a time-limited child, record the outcome.

``run_due`` is the one function behind ``brief schedule run-due`` (what cron or a
systemd timer calls) and ``brief schedule serve`` (a loop around it); ``run_now`` is
``brief schedule run NAME``. The clock is passed in, so ``--now`` simulates any moment.

For each schedule: take its lock without waiting (a process already running it is left
to it), resume a run left ``running`` by a killed process (within the grace period; the
send ledger keeps anyone from getting the edition twice) or record it as failed, decide
with :func:`generator.schedule.slots.due`, record skipped slots, then for each slot to
run: claim it, run the job in a child process stopped at the time limit, record the
outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field, replace

from generator import locks
from generator.config import Delivery, DeliveryConfig, Schedule
from generator.errors import GeneratorError
from generator.schedule import alerts, status
from generator.schedule import history as run_history
from generator.schedule.child import ChildResult, run_limited
from generator.schedule.history import Kind, Result, Run, RunOutcome, parse_iso
from generator.schedule.job import Job, JobResult, run_job
from generator.schedule.reload import Loader, Reloader
from generator.schedule.reports import RunReport, describe, skip_line
from generator.schedule.slots import (
    Decision,
    due,
    expired_note,
    iso,
    local_date,
    next_wake,
    resumption,
)
from generator.settings import Settings
from generator.store import open_project_store

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Context:
    """What every run needs besides the schedule: project, configuration, clock, limits.

    ``seconds`` overrides every schedule's ``time_limit_minutes`` (for tests); ``stop``,
    once set, stops the run in progress and starts no other; ``environ`` holds the
    ``BRIEF_SMTP_*`` settings used for sending; ``delivery`` is the checked
    ``delivery.yaml`` ``config`` came from (its lists' recipients, for alerts).
    """

    settings: Settings
    config: DeliveryConfig
    clock: Clock
    seconds: float | None = None
    stop: threading.Event | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    delivery: Delivery | None = None

    def time_limit(self, schedule: Schedule) -> float:
        """The time limit of ``schedule``'s runs, in seconds."""
        return self.seconds if self.seconds is not None else schedule.time_limit_minutes * 60.0

    @property
    def stopping(self) -> bool:
        """Whether a shutdown was asked for."""
        return self.stop is not None and self.stop.is_set()


def run_due(context: Context) -> list[RunReport]:
    """Run every schedule whose time has come; one report per slot handled."""
    now = context.clock()
    reports: list[RunReport] = []
    for schedule in context.config.schedules:
        if context.stopping:
            break
        try:
            with _schedule_lock(context.settings, schedule):
                reports += _due_runs(context, schedule, now)
        except locks.LockBusy as exc:
            log.info("%s skipped this time: %s", schedule.name, exc)
    _aftermath(context, reports, now)
    return reports


def _aftermath(context: Context, reports: Sequence[RunReport], now: dt.datetime) -> None:
    """After every run-due: alerts, history pruning, ``.brief/health.json``.

    None of it may fail the runs it follows: a problem is logged as an error and the
    next run-due tries again.
    """
    try:
        with closing(open_project_store(context.settings)) as db:
            run_history.ensure_tables(db)
            alerts.notice(db, context.config, reports, context.clock())
            alerts.deliver(
                db,
                context.config,
                context.delivery,
                context.environ,
                context.clock,
                context.settings,
            )
            keep = context.config.history.keep_days
            pruned = run_history.prune(db, keep, now)
            alerts.prune(db, keep, now)
            if pruned:
                log.info(
                    "pruned %d run(s) of the schedule history older than %d days", pruned, keep
                )
            report = status.health(db, context.config.schedules, now)
        status.write_health(context.settings, report)
    except (GeneratorError, OSError, sqlite3.Error) as exc:
        log.error("after the runs: %s", exc)


def run_now(context: Context, name: str) -> RunReport:
    """Run schedule ``name`` now, on purpose; raises if it is unknown or already running."""
    schedule = find_schedule(context.config, name)
    now = context.clock().replace(microsecond=0)
    with (
        _schedule_lock(context.settings, schedule),
        closing(open_project_store(context.settings)) as db,
    ):
        run_history.ensure_tables(db)
        run_history.close_interrupted(db, schedule.name, now)
        report = _execute(db, context, schedule, Decision(now, "run"), "manual")
    if report is None:
        raise GeneratorError(f"a run of '{name}' planned for {iso(now)} already exists")
    return report


def find_schedule(config: DeliveryConfig, name: str) -> Schedule:
    """The schedule called ``name``; raises :class:`GeneratorError` listing the names."""
    for schedule in config.schedules:
        if schedule.name == name:
            return schedule
    names = ", ".join(s.name for s in config.schedules) or "none are configured"
    raise GeneratorError(f"no schedule named '{name}' (schedules: {names})")


def failures(reports: Sequence[RunReport]) -> int:
    """How many runs failed."""
    return sum(report.failed for report in reports)


def serve(context: Context, load: Loader, *, max_sleep: float = 60.0) -> int:
    """Run due schedules in a loop until ``context.stop`` is set; return the failed runs.

    Sleeps until the next slot of any schedule, but never longer than ``max_sleep``
    seconds, so an edited ``delivery.yaml`` or a stepped clock is noticed soon. A
    ``delivery.yaml`` that stops being valid is reported once and the last good one kept,
    for scheduling and sending alike, until the file is valid again.
    """
    stop = context.stop or threading.Event()
    failed, announced = 0, None
    reload = Reloader(load)
    log.info("serving %d schedule(s)", len(context.config.schedules))
    while not stop.is_set():
        failed += failures(run_due(context))
        if stop.is_set():
            break
        now = context.clock()
        wake = next_wake(context.config.schedules, now)
        if wake != announced:
            log.info("next run due at %s", iso(wake) if wake else "never")
            announced = wake
        pause = max_sleep if wake is None else (wake - now).total_seconds()
        stop.wait(min(max(pause, 0.0), max_sleep))
        if not stop.is_set():
            context = _with(context, reload())
    log.info("stopped")
    return failed


def _with(context: Context, loaded: Delivery | DeliveryConfig | None) -> Context:
    """``context`` with a freshly loaded ``delivery.yaml`` (unchanged for None)."""
    if isinstance(loaded, Delivery):
        return replace(context, config=loaded.config, delivery=loaded)
    return context if loaded is None else replace(context, config=loaded)


def _schedule_lock(settings: Settings, schedule: Schedule) -> AbstractContextManager[None]:
    return locks.hold(
        locks.schedule_lock(settings, schedule.name),
        purpose=f"schedule {schedule.name}",
        what=f"schedule '{schedule.name}'",
    )


def _due_runs(context: Context, schedule: Schedule, now: dt.datetime) -> list[RunReport]:
    """Resume what was interrupted, then decide and handle every pending slot.

    Skipped slots are logged together, one line for each stretch of them before a run
    (after a month of downtime: one line, not thousands).
    """
    with closing(open_project_store(context.settings)) as db:
        run_history.ensure_tables(db)
        reports = _take_over(db, context, schedule, now)
        cursor = run_history.last_slot(db, schedule.name, now)
        if cursor is None:
            cursor = run_history.first_seen(db, schedule.name, now)
        claimed = run_history.claimed_between(db, schedule.name, cursor, now)
        skipped: list[RunReport] = []
        for decision in due(schedule, cursor=cursor, now=now, claimed=claimed):
            if context.stopping:
                break
            if decision.action == "skip":
                skipped += _found(_skip(db, context, schedule, decision))
                continue
            _log_skips(skipped)
            reports += skipped + _found(_execute(db, context, schedule, decision, "scheduled"))
            skipped = []
        _log_skips(skipped)
        return reports + skipped


def _found(report: RunReport | None) -> list[RunReport]:
    return [report] if report is not None else []


def _log_skips(skipped: Sequence[RunReport]) -> None:
    if skipped:
        log.info("%s", skip_line(skipped))


def _take_over(
    db: sqlite3.Connection, context: Context, schedule: Schedule, now: dt.datetime
) -> list[RunReport]:
    """Deal with the runs left ``running``: we hold the schedule's lock, so their process
    has ended. Once shutting down, the rest stay ``running`` for the next process."""
    reports = []
    for run in run_history.interrupted(db, schedule.name):
        if context.stopping:
            break
        report = _interrupted(db, context, schedule, run, now)
        if report is not None:
            reports.append(report)
    return reports


def _interrupted(
    db: sqlite3.Connection, context: Context, schedule: Schedule, run: Run, now: dt.datetime
) -> RunReport | None:
    """Resume a run a killed process left unfinished, or record it as failed and say why.

    Only scheduled runs are resumed: a manual one was started by someone who can start
    it again. Resuming reopens the same row, so the slot stays claimed once. None when
    the row is no longer ``running`` (taken over elsewhere).
    """
    slot = parse_iso(run.planned_utc)
    if run.kind == "scheduled":
        decision = resumption(schedule, slot, now, run.resumes)
    else:
        decision = Decision(slot, "skip", note="a manual run is not resumed")
    if decision.action == "run":
        if not run_history.resume(db, run.id, context.clock()):
            return None
        log.info("%s %s %s", schedule.name, iso(slot), decision.note)
        return _run_claimed(db, context, schedule, decision, run.id, resumed=True)
    error = f"interrupted, not resumed: {decision.note}"
    run_history.close_run(db, run.id, error, context.clock())
    report = RunReport(schedule.name, slot, "failed", error)
    log.error("%s", report.line())
    return report


def _skip(
    db: sqlite3.Connection, context: Context, schedule: Schedule, decision: Decision
) -> RunReport | None:
    name, slot, note = schedule.name, decision.slot, decision.note
    span = {"first": decision.first, "count": decision.count}
    if not run_history.record_skip(db, name, slot, note, context.clock(), **span):
        return None
    expired = note == expired_note(schedule)
    return RunReport(name, slot, "skipped", note, **span, expired=expired)


def _execute(
    db: sqlite3.Connection, context: Context, schedule: Schedule, decision: Decision, kind: Kind
) -> RunReport | None:
    """Claim the slot and run it; None when another process claimed it first."""
    name, slot = schedule.name, decision.slot
    run_id = run_history.claim(db, name, slot, kind=kind, now=context.clock(), note=decision.note)
    if run_id is None:
        log.info("%s %s already claimed by another process", name, iso(slot))
        return None
    log.info("%s %s started%s", name, iso(slot), " (late)" if decision.late else "")
    return _run_claimed(db, context, schedule, decision, run_id, kind=kind)


def _run_claimed(
    db: sqlite3.Connection,
    context: Context,
    schedule: Schedule,
    decision: Decision,
    run_id: int,
    resumed: bool = False,
    kind: Kind = "scheduled",
) -> RunReport:
    """Run the job of a claimed (or resumed) row in a time-limited child; record the outcome."""
    name, slot, started = schedule.name, decision.slot, context.clock()
    day = local_date(schedule, slot)
    job = Job(context.settings, schedule, started, day, context.environ, resumed, context.config)
    began = time.monotonic()
    seconds = context.time_limit(schedule)
    finished = run_limited(run_job, (job,), seconds, stop=context.stop)
    took = f"in {time.monotonic() - began:.1f} s"
    if _died(finished) and kind == "scheduled":
        return _left_to_resume(db, schedule, slot, run_id, finished.error)
    outcome = _outcome(finished, decision, seconds)
    run_history.finish(db, run_id, outcome, context.clock())
    done = finished.value if isinstance(finished.value, JobResult) else None
    detail = f"{describe(done)} {took}" if done else took
    text = "; ".join(filter(None, [detail, outcome.error]))
    errors = tuple(done.errors) if done else tuple(filter(None, [outcome.error]))
    report = RunReport(
        name, slot, outcome.result, text, deferred=tuple(outcome.deferred), errors=errors
    )
    # A failed run is an error (journalctl -p err finds it); a late or skipped one is not.
    (log.error if report.failed else log.info)("%s", report.line())
    return report


def _died(finished: ChildResult) -> bool:
    """Whether the child ended without an answer on its own: killed from outside (the
    kernel's out-of-memory killer, an operator), not stopped by us, not an exception."""
    return (
        not finished.timed_out
        and not finished.interrupted
        and finished.value is None
        and finished.error.startswith(DIED)
    )


#: How :mod:`generator.schedule.child` words a child that died without answering.
DIED = "the run ended unexpectedly"


def _left_to_resume(
    db: sqlite3.Connection, schedule: Schedule, slot: dt.datetime, run_id: int, error: str
) -> RunReport:
    """A run whose child died stays ``running``, like one whose whole process was killed:
    the next run-due resumes it within the grace period (the send ledger keeps anyone
    from getting the edition twice). This run-due still reports it as failed."""
    note = f"{error}; left to be resumed by the next run-due"
    run_history.note_run(db, run_id, error)
    report = RunReport(schedule.name, slot, "failed", note, resumable=True)
    log.error("%s", report.line())
    return report


def _outcome(finished: ChildResult, decision: Decision, seconds: float) -> RunOutcome:
    """The recorded outcome of a run that ended, was stopped or crashed."""
    if finished.timed_out:
        return RunOutcome("failed", error=f"stopped: exceeded the time limit of {_span(seconds)}")
    if finished.interrupted:
        return RunOutcome("failed", error="stopped: the scheduler was asked to shut down")
    job = finished.value
    if not isinstance(job, JobResult):
        return RunOutcome("failed", error=finished.error or "the run ended without a result")
    result: Result = "failed" if job.errors else ("late" if decision.late else "ok")
    error = "; ".join(job.errors)
    return RunOutcome(result, job.built, job.sent, job.archived, error, deferred=job.deferred)


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
