"""Schedule run history in the state store: claims, outcomes and when a schedule was first seen.

A run is *claimed* by inserting its row, with ``UNIQUE (schedule, planned_utc)``, before
any work starts; only the process whose insert succeeds runs that slot, so two schedulers
started by mistake (or a clock stepped back) still run each slot once. The row is then
completed with the outcome. Slots recorded as skipped get a row too, which moves the
schedule's cursor past them.

A row may stand for several skipped slots: ``planned_utc`` is the last of them (so the
claim on it is an ordinary one, and the cursor moves past them all), ``skipped_from``
the first and ``skipped_count`` how many; a single slot has NULL and 1.

A row left ``running`` by a process that was killed is either *resumed* (reopened for the
same slot, ``resumes`` counting how often, the note saying when) or closed as failed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.schedule.slots import iso, stamp
from generator.store import StateError, ensure_schema

UTC = dt.UTC
Result = Literal["running", "ok", "late", "failed", "skipped"]
Kind = Literal["scheduled", "manual"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS schedule_runs (
    id INTEGER PRIMARY KEY,
    schedule TEXT NOT NULL,
    planned_utc TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    result TEXT NOT NULL CHECK (result IN ('running', 'ok', 'late', 'failed', 'skipped')),
    claimed_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    built TEXT NOT NULL DEFAULT '[]',
    sent TEXT NOT NULL DEFAULT '[]',
    archived TEXT NOT NULL DEFAULT '[]',
    error TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER,
    resumes INTEGER NOT NULL DEFAULT 0,
    deferred TEXT NOT NULL DEFAULT '[]',
    skipped_from TEXT,
    skipped_count INTEGER NOT NULL DEFAULT 1,
    UNIQUE (schedule, planned_utc)
);
CREATE INDEX IF NOT EXISTS schedule_runs_by_kind ON schedule_runs (schedule, kind, planned_utc);
CREATE INDEX IF NOT EXISTS schedule_runs_by_end ON schedule_runs (ended_at);
CREATE TABLE IF NOT EXISTS schedule_seen (
    schedule TEXT PRIMARY KEY,
    first_seen_utc TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Run:
    """One row of the history."""

    id: int
    schedule: str
    planned_utc: str
    kind: Kind
    result: Result
    started_at: str | None
    ended_at: str | None
    built: list[str]
    sent: list[str]
    archived: list[str]
    error: str
    note: str
    resumes: int = 0
    deferred: tuple[str, ...] = ()
    skipped_from: str | None = None
    skipped_count: int = 1


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, as recorded."""

    result: Result
    built: Sequence[str] = ()
    sent: Sequence[str] = ()
    archived: Sequence[str] = ()
    error: str = ""
    note: str = ""
    deferred: Sequence[str] = ()


#: Why a row left ``running`` has no outcome.
INTERRUPTED = "interrupted: the process running it ended before recording an outcome"


#: Columns newer than the first version of the table, added to an older file on open.
_ADDED_COLUMNS = (
    ("resumes", "INTEGER NOT NULL DEFAULT 0"),
    ("deferred", "TEXT NOT NULL DEFAULT '[]'"),
    ("skipped_from", "TEXT"),
    ("skipped_count", "INTEGER NOT NULL DEFAULT 1"),
)


def ensure_tables(connection: sqlite3.Connection) -> None:
    """Create the history tables if needed, and add columns newer than the file."""
    ensure_schema(connection, SCHEMA)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(schedule_runs)")}
    for name, declaration in _ADDED_COLUMNS:
        if name in columns:
            continue
        try:
            connection.execute(f"ALTER TABLE schedule_runs ADD COLUMN {name} {declaration}")
        except sqlite3.OperationalError as exc:
            # Another process opening the store at the same moment added it first.
            if "duplicate column" not in str(exc):
                raise StateError(f"cannot prepare the state store: {exc}") from None


def first_seen(connection: sqlite3.Connection, schedule: str, now: dt.datetime) -> dt.datetime:
    """When the schedule was first evaluated (recorded as ``now`` the first time)."""
    connection.execute(
        "INSERT OR IGNORE INTO schedule_seen (schedule, first_seen_utc) VALUES (?, ?)",
        (schedule, iso(now)),
    )
    (text,) = connection.execute(
        "SELECT first_seen_utc FROM schedule_seen WHERE schedule = ?", (schedule,)
    ).fetchone()
    return parse_iso(text)


