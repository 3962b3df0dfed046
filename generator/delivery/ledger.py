"""The send ledger: one row per (edition, list, recipient), in SQLite under the state folder.

A row is written as ``queued`` before anything is sent, its attempt counter is raised and
committed *before* each try, and its outcome is committed right after the server's answer.
So after a crash a row is either ``sent`` (never sent again, unless resent on purpose) or
not, and a ``queued`` row with attempts > 0 is one whose last try may or may not have
reached the server: it is tried again with the same Message-ID, so a receiver can tell a
repeat from a new message.

A row's ``generation`` says which send of its edition it belongs to: 0 for the first,
1, 2, ... for each ``--resend``; the Message-ID is derived from it. ``deferred`` rows are
messages a run planned but did not try because the mail server could not be used; like
``queued``, ``failed`` and ``ambiguous`` rows they are due again on the next run, with the
same generation and Message-ID. A row ``covered_by`` another list is ``sent``: its
recipient received the edition through that list.

Other modules keep their own tables in the same file; each creates its own schema,
idempotently, when it opens the database. A store written by an older version is brought
up to date on opening (:func:`~generator.delivery.ledger_schema.migrate`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.delivery.ledger_schema import COVERED_REPLY, SCHEMA, migrate, transaction
from generator.store import ensure_schema, open_store

Status = Literal["queued", "sent", "failed", "ambiguous", "deferred"]


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
    as_of: str = ""
    covered_by: str = ""
    #: ``internal``, ``external`` or ``only`` (see :mod:`~.ledger_schema`); '' when unknown.
    edition_kind: str = ""


@dataclass(frozen=True)
class Pending:
    """A planned message to record as deferred: what :func:`enqueue` would record."""

    brief_id: str
    content_hash: str
    list_name: str
    recipient: str
    address: str
    message_id: str
    generation: int
    edition: str
    as_of: str
    edition_kind: str = ""


@contextmanager
def connect(path: Path, shown: str | None = None) -> Iterator[sqlite3.Connection]:
    """The state store at ``path`` with the ledger's tables, closed on leaving."""
    with closing(open_store(path, shown)) as connection:
        ensure_schema(connection, SCHEMA)
        migrate(connection, shown or str(path))
        yield connection


