"""Rebuild briefings when their inputs change: ``brief build --watch`` and ``brief serve``.

The watcher waits on file-system events for ``briefs/`` and ``templates/`` (fonts and
stylesheets included) through the ``watchfiles`` library, works out which briefings a
batch of changes affects, and rebuilds them through :func:`generator.builder.build`, the
same build the ``build`` command runs. A changed fact sheet rebuilds that briefing; a
changed template, stylesheet or font rebuilds every selected briefing; a removed fact
sheet rebuilds the selection so the index forgets it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import builder
from generator.errors import GeneratorError
from generator.settings import Settings

log = logging.getLogger(__name__)

#: A change as watchfiles reports it: ``(Change.modified, '/abs/path')``.
FileChange = tuple[Any, str]


@dataclass(frozen=True)
class Rebuild:
    """One build run for the watcher: the ids asked for (empty: the whole selection) and
    its report, or the error that stopped it."""

    ids: tuple[str, ...]
    report: builder.BuildReport | None = None
    error: GeneratorError | None = None


def run_build(
    settings: Settings,
    ids: Sequence[str],
    *,
    today: Callable[[], dt.date],
    formats: Sequence[str],
    **options: Any,
) -> Rebuild:
    """Build ``ids`` (all when empty) once; an error stopping the build is returned."""
    try:
        report = builder.build(settings, tuple(ids), today=today(), formats=formats, **options)
    except GeneratorError as exc:
        return Rebuild(tuple(ids), error=exc)
    return Rebuild(tuple(ids), report=report)


def changed_ids(
    changes: Iterable[FileChange], settings: Settings, selection: Sequence[str] = ()
) -> tuple[str, ...] | None:
    """The briefings to rebuild after ``changes``: None for none, ``()`` for all of
    ``selection`` (every briefing when the selection is empty)."""
    briefs, templates = settings.briefs_dir.resolve(), settings.templates_dir.resolve()
    ids: list[str] = []
    for change, raw in changes:
        path = Path(raw).resolve()
        if path.is_relative_to(templates):
            return tuple(selection)
        if not _is_fact_sheet(path, briefs):
            continue
        if _is_deletion(change) and not selection:
            return ()
        if (not selection or path.stem in selection) and path.stem not in ids:
            ids.append(path.stem)
    return tuple(ids) or None


def watch_builds(
    settings: Settings,
    selection: Sequence[str],
    *,
    today: Callable[[], dt.date],
    formats: Sequence[str],
    on_rebuild: Callable[[Rebuild], None],
    on_ready: Callable[[], None] | None = None,
    stop: threading.Event | None = None,
    **options: Any,
) -> None:
    """Rebuild on every relevant change until ``stop`` is set (or the process is
    interrupted); ``on_ready`` is called once changes are being watched, ``on_rebuild``
    after each build."""
    import watchfiles

    roots = [p for p in (settings.briefs_dir, settings.templates_dir) if p.is_dir()]
    if not roots:
        raise GeneratorError(f"nothing to watch: no briefs/ or templates/ in {settings.root}")
    default = watchfiles.DefaultFilter()

    def relevant(change: Any, path: str) -> bool:
        return default(change, path) and not Path(path).name.startswith(".")

    # Waking up every half second with no changes lets on_ready run as soon as the
    # watcher is in place, so nothing saved after it is announced can be missed.
    batches = watchfiles.watch(
        *roots, watch_filter=relevant, stop_event=stop, rust_timeout=500, yield_on_timeout=True
    )
    for changes in batches:
        if on_ready is not None:
            on_ready()
            on_ready = None
        ids = changed_ids(changes, settings, selection)
        if ids is None:
            continue
        log.debug("changes %s: rebuilding %s", sorted(p for _, p in changes), ids or "all")
        on_rebuild(run_build(settings, ids, today=today, formats=formats, **options))


def _is_fact_sheet(path: Path, briefs: Path) -> bool:
    return path.parent == briefs and path.suffix == ".yaml"


def _is_deletion(change: Any) -> bool:
    return getattr(change, "name", "") == "deleted"
