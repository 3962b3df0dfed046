"""The health of the schedules, for ``brief schedule status`` and ``.brief/health.json``.

One answer, as plain data (JSON-ready), computed from the history at a given moment:
per schedule, its last run and outcome, its last success, the failures since, the next
slot, and whether a slot has waited past its grace period with nothing run or recorded
(the scheduler is not running). A schedule is *failing* when its latest run failed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from generator.config import Schedule
from generator.schedule.history import Result, Run, last_slot, parse_iso, select_runs
from generator.schedule.reports import per_list
from generator.schedule.slots import iso, upcoming, within_grace
from generator.settings import Settings
from generator.writer import write_atomic

#: The file a monitor can read, under the project's ``.brief/`` folder.
HEALTH_FILE = "health.json"
#: The results of a run that happened (not a skipped slot).
RAN: tuple[Result, ...] = ("running", "ok", "late", "failed")


def health(
    db: sqlite3.Connection | None, schedules: Sequence[Schedule], now: dt.datetime
) -> dict[str, Any]:
    """Every schedule's health at ``now``; ``db`` None means no history yet."""
    items = [_one(db, schedule, now) for schedule in schedules]
    return {
        "checked_at": iso(now),
        "healthy": all(item["healthy"] for item in items),
        "schedules": items,
    }


def _one(db: sqlite3.Connection | None, schedule: Schedule, now: dt.datetime) -> dict[str, Any]:
    last = _latest(db, schedule.name, now, RAN)
    success = _latest(db, schedule.name, now, ("ok", "late"))
    overdue = _overdue(db, schedule, now)
    failing = last is not None and last.result == "failed"
    return {
        "name": schedule.name,
        "healthy": not failing and overdue is None,
        "state": "failing" if failing else "overdue" if overdue else _quiet_state(last),
        "last_run": _run(last) if last else None,
        "last_success": _run(success) if success else None,
        "failures_since_success": _failures(db, schedule.name, now, success),
        "next_due": _next(schedule, now),
        "overdue": overdue is not None,
        "overdue_slot": overdue,
    }


def _quiet_state(last: Run | None) -> str:
    if last is None:
        return "no runs yet"
    return "running" if last.result == "running" else "ok"


def _latest(
    db: sqlite3.Connection | None, name: str, now: dt.datetime, results: Sequence[Result]
) -> Run | None:
    if db is None:
        return None
    found = select_runs(db, name, until=now, results=results, limit=1)
    return found[0] if found else None


def _failures(
    db: sqlite3.Connection | None, name: str, now: dt.datetime, success: Run | None
) -> int:
    """Failed runs after the last success (all of them when there was none)."""
    if db is None:
        return 0
    after = success.planned_utc if success else ""
    (count,) = db.execute(
        "SELECT COUNT(*) FROM schedule_runs WHERE schedule = ? AND result = 'failed' "
        "AND planned_utc > ? AND planned_utc <= ?",
        (name, after, iso(now)),
    ).fetchone()
    return int(count)


def _overdue(db: sqlite3.Connection | None, schedule: Schedule, now: dt.datetime) -> str | None:
    """The oldest slot after the cursor, if it is past the grace period and not handled."""
    if db is None:
        return None
    cursor = last_slot(db, schedule.name, now) or _first_seen(db, schedule.name)
    if cursor is None:
        return None
    following = upcoming(schedule, cursor, 1)
    if not following or following[0] > now or within_grace(schedule, following[0], now):
        return None
    return iso(following[0])


def _first_seen(db: sqlite3.Connection | None, name: str) -> dt.datetime | None:
    if db is None:
        return None
    row = db.execute(
        "SELECT first_seen_utc FROM schedule_seen WHERE schedule = ?", (name,)
    ).fetchone()
    return parse_iso(row[0]) if row else None


def _next(schedule: Schedule, now: dt.datetime) -> str | None:
    found = upcoming(schedule, now, 1)
    return iso(found[0]) if found else None


def _run(run: Run) -> dict[str, Any]:
    return {
        "slot": run.planned_utc,
        "kind": run.kind,
        "result": run.result,
        "ended_at": run.ended_at,
        "error": run.error,
    }


def write_health(settings: Settings, report: dict[str, Any]) -> None:
    """Write ``.brief/health.json`` atomically: a monitor never reads half a file."""
    data = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_atomic(settings.state_dir / HEALTH_FILE, data.encode("utf-8"))


def render_text(report: dict[str, Any]) -> list[str]:
    """One aligned line per schedule, then the verdict."""
    header = ("SCHEDULE", "STATE", "LAST RUN", "LAST SUCCESS", "FAILURES", "NEXT DUE")
    rows = [header]
    for item in report["schedules"]:
        last, success = item["last_run"], item["last_success"]
        state = item["state"]
        if item["overdue"]:
            overdue = f"overdue since {item['overdue_slot']}"
            state = f"failing, {overdue}" if state == "failing" else overdue
        rows.append(
            (
                item["name"],
                state,
                f"{last['slot']} {last['result']}" if last else "-",
                success["slot"] if success else "-",
                str(item["failures_since_success"]),
                item["next_due"] or "never",
            )
        )
    lines = table(rows)
    verdict = "healthy" if report["healthy"] else "NOT healthy"
    return [*lines, "", f"{verdict} at {report['checked_at']}"]


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as left-aligned columns two spaces apart, no trailing blanks."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def history_rows(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """Runs as JSON objects with stable keys (documented in docs/scheduling.md)."""
    return [
        {
            "schedule": run.schedule,
            "slot": run.planned_utc,
            "kind": run.kind,
            "result": run.result,
            "started_at": run.started_at,
            "ended_at": run.ended_at,
            "built": run.built,
            "archived": run.archived,
            "sent": run.sent,
            "deferred": list(run.deferred),
            "error": run.error,
            "note": run.note,
            "resumes": run.resumes,
            "skipped_from": run.skipped_from,
            "skipped_count": run.skipped_count if run.result == "skipped" else 0,
        }
        for run in runs
    ]


def history_text(runs: Sequence[Run]) -> list[str]:
    """Runs as an aligned table, newest first; the last column is the error, else the note."""
    header = ("SCHEDULE", "SLOT", "KIND", "RESULT", "STARTED", "ENDED", "BUILT", "ARCHIVED")
    rows = [(*header, "SENT", "DEFERRED", "ERROR / NOTE")]
    for run in runs:
        slot = run.planned_utc
        if run.skipped_from:
            slot = f"{run.skipped_from}..{slot} ({run.skipped_count:,})"
        rows.append(
            (
                run.schedule,
                slot,
                run.kind,
                run.result,
                _short(run.started_at),
                _short(run.ended_at),
                ", ".join(run.built) or "-",
                str(len(run.archived)) if run.archived else "-",
                per_list(run.sent) or "-",
                str(len(run.deferred)) if run.deferred else "-",
                run.error or run.note or "-",
            )
        )
    return table(rows)


def _short(stamp: str | None) -> str:
    """``2026-03-30T07:00:02Z`` from a stamp in milliseconds; ``-`` for none."""
    return f"{stamp[:19]}Z" if stamp else "-"
