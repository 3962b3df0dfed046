"""What runs inside a worker process of :mod:`generator.builder.workers`: its limits, its
main loop, and when it retires.

A worker is forked from the build's process. It closes what it must not hold, sends its
output to a file the parent reads, lowers its data limit, caps glibc's malloc arenas and
then runs job after job until told to stop, its parent goes away, or it retires: after a
job, a worker whose data size is over :data:`RETIRE_FRACTION` of its limit, or that has
run :data:`MAX_JOBS` jobs, says so in its reply and exits, so the parent replaces it
before memory left behind by earlier jobs can fail a later one.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from generator.errors import GeneratorError
from generator.processes import watch_parent

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

Kind = Literal["ok", "failed", "bug", "timeout", "memory", "crashed"]
#: glibc's mallopt parameter number of M_ARENA_MAX, and the arenas a worker may have.
M_ARENA_MAX = -8
MALLOC_ARENAS = 2
#: The share of the memory limit past which a worker retires after its job: the room
#: left is for the next job, which a fresh worker gets in full.
RETIRE_FRACTION = 0.75
#: Jobs a worker runs before it retires whatever its size: a fresh worker costs a fork
#: and, for PDFs, loading WeasyPrint again (about a second), under 2 % of 100 jobs.
MAX_JOBS = 100


@dataclass(frozen=True)
class Limits:
    """The wall-clock seconds a job may take, the bytes of data a worker may use, and
    when a worker retires (see the module docstring)."""

    seconds: float
    memory: int | None
    retire_fraction: float = RETIRE_FRACTION
    max_jobs: int = MAX_JOBS


def serve(
    conn: Connection,
    log_fd: int,
    limits: Limits,
    parent_pid: int,
    inherited: list[Any],
    release: tuple[str, ...],
) -> None:
    """The worker's main loop: receive ``(fn, arg)``, reply ``(kind, value, message,
    retiring)``; after a reply with ``retiring`` true the worker exits.

    Its stdout and stderr go to ``log_fd`` (read by the parent), never to the terminal.
    """
    for other in inherited:
        other.close()
    _close_descriptors_of(release)
    _redirect_output(log_fd)
    _set_limits(limits)
    watch_parent(parent_pid)
    try:
        _serve_jobs(conn, limits)
    finally:
        _release_fonts()


def _serve_jobs(conn: Connection, limits: Limits) -> None:
    """Run jobs until told to stop, the parent goes away, or this worker retires."""
    jobs = 0
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if jobs:
            # The last job's cycles are freed only once another job comes, so that a
            # build's last reply never waits for them (0.25 s after the large
            # briefing's PDF), then what survives (modules, caches) is set aside so no
            # later collection walks it again.
            gc.collect()
            gc.freeze()
        kind, value, text = _run_paused(message, limits)
        jobs += 1
        retiring = kind != "memory" and _should_retire(limits, jobs)
        try:
            conn.send((kind, value, text, retiring))
        except MemoryError:
            conn.send(("memory", None, "", False))
            return
        if kind == "memory" or retiring:
            return


def _run_paused(message: tuple[Any, Any], limits: Limits) -> tuple[Kind, Any, str]:
    """Run a job with the collector paused, and keep it paused until the next job: a
    job's objects live until it ends and it makes little cyclic garbage, so collections
    during it would scan them for nothing, and one after its reply would delay the
    worker's exit, which a build waits for."""
    gc.disable()
    return _run(*message, limits)


def _release_fonts() -> None:
    """Remove the fonts' temporary folder of a worker that printed PDFs: a forked process
    exits without the finalisers that would (see ``generator.render.pdf.shared_fonts``)."""
    if "generator.render.pdf" in sys.modules:
        from generator.render import release_fonts

        release_fonts()


def _should_retire(limits: Limits, jobs: int) -> bool:
    """Whether this worker has run its share of jobs, or grown too close to its limit."""
    if limits.max_jobs and jobs >= limits.max_jobs:
        return True
    return _near_the_limit(limits)


def data_size() -> int | None:
    """This process's data size in bytes (heap, private mappings, stacks); None if unknown.

    That is what ``RLIMIT_DATA`` counts, so it tells how close the next job is to
    failing: resident memory would miss heap that is mapped but not touched yet and count
    shared library pages the limit ignores; ``ru_maxrss`` is a peak that never falls.
    """
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[5])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _redirect_output(log_fd: int) -> None:
    """Send this process's stdout and stderr, at both levels, to ``log_fd``."""
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
        os.dup2(log_fd, fd)
    # Python-level streams may have been pointed elsewhere (a test's capture): repoint them.
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)  # noqa: SIM115
    _bare_log_records()


def _bare_log_records() -> None:
    """Log records of this worker as their bare message. The parent logs each line a
    worker wrote again, after the briefing's name, in the format chosen for the run: a
    time, level or JSON object inherited from it would appear twice on that line."""
    import logging

    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter("%(message)s"))


def _set_limits(limits: Limits) -> None:
    """Signals as a worker wants them, its data limit and malloc arenas."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    _cap_malloc_arenas()
    if limits.memory:
        # The data limit (heap, anonymous and thread-stack mappings), not the address
        # space: glibc reserves 64 MiB of address space per thread's malloc arena and Pango
        # starts threads, so a small briefing using 85 MiB spans over 400 MiB of address
        # space, and an address-space limit failed healthy briefings at random.
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory, limits.memory))


def _cap_malloc_arenas() -> None:
    """At most ``MALLOC_ARENAS`` glibc malloc arenas in this worker (one per thread by
    default), which halves a render's peak memory. ``MALLOC_ARENA_MAX`` in the environment
    would come too late: a forked worker inherits a malloc already set up."""
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def _close_descriptors_of(paths: tuple[str, ...]) -> None:
    """Close every open descriptor of this process that refers to one of ``paths``."""
    if not paths:
        return
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError, ValueError):
                if os.readlink(f"/proc/self/fd/{name}") in paths:
                    os.close(int(name))


def _run(fn: Callable[[Any], Any], arg: Any, limits: Limits) -> tuple[Kind, Any, str]:
    try:
        return "ok", fn(arg), ""
    except GeneratorError as exc:
        return "failed", list(exc.diagnostics), str(exc)
    except MemoryError:
        return "memory", None, ""
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
            return "memory", None, ""
        if _near_the_limit(limits):
            return "memory", None, f"{type(exc).__name__}: {exc}"
        import traceback

        return "bug", None, traceback.format_exc()


def _near_the_limit(limits: Limits) -> bool:
    """Whether this worker, still holding the failed job's frames, is close to its data
    limit. C code whose allocation fails does not always raise MemoryError: a PDF of
    2,500 facts under a 250 MiB limit failed one run in six to fourteen with
    "SystemError: error return without exception set" at 212 MiB; a MemoryError came at
    223 to 250 MiB."""
    if not limits.memory:
        return False
    size = data_size()
    return size is not None and size > limits.retire_fraction * limits.memory