def last_slot(
    connection: sqlite3.Connection, schedule: str, now: dt.datetime
) -> dt.datetime | None:
    """The newest scheduled slot at or before ``now`` that has a row, if any.

    Rows after ``now`` (left by a run with a simulated time, or before the clock was
    stepped back) do not move the cursor; their claims still stop a second run.
    """
    row = connection.execute(
        "SELECT MAX(planned_utc) FROM schedule_runs "
        "WHERE schedule = ? AND kind = 'scheduled' AND planned_utc <= ?",
        (schedule, iso(now)),
    ).fetchone()
    return parse_iso(row[0]) if row[0] else None


def claimed_between(
    connection: sqlite3.Connection, schedule: str, after: dt.datetime, until: dt.datetime
) -> set[dt.datetime]:
    """Slots in ``(after, until]`` that already have a row."""
    rows = connection.execute(
        "SELECT planned_utc FROM schedule_runs "
        "WHERE schedule = ? AND planned_utc > ? AND planned_utc <= ?",
        (schedule, iso(after), iso(until)),
    ).fetchall()
    return {parse_iso(text) for (text,) in rows}


def claim(
    connection: sqlite3.Connection,
    schedule: str,
    slot: dt.datetime,
    *,
    kind: Kind,
    now: dt.datetime,
    note: str = "",
) -> int | None:
    """Claim a slot for running; the row id, or None if another process has it already."""
    try:
        cursor = connection.execute(
            "INSERT INTO schedule_runs (schedule, planned_utc, kind, result, claimed_at, "
            "started_at, note, host, pid) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)",
            (schedule, iso(slot), kind, stamp(now), stamp(now), note, _host(), os.getpid()),
        )
    except sqlite3.IntegrityError:
        return None
    return int(cursor.lastrowid or 0)


def record_skip(
    connection: sqlite3.Connection,
    schedule: str,
    slot: dt.datetime,
    note: str,
    now: dt.datetime,
    *,
    first: dt.datetime | None = None,
    count: int = 1,
) -> bool:
    """Record a slot as skipped (or ``count`` slots from ``first`` to ``slot``, as one row);
    False if ``slot`` already had a row."""
    cursor = connection.execute(
        "INSERT OR IGNORE INTO schedule_runs (schedule, planned_utc, kind, result, claimed_at, "
        "ended_at, note, host, pid, skipped_from, skipped_count) "
        "VALUES (?, ?, 'scheduled', 'skipped', ?, ?, ?, ?, ?, ?, ?)",
        (
            schedule,
            iso(slot),
            stamp(now),
            stamp(now),
            note,
            _host(),
            os.getpid(),
            iso(first) if first is not None and count > 1 else None,
            count,
        ),
    )
    return cursor.rowcount == 1


def finish(
    connection: sqlite3.Connection, run_id: int, outcome: RunOutcome, now: dt.datetime
) -> None:
    """Complete a claimed run with its outcome."""
    connection.execute(
        "UPDATE schedule_runs SET result = ?, ended_at = ?, built = ?, sent = ?, archived = ?, "
        "deferred = ?, error = ?, note = CASE WHEN ? = '' THEN note WHEN note = '' THEN ? "
        "ELSE note || '; ' || ? END WHERE id = ?",
        (
            outcome.result,
            stamp(now),
            json.dumps(list(outcome.built)),
            json.dumps(list(outcome.sent)),
            json.dumps(list(outcome.archived)),
            json.dumps(list(outcome.deferred)),
            outcome.error,
            outcome.note,
            outcome.note,
            outcome.note,
            run_id,
        ),
    )


def close_interrupted(connection: sqlite3.Connection, schedule: str, now: dt.datetime) -> int:
    """Mark runs still ``running`` as failed: their process ended without recording.

    Call only while holding the schedule's lock, when no run of it can be in progress.
    """
    cursor = connection.execute(
        "UPDATE schedule_runs SET result = 'failed', ended_at = ?, error = ? "
        "WHERE schedule = ? AND result = 'running'",
        (stamp(now), INTERRUPTED, schedule),
    )
    return cursor.rowcount


def interrupted(connection: sqlite3.Connection, schedule: str) -> list[Run]:
    """Rows still ``running``, oldest slot first: under the schedule's lock, runs whose
    process ended (killed, power lost) before recording an outcome."""
    rows = connection.execute(
        "SELECT * FROM schedule_runs WHERE schedule = ? AND result = 'running' "
        "ORDER BY planned_utc, id",
        (schedule,),
    ).fetchall()
    return [_run(row) for row in rows]


