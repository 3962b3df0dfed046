"""The send ledger: one row per (edition, list, recipient), in SQLite under the state folder.

A row is written as ``queued`` before anything is sent, its attempt counter is raised and
committed *before* each try, and its outcome is committed right after the server's answer.
So after a crash a row is either ``sent`` (never sent again, unless resent on purpose) or
not, and a ``queued`` row with attempts > 0 is one whose last try may or may not have
reached the server: it is tried again with the same Message-ID, so a receiver can tell a
repeat from a new message.

Other modules keep their own tables in the same file; each creates its own schema,
idempotently, when it opens the database.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.store import ensure_schema, open_store

Status = Literal["queued", "sent", "failed", "ambiguous"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    brief_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    list_name TEXT NOT NULL,
    recipient TEXT NOT NULL,
    address TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'ambiguous')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (content_hash, list_name, recipient)
);
CREATE INDEX IF NOT EXISTS deliveries_by_list ON deliveries (brief_id, list_name, sent_at);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);
"""


@dataclass(frozen=True)
class Row:
    """One ledger row: a message for one recipient of one list, for one edition."""

    id: int
    brief_id: str
    content_hash: str
    list_name: str
    recipient: str
    address: str
    generation: int
    message_id: str
    status: Status
    attempts: int
    reply: str
    edition: str
    created_at: str
    updated_at: str
    sent_at: str | None


@contextmanager
def connect(path: Path, shown: str | None = None) -> Iterator[sqlite3.Connection]:
    """The state store at ``path`` with the ledger's tables, closed on leaving."""
    with closing(open_store(path, shown)) as connection:
        ensure_schema(connection, _SCHEMA)
        yield connection


