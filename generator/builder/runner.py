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
import hashlib
import logging
import os
import stat
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from generator.builder.manifest import State, build_state_path, read_state
from generator.builder.plan import DEFAULT_FORMATS, INDEX_NAME, PORTFOLIO_PDF, BuildPlan, Request
from generator.builder.report import BriefResult, BuildReport
from generator.builder.session import ProgressFn, Session
from generator.builder.shards import Shard
from generator.errors import GeneratorError, OutputError
from generator.settings import Settings
from generator.writer import describe_os_error, output_path, prepare_output_dir, sweep_temporaries

log = logging.getLogger(__name__)

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
    formats: Sequence[str] = DEFAULT_FORMATS,
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
    pdf_variant: str | None = None,
    jobs: int | None = None,
    on_result: Callable[[BriefResult], None] | None = None,
    on_progress: ProgressFn | None = None,
    lock_wait: float | None = OUTPUT_LOCK_WAIT,
    keep_intermediate: bool = False,
    shard: Shard | None = None,
) -> BuildReport:
    """Bring the selected briefings in ``settings.output_dir`` up to date; refresh the index.

    ``on_result`` hears of every briefing built, failed or removed, in brief-id order;
    ``on_progress(done, total)`` of progress, also while nothing finishes. ``force``
    rebuilds everything selected; ``pdf_variant`` overrides ``settings.pdf_variant``.
    ``keep_intermediate`` also writes ``<id>.print.html``, the HTML the PDF was printed
    from; ``shard`` builds only that shard's share of the selection, and no index.
    Raises :class:`GeneratorError` for an unknown id and
    :class:`~generator.errors.OutputError` when the output folder cannot be written. The
    output folder's lock is held throughout, so a scheduled run and a manual build of the
    same folder never interleave; a build waits up to ``lock_wait`` seconds for it
    (``None``: the caller already holds it).
    """
    started = time.monotonic()
    request = _request(
        settings, ids, formats, template, strict, force, pdf_variant, keep_intermediate, shard
    )
    with _output_locked(settings, lock_wait):
        prepare_output_dir(settings.output_dir)
        session = Session(settings, request, today)
        plan = session.plan()
        report = session.run(plan, jobs or default_jobs(), on_result, on_progress)
    report.seconds = time.monotonic() - started
    return report


def _request(
    settings: Settings,
    ids: Sequence[str],
    formats: Sequence[str],
    template: str | None,
    strict: bool,
    force: bool,
    pdf_variant: str | None,
    keep_intermediate: bool,
    shard: Shard | None,
) -> Request:
    """What a build (or its preview) is asked for; ``pdf_variant`` overrides the setting."""
    variant = pdf_variant or settings.pdf_variant
    return Request(
        tuple(ids), tuple(formats), template, force, strict, variant, keep_intermediate, shard
    )


@dataclass(frozen=True)
class Preview:
    """What a build would do: the plan, and why the index would be written ([] if not)."""

    plan: BuildPlan
    index_reasons: tuple[str, ...]
    #: The files of each briefing to build that has two editions (internal content).
    editions: dict[str, tuple[str, ...]] = field(default_factory=dict)


def preview(
    settings: Settings,
    ids: Sequence[str] = (),
    *,
    today: dt.date,
    formats: Sequence[str] = DEFAULT_FORMATS,
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
    pdf_variant: str | None = None,
    keep_intermediate: bool = False,
    shard: Shard | None = None,
) -> Preview:
    """What :func:`build` would do with the same arguments; writes nothing."""
    request = _request(
        settings, ids, formats, template, strict, force, pdf_variant, keep_intermediate, shard
    )
    session = Session(settings, request, today)
    plan = session.plan()
    if plan.work:
        # What the build would render with: a brand.yaml with errors fails it, so here too.
        session.inputs.brand()
    if shard is not None:
        reasons: tuple[str, ...] = ()
    elif plan.work or plan.removals:
        reasons = ("briefings changed",)
    else:
        reasons = tuple(session.index_reasons())
    editions = {w.brief_id: _edition_names(settings, w.path, w.targets) for w in plan.work}
    return Preview(plan, reasons, {b: names for b, names in editions.items() if names})


