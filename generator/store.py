"""The project's state store: one SQLite file under ``.brief/`` shared by every module.

The send ledger and the schedule history live in the same file (``state.sqlite``), each
module owning its tables and creating them idempotently when it opens the store. WAL
journaling lets readers (``brief schedule list``) work while a run writes; the busy
timeout makes two writers queue instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from generator.errors import GeneratorError
from generator.settings import Settings

STATE_FILE = "state.sqlite"
BUSY_TIMEOUT_MS = 30_000


class StateError(GeneratorError):
    """The state store cannot be opened or written."""


def store_path(state_dir: Path) -> Path:
    """``<state_dir>/state.sqlite``: the project's one state store."""
    return state_dir / STATE_FILE


def open_store(path: Path, shown: str | None = None) -> sqlite3.Connection:
    """Open (creating when needed) the state store at ``path``, in autocommit mode.

    The caller closes it. Transactions are explicit (``BEGIN IMMEDIATE``), so a write
    never waits half-way. Errors name the file as ``shown`` (default: the path).
    """
    shown = shown or str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open the state store {shown}: {exc}") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.row_factory = sqlite3.Row
    except sqlite3.Error as exc:
        connection.close()
        raise StateError(
            f"cannot use the state store {shown}: {exc}; restore it from a backup, or move it"
            " aside to start a new one (the send ledger and the schedule history it holds"
            " are then forgotten)"
        ) from None
    return connection


def open_project_store(settings: Settings) -> sqlite3.Connection:
    """The project's state store (``.brief/state.sqlite``); the caller closes it."""
    path = store_path(settings.state_dir)
    return open_store(path, settings.display(path))


def ensure_schema(connection: sqlite3.Connection, script: str) -> None:
    """Create a module's tables and indexes; ``script`` uses ``IF NOT EXISTS`` throughout."""
    try:
        connection.executescript(script)
    except sqlite3.Error as exc:
        raise StateError(f"cannot prepare the state store: {exc}") from None
