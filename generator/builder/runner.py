"""Building briefings: rebuild exactly what changed, in parallel, and say why.

``build`` compares the project with the build state of the output folder (see
:mod:`generator.builder.plan` and :mod:`generator.builder.manifest`), renders the stale briefings in
worker processes (:mod:`generator.builder.pipeline`, :mod:`generator.builder.workers`), writes and
records each output, removes those of deleted fact sheets and refreshes the index.
A briefing with errors gets no new output; the others still build. ``preview`` is the
same plan without any writing (``brief build --dry-run``).

Nothing here imports the fact-sheet stack, Jinja or WeasyPrint at module level: a build
with nothing to do reads file stats and the state file, and is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from generator.builder.manifest import build_state_path
from generator.builder.plan import FORMATS, BuildPlan, Request
from generator.builder.report import BriefResult, BuildReport
from generator.builder.session import ProgressFn, Session, prepare_output_dir
from generator.settings import Settings
from generator.writer import sweep_temporaries

#: How long a build waits for another process writing to the same output folder (a
#: scheduled run, another build).
OUTPUT_LOCK_WAIT = 300.0


def default_jobs() -> int:
    """How many worker processes a build uses by default: the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def build(
    settings: Settings,
    ids: Sequence[str] = (),
    *,
    today: dt.date,
    formats: Sequence[str] = FORMATS,
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
    pdf_variant: str | None = None,
    jobs: int | None = None,
    on_result: Callable[[BriefResult], None] | None = None,
    on_progress: ProgressFn | None = None,
    lock_wait: float | None = OUTPUT_LOCK_WAIT,
) -> BuildReport:
    """Bring the selected briefings in ``settings.output_dir`` up to date; refresh the index.

    ``on_result`` hears of every briefing built, failed or removed, in brief-id order;
    ``on_progress(done, total)`` of progress, also while nothing finishes. ``force``
    rebuilds everything selected; ``pdf_variant`` overrides ``settings.pdf_variant``.
    Raises :class:`GeneratorError` for an unknown id and
    :class:`~generator.errors.OutputError` when the output folder cannot be written. The
    output folder's lock is held throughout, so a scheduled run and a manual build of the
    same folder never interleave; a build waits up to ``lock_wait`` seconds for it
    (``None``: the caller already holds it).
    """
    started = time.monotonic()
    variant = pdf_variant or settings.pdf_variant
    request = Request(tuple(ids), tuple(formats), template, force, strict, variant)
    with _output_locked(settings, lock_wait):
        prepare_output_dir(settings)
        session = Session(settings, request, today)
        plan = session.plan()
        report = session.run(plan, jobs or default_jobs(), on_result, on_progress)
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class Preview:
    """What a build would do: the plan, and why the index would be written ([] if not)."""

    plan: BuildPlan
    index_reasons: tuple[str, ...]


def preview(
    settings: Settings,
    ids: Sequence[str] = (),
    *,
    today: dt.date,
    formats: Sequence[str] = FORMATS,
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
    pdf_variant: str | None = None,
) -> Preview:
    """What :func:`build` would do with the same arguments; writes nothing."""
    variant = pdf_variant or settings.pdf_variant
    request = Request(tuple(ids), tuple(formats), template, force, strict, variant)
    session = Session(settings, request, today)
    plan = session.plan()
    if plan.work or plan.removals:
        reasons: tuple[str, ...] = ("briefings changed",)
    else:
        reasons = tuple(session.index_reasons())
    return Preview(plan, reasons)


def _output_locked(settings: Settings, wait: float | None) -> AbstractContextManager[None]:
    """The output folder's lock (see :mod:`generator.locks`), or nothing when ``wait`` is
    None (the caller already holds it): two builds of one folder never interleave."""
    from generator import locks

    if wait is None:
        return contextlib.nullcontext()
    return locks.hold(
        locks.output_lock(settings),
        purpose="brief build",
        what=f"the output folder {settings.display(settings.output_dir)}",
        wait=wait,
    )


def clean(settings: Settings) -> list[Path]:
    """Remove every built briefing, the index, the build state and temporary files.

    Returns what was removed.
    """
    removed = sweep_temporaries(settings.output_dir)
    if not settings.output_dir.is_dir():
        return removed
    for pattern in ("*.html", "*.pdf"):
        for path in settings.output_dir.glob(pattern):
            path.unlink()
            removed.append(path)
    state = build_state_path(settings.output_dir)
    if state.exists():
        state.unlink()
        removed.append(state)
    return removed
