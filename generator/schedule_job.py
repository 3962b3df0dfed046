"""The work of one schedule run: select briefings, build them, archive PDFs, send.

This runs in a child process (see :mod:`generator.schedule_runner`), under the output
folder's lock, and returns a :class:`JobResult`. One briefing's failure never stops the
others: a broken fact sheet is reported and the rest are still built, archived and sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import locks
from generator.build import build, check_file, discover
from generator.config import Settings
from generator.delivery_model import DeliveryConfig, Schedule, Selection
from generator.errors import Diagnostic, GeneratorError
from generator.pdf_archive import archive_pdfs

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
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """``built 2, archived 2, sent 4``."""
        counts = (("built", self.built), ("archived", self.archived), ("sent", self.sent))
        return ", ".join(f"{label} {len(items)}" for label, items in counts)


def resolve(settings: Settings, selection: Selection, today: dt.date) -> Resolved:
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
        tags, problem = _tags(settings, path, today)
        if problem:
            problems.append(problem)
        elif wanted & tags:
            chosen.append(path.stem)
    return Resolved(tuple(sorted(dict.fromkeys(chosen))), tuple(problems))


def _tags(settings: Settings, path: Path, today: dt.date) -> tuple[set[str], str]:
    """A fact sheet's tags, read leniently when the sheet has errors; or why they cannot be."""
    from generator import yamlsrc

    item = check_file(path, settings, today)
    if item.loaded is not None:
        return set(item.loaded.sheet.tags or ()), ""
    try:
        value, _ = yamlsrc.parse(path.read_bytes(), item.display, max_bytes=settings.max_bytes)
    except (GeneratorError, OSError):
        value = None
    tags = value.get("tags") if isinstance(value, dict) else None
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        return set(tags), ""
    reason = _first_error(item.diagnostics) or f"{item.display}: cannot be read"
    return set(), f"{reason} (so its tags are unknown)"


def run_job(
    settings: Settings,
    schedule: Schedule,
    config: DeliveryConfig,
    today: dt.date,
    archive_day: dt.date,
) -> JobResult:
    """Build, archive and send a schedule's selection; never raises for bad input."""
    result = JobResult()
    selection = resolve(settings, schedule.select, today)
    result.errors += selection.problems
    try:
        with locks.hold(
            locks.output_lock(settings),
            purpose=f"schedule {schedule.name}",
            what=f"the output folder {settings.display(settings.output_dir)}",
            wait=OUTPUT_LOCK_WAIT,
        ):
            _build_and_archive(settings, schedule, selection.ids, today, archive_day, result)
            if schedule.send_to and result.built:
                result.sent += deliver(settings, config, schedule, result.built, today, result)
    except GeneratorError as exc:
        result.errors.append(str(exc))
    return result


def _build_and_archive(
    settings: Settings,
    schedule: Schedule,
    ids: Sequence[str],
    today: dt.date,
    archive_day: dt.date,
    result: JobResult,
) -> None:
    if not ids:
        result.errors.append("the selection matches no briefing")
        return
    report = build(settings, ids, today=today, formats=schedule.formats, lock_wait=None)
    for item in report.results:
        if item.status == "failed":
            reason = item.error or _first_error(item.diagnostics) or "fact sheet has errors"
            result.errors.append(f"{item.display}: {reason}")
        else:
            result.built.append(item.brief_id)
    if schedule.archive and result.built:
        written = archive_pdfs(settings.output_dir, result.built, archive_day)
        result.archived += [settings.display(path) for path in written]


def deliver(
    settings: Settings,
    config: DeliveryConfig,
    schedule: Schedule,
    brief_ids: Sequence[str],
    today: dt.date,
    result: JobResult,
) -> list[str]:
    """Send the built briefings to the schedule's lists; one entry per message sent.

    Failures are added to ``result.errors``; the other messages are still sent.
    """
    result.errors.append(
        f"sending to {', '.join(schedule.send_to)} is not available: email delivery is not "
        "part of this version"
    )
    return []


def _first_error(diagnostics: Sequence[Diagnostic]) -> str:
    return next((d.format() for d in diagnostics if d.is_error), "")