@contextmanager
def connect_memory() -> Iterator[sqlite3.Connection]:
    """An empty ledger in memory: what a dry run reads when there is no ledger yet."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        connection.row_factory = sqlite3.Row
        connection.executescript(SCHEMA)
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
    as_of: str = "",
    edition_kind: str = "",
) -> Row:
    """Insert a ``queued`` row, or reset an existing one to ``queued`` with a new identity."""
    stamp = now.isoformat()
    db.execute(
        "INSERT INTO deliveries (brief_id, content_hash, list_name, recipient, address, "
        "generation, message_id, status, edition, as_of, edition_kind, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?) "
        "ON CONFLICT (content_hash, list_name, recipient) DO UPDATE SET "
        "address=excluded.address, generation=excluded.generation, "
        "message_id=excluded.message_id, status='queued', attempts=0, reply='', "
        "edition=excluded.edition, as_of=excluded.as_of, edition_kind=excluded.edition_kind, "
        "updated_at=excluded.updated_at, sent_at=NULL, covered_by=''",
        (
            brief_id,
            content_hash,
            list_name,
            recipient,
            address,
            generation,
            message_id,
            edition,
            as_of,
            edition_kind,
            stamp,
            stamp,
        ),
    )
    row = find(db, content_hash, list_name, recipient)
    assert row is not None
    return row


def start_attempt(db: sqlite3.Connection, row_id: int, now: dt.datetime) -> int:
    """Count one more try of a row, committed before the try; return its number."""
    with transaction(db):
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
    with transaction(db):
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
    with transaction(db):
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
    with transaction(db):
        db.execute(
            "UPDATE deliveries SET reply=?, updated_at=?, "
            "status=CASE WHEN status='ambiguous' THEN status ELSE 'failed' END "
            "WHERE id=? AND status<>'sent'",
            (reason, now.isoformat(), row_id),
        )


def mark_covered(db: sqlite3.Connection, row_id: int, by: Row, now: dt.datetime) -> None:
    """Record that a recipient already has this edition through another list."""
    with transaction(db):
        db.execute(
            "UPDATE deliveries SET status='sent', reply=?, message_id=?, updated_at=?, "
            "sent_at=?, covered_by=? WHERE id=?",
            (
                COVERED_REPLY + by.list_name,
                by.message_id,
                now.isoformat(),
                by.sent_at,
                by.list_name,
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
    """Rows, oldest first by the time they were sent (or last changed, when not sent),
    optionally only of some briefs and statuses."""
    sql, params = "SELECT * FROM deliveries WHERE 1=1", []
    if brief_ids:
        sql += f" AND brief_id IN ({','.join('?' * len(brief_ids))})"
        params += list(brief_ids)
    if statuses:
        sql += f" AND status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    records = db.execute(sql + " ORDER BY COALESCE(sent_at, updated_at), id", params).fetchall()
    return [Row(**dict(r)) for r in records]


def list_rows(db: sqlite3.Connection, content_hash: str, list_name: str) -> dict[str, Row]:
    """The rows of one edition to one list, by recipient key."""
    records = db.execute(
        "SELECT * FROM deliveries WHERE content_hash=? AND list_name=?", (content_hash, list_name)
    ).fetchall()
    return {r["recipient"]: Row(**dict(r)) for r in records}


def abandon_attempt(
    db: sqlite3.Connection, row_id: int, attempt: int, reply: str, now: dt.datetime
) -> None:
    """Record that a try never reached a server; the row's status is left as it was (an
    ``ambiguous`` row stays ambiguous: an earlier try may have been accepted)."""
    with transaction(db):
        db.execute(
            "UPDATE delivery_attempts SET outcome='not-sent', reply=?, at=? "
            "WHERE delivery_id=? AND attempt=?",
            (reply, now.isoformat(), row_id, attempt),
        )


#: Deferring keeps a row's Message-ID, tries and status (``ambiguous`` stays ambiguous)
#: when it is of the same generation; a row of an earlier generation (a ``--resend``) is
#: reset for the new one, as :func:`enqueue` would. A ``sent`` row of the same generation
#: is never touched.
_DEFER = (
    "INSERT INTO deliveries (brief_id, content_hash, list_name, recipient, address, "
    "generation, message_id, status, reply, edition, as_of, edition_kind, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'deferred', ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (content_hash, list_name, recipient) DO UPDATE SET "
    "status=CASE WHEN generation=excluded.generation AND status='ambiguous' "
    "THEN status ELSE 'deferred' END, "
    "reply=CASE WHEN generation=excluded.generation AND status='ambiguous' "
    "THEN reply ELSE excluded.reply END, "
    "message_id=CASE WHEN generation=excluded.generation "
    "THEN message_id ELSE excluded.message_id END, "
    "attempts=CASE WHEN generation=excluded.generation THEN attempts ELSE 0 END, "
    "sent_at=NULL, covered_by='', address=excluded.address, "
    "generation=excluded.generation, edition=excluded.edition, as_of=excluded.as_of, "
    "edition_kind=excluded.edition_kind, updated_at=excluded.updated_at "
    "WHERE status<>'sent' OR generation<>excluded.generation"
)


def defer_all(
    db: sqlite3.Connection, pending: Sequence[Pending], reason: str, now: dt.datetime
) -> None:
    """Record every message of ``pending`` as ``deferred``, in one transaction: a run that
    stops because the server cannot be used leaves all or none of them marked."""
    stamp = now.isoformat()
    values = [
        (
            p.brief_id,
            p.content_hash,
            p.list_name,
            p.recipient,
            p.address,
            p.generation,
            p.message_id,
            reason,
            p.edition,
            p.as_of,
            p.edition_kind,
            stamp,
            stamp,
        )
        for p in pending
    ]
    with transaction(db):
        db.executemany(_DEFER, values)
