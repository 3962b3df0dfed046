"""``brief schedule`` in real subprocesses: list, run-due, serve, run, locks, bad config."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import click
import pytest
import time_machine
import yaml
from click.testing import CliRunner

from generator.cli.app import cli
from tests.support.cli import start_brief

REPO = Path(__file__).resolve().parents[2]


def write_delivery(project: Path, *schedules: dict[str, Any]) -> None:
    data = {
        "sender": "Brief Desk <desk@example.org>",
        "lists": {"trade-desk": {"recipients": ["ana@example.org"]}},
        "schedules": list(schedules),
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


WEEKLY = {
    "name": "weekly-ev",
    "cron": "0 7 * * 1",
    "timezone": "Asia/Hong_Kong",
    "select": {"tags": ["ev"]},
    "formats": ["pdf"],
    "archive": True,
}
NIGHTLY = {"name": "nightly", "cron": "30 1 * * *", "timezone": "Europe/London", "select": {}}


@pytest.fixture
def scheduled(project, write_brief):
    write_brief("alpha", tags=["ev"])
    write_brief("beta", tags=["steel"])
    write_delivery(project, WEEKLY, NIGHTLY)
    return project


def spawn(project: Path, *args: str) -> subprocess.Popen[str]:
    return start_brief(*args, cwd=project)


def test_list_shows_selection_and_next_runs_in_both_zones(scheduled, run_brief):
    result = run_brief("schedule", "list", "--now", "2026-03-29T09:00+01:00")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "weekly-ev: '0 7 * * 1' in Asia/Hong_Kong (fixed-time)",
        "  selects: alpha",
        "  builds pdf; sends to nobody; archived",
        "  on_missed: once, grace 1440 min, time limit 60 min",
        "  next: 2026-03-30 07:00 HKT (+0800) = 2026-03-29 23:00 UTC",
        "  next: 2026-04-06 07:00 HKT (+0800) = 2026-04-05 23:00 UTC",
        "  next: 2026-04-13 07:00 HKT (+0800) = 2026-04-12 23:00 UTC",
        "",
        "nightly: '30 1 * * *' in Europe/London (fixed-time)",
        "  selects: alpha, beta",
        "  builds pdf; sends to nobody; not archived",
        "  on_missed: once, grace 1440 min, time limit 60 min",
        "  next: 2026-03-30 01:30 BST (+0100) = 2026-03-30 00:30 UTC",
        "  next: 2026-03-31 01:30 BST (+0100) = 2026-03-31 00:30 UTC",
        "  next: 2026-04-01 01:30 BST (+0100) = 2026-04-01 00:30 UTC",
    ]
    before_gap = run_brief("schedule", "list", "--now", "2026-03-28T12:00Z")
    assert "  next: 2026-03-29 02:00 BST (+0100) = 2026-03-29 01:00 UTC" in before_gap.stdout
    assert not (scheduled / ".brief").exists()


def test_now_must_carry_an_offset(scheduled, run_brief):
    result = run_brief("schedule", "list", "--now", "2026-03-29T09:00")
    assert result.returncode == 2
    assert "has no UTC offset; add one, e.g. 2026-03-29T09:00+01:00" in result.stderr


def test_bad_schedule_is_reported_at_its_field(project, run_brief):
    write_delivery(project, {**NIGHTLY, "timezone": "Europe/Lodnon", "cron": "0 7 * *"})
    for command in (("list",), ("run-due",)):
        # Plain log lines: run-due's default puts the time and level first.
        result = run_brief("--log-format", "plain", "schedule", *command)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "Error: delivery.yaml has errors",
            "delivery.yaml:8:9: schedules[0].cron: '0 7 * *' has 4 field(s); a cron "
            "expression has five: minute hour day-of-month month day-of-week",
            "delivery.yaml:9:13: schedules[0].timezone: unknown time zone 'Europe/Lodnon' "
            "(did you mean 'Europe/London'?)",
        ]


def test_run_due_exits_one_when_a_run_fails_and_zero_when_nothing_is_due(
    scheduled, write_brief, run_brief
):
    write_brief("broken", tags=["ev"], initiative={"name": "X", "stage": "dreaming"})
    first = run_brief("schedule", "run-due", "--now", "2026-03-30T06:00+08:00")
    assert (first.returncode, first.stdout.strip()) == (0, "nothing due")
    due = run_brief("schedule", "run-due", "--now", "2026-03-30T07:01+08:00")
    assert due.returncode == 1
    assert due.stdout.strip() == "1 run(s), 1 failed, 0 slot(s) skipped"
    assert "weekly-ev 2026-03-29T23:00:00Z started" in due.stderr
    assert "weekly-ev 2026-03-29T23:00:00Z failed: built alpha; archived 1 in" in due.stderr
    assert "briefs/broken.yaml:" in due.stderr
    assert (scheduled / "output/archive/2026-03-30/weekly-ev/alpha.pdf").is_file()
    again = run_brief("schedule", "run-due", "--now", "2026-03-30T07:05+08:00")
    assert (again.returncode, again.stdout.strip()) == (0, "nothing due")
    listed = run_brief("schedule", "list", "--now", "2026-03-30T08:00+08:00")
    assert "  last run: 2026-03-29T23:00:00Z failed (briefs/broken.yaml:" in listed.stdout


def test_time_limit_override_stops_the_run(scheduled, run_brief):
    result = run_brief("schedule", "run", "weekly-ev", "--time-limit-seconds", "0.05")
    assert result.returncode == 1
    assert " failed: in " in result.stdout
    assert result.stdout.rstrip().endswith("; stopped: exceeded the time limit of 0.05 s")


def test_two_schedulers_at_once_run_the_slot_once(scheduled, run_brief):
    run_brief("schedule", "run-due", "--now", "2026-03-30T06:00+08:00")
    runners = [spawn(scheduled, "schedule", "run-due", "--now", "2026-03-30T07:01+08:00")]
    runners.append(spawn(scheduled, "schedule", "run-due", "--now", "2026-03-30T07:01+08:00"))
    outputs = [r.communicate(timeout=120) for r in runners]
    assert [r.returncode for r in runners] == [0, 0]
    summaries = sorted(out.strip() for out, _ in outputs)
    assert summaries == ["1 run(s), 0 failed, 0 slot(s) skipped", "nothing due"]
    with closing(sqlite3.connect(scheduled / ".brief/state.sqlite")) as db:
        rows = db.execute("SELECT schedule, planned_utc, result FROM schedule_runs").fetchall()
    assert rows == [("weekly-ev", "2026-03-29T23:00:00Z", "ok")]
    assert sorted(
        p.name for p in (scheduled / "output/archive/2026-03-30/weekly-ev").iterdir()
    ) == ["alpha.pdf"]


def test_manual_build_waits_for_a_scheduled_run_of_the_same_output(scheduled, run_brief):
    run_brief("schedule", "run-due", "--now", "2026-03-30T06:00+08:00")
    scheduled_run = spawn(scheduled, "schedule", "run-due", "--now", "2026-03-30T07:01+08:00")
    lock = scheduled / "output/.build.lock"
    deadline = time.monotonic() + 60
    while "schedule weekly-ev" not in (lock.read_text() if lock.exists() else ""):
        assert time.monotonic() < deadline, "the scheduled run never took the output lock"
        time.sleep(0.02)
    manual = run_brief("build", "alpha")
    assert manual.returncode == 0, manual.stderr
    assert "waiting up to 300 s for the output folder output (in use by pid" in manual.stderr
    assert "(schedule weekly-ev)" in manual.stderr
    assert scheduled_run.wait(timeout=120) == 0


def test_serve_runs_when_due_and_stops_cleanly_on_sigterm(scheduled, run_brief):
    write_delivery(scheduled, {**WEEKLY, "cron": "* * * * *"})
    run_brief("schedule", "run-due", "--now", "2026-03-30T07:00:30+08:00")
    server = spawn(
        scheduled,
        "--log-format",
        "plain",
        "schedule",
        "serve",
        "--now",
        "2026-03-30T07:00:58+08:00",
    )
    assert server.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        lines.append(server.stderr.readline().rstrip("\n"))
        if " ok: " in lines[-1]:
            break
    server.send_signal(signal.SIGTERM)
    _, rest = server.communicate(timeout=60)
    assert server.returncode == 0
    assert lines[:2] == ["serving 1 schedule(s)", "next run due at 2026-03-29T23:01:00Z"]
    assert lines[2] == "weekly-ev 2026-03-29T23:01:00Z started"
    assert lines[3].startswith("weekly-ev 2026-03-29T23:01:00Z ok: built alpha; archived 1 in ")
    assert rest.splitlines()[-2:] == ["received SIGTERM, stopping", "stopped"]


def test_run_now_and_unknown_name(scheduled, run_brief):
    result = run_brief("schedule", "run", "weekly-ev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("weekly-ev ")
    assert " ok: built alpha; archived 1 in " in result.stdout
    unknown = run_brief("schedule", "run", "monthly")
    assert unknown.returncode == 2  # a usage mistake
    assert "Error: no schedule named 'monthly' (schedules: weekly-ev, nightly)" in unknown.stderr


def test_spring_forward_slot_runs_right_after_the_change_with_a_travelling_clock(
    project, write_brief, monkeypatch
):
    write_brief("alpha", tags=["ev"])
    write_delivery(
        project,
        {
            "name": "night",
            "cron": "30 2 * * *",
            "timezone": "America/New_York",
            "select": {},
            "formats": ["html"],
        },
    )
    monkeypatch.chdir(project)
    runner = CliRunner()

    def run_due_at(moment: str) -> str:
        with time_machine.travel(moment, tick=False):
            result = runner.invoke(cli, ["schedule", "run-due"])
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    assert run_due_at("2026-03-07T12:00-05:00") == "nothing due"
    assert run_due_at("2026-03-08T01:59-05:00") == "nothing due"
    assert run_due_at("2026-03-08T03:00:30-04:00") == "1 run(s), 0 failed, 0 slot(s) skipped"
    assert run_due_at("2026-03-08T03:31-04:00") == "nothing due"
    assert run_due_at("2026-03-09T02:31-04:00") == "1 run(s), 0 failed, 0 slot(s) skipped"


SCHEDULE = cli.get_command(click.Context(cli), "schedule")


@pytest.mark.parametrize("command", sorted(SCHEDULE.commands))  # type: ignore[union-attr]
def test_every_schedule_command_has_help_and_is_documented(command):
    group = SCHEDULE
    assert group.commands[command].help  # type: ignore[attr-defined]
    docs = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    assert f"brief schedule {command}" in docs
