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


def state_path(settings: Settings) -> Path:
    """``<root>/.brief/state.sqlite``."""
    return settings.state_dir / STATE_FILE


def open_state(settings: Settings) -> sqlite3.Connection:
    """Open (creating when needed) the state store, in autocommit mode; the caller closes it.

    Transactions are explicit (``BEGIN IMMEDIATE``), so a write never waits half-way.
    """
    path = state_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open the state store {settings.display(path)}: {exc}") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.row_factory = sqlite3.Row
    except sqlite3.Error as exc:
        connection.close()
        raise StateError(f"cannot use the state store {settings.display(path)}: {exc}") from None
    return connection


def ensure_schema(connection: sqlite3.Connection, script: str) -> None:
    """Create a module's tables and indexes; ``script`` uses ``IF NOT EXISTS`` throughout."""
    try:
        connection.executescript(script)
    except sqlite3.Error as exc:
        raise StateError(f"cannot prepare the state store: {exc}") from None
