"""The send ledger in SQLite: rows, attempts, history, and a schema safe to create twice."""

from __future__ import annotations

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
