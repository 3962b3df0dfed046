"""Advisory file locks: one per schedule and one for sending (under ``.brief/locks/``),
and one per output folder.

``fcntl.flock`` is tied to the open file, so the kernel releases it when the holder
exits for any reason, SIGKILL included: a lock left by a killed process is simply free
the next time someone asks, and is taken over. The file carries a line naming the
holder (pid, host, what it is doing, since when) so a refusal can say who is in the way,
and is removed on release, so a finished build leaves nothing in the output folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from generator.errors import GeneratorError, OutputError
from generator.settings import Settings
from generator.writer import describe_os_error

log = logging.getLogger(__name__)

LOCKS = "locks"
#: The output folder's lock file (never published as a briefing: not .html or .pdf).
OUTPUT_LOCK = ".build.lock"
_POLL_SECONDS = 0.1


class LockBusy(GeneratorError):
    """Someone else holds the lock and did not let go within the time allowed."""


def schedule_lock(settings: Settings, name: str) -> Path:
    """The lock file of schedule ``name``."""
    return settings.state_dir / LOCKS / f"schedule-{name}.lock"


def send_lock(settings: Settings) -> Path:
    """The project's send lock: one ``brief send`` (or scheduled send) at a time."""
    return settings.state_dir / LOCKS / "send.lock"


def output_lock(settings: Settings) -> Path:
    """The lock file of the settings' output folder, kept inside that folder.

    Inside it rather than under ``.brief/``, so that two projects building into one
    folder also exclude each other, and a build leaves no state behind.
    """
    return settings.output_dir / OUTPUT_LOCK


@contextlib.contextmanager
def hold(path: Path, *, purpose: str, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock at ``path`` for the ``with`` block; the file exists only meanwhile.

    Waits up to ``wait`` seconds for another holder; then raises :class:`LockBusy` with a
    message naming ``what`` is locked and who holds it. ``purpose`` is written into the
    lock file for the next one who asks. A lock file that cannot be created (a read-only
    or full folder) raises :class:`OutputError` naming it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _acquire(path, what, wait)
    except OSError as exc:
        raise OutputError(
            f"cannot lock {what}: cannot write {path}: {describe_os_error(exc)}"
        ) from None
    try:
        # The holder line only informs the next one who asks: a full disk must not stop
        # the build here, before it can say which output it could not write.
        with contextlib.suppress(OSError):
            _write_holder(fd, purpose)
        yield
    finally:
        # Removed while still locked: a waiter holding the old file notices (see
        # _is_current) and opens the path afresh.
        with contextlib.suppress(OSError):
            path.unlink()
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def holder(path: Path) -> str:
    """The holder line written into the lock file ('' when none)."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _acquire(path: Path, what: str, wait: float) -> int:
    """An open descriptor of ``path``, locked, still being the file at ``path``."""
    deadline = time.monotonic() + max(wait, 0.0)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if not told and wait > 0:
                log.info("waiting up to %g s for %s (in use by %s)", wait, what, holder(path))
                told = True
            if time.monotonic() >= deadline:
                who = holder(path) or "another process"
                waited = f" after waiting {wait:g} s" if wait > 0 else ""
                raise LockBusy(f"{what} is in use by {who}{waited}") from None
            time.sleep(_POLL_SECONDS)
            continue
        if _is_current(fd, path):
            return fd
        os.close(fd)


def _is_current(fd: int, path: Path) -> bool:
    """Whether ``fd`` is still the file at ``path`` (its holder may have removed it)."""
    try:
        there = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _write_holder(fd: int, purpose: str) -> None:
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = f"pid {os.getpid()} on {socket.gethostname()} ({purpose}) since {since}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, line.encode("utf-8"), 0)
