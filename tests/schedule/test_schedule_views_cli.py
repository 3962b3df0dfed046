"""``brief schedule run-due --quiet``, ``history`` and ``status`` in real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

FAILING = {"name": "often", "cron": "*/5 * * * *", "select": {"ids": ["nope"]}}
WORKING = {"name": "daily", "cron": "0 8 * * *", "select": {"ids": ["alpha"]}, "formats": ["html"]}
START, FIRST_SLOT = "2026-10-01T00:00Z", "2026-10-01T00:05Z"
KEYS = {
    "schedule",
    "slot",
    "kind",
    "result",
    "started_at",
    "ended_at",
    "built",
    "archived",
    "sent",
    "deferred",
    "error",
    "note",
    "resumes",
    "skipped_from",
    "skipped_count",
}


def write(project: Path, *schedules: dict[str, Any]) -> None:
    data = {"sender": "Desk <desk@example.org>", "schedules": list(schedules)}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


@pytest.fixture
def ran(project: Path, write_brief: Any, run_brief: Any) -> Path:
    """One failed run of ``often`` at 00:05, and ``daily`` seen but not yet due."""
    write_brief("alpha")
    write(project, FAILING, WORKING)
    assert run_brief("schedule", "run-due", "--quiet", "--now", START).returncode == 0
    failed = run_brief("schedule", "run-due", "--quiet", "--now", FIRST_SLOT)
    assert failed.returncode == 1
    return project


def test_quiet_run_due_prints_nothing_unless_a_run_failed(project, write_brief, run_brief):
    write_brief("alpha")
    write(project, FAILING)
    quiet = run_brief("schedule", "run-due", "--quiet", "--now", START)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    failed = run_brief("schedule", "run-due", "--quiet", "--now", FIRST_SLOT)
    assert (failed.returncode, failed.stdout) == (1, "")
    (line,) = failed.stderr.splitlines()
    assert "often 2026-10-01T00:05:00Z failed: built nothing in " in line
    assert "no fact sheet 'nope' (selected by id)" in line
    loud = run_brief("schedule", "run-due", "--now", "2026-10-01T00:06Z")
    assert (loud.returncode, loud.stdout.strip()) == (0, "nothing due")


def test_history_as_a_table_and_as_json(ran, run_brief):
    text = run_brief("schedule", "history")
    assert text.returncode == 0, text.stderr
    header, row = text.stdout.splitlines()
    assert header.split() == [
        "SCHEDULE",
        "SLOT",
        "KIND",
        "RESULT",
        "STARTED",
        "ENDED",
        "BUILT",
        "ARCHIVED",
        "SENT",
        "DEFERRED",
        "ERROR",
        "/",
        "NOTE",
    ]
    assert row.startswith("often     2026-10-01T00:05:00Z  scheduled  failed  2026-10-01T00:05:")
    assert header.index("RESULT") == row.index("failed")
    assert row.endswith("no fact sheet 'nope' (selected by id); the selection matches no briefing")
    listed = json.loads(run_brief("schedule", "history", "often", "--format", "json").stdout)
    (entry,) = listed
    assert set(entry) == KEYS
    assert (entry["slot"], entry["result"], entry["built"]) == (
        "2026-10-01T00:05:00Z",
        "failed",
        [],
    )
    failed = json.loads(run_brief("schedule", "history", "--failed", "--format", "json").stdout)
    assert failed == listed
    assert json.loads(run_brief("schedule", "history", "daily", "--format", "json").stdout) == []
    later = run_brief("schedule", "history", "--since", "2026-10-02", "--format", "json")
    assert json.loads(later.stdout) == []


def test_history_limit_keeps_the_newest(ran, run_brief):
    assert run_brief("schedule", "run-due", "-q", "--now", "2026-10-01T00:10Z").returncode == 1
    newest = run_brief("schedule", "history", "--limit", "1", "--format", "json")
    assert [r["slot"] for r in json.loads(newest.stdout)] == ["2026-10-01T00:10:00Z"]
    every = run_brief("schedule", "history", "--limit", "0", "--format", "json")
    assert [r["slot"] for r in json.loads(every.stdout)] == [
        "2026-10-01T00:10:00Z",
        "2026-10-01T00:05:00Z",
    ]


def test_history_usage_mistakes_exit_2(ran, run_brief):
    unknown = run_brief("schedule", "history", "weekly")
    assert unknown.returncode == 2
    assert "no schedule named 'weekly' (schedules: often, daily)" in unknown.stderr
    bad = run_brief("schedule", "history", "--since", "yesterday")
    assert bad.returncode == 2
    assert "'yesterday' is not a date like 2026-03-30" in bad.stderr


def test_status_exit_code_and_json(ran, run_brief):
    text = run_brief("schedule", "status", "--now", "2026-10-01T00:06Z")
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert lines[0].split()[:3] == ["SCHEDULE", "STATE", "LAST"]
    assert lines[1].split()[:4] == ["often", "failing", "2026-10-01T00:05:00Z", "failed"]
    assert lines[2].split()[:4] == ["daily", "no", "runs", "yet"]
    assert lines[-1] == "NOT healthy at 2026-10-01T00:06:00Z"
    report = json.loads(
        run_brief("schedule", "status", "--now", "2026-10-01T00:06Z", "--format", "json").stdout
    )
    often, daily = report["schedules"]
    assert (often["state"], often["failures_since_success"], often["overdue"]) == (
        "failing",
        1,
        False,
    )
    assert daily == {
        "name": "daily",
        "healthy": True,
        "state": "no runs yet",
        "last_run": None,
        "last_success": None,
        "failures_since_success": 0,
        "next_due": "2026-10-01T08:00:00Z",
        "overdue": False,
        "overdue_slot": None,
    }
    # The same report is what run-due left in .brief/health.json, as of its own moment.
    saved = json.loads((ran / ".brief/health.json").read_text("utf-8"))
    assert saved["checked_at"] == "2026-10-01T00:05:00Z"
    assert [s["name"] for s in saved["schedules"]] == ["often", "daily"]


def test_status_says_overdue_when_nothing_ran_past_the_grace(project, write_brief, run_brief):
    write_brief("alpha")
    write(project, WORKING)
    fresh = run_brief("schedule", "status", "--now", START)
    assert fresh.returncode == 0
    assert fresh.stdout.splitlines()[-1] == "healthy at 2026-10-01T00:00:00Z"
    assert not (project / ".brief").exists()
    assert run_brief("schedule", "run-due", "--now", START).returncode == 0
    within = run_brief("schedule", "status", "--now", "2026-10-02T07:59Z")
    assert within.returncode == 0  # 08:00 on the 1st is 23 h 59 min late: within a day
    late = run_brief("schedule", "status", "--now", "2026-10-02T08:01Z", "--format", "json")
    assert late.returncode == 1
    (item,) = json.loads(late.stdout)["schedules"]
    assert (item["state"], item["overdue_slot"]) == ("overdue", "2026-10-01T08:00:00Z")
