"""A pool of long-lived worker processes, each job under a time limit and a memory limit.

Workers are forked once per build and kept for every job, so what a job imports (the
fact-sheet stack, WeasyPrint) stays loaded for the next one: a warm worker renders a
small briefing in a fraction of the time a fresh process takes.

Each worker lowers its data limit (``RLIMIT_DATA``: heap and private writable mappings,
thread stacks included) when it starts, so a render that needs more memory fails in that
worker alone; it also keeps glibc to two malloc arenas. A job whose worker crashes is
tried once more on a new worker before it counts as failed. The parent enforces the wall-clock
limit: a job that overruns has its worker killed and replaced, and is reported as a
``timeout`` outcome; a worker that dies or runs out of memory is replaced the same way.

Memory a long-lived worker gains from job to job (caches, a fragmented heap) must not
turn into a failed job: after each job a worker whose data size is over
``RETIRE_FRACTION`` of its limit, or that has run ``MAX_JOBS`` jobs, replies,
then exits, and is replaced before it would get another job (:mod:`.inworker`, what runs
inside a worker).
Results come back as values (:class:`JobOutcome`), never as exceptions.

Workers ignore SIGINT, so Ctrl-C in a terminal reaches only the parent, which decides
what to stop; a worker whose parent has gone away exits by itself within a second.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.builder.inworker import Kind, Limits, serve
from generator.processes import stop

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: How long workers get to exit when the pool closes before they are killed.
CLOSE_GRACE = 2.0


@dataclass(frozen=True)
class JobOutcome:
    """How a job ended.

    ``ok``: ``value`` is what the job returned. ``failed``: the job raised a
    :class:`GeneratorError`; ``message`` and ``value`` (its diagnostics) say why.
    ``bug``: any other exception, with its traceback. ``timeout``, ``memory``,
    ``crashed``: the worker was stopped or died; ``message`` says how.
    """

    ticket: Any
    kind: Kind
    value: Any = None
    message: str = ""
    log: str = ""


@dataclass
class Worker:
    """One worker process as the parent sees it; ``log`` receives its stdout and stderr."""

    process: Any
    conn: Connection
    log: Any
    log_read: int = 0
    tags: set[str] = field(default_factory=set)
    ticket: Any = None
    tag: str | None = None
    deadline: float = 0.0

    @property
    def busy(self) -> bool:
        """Whether the worker is running a job."""
        return self.ticket is not None


class Pool:
    """``size`` forked workers; :meth:`submit` a job to an idle one, :meth:`wait` for outcomes."""

    def __init__(self, size: int, limits: Limits, release: tuple[str, ...] = ()) -> None:
        """Start ``size`` workers; they close what they inherited open on ``release`` paths
        (the output folder's lock: a killed parent's lock must not outlive it)."""
        import multiprocessing

        self.limits = limits
        self.release = release
        self._context = multiprocessing.get_context("fork")
        self.workers: list[Worker] = []
        self._pending: list[JobOutcome] = []
        for _ in range(max(1, size)):
            self.workers.append(self._start())

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    def idle(self) -> list[Worker]:
        """The workers without a job."""
        return [w for w in self.workers if not w.busy]

    def busy(self) -> list[Worker]:
        """The workers running a job."""
        return [w for w in self.workers if w.busy]

    def submit(
        self, worker: Worker, ticket: Any, fn: Callable[[Any], Any], arg: Any, tag: str = ""
    ) -> None:
        """Run ``fn(arg)`` in ``worker``; ``tag`` is added to its tags once it has run."""
        worker.ticket, worker.tag = ticket, tag
        worker.deadline = time.monotonic() + self.limits.seconds
        try:
            worker.conn.send((fn, arg))
        except (OSError, ValueError) as exc:
            self._pending.append(
                JobOutcome(ticket, "crashed", message=f"worker unreachable: {exc}")
            )
            self._replace(worker)

    def wait(self, timeout: float) -> list[JobOutcome]:
        """The outcomes of jobs that ended within ``timeout`` seconds (maybe none)."""
        if self._pending:
            done, self._pending = self._pending, []
            return done
        busy = self.busy()
        if not busy:
            return []
        from multiprocessing.connection import wait

        nearest = min(w.deadline for w in busy) - time.monotonic()
        handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        wait(handles, timeout=max(0.0, min(timeout, nearest)))
        return [outcome for w in busy if (outcome := self._check(w)) is not None]

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones (all if ``kill``) killed."""
        for worker in self.workers:
            if kill or worker.busy:
                stop(worker.process, grace=CLOSE_GRACE)
            else:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        deadline = time.monotonic() + CLOSE_GRACE
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                stop(worker.process, grace=CLOSE_GRACE)
            worker.conn.close()
            worker.log.close()
        self.workers = []

    def _check(self, worker: Worker) -> JobOutcome | None:
        ticket = worker.ticket
        try:
            has_reply = worker.conn.poll()
        except (OSError, ValueError):
            has_reply = False
        if has_reply:
            return self._receive(worker)
        if not worker.process.is_alive():
            return self._crashed(worker)
        if time.monotonic() >= worker.deadline:
            log = self._replace(worker)
            return JobOutcome(ticket, "timeout", message=f"over {self.limits.seconds:g} s", log=log)
        return None

    def _receive(self, worker: Worker) -> JobOutcome:
        ticket = worker.ticket
        try:
            kind, value, message, retiring = worker.conn.recv()
        except (EOFError, OSError):
            return self._crashed(worker)
        if kind == "memory":
            return JobOutcome(ticket, kind, value, message, self._replace(worker))
        if retiring:
            # The job is done and the worker is exiting by itself: let it finish, then
            # put a fresh one in its place before anything is submitted again.
            worker.process.join(CLOSE_GRACE)
            return JobOutcome(ticket, kind, value, message, self._replace(worker))
        worker.ticket = None
        if worker.tag:
            worker.tags.add(worker.tag)
        return JobOutcome(ticket, kind, value, message, _take_log(worker))

    def _crashed(self, worker: Worker) -> JobOutcome:
        worker.process.join(CLOSE_GRACE)
        death = _death(worker.process.exitcode)
        return JobOutcome(worker.ticket, "crashed", message=death, log=self._replace(worker))

    def _replace(self, worker: Worker) -> str:
        """Put a fresh worker in the place of ``worker`` (killed if it still runs).

        Returns what the old one wrote since last asked.
        """
        stop(worker.process, grace=CLOSE_GRACE)
        worker.conn.close()
        log = _take_log(worker)
        worker.log.close()
        index = self.workers.index(worker)
        del self.workers[index]
        self.workers.insert(index, self._start())
        return log

    def _start(self) -> Worker:
        import tempfile

        parent_end, child_end = self._context.Pipe()
        log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the worker's life)
        others = [parent_end, *(w.conn for w in self.workers), *(w.log for w in self.workers)]
        # Whatever the parent buffered must not be written a second time by the child.
        sys.stdout.flush()
        sys.stderr.flush()
        process = self._context.Process(
            target=serve,
            args=(child_end, log.fileno(), self.limits, os.getpid(), others, self.release),
            daemon=True,
        )
        process.start()
        child_end.close()
        return Worker(process, parent_end, log)


def _take_log(worker: Worker) -> str:
    """What ``worker`` wrote to its stdout and stderr since last asked."""
    try:
        size = os.fstat(worker.log.fileno()).st_size
        data = os.pread(worker.log.fileno(), size - worker.log_read, worker.log_read)
    except (OSError, ValueError):
        return ""
    worker.log_read += len(data)
    return data.decode("utf-8", "replace")


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker process was killed by {name}"
    return f"the worker process exited unexpectedly (status {exitcode})"