def _edition_names(settings: Settings, path: Path, formats: Sequence[str]) -> tuple[str, ...]:
    """The files a sheet with internal content would be built as (a dry run reads the
    sheet to tell); () for one edition, or a sheet that does not load."""
    from generator.builder.editions import edition_files
    from generator.errors import FactSheetError
    from generator.factsheet import has_internal, loader

    try:
        sheet = loader.load(path, path.name, max_bytes=settings.max_bytes, root=settings.root)
    except FactSheetError:
        return ()
    if not has_internal(sheet.sheet):
        return ()
    names = [n for fmt in formats for n in edition_files(path.stem, True, fmt).values()]
    return tuple(settings.display(settings.output_dir / name) for name in names)


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


def clean(settings: Settings, *, lock_wait: float | None = OUTPUT_LOCK_WAIT) -> list[Path]:
    """Remove what brief wrote to the output folder: the outputs and the index its build
    state records, the build state and brief's temporary files. Returns what was removed.

    Nothing else is touched. A folder without a build state is not brief's and is left
    alone (logged). A recorded output whose content is no longer what brief wrote was
    changed by someone and is kept (a warning names it). A build state that cannot be
    read raises :class:`GeneratorError`, only the temporary files removed: without it,
    brief cannot tell its files from the user's. The output folder's lock is held
    meanwhile, so a clean never removes what a running build is writing.
    """
    out = settings.output_dir
    state_file = build_state_path(out)
    if not os.path.lexists(state_file):
        # Checked before taking the lock, whose file would be written into the folder.
        log.info("nothing to clean: %s has no build state of brief", settings.display(out))
        return []
    with _output_locked(settings, lock_wait):
        removed = sweep_temporaries(out)
        state, problem = read_state(out)
        if state is None:
            raise GeneratorError(_unusable_state(settings, state_file, problem))
        for path, sha in _recorded_outputs(settings, state).items():
            if _remove_if_unchanged(settings, path, sha):
                removed.append(path)
        _remove(state_file)
        removed.append(state_file)
    return removed


def _recorded_outputs(settings: Settings, state: State) -> dict[Path, str]:
    """Every output the build state records -> the SHA-256 of what brief wrote there."""
    recorded = {
        f"{brief_id}.{fmt}": target["output"]
        for brief_id, record in state.briefs.items()
        for fmt, target in record["targets"].items()
    }
    if state.index is not None:
        recorded[INDEX_NAME] = state.index["output"]
        recorded[PORTFOLIO_PDF] = state.index["pdf"]
    found: dict[Path, str] = {}
    for name in sorted(recorded):
        try:
            found[output_path(settings.output_dir, name)] = recorded[name]
        except OutputError:
            # The state file lies among the outputs, where anyone may edit it: a name that
            # would lead out of the folder is never acted on.
            log.warning("not removing '%s': not a plain file name", name)
    return found


def _remove_if_unchanged(settings: Settings, path: Path, sha: str) -> bool:
    """Remove ``path`` if it still holds what brief wrote (``sha``); whether it did."""
    try:
        current = _sha_of_file(path)
    except FileNotFoundError:
        return False
    if current != sha:
        log.warning(
            "kept %s: it changed since brief wrote it (remove it yourself if it is not needed)",
            # Not settings.display(path): that would name a link's target, not the output.
            f"{settings.display(path.parent)}/{path.name}",
        )
        return False
    return _remove(path)


def _sha_of_file(path: Path) -> str | None:
    """The SHA-256 of the regular file at ``path``; None for anything else (a link, a
    folder, a FIFO: not what brief writes). Raises FileNotFoundError when there is none."""
    try:
        # No link followed, and no wait on a FIFO (O_NONBLOCK).
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        try:
            return hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None


def _remove(path: Path) -> bool:
    """Unlink ``path``; False when it was already gone. Raises :class:`OutputError`."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot remove {path}: {describe_os_error(exc)}") from None
    return True


def _unusable_state(settings: Settings, state_file: Path, problem: str) -> str:
    """Why a clean removed nothing, and how to get on."""
    return (
        f"build state {settings.display(state_file)} {problem}: brief cannot tell which files"
        " it wrote, so it removed none (only its temporary files). Build into the folder"
        " again (`brief build`, with the same --out), which writes a new build state, then"
        " clean; or remove the files yourself"
    )
