"""The work of one schedule run: select briefings, build them, archive PDFs, send.

This runs in a child process (see :mod:`generator.schedule.runner`) and returns a
:class:`JobResult`. Building and archiving hold the output folder's lock; sending goes
through ``brief send``'s own function (ledger, retries, its own locks) afterwards. One
briefing's failure never stops the others: a broken fact sheet is reported and the rest
are still built, archived and sent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import locks
from generator.builder import build
from generator.config import DeliveryConfig, Schedule, Selection, resolve_delivery
from generator.delivery import sender as delivery
from generator.errors import Diagnostic, FactSheetError, GeneratorError
from generator.factsheet import discover
from generator.schedule.archive import archive_pdfs, not_yet_archived
from generator.schedule.slots import local_date
from generator.settings import Settings

#: How long a run waits for a manual build of the same output folder to finish (the
#: run's own time limit still applies).
OUTPUT_LOCK_WAIT = 600.0


@dataclass(frozen=True)
class Resolved:
    """A selection resolved against ``briefs/``: brief ids, and what could not be resolved."""

    ids: tuple[str, ...]
    problems: tuple[str, ...] = ()


@dataclass
class JobResult:
    """What a run did: briefings built, archived copies, deliveries, and every error."""

    built: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    #: Messages left for a later run because the mail server could not be used.
    deferred: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """``built 2, archived 2, sent 4`` (and ``, 2 already had it``, ``, 2 deferred``
        when so)."""
        counts = (("built", self.built), ("archived", self.archived), ("sent", self.sent))
        text = ", ".join(f"{label} {len(items)}" for label, items in counts)
        text += f", {len(self.already)} already had it" if self.already else ""
        return text + (f", {len(self.deferred)} deferred" if self.deferred else "")


def resolve(settings: Settings, selection: Selection) -> Resolved:
    """The briefings a selection names: ids, plus every brief carrying one of the tags.

    An empty selection means every briefing. A fact sheet with errors is still selected
    when its ``tags`` can be read (its build then fails with its diagnostics); an id with
    no fact sheet, or a sheet whose tags cannot be read at all, is a problem (reported,
    not fatal).
    """
    paths = discover(settings)
    if not selection.ids and not selection.tags:
        return Resolved(tuple(p.stem for p in paths))
    known = {p.stem for p in paths}
    chosen = [i for i in selection.ids if i in known]
    problems = [f"no fact sheet '{i}' (selected by id)" for i in selection.ids if i not in known]
    wanted = set(selection.tags)
    for path in paths if wanted else ():
        if path.stem in chosen:
            continue
        tags, problem = _tags(settings, path)
        if problem:
            problems.append(problem)
        elif wanted & tags:
            chosen.append(path.stem)
    return Resolved(tuple(sorted(dict.fromkeys(chosen))), tuple(problems))


def _tags(settings: Settings, path: Path) -> tuple[set[str], str]:
    """A fact sheet's tags, read from its data when the sheet has errors; or why they
    cannot be read. The file is read and parsed once."""
    from generator.factsheet import load

    display = settings.display(path)
    try:
        return set(load(path, display, max_bytes=settings.max_bytes).sheet.tags or ()), ""
    except FactSheetError as exc:
        value, problem = exc.data, _first_error(exc.diagnostics)
    tags = value.get("tags") if isinstance(value, dict) else None
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        return set(tags), ""
    reason = problem or f"{display}: cannot be read"
    return set(), f"{reason} (so its tags are unknown)"


@dataclass(frozen=True)
class Job:
    """One run's work order, handed to the child process (so: plain, picklable values).

    ``started`` is when the run began (by the scheduler's clock, which ``--now`` may
    have set); ``archive_day`` is the planned slot's date in the schedule's zone;
    ``environ`` carries the ``BRIEF_SMTP_*`` settings for sending; ``resumed`` says the
    run takes over from an interrupted one (PDFs it archived are not archived again).
    ``config`` is the ``delivery.yaml`` the scheduler loaded: the run sends with it, so a
    file broken after ``brief schedule serve`` started breaks neither scheduling nor
    sending. Without it the run reads the file as ``brief send`` does.
    """

    settings: Settings
    schedule: Schedule
    started: dt.datetime
    archive_day: dt.date
    environ: Mapping[str, str] = field(default_factory=dict)
    resumed: bool = False
    config: DeliveryConfig | None = None

    @property
    def today(self) -> dt.date:
        """The run's date in the schedule's time zone (what rule checks call today)."""
        return local_date(self.schedule, self.started)

    @property
    def build_settings(self) -> Settings:
        """The project's settings with the schedule's ``pdf_variant`` (when it has one):
        the build, the archive and the attachments sent all get that variant."""
        variant = self.schedule.pdf_variant
        return replace(self.settings, pdf_variant=variant) if variant else self.settings


def run_job(job: Job) -> JobResult:
    """Build, archive and send a schedule's selection; never raises for bad input."""
    settings, schedule = job.build_settings, job.schedule
    result = JobResult()
    selection = resolve(settings, schedule.select)
    result.errors += selection.problems
    try:
        with locks.hold(
            locks.output_lock(settings),
            purpose=f"schedule {schedule.name}",
            what=f"the output folder {settings.display(settings.output_dir)}",
            wait=OUTPUT_LOCK_WAIT,
        ):
            _build_and_archive(job, selection.ids, result)
    except GeneratorError as exc:
        result.errors.append(str(exc))
    if schedule.send_to and result.built:
        deliver(job, result)
    return result