def resume(connection: sqlite3.Connection, run_id: int, now: dt.datetime) -> bool:
    """Reopen an interrupted row for this process; False if it is no longer ``running``.

    The row keeps its slot (the claim stays unique) and its first start; the note says
    when it was resumed, ``resumes`` how many times.
    """
    note = f"resumed at {stamp(now)} after an interruption"
    cursor = connection.execute(
        "UPDATE schedule_runs SET resumes = resumes + 1, host = ?, pid = ?, "
        "note = CASE WHEN note = '' THEN ? ELSE ? || '; ' || note END "
        "WHERE id = ? AND result = 'running'",
        (_host(), os.getpid(), note, note, run_id),
    )
    return cursor.rowcount == 1


def note_run(connection: sqlite3.Connection, run_id: int, error: str) -> None:
    """Write ``error`` on a row that stays ``running`` (its child died; it is resumed later)."""
    connection.execute(
        "UPDATE schedule_runs SET error = ? WHERE id = ? AND result = 'running'", (error, run_id)
    )


def close_run(connection: sqlite3.Connection, run_id: int, error: str, now: dt.datetime) -> None:
    """Record an interrupted row as failed with ``error`` (one not resumed)."""
    connection.execute(
        "UPDATE schedule_runs SET result = 'failed', ended_at = ?, error = ? "
        "WHERE id = ? AND result = 'running'",
        (stamp(now), error, run_id),
    )


def runs(connection: sqlite3.Connection, schedule: str, limit: int = 20) -> list[Run]:
    """The schedule's rows, newest planned slot first."""
    rows = connection.execute(
        "SELECT * FROM schedule_runs WHERE schedule = ? ORDER BY planned_utc DESC, id DESC LIMIT ?",
        (schedule, limit),
    ).fetchall()
    return [_run(row) for row in rows]


def prune(connection: sqlite3.Connection, keep_days: int, now: dt.datetime) -> int:
    """Delete runs that ended more than ``keep_days`` ago; how many were deleted.

    The newest row of each schedule is kept whatever its age: it is the schedule's
    cursor, and without it the schedule would start over from when it was first seen.
    Rows still ``running`` have no end and are never pruned.
    """
    cutoff = stamp(now - dt.timedelta(days=keep_days))
    cursor = connection.execute(
        "DELETE FROM schedule_runs WHERE ended_at IS NOT NULL AND ended_at < ? "
        "AND id NOT IN (SELECT id FROM schedule_runs AS r WHERE r.kind = 'scheduled' "
        "AND r.planned_utc = (SELECT MAX(planned_utc) FROM schedule_runs AS n "
        "WHERE n.schedule = r.schedule AND n.kind = 'scheduled' AND n.planned_utc <= ?))",
        (cutoff, iso(now)),
    )
    return cursor.rowcount


def select_runs(
    connection: sqlite3.Connection,
    schedule: str | None = None,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    results: Sequence[Result] = (),
    limit: int | None = None,
) -> list[Run]:
    """Rows newest slot first: of one schedule or all, planned in ``[since, until]``, with
    one of ``results`` if given, at most ``limit``."""
    where: list[str] = ["1 = 1"]
    args: list[object] = []
    for clause, value in (
        ("schedule = ?", schedule),
        ("planned_utc >= ?", since),
        ("planned_utc <= ?", until),
    ):
        if value is not None:
            where.append(clause)
            args.append(iso(value) if isinstance(value, dt.datetime) else value)
    if results:
        where.append(f"result IN ({', '.join('?' * len(results))})")
        args += list(results)
    rows = connection.execute(
        f"SELECT * FROM schedule_runs WHERE {' AND '.join(where)} "
        "ORDER BY planned_utc DESC, id DESC LIMIT ?",
        [*args, -1 if limit is None else limit],
    ).fetchall()
    return [_run(row) for row in rows]


def parse_iso(text: str) -> dt.datetime:
    """An instant written by :func:`generator.schedule.slots.iso` or :func:`_stamp`."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _run(row: sqlite3.Row) -> Run:
    return Run(
        id=row["id"],
        schedule=row["schedule"],
        planned_utc=row["planned_utc"],
        kind=row["kind"],
        result=row["result"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        built=json.loads(row["built"]),
        sent=json.loads(row["sent"]),
        archived=json.loads(row["archived"]),
        error=row["error"],
        note=row["note"],
        resumes=row["resumes"],
        deferred=tuple(json.loads(row["deferred"])),
        skipped_from=row["skipped_from"],
        skipped_count=row["skipped_count"],
    )


def _host() -> str:
    return socket.gethostname()
