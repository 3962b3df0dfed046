"""The run history in SQLite: claims unique per slot, even across processes; the cursor."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from pathlib import Path

from generator.schedule import history as run_history
from generator.schedule.history import RunOutcome
from generator.settings import default_settings
from generator.store import open_project_store, store_path

SLOT = dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)
NOW = SLOT + dt.timedelta(minutes=2)


def open_db(root: Path):
    db = open_project_store(default_settings(root))
    run_history.ensure_tables(db)
    return db


def try_claim(root: str) -> int | None:
    with closing(open_db(Path(root))) as db:
        return run_history.claim(db, "weekly", SLOT, kind="scheduled", now=NOW)


def test_state_file_and_wal(tmp_path):
    with closing(open_db(tmp_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store_path(default_settings(tmp_path).state_dir) == tmp_path / ".brief/state.sqlite"


def test_a_slot_is_claimed_once_by_many_processes_at_once(tmp_path):
    with closing(open_db(tmp_path)):
        pass
    with ProcessPoolExecutor(8) as pool:
        results = list(pool.map(try_claim, [str(tmp_path)] * 16))
    assert sum(r is not None for r in results) == 1
    with closing(open_db(tmp_path)) as db:
        (run,) = run_history.runs(db, "weekly")
    assert (run.planned_utc, run.result) == ("2026-03-30T07:00:00Z", "running")


def test_finish_records_what_the_run_did(tmp_path):
    with closing(open_db(tmp_path)) as db:
        run_id = run_history.claim(db, "weekly", SLOT, kind="scheduled", now=NOW, note="missed")
        assert run_id is not None
        outcome = RunOutcome("late", ["a", "b"], ["a -> desk"], ["output/archive/x/a.pdf"], "", "")
        run_history.finish(db, run_id, outcome, NOW + dt.timedelta(seconds=5))
        (run,) = run_history.runs(db, "weekly")
    assert (run.result, run.built, run.sent, run.archived) == (
        "late",
        ["a", "b"],
        ["a -> desk"],
        ["output/archive/x/a.pdf"],
    )
    assert run.note == "missed"
    assert run.started_at == "2026-03-30T07:02:00.000Z"
    assert run.ended_at == "2026-03-30T07:02:05.000Z"


def test_cursor_ignores_rows_after_now_and_manual_runs(tmp_path):
    with closing(open_db(tmp_path)) as db:
        assert run_history.last_slot(db, "weekly", NOW) is None
        run_history.record_skip(db, "weekly", SLOT, "missed", NOW)
        assert not run_history.record_skip(db, "weekly", SLOT, "again", NOW)
        later = SLOT + dt.timedelta(days=7)
        run_history.claim(db, "weekly", later, kind="scheduled", now=later)
        run_history.claim(db, "weekly", SLOT + dt.timedelta(days=1), kind="manual", now=NOW)
        assert run_history.last_slot(db, "weekly", NOW + dt.timedelta(days=2)) == SLOT
        assert run_history.last_slot(db, "weekly", later) == later
        between = run_history.claimed_between(db, "weekly", SLOT, later)
        assert between == {later, SLOT + dt.timedelta(days=1)}


def test_first_seen_is_kept(tmp_path):
    with closing(open_db(tmp_path)) as db:
        assert run_history.first_seen(db, "weekly", NOW) == NOW.replace(second=0)
        assert run_history.first_seen(db, "weekly", NOW + dt.timedelta(days=1)) == NOW


def test_runs_left_running_are_closed_as_interrupted(tmp_path):
    with closing(open_db(tmp_path)) as db:
        run_history.claim(db, "weekly", SLOT, kind="scheduled", now=NOW)
        assert run_history.close_interrupted(db, "weekly", NOW) == 1
        (run,) = run_history.runs(db, "weekly")
    assert run.result == "failed"
    assert run.error.startswith("interrupted:")
