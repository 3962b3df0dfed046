"""Run a function in a child process and stop it when it exceeds its time limit.

The child is started with ``spawn`` (a fresh interpreter: no inherited locks, threads or
open files) and becomes the leader of its own process group, so stopping it also stops
anything it started. Stopping is SIGTERM to the group, then SIGKILL after a short grace.
A child whose parent disappears (killed with SIGKILL, so unable to stop it) stops itself
within a second, so no run outlives its time limit unwatched.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from generator import processes
from generator.errors import GeneratorError

#: How long a stopped child gets to exit after SIGTERM before SIGKILL.
TERM_GRACE = 5.0
_TICK = 0.2


@dataclass(frozen=True)
class ChildResult:
    """How the child ended: its return value, or why there is none."""

    value: Any = None
    error: str = ""
    timed_out: bool = False
    interrupted: bool = False


def run_limited(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    seconds: float,
    *,
    stop: threading.Event | None = None,
) -> ChildResult:
    """Call ``function(*args)`` in a child process, allowing it ``seconds`` seconds.

    ``function`` and ``args`` must be picklable. An exception in the child comes back as
    ``error``; a child that runs too long, or is still running when ``stop`` is set, is
    stopped and reported as ``timed_out`` or ``interrupted``.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, os.getpid(), _log_setup(), function, args), daemon=False
    )
    child.start()
    sender.close()
    try:
        ended = _wait(receiver, seconds, stop)
        if ended is None:
            _stop(child)
            timed_out = not (stop is not None and stop.is_set())
            return ChildResult(timed_out=timed_out, interrupted=not timed_out)
        return _received(receiver, child)
    finally:
        receiver.close()
        child.join(TERM_GRACE)
        if child.is_alive():
            _stop(child)


def _wait(receiver: Connection, seconds: float, stop: threading.Event | None) -> bool | None:
    """True once the child has answered (or closed the pipe); None on time-out or stop."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or (stop is not None and stop.is_set()):
            return None
        if receiver.poll(min(left, _TICK)):
            return True


def _received(receiver: Connection, child: multiprocessing.process.BaseProcess) -> ChildResult:
    try:
        kind, payload = receiver.recv()
    except (EOFError, OSError):
        child.join(TERM_GRACE)
        return ChildResult(error=f"the run ended unexpectedly (exit code {child.exitcode})")
    return ChildResult(value=payload) if kind == "value" else ChildResult(error=payload)


def _stop(child: multiprocessing.process.BaseProcess) -> None:
    """SIGTERM to the child's process group, then SIGKILL if it lingers."""
    processes.stop(child, grace=TERM_GRACE, signals=(signal.SIGTERM, signal.SIGKILL), group=True)


@dataclass(frozen=True)
class _LogSetup:
    """The parent's logging, as far as a child needs it: levels and stderr formatters."""

    levels: tuple[tuple[str, int], ...]
    formatters: tuple[logging.Formatter | None, ...]


def _log_setup() -> _LogSetup:
    """The levels of the root and the ``generator`` loggers and the formatters of the
    parent's handlers that write to stderr.

    A spawned child starts with no logging set up: without these, what a run logs (a
    connection tried again, a briefing built twice) would be lost below WARNING and
    printed bare above it, not in the format the operator chose for the service.
    """
    root = logging.getLogger()
    to_stderr = (sys.stderr, sys.__stderr__)
    return _LogSetup(
        levels=tuple((name, logging.getLogger(name).level) for name in ("", "generator")),
        formatters=tuple(
            h.formatter
            for h in root.handlers
            if isinstance(h, logging.StreamHandler) and h.stream in to_stderr
        ),
    )


def _set_up_logging(setup: _LogSetup) -> None:
    for name, level in setup.levels:
        logging.getLogger(name).setLevel(level)
    for formatter in setup.formatters:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter)
        handler._brief = True  # type: ignore[attr-defined]  # a handler of brief's own
        logging.getLogger().addHandler(handler)


def _child(
    sender: Connection,
    parent: int,
    log_setup: _LogSetup,
    function: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    """Body of the child: own process group, parent watch, logging, call, send the answer."""
    _set_up_logging(log_setup)
    try:
        os.setpgid(0, 0)
        leader = True
    except OSError:
        leader = False
    processes.watch_parent(parent, group=leader)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        answer: tuple[str, Any] = ("value", function(*args))
    except Exception as exc:
        answer = ("error", _describe(exc))
    sender.send(answer)
    sender.close()


def _describe(exc: Exception) -> str:
    """An exception as one line: our own errors by message, anything else by type and place."""
    if isinstance(exc, GeneratorError):
        return str(exc)
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    place = f" at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno}" if where else ""
    return f"internal error {type(exc).__name__}: {exc}{place}"
