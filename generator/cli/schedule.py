"""The ``brief schedule`` commands: list, run-due, serve, run.

Part of the command-line edge (registered on the ``brief`` group by :mod:`generator.cli.app`):
thin click commands over :mod:`generator.schedule.runner`. The real clock is read only
here; ``--now`` replaces it with a clock that starts at the given moment and runs on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from types import FrameType
from typing import TYPE_CHECKING

import click

from generator.cli.common import EXIT_ERRORS, EXIT_OK
from generator.errors import GeneratorError
from generator.settings import Settings

if TYPE_CHECKING:
    # Types only: the models load pydantic, which `brief --help`, `brief check` and a
    # build with nothing to do must not pay for.
    from generator.config import DeliveryConfig, Schedule
    from generator.schedule import Context

Clock = Callable[[], dt.datetime]

NOW_HELP = "Evaluate as of this moment, e.g. 2026-03-29T09:00+01:00 (default: now)."
LIMIT_HELP = "Override every schedule's time limit, in seconds."


def make_clock(now: str | None) -> Clock:
    """The real clock, or one that starts at ``now`` (ISO 8601 with an offset) and runs on."""
    if now is None:
        return lambda: dt.datetime.now(dt.UTC)
    start = parse_now(now)
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def parse_now(now: str) -> dt.datetime:
    """``--now`` as an instant in UTC; a usage error unless schedules can fire around it.

    The range is the schedulable instants of :mod:`generator.config.cron`: outside it the
    real clock never is, fire times end, and a run's claim or a schedule's first sighting
    dated there would be recorded for good.
    """
    from generator.config import SCHEDULABLE_FROM, SCHEDULABLE_UNTIL

    start = _aware(now)
    try:
        utc = start.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first instant there is
        utc = None
    if utc is None or not SCHEDULABLE_FROM <= utc < SCHEDULABLE_UNTIL:
        last = (SCHEDULABLE_UNTIL - dt.timedelta(days=1)).date()
        raise click.BadParameter(
            f"'{now}' is out of range: give a moment from {SCHEDULABLE_FROM.date()} to {last} "
            "(UTC)",
            param_hint="--now",
        )
    return utc


def _aware(now: str) -> dt.datetime:
    """``--now`` as an aware datetime; a usage error for anything else."""
    try:
        start = dt.datetime.fromisoformat(now.replace("z", "Z"))
    except ValueError:
        message = f"'{now}' is not an ISO 8601 date and time"
        raise click.BadParameter(message, param_hint="--now") from None
    if start.tzinfo is None:
        raise click.BadParameter(
            f"'{now}' has no UTC offset; add one, e.g. {now}+01:00 or {now}Z", param_hint="--now"
        )
    return start


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT while the block runs (the previous handlers return
    afterwards): the run in progress is stopped and recorded, no other is started."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("generator").info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def load_schedules(settings: Settings) -> DeliveryConfig:
    """``delivery.yaml``, fully checked (schedules included); raises ``ConfigError``."""
    from generator.config import load_delivery

    return load_delivery(settings.delivery_file, settings.display(settings.delivery_file)).config


def _context(
    settings: Settings, clock: Clock, limit: float | None, stop: threading.Event | None = None
) -> Context:
    from generator.schedule import Context

    config = load_schedules(settings)
    return Context(settings, config, clock, limit, stop, environ=dict(os.environ))


@click.group()
def schedule() -> None:
    """Recurring builds, archives and deliveries (the schedules: section of delivery.yaml)."""


@schedule.command("list")
@click.option("--now", "now", metavar="ISO", default=None, help=NOW_HELP)
@click.pass_obj
def list_schedules(settings: Settings, now: str | None) -> None:
    """Show each schedule, the briefings it selects and its next three runs."""
    config = load_schedules(settings)
    moment = make_clock(now)()
    if not config.schedules:
        click.echo("no schedules in delivery.yaml")
    for index, item in enumerate(config.schedules):
        if index:
            click.echo("")
        _describe(settings, item, moment)


def _describe(settings: Settings, item: Schedule, moment: dt.datetime) -> None:
    from generator.schedule import resolve, timing, upcoming

    when = timing(item)
    chosen = resolve(settings, item.select)
    click.echo(f"{item.name}: '{item.cron}' in {item.timezone} ({when.spec.kind})")
    click.echo(f"  selects: {', '.join(chosen.ids) or 'nothing'}")
    for problem in chosen.problems:
        click.echo(f"  problem: {problem}")
    sends = ", ".join(item.send_to) or "nobody"
    archive = "archived" if item.archive else "not archived"
    click.echo(f"  builds {', '.join(item.formats)}; sends to {sends}; {archive}")
    click.echo(
        f"  on_missed: {item.on_missed}, grace {item.grace_minutes} min, "
        f"time limit {item.time_limit_minutes} min"
    )
    last = _last_run(settings, item.name)
    if last:
        click.echo(f"  last run: {last}")
    for slot in upcoming(item, moment, 3):
        local = slot.astimezone(when.zone)
        click.echo(f"  next: {local:%Y-%m-%d %H:%M %Z (%z)} = {slot:%Y-%m-%d %H:%M} UTC")


def _last_run(settings: Settings, name: str) -> str:
    """The latest recorded run of ``name``, without creating the state store."""
    from generator.schedule import history as run_history
    from generator.store import open_project_store, store_path

    if not store_path(settings.state_dir).exists():
        return ""
    with closing(open_project_store(settings)) as db:
        run_history.ensure_tables(db)
        found = run_history.runs(db, name, limit=1)
    if not found:
        return ""
    run = found[0]
    why = f" ({run.error or run.note})" if run.error or run.note else ""
    return f"{run.planned_utc} {run.result}{why}"


@schedule.command("run-due")
@click.option("--now", "now", metavar="ISO", default=None, help=NOW_HELP)
@click.option("--time-limit-seconds", type=float, default=None, hidden=True, help=LIMIT_HELP)
@click.pass_obj
def run_due(settings: Settings, now: str | None, time_limit_seconds: float | None) -> None:
    """Run every schedule whose time has come, then exit (call this from cron or a timer).

    Exit status 1 when any run failed.
    """
    from generator.schedule import runner as schedule_runner

    with stop_on_signals() as stop:
        reports = schedule_runner.run_due(
            _context(settings, make_clock(now), time_limit_seconds, stop)
        )
    failed = schedule_runner.failures(reports)
    ran = sum(r.result != "skipped" for r in reports)
    skipped = len(reports) - ran
    click.echo(
        f"{ran} run(s), {failed} failed, {skipped} slot(s) skipped" if reports else "nothing due"
    )
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


@schedule.command()
@click.option("--now", "now", metavar="ISO", default=None, help=NOW_HELP)
@click.option("--time-limit-seconds", type=float, default=None, hidden=True, help=LIMIT_HELP)
@click.pass_obj
def serve(settings: Settings, now: str | None, time_limit_seconds: float | None) -> None:
    """Run schedules in the foreground until SIGTERM or Ctrl-C (for a service manager)."""
    from generator.schedule import runner as schedule_runner

    with stop_on_signals() as stop:
        context = _context(settings, make_clock(now), time_limit_seconds, stop)
        schedule_runner.serve(context, lambda: load_schedules(settings))
    sys.exit(EXIT_OK)


@schedule.command("run")
@click.argument("name")
@click.option("--time-limit-seconds", type=float, default=None, hidden=True, help=LIMIT_HELP)
@click.pass_obj
def run_one(settings: Settings, name: str, time_limit_seconds: float | None) -> None:
    """Run schedule NAME now, on purpose (recorded as a manual run)."""
    from generator.schedule import runner as schedule_runner

    with stop_on_signals() as stop:
        context = _context(settings, make_clock(None), time_limit_seconds, stop)
        _known_schedule(context.config, name)
        report = schedule_runner.run_now(context, name)
    click.echo(report.line())
    sys.exit(EXIT_ERRORS if report.failed else EXIT_OK)


def _known_schedule(config: DeliveryConfig, name: str) -> None:
    """A usage error (exit 2) when no schedule is called ``name``: a mistyped argument."""
    from generator.schedule import runner as schedule_runner

    try:
        schedule_runner.find_schedule(config, name)
    except GeneratorError as exc:
        raise click.UsageError(str(exc), click.get_current_context()) from None
