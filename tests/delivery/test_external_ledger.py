"""The ledger says which edition each recipient got; a ledger of the previous shape keeps
working, its rows' edition unknown."""

from __future__ import annotations

import datetime as dt
import sqlite3

from generator.delivery import ledger, outbox
from generator.settings import default_settings
from generator.store import store_path

NOW = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC)

#: The ``deliveries`` table as the release before editions wrote it.
PREVIOUS_SHAPE = """
CREATE TABLE deliveries (
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
    UNIQUE (content_hash, list_name, recipient)
);
INSERT INTO deliveries VALUES
    (1, 'hk', 'h1', 'team', 'ann@example.org', 'ann@example.org', 0, '<a@x>', 'sent', 1,
     '250 OK', '2026-01-19-h1', '2026-01-19T09:00:00', '2026-01-19T09:00:00',
     '2026-01-19T09:00:00', '2026-01-18', '');
"""


def _queue(db, kind, recipient="pat@example.org", list_name="partners"):
    return ledger.enqueue(
        db,
        brief_id="hk",
        content_hash="h2",
        list_name=list_name,
        recipient=recipient,
        address=recipient,
        message_id=f"<h2.{recipient}>",
        generation=0,
        edition="2026-01-20-h2",
        now=NOW,
        as_of="2026-01-20",
        edition_kind=kind,
    )


def test_a_ledger_of_the_previous_shape_gains_the_column_and_keeps_its_rows(tmp_path):
    path = store_path(tmp_path / ".brief")
    path.parent.mkdir()
    with sqlite3.connect(path) as old:
        old.executescript(PREVIOUS_SHAPE)
    for _ in range(2):  # the second opening finds nothing to do
        with ledger.connect(path) as db:
            (ann,) = ledger.history(db)
    assert (ann.status, ann.as_of, ann.message_id, ann.edition_kind) == (
        "sent",
        "2026-01-18",
        "<a@x>",
        "",
    )
    with ledger.connect(path) as db:
        pat = _queue(db, "external")
        ledger.defer_all(
            db,
            [
                ledger.Pending(
                    "hk",
                    "h2",
                    "team",
                    "bob@example.org",
                    "bob@example.org",
                    "<b>",
                    0,
                    "2026-01-20-h2",
                    "2026-01-20",
                    "internal",
                )
            ],
            "deferred: down",
            NOW,
        )
        bob = ledger.find(db, "h2", "team", "bob@example.org")
    assert pat.edition_kind == "external"
    assert (bob.status, bob.edition_kind) == ("deferred", "internal")


def test_outbox_entries_name_the_edition_kind(tmp_path):
    project = tmp_path / "project"
    (project / "briefs").mkdir(parents=True)
    settings = default_settings(project)
    path = store_path(settings.state_dir)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as old:
        old.executescript(PREVIOUS_SHAPE)
    with ledger.connect(path) as db:
        _queue(db, "external")
        _queue(db, "only", recipient="dee@example.org", list_name="desk")
    kinds = {e.recipient: e.edition_kind for e in outbox.entries(settings)}
    assert kinds == {
        "ann@example.org": "unknown",
        "pat@example.org": "external",
        "dee@example.org": "only",
    }
    (entry,) = [e for e in outbox.entries(settings) if e.recipient == "pat@example.org"]
    assert entry.json()["edition_kind"] == "external"
