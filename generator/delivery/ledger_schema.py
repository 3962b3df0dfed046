"""The send ledger's tables, and how a store of an older version is brought up to date.

:mod:`generator.delivery.ledger` creates these on opening the store; :func:`migrate`
rebuilds a ``deliveries`` table of an older shape in place, keeping every row, or adds
the one column a store of the last shape lacks.

``edition_kind`` says which edition a recipient got: ``internal``, ``external``, or
``only`` for a briefing without internal content (its one edition, for every list). Rows
written before the column existed have ``''``: ``brief outbox`` shows them as unknown.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from generator.store import StateError

_DELIVERIES = """
CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY,
    brief_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    list_name TEXT NOT NULL,
    recipient TEXT NOT NULL,
    address TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'sent', 'failed', 'ambiguous', 'deferred')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    as_of TEXT NOT NULL DEFAULT '',
    covered_by TEXT NOT NULL DEFAULT '',
    edition_kind TEXT NOT NULL DEFAULT '',
    UNIQUE (content_hash, list_name, recipient)
);
"""
#: The columns every version of the table has had, copied over by :func:`migrate`.
_OLD_COLUMNS = (
    "id, brief_id, content_hash, list_name, recipient, address, generation, message_id, "
    "status, attempts, reply, edition, created_at, updated_at, sent_at"
)
#: How :func:`mark_covered` words the reply; older stores knew a covered row only by it.
COVERED_REPLY = "already received through list "
SCHEMA = (
    _DELIVERIES.format(name="deliveries")
    + """
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
)


#: Columns added to the last shape with ``ALTER TABLE``, in the order they were added.
_ADDED = (("edition_kind", "TEXT NOT NULL DEFAULT ''"),)


def migrate(db: sqlite3.Connection, shown: str) -> None:
    """Bring a ``deliveries`` table of an older version up to date, in one transaction.

    A table without the ``deferred`` status or ``covered_by`` is rebuilt: SQLite cannot
    change a CHECK constraint in place, so the rows are copied into a table of the current
    shape. A table of that shape lacking a later column gets it added, with its default.
    Checked again inside the transaction: two processes opening an old store at once
    migrate it once.
    """
    if _current(db) and not _missing(db):
        return
    try:
        with transaction(db):
            if not _current(db):
                _rebuild(db)
            for name, declaration in _missing(db):
                db.execute(f"ALTER TABLE deliveries ADD COLUMN {name} {declaration}")
    except sqlite3.Error as exc:
        raise StateError(f"cannot update the send ledger in {shown}: {exc}") from None


def _missing(db: sqlite3.Connection) -> list[tuple[str, str]]:
    have = {row[1] for row in db.execute("PRAGMA table_info(deliveries)")}
    return [(name, declaration) for name, declaration in _ADDED if name not in have]


def _rebuild(db: sqlite3.Connection) -> None:
    """Copy the rows of a table of the oldest shapes into one of the current shape."""
    db.execute(_DELIVERIES.format(name="deliveries_new"))
    db.execute(f"INSERT INTO deliveries_new ({_OLD_COLUMNS}) SELECT {_OLD_COLUMNS} FROM deliveries")
    db.execute(
        "UPDATE deliveries_new SET covered_by=substr(reply, ?) "
        "WHERE status='sent' AND reply LIKE ?",
        (len(COVERED_REPLY) + 1, COVERED_REPLY + "%"),
    )
    db.execute("DROP TABLE deliveries")
    db.execute("ALTER TABLE deliveries_new RENAME TO deliveries")
    db.execute(
        "CREATE INDEX IF NOT EXISTS deliveries_by_list ON deliveries (brief_id, list_name, sent_at)"
    )


def _current(db: sqlite3.Connection) -> bool:
    (sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name='deliveries'"
    ).fetchone()
    return "'deferred'" in sql and "covered_by" in sql


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