def _build_and_archive(job: Job, ids: Sequence[str], result: JobResult) -> None:
    settings, schedule = job.build_settings, job.schedule
    if not ids:
        result.errors.append("the selection matches no briefing")
        return
    report = build(settings, ids, today=job.today, formats=schedule.formats, lock_wait=None)
    for item in report.results:
        if item.status == "failed":
            reason = item.error or _first_error(item.diagnostics) or "fact sheet has errors"
            # A diagnostic already starts with the file (briefs/x.yaml:3:1: ...): name it once.
            located = reason.startswith(f"{item.display}:")
            result.errors.append(reason if located else f"{item.display}: {reason}")
        else:
            result.built.append(item.brief_id)
    if schedule.archive and result.built:
        ids = result.built
        day, name = job.archive_day, schedule.name
        if job.resumed:
            ids = not_yet_archived(settings.output_dir, ids, day, name)
        written = archive_pdfs(settings.output_dir, ids, day, name)
        result.archived += [settings.display(path) for path in written]


def deliver(job: Job, result: JobResult) -> None:
    """Send each built briefing to the schedule's lists through the send ledger.

    One ``brief send`` per briefing, so one briefing's problem (a pre-send check, say)
    does not hold back the others. A recipient who already has this edition is not sent
    it again (``already``); every message not accepted is an error, except one deferred
    (the mail server could not be used: a later run sends it), which is listed as such
    and summed up in one error line, so that the run still counts as failed.
    """
    clock = _running_clock(job.started)
    try:
        given = resolve_delivery(job.config) if job.config is not None else None
    except GeneratorError as exc:
        result.errors.append(f"nothing sent: {exc}")
        return
    reasons: list[str] = []
    for brief_id in result.built:
        try:
            report = delivery.send(
                job.build_settings,
                [brief_id],
                job.schedule.send_to,
                options=delivery.SendOptions(),
                clock=clock,
                environ=job.environ,
                delivery=given,
            )
        except GeneratorError as exc:
            details = "; ".join(d.format() for d in exc.diagnostics)
            result.errors.append(
                f"{brief_id} not sent: {exc}" + (f": {details}" if details else "")
            )
            continue
        _record_sends(report, result, reasons)
    if result.deferred:
        why = "; ".join(dict.fromkeys(filter(None, reasons))) or "the mail server could not be used"
        result.errors.append(f"{len(result.deferred)} message(s) deferred: {why}")


def _record_sends(report: delivery.SendReport, result: JobResult, reasons: list[str]) -> None:
    """Sort one briefing's messages into the result. Why messages were deferred (their
    reply, else the report's fatal fault) goes to ``reasons``, summed up once for the
    run; a fatal fault that deferred nothing is an error of its own."""
    deferred = False
    for message in report.results:
        line = f"{message.brief_id} -> {message.list_name}: {message.recipient}"
        if message.result == "sent":
            result.sent.append(line)
        elif message.result in ("already-sent", "covered"):
            result.already.append(line)
        elif message.result == "deferred":
            result.deferred.append(line)
            reasons.append(message.reply or report.fatal)
            deferred = True
        else:
            reason = f"{message.result.replace('-', ' ')}: {message.reply}".rstrip(": ")
            result.errors.append(f"{line} {reason}")
    if report.fatal and not deferred:
        result.errors.append(report.fatal)


def _running_clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that reads ``start`` now and runs on in real time (``--now`` carries over)."""
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def _first_error(diagnostics: Sequence[Diagnostic]) -> str:
    return next((d.format() for d in diagnostics if d.is_error), "")