@contextmanager
def connect_memory() -> Iterator[sqlite3.Connection]:
    """An empty ledger in memory: what a dry run reads when there is no ledger yet."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        connection.row_factory = sqlite3.Row
        connection.executescript(_SCHEMA)
        yield connection


def _row(record: sqlite3.Row | None) -> Row | None:
    return None if record is None else Row(**dict(record))


def find(db: sqlite3.Connection, content_hash: str, list_name: str, recipient: str) -> Row | None:
    """The row of one (edition, list, recipient), if any."""
    return _row(
        db.execute(
            "SELECT * FROM deliveries WHERE content_hash=? AND list_name=? AND recipient=?",
            (content_hash, list_name, recipient),
        ).fetchone()
    )


def sent_to_recipient(db: sqlite3.Connection, content_hash: str, recipient: str) -> Row | None:
    """A ``sent`` row of this edition for this recipient, through any list."""
    return _row(
        db.execute(
            "SELECT * FROM deliveries WHERE content_hash=? AND recipient=? AND status='sent' "
            "ORDER BY sent_at LIMIT 1",
            (content_hash, recipient),
        ).fetchone()
    )


def enqueue(
    db: sqlite3.Connection,
    *,
    brief_id: str,
    content_hash: str,
    list_name: str,
    recipient: str,
    address: str,
    message_id: str,
    generation: int,
    edition: str,
    now: dt.datetime,
) -> Row:
    """Insert a ``queued`` row, or reset an existing one to ``queued`` with a new identity."""
    stamp = now.isoformat()
    db.execute(
        "INSERT INTO deliveries (brief_id, content_hash, list_name, recipient, address, "
        "generation, message_id, status, edition, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) "
        "ON CONFLICT (content_hash, list_name, recipient) DO UPDATE SET "
        "address=excluded.address, generation=excluded.generation, "
        "message_id=excluded.message_id, status='queued', attempts=0, reply='', "
        "edition=excluded.edition, updated_at=excluded.updated_at, sent_at=NULL",
        (
            brief_id,
            content_hash,
            list_name,
            recipient,
            address,
            generation,
            message_id,
            edition,
            stamp,
            stamp,
        ),
    )
    row = find(db, content_hash, list_name, recipient)
    assert row is not None
    return row


def start_attempt(db: sqlite3.Connection, row_id: int, now: dt.datetime) -> int:
    """Count one more try of a row, committed before the try; return its number."""
    with _transaction(db):
        db.execute(
            "UPDATE deliveries SET attempts=attempts+1, updated_at=? WHERE id=?",
            (now.isoformat(), row_id),
        )
        (attempt,) = db.execute("SELECT attempts FROM deliveries WHERE id=?", (row_id,)).fetchone()
        db.execute(
            "INSERT OR REPLACE INTO delivery_attempts VALUES (?, ?, ?, 'started', '')",
            (row_id, attempt, now.isoformat()),
        )
    return int(attempt)


def finish_attempt(
    db: sqlite3.Connection,
    row_id: int,
    attempt: int,
    *,
    status: Status,
    outcome: str,
    reply: str,
    now: dt.datetime,
) -> None:
    """Record the outcome of a try: the row's status and the attempt's server reply."""
    stamp = now.isoformat()
    with _transaction(db):
        db.execute(
            "UPDATE deliveries SET status=?, reply=?, updated_at=?, "
            "sent_at=CASE WHEN ?='sent' THEN ? ELSE sent_at END WHERE id=?",
            (status, reply, stamp, status, stamp, row_id),
        )
        db.execute(
            "UPDATE delivery_attempts SET outcome=?, reply=?, at=? "
            "WHERE delivery_id=? AND attempt=?",
            (outcome, reply, stamp, row_id, attempt),
        )


def set_message_id(db: sqlite3.Connection, row_id: int, message_id: str, now: dt.datetime) -> None:
    """Give an unsent row the Message-ID of the message composed for it, before it is tried.

    The ledger must name the Message-ID of the bytes handed to the server.
    """
    with _transaction(db):
        db.execute(
            "UPDATE deliveries SET message_id=?, updated_at=? WHERE id=? AND status<>'sent'",
            (message_id, now.isoformat(), row_id),
        )


def refuse(db: sqlite3.Connection, row_id: int, reason: str, now: dt.datetime) -> None:
    """Record why a message was not tried; no try is counted.

    The row becomes ``failed`` so that ``brief outbox --failed`` shows the reason and the
    next run tries it again; an ``ambiguous`` row stays ambiguous, since an earlier try may
    still have reached the server.
    """
    with _transaction(db):
        db.execute(
            "UPDATE deliveries SET reply=?, updated_at=?, "
            "status=CASE WHEN status='ambiguous' THEN status ELSE 'failed' END "
            "WHERE id=? AND status<>'sent'",
            (reason, now.isoformat(), row_id),
        )


def mark_covered(db: sqlite3.Connection, row_id: int, by: Row, now: dt.datetime) -> None:
    """Record that a recipient already has this edition through another list."""
    with _transaction(db):
        db.execute(
            "UPDATE deliveries SET status='sent', reply=?, message_id=?, updated_at=?, "
            "sent_at=? WHERE id=?",
            (
                f"already received through list {by.list_name}",
                by.message_id,
                now.isoformat(),
                by.sent_at,
                row_id,
            ),
        )


def last_sent_edition(
    db: sqlite3.Connection, brief_id: str, list_name: str, exclude_hash: str
) -> Row | None:
    """The most recent row of another edition of ``brief_id`` sent to ``list_name``."""
    return _row(
        db.execute(
            "SELECT * FROM deliveries WHERE brief_id=? AND list_name=? AND status='sent' "
            "AND content_hash<>? ORDER BY sent_at DESC, id DESC LIMIT 1",
            (brief_id, list_name, exclude_hash),
        ).fetchone()
    )


def edition_rows(db: sqlite3.Connection, content_hash: str) -> list[Row]:
    """Every row of one edition, in a stable order."""
    records = db.execute(
        "SELECT * FROM deliveries WHERE content_hash=? ORDER BY list_name, recipient",
        (content_hash,),
    ).fetchall()
    return [Row(**dict(r)) for r in records]


def history(
    db: sqlite3.Connection, brief_ids: Sequence[str] = (), statuses: Sequence[str] = ()
) -> list[Row]:
    """Rows, newest first, optionally only of some briefs and statuses."""
    sql, params = "SELECT * FROM deliveries WHERE 1=1", []
    if brief_ids:
        sql += f" AND brief_id IN ({','.join('?' * len(brief_ids))})"
        params += list(brief_ids)
    if statuses:
        sql += f" AND status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    records = db.execute(sql + " ORDER BY updated_at DESC, id DESC", params).fetchall()
    return [Row(**dict(r)) for r in records]


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
