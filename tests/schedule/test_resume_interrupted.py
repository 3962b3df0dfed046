"""Runs left ``running`` by a killed process: resumed within the grace period, at most
:data:`MAX_RESUMES` times, scheduled runs only; otherwise recorded as failed, saying why.

In process, with rows planted in the history as a killed ``run-due`` leaves them; the end
to end case (a real SMTP server, SIGKILL) is ``test_schedule_resume.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from generator.config import Schedule
from generator.schedule import history as run_history
from generator.schedule.runner import run_due
from generator.schedule.slots import MAX_RESUMES, resumption
from generator.settings import default_settings
from generator.store import open_project_store
from tests.schedule.test_schedule_runs import BEFORE, MON_8, context, daily, write_delivery

UTC = dt.UTC


def plant(project: Path, kind: run_history.Kind = "scheduled", resumes: int = 0) -> None:
    """A row for 08:00 Monday left ``running``, as a run-due killed mid-run leaves it."""
    with closing(open_project_store(default_settings(project))) as db:
        run_history.ensure_tables(db)
        run_id = run_history.claim(db, "daily-ev", MON_8, kind=kind, now=MON_8)
        db.execute("UPDATE schedule_runs SET resumes = ? WHERE id = ?", (resumes, run_id))


def only_row(project: Path) -> run_history.Run:
    with closing(open_project_store(default_settings(project))) as db:
        (run,) = run_history.runs(db, "daily-ev")
    return run


@pytest.fixture
def ev_project(project, write_brief):
    write_brief("alpha", tags=["ev"], title="Alpha plant")
    write_delivery(project, daily(grace_minutes=60))
    run_due(context(project, BEFORE))
    return project


def test_resumed_late_within_the_grace_period(ev_project):
    plant(ev_project)
    (report,) = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=59)))
    assert (report.result, report.slot) == ("late", MON_8)
    run = only_row(ev_project)
    assert (run.result, run.resumes, run.built) == ("late", 1, ["alpha"])
    assert run.note.startswith("resumed at 2026-03-02T08:59:00.000Z after an interruption")
    assert run_due(context(ev_project, MON_8 + dt.timedelta(minutes=59))) == []


def test_past_the_grace_period_it_is_failed_as_missed(ev_project):
    plant(ev_project)
    (report,) = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=61)))
    expected = "interrupted, not resumed: missed; older than the grace period (1 h)"
    assert (report.result, report.detail) == ("failed", expected)
    run = only_row(ev_project)
    assert (run.result, run.error, run.resumes, run.built) == ("failed", expected, 0, [])


def test_a_run_killed_again_and_again_is_given_up(ev_project):
    plant(ev_project, resumes=MAX_RESUMES)
    (report,) = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=5)))
    assert report.detail == f"interrupted, not resumed: already resumed {MAX_RESUMES} time(s)"
    assert only_row(ev_project).result == "failed"


def test_a_manual_run_is_not_resumed(ev_project):
    plant(ev_project, kind="manual")
    reports = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=5)))
    assert [(r.result, r.detail) for r in reports] == [
        ("failed", "interrupted, not resumed: a manual run is not resumed")
    ]


def test_resumption_decision_is_a_pure_function_of_time():
    schedule = Schedule.model_validate(
        {"name": "w", "cron": "0 8 * * *", "select": {}, "grace_minutes": 30}
    )
    on_time = resumption(schedule, MON_8, MON_8 + dt.timedelta(minutes=3), 0)
    assert (on_time.action, on_time.late) == ("run", False)
    assert resumption(schedule, MON_8, MON_8 + dt.timedelta(minutes=30), 2).late
    assert resumption(schedule, MON_8, MON_8 + dt.timedelta(minutes=31), 0).action == "skip"


def test_a_history_from_before_resumes_gets_the_column(tmp_path):
    path = tmp_path / ".brief/state.sqlite"
    path.parent.mkdir()
    old_schema = run_history.SCHEMA.replace("    resumes INTEGER NOT NULL DEFAULT 0,\n", "")
    assert old_schema != run_history.SCHEMA
    with closing(sqlite3.connect(path)) as db:
        db.executescript(old_schema)
        db.execute(
            "INSERT INTO schedule_runs (schedule, planned_utc, kind, result, claimed_at) "
            "VALUES ('weekly', '2026-03-02T08:00:00Z', 'scheduled', 'running', 'x')"
        )
        db.commit()
    with closing(open_project_store(default_settings(tmp_path))) as db:
        run_history.ensure_tables(db)
        run_history.ensure_tables(db)  # idempotent
        (run,) = run_history.interrupted(db, "weekly")
    assert run.resumes == 0
