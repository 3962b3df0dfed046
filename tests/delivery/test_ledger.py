"""The send ledger in SQLite: rows, attempts, history, and a schema safe to create twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

from generator.delivery import ledger
from generator.store import store_path

NOW = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC)


def _queue(db, recipient="ann@example.org", list_name="desk", content_hash="h1"):
    return ledger.enqueue(
        db,
        brief_id="hk",
        content_hash=content_hash,
        list_name=list_name,
        recipient=recipient,
        address=recipient,
        message_id=f"<{content_hash}.{recipient}@example.org>",
        generation=0,
        edition=f"2026-01-20-{content_hash}",
        now=NOW,
    )


def test_attempts_and_outcomes_are_recorded(tmp_path):
    with ledger.connect(store_path(tmp_path)) as db:
        row = _queue(db)
        first = ledger.start_attempt(db, row.id, NOW)
        ledger.finish_attempt(
            db,
            row.id,
            first,
            status="failed",
            outcome="temporary",
            reply="451 4.3.0 try later",
            now=NOW,
        )
        second = ledger.start_attempt(db, row.id, NOW)
        ledger.finish_attempt(
            db, row.id, second, status="sent", outcome="sent", reply="250 OK", now=NOW
        )
    with ledger.connect(store_path(tmp_path)) as db:
        done = ledger.find(db, "h1", "desk", "ann@example.org")
        attempts = db.execute("SELECT attempt, outcome FROM delivery_attempts").fetchall()
    assert (done.status, done.attempts, done.reply) == ("sent", 2, "250 OK")
    assert done.sent_at == NOW.isoformat()
    assert [tuple(a) for a in attempts] == [(1, "temporary"), (2, "sent")]


def test_started_attempt_survives_a_crash(tmp_path):
    path = store_path(tmp_path)
    with ledger.connect(path) as db:
        row = _queue(db)
        ledger.start_attempt(db, row.id, NOW)
    with ledger.connect(path) as db:
        again = ledger.find(db, "h1", "desk", "ann@example.org")
    assert (again.status, again.attempts) == ("queued", 1)


def test_schema_creation_is_idempotent_and_shares_the_file(tmp_path):
    path = store_path(tmp_path)
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE schedule_runs (name TEXT)")
    for _ in range(2):
        with ledger.connect(path) as db:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"deliveries", "delivery_attempts", "schedule_runs"} <= tables
    assert mode == "wal"


def test_last_sent_edition_per_list(tmp_path):
    with ledger.connect(store_path(tmp_path)) as db:
        for content_hash in ("h1", "h2"):
            row = _queue(db, content_hash=content_hash)
            attempt = ledger.start_attempt(db, row.id, NOW)
            ledger.finish_attempt(
                db,
                row.id,
                attempt,
                status="sent",
                outcome="sent",
                reply="250",
                now=NOW + dt.timedelta(days=int(content_hash[1])),
            )
        assert ledger.last_sent_edition(db, "hk", "desk", "h3").content_hash == "h2"
        assert ledger.last_sent_edition(db, "hk", "desk", "h2").content_hash == "h1"
        assert ledger.last_sent_edition(db, "hk", "other", "h3") is None


#: The ``deliveries`` table as stores written before the ``deferred`` status have it.
OLD_DELIVERIES = """
CREATE TABLE deliveries (
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
CREATE INDEX deliveries_by_list ON deliveries (brief_id, list_name, sent_at);
CREATE TABLE delivery_attempts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);
INSERT INTO deliveries VALUES
    (1, 'hk', 'h1', 'team', 'ann@example.org', 'ann@example.org', 0, '<a@x>', 'sent', 1,
     '250 OK', '2026-01-20-h1', '2026-01-20T09:00:00', '2026-01-20T09:00:00',
     '2026-01-20T09:00:00'),
    (2, 'hk', 'h1', 'desk', 'ann@example.org', 'ann@example.org', 0, '<a@x>', 'sent', 0,
     'already received through list team', '2026-01-20-h1', '2026-01-20T09:00:01',
     '2026-01-20T09:00:01', '2026-01-20T09:00:00'),
    (3, 'hk', 'h1', 'team', 'bob@example.org', 'bob@example.org', 0, '<b@x>', 'failed', 2,
     '451 later', '2026-01-20-h1', '2026-01-20T09:00:02', '2026-01-20T09:00:02', NULL);
INSERT INTO delivery_attempts VALUES (1, 1, '2026-01-20T09:00:00', 'sent', '250 OK');
"""


def test_an_older_store_is_migrated_once_keeping_every_row(tmp_path):
    path = store_path(tmp_path)
    with sqlite3.connect(path) as old:
        old.executescript(OLD_DELIVERIES)
    for _ in range(2):
        with ledger.connect(path) as db:
            rows = {(r.list_name, r.recipient): r for r in ledger.history(db)}
            attempts = db.execute("SELECT * FROM delivery_attempts").fetchall()
    assert [r.id for r in rows.values()] == [1, 2, 3]
    assert rows[("team", "ann@example.org")].covered_by == ""
    assert rows[("desk", "ann@example.org")].covered_by == "team"
    bob = rows[("team", "bob@example.org")]
    assert (bob.status, bob.attempts, bob.reply, bob.as_of) == ("failed", 2, "451 later", "")
    assert [tuple(a) for a in attempts] == [(1, 1, "2026-01-20T09:00:00", "sent", "250 OK")]
    with ledger.connect(path) as db:
        ledger.defer_all(db, [_pending("bob@example.org")], "deferred: down", NOW)
        ledger.defer_all(db, [_pending("cy@example.org")], "deferred: down", NOW)
        bob = ledger.find(db, "h1", "team", "bob@example.org")
        cy = ledger.find(db, "h1", "team", "cy@example.org")
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert (bob.status, bob.message_id, bob.attempts) == ("deferred", "<b@x>", 2)
    assert (cy.status, cy.message_id, cy.attempts) == ("deferred", "<new>", 0)
    assert cy.as_of == "2026-01-19"
    assert "deliveries_by_list" in indexes


def _pending(recipient, generation=0):
    return ledger.Pending(
        brief_id="hk",
        content_hash="h1",
        list_name="team",
        recipient=recipient,
        address=recipient,
        message_id="<new>",
        generation=generation,
        edition="2026-01-20-h1",
        as_of="2026-01-19",
    )


def test_deferring_never_touches_a_sent_row_and_keeps_an_ambiguous_one(tmp_path):
    with ledger.connect(store_path(tmp_path)) as db:
        sent, unsure = _queue(db, "ann@example.org"), _queue(db, "bob@example.org")
        for row, status in ((sent, "sent"), (unsure, "ambiguous")):
            attempt = ledger.start_attempt(db, row.id, NOW)
            ledger.finish_attempt(
                db, row.id, attempt, status=status, outcome=status, reply="x", now=NOW
            )
        pending = [
            dataclasses.replace(_pending(a), list_name="desk")
            for a in ("ann@example.org", "bob@example.org")
        ]
        ledger.defer_all(db, pending, "deferred: down", NOW)
        assert ledger.find(db, "h1", "desk", "ann@example.org").status == "sent"
        assert ledger.find(db, "h1", "desk", "bob@example.org").status == "ambiguous"
        # A resend (the next generation) of a sent message is deferred as a new message.
        ledger.defer_all(db, [dataclasses.replace(pending[0], generation=1)], "deferred", NOW)
        again = ledger.find(db, "h1", "desk", "ann@example.org")
    assert (again.status, again.generation, again.message_id, again.sent_at) == (
        "deferred",
        1,
        "<new>",
        None,
    )
