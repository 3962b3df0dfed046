"""The ``brief schedule`` commands: list, run-due, serve, run, history, status.

Part of the command-line edge (registered on the ``brief`` group by :mod:`generator.cli.app`):
thin click commands over :mod:`generator.schedule.runner`. The real clock is read only
here; ``--now`` replaces it with a clock that starts at the given moment and runs on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import sqlite3
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
    from generator.config import Delivery, DeliveryConfig, Schedule
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
    return load_checked(settings).config


def load_checked(settings: Settings) -> Delivery:
    """``delivery.yaml`` checked and resolved: the model and every list's recipients."""
    from generator.config import load_delivery

    return load_delivery(settings.delivery_file, settings.display(settings.delivery_file))


def _context(
    settings: Settings, clock: Clock, limit: float | None, stop: threading.Event | None = None
) -> Context:
    from generator.schedule import Context

    loaded = load_checked(settings)
    environ = dict(os.environ)
    return Context(settings, loaded.config, clock, limit, stop, environ, delivery=loaded)


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
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print nothing unless something failed (for cron, which mails any output).",
)
@click.option("--time-limit-seconds", type=float, default=None, hidden=True, help=LIMIT_HELP)
@click.pass_obj
def run_due(
    settings: Settings, now: str | None, quiet: bool, time_limit_seconds: float | None
) -> None:
    """Run every schedule whose time has come, then exit (call this from cron or a timer).

    Exit status 1 when any run failed.
    """
    from generator.schedule import runner as schedule_runner

    if quiet:
        # Warnings (a failed run) and errors (an alert not sent) still reach stderr.
        logging.getLogger("generator").setLevel(logging.WARNING)
    with stop_on_signals() as stop:
        reports = schedule_runner.run_due(
            _context(settings, make_clock(now), time_limit_seconds, stop)
        )
    failed = schedule_runner.failures(reports)
    ran = sum(r.result != "skipped" for r in reports)
    skipped = sum(r.count for r in reports if r.result == "skipped")
    if not quiet:
        summary = f"{ran} run(s), {failed} failed, {skipped:,} slot(s) skipped"
        click.echo(summary if reports else "nothing due")
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
        schedule_runner.serve(context, lambda: load_checked(settings))
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


FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="An aligned table, or JSON for scripts.",
)


@schedule.command("history")
@click.argument("name", required=False)
@click.option("--since", metavar="DATE", default=None, help="Only slots from DATE (ISO 8601) on.")
@click.option("--failed", is_flag=True, help="Only failed runs.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    metavar="N",
    default=100,
    show_default=True,
    help="Show at most this many runs, newest first (0: all).",
)
@FORMAT_OPTION
@click.pass_obj
def history(
    settings: Settings,
    name: str | None,
    since: str | None,
    failed: bool,
    limit: int,
    output_format: str,
) -> None:
    """Show the recorded runs, newest first: of every schedule, or of schedule NAME."""
    from generator.schedule import history as run_history
    from generator.schedule import status

    start = parse_since(since) if since is not None else None
    with _existing_store(settings) as db:
        if name is not None and name not in (known := _schedule_names(settings, db)):
            names = ", ".join(known) or "none are configured"
            raise click.UsageError(f"no schedule named '{name}' (schedules: {names})")
        results = ("failed",) if failed else ()
        most = limit or None
        runs = (
            run_history.select_runs(db, name, since=start, results=results, limit=most)
            if db is not None
            else []
        )
    if output_format == "json":
        click.echo(json.dumps(status.history_rows(runs), indent=2, ensure_ascii=False))
    elif runs:
        click.echo("\n".join(status.history_text(runs)))
    else:
        click.echo("no runs recorded")


def parse_since(text: str) -> dt.datetime:
    """``--since``: a date (midnight UTC) or a moment with an offset; else a usage error."""
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
        return parse_now(text)
    except (ValueError, click.BadParameter):
        raise click.BadParameter(
            f"'{text}' is not a date like 2026-03-30 or a moment like 2026-03-30T07:00Z",
            param_hint="--since",
        ) from None


@schedule.command("status")
@click.option("--now", "now", metavar="ISO", default=None, help=NOW_HELP)
@FORMAT_OPTION
@click.pass_obj
def status_command(settings: Settings, now: str | None, output_format: str) -> None:
    """Show each schedule's health; exit status 1 when one is failing or overdue."""
    from generator.schedule import status

    config = load_schedules(settings)
    with _existing_store(settings) as db:
        report = status.health(db, config.schedules, make_clock(now)())
    if output_format == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(status.render_text(report)))
    sys.exit(EXIT_OK if report["healthy"] else EXIT_ERRORS)


@contextlib.contextmanager
def _existing_store(settings: Settings) -> Iterator[sqlite3.Connection | None]:
    """The state store with the history tables, or None when the project has none yet
    (reading the history creates no ``.brief/`` folder)."""
    from generator.schedule import history as run_history
    from generator.store import open_project_store, store_path

    if not store_path(settings.state_dir).exists():
        yield None
        return
    with closing(open_project_store(settings)) as db:
        run_history.ensure_tables(db)
        yield db


def _schedule_names(settings: Settings, db: sqlite3.Connection | None) -> list[str]:
    """The schedules of ``delivery.yaml`` and any others the history still holds."""
    names = [s.name for s in load_schedules(settings).schedules]
    if db is not None:
        rows = db.execute("SELECT DISTINCT schedule FROM schedule_runs ORDER BY schedule")
        names += [n for (n,) in rows if n not in names]
    return names
