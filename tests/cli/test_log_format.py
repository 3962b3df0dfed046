"""Log lines an operator can use: the message alone by default, time and level for the
unattended commands and ``--log-format text``, syslog priorities on the journal, and one
JSON object per line under ``--log-format json``; the real command in a subprocess."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import signal
from pathlib import Path

import yaml

from generator.builder.workers import Limits, Pool
from generator.cli import logs
from tests.builder.test_workers import run_one
from tests.support.cli import start_brief

NOTHING = "nothing to clean: output has no build state of brief"
DAMAGED = "build state output/.brief-state.json is damaged; rebuilding everything"
MISSING = "Error: no fact sheet 'nope' (looked for briefs/nope.yaml)"
TEXT = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (INFO|WARNING|ERROR) (.*)")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _timed(line: str, since: dt.datetime) -> tuple[str, str]:
    """The level and message of a ``text`` line, checking its time is of this run."""
    found = TEXT.fullmatch(line)
    assert found is not None, line
    stamp = dt.datetime.strptime(found[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert since - dt.timedelta(seconds=1) <= stamp <= _now() + dt.timedelta(seconds=1)
    return found[2], found[3]


def _journal_run(project: Path, tmp_path: Path, *args: str, journal: bool = True) -> str:
    """Run ``brief ARGS`` with stderr on a file that ``JOURNAL_STREAM`` names (or, when
    not ``journal``, names another file); what it wrote there."""
    err_path, other = tmp_path / "stderr.log", tmp_path / "elsewhere"
    other.touch()
    with open(err_path, "w", encoding="utf-8") as err:
        named = os.fstat(err.fileno()) if journal else os.stat(other)
        env = {"JOURNAL_STREAM": f"{named.st_dev}:{named.st_ino}"}
        process = start_brief(*args, cwd=project, env=env, stderr=err)
        process.communicate(timeout=120)
    return err_path.read_text(encoding="utf-8")


def test_interactive_commands_log_the_bare_message_by_default(project, run_brief):
    assert run_brief("clean").stderr == NOTHING + "\n"
    missing = run_brief("check", "nope")
    assert (missing.returncode, missing.stderr) == (1, MISSING + "\n")


def test_text_puts_the_utc_time_and_the_level_before_the_unchanged_message(project, run_brief):
    started = _now()
    result = run_brief("--log-format", "text", "clean")
    [line] = result.stderr.splitlines()
    assert _timed(line, started) == ("INFO", NOTHING)
    failed = run_brief("check", "nope", env={"BRIEF_LOG_FORMAT": "TEXT"})
    assert [_timed(line, started) for line in failed.stderr.splitlines()] == [("ERROR", MISSING)]


def test_json_writes_one_object_per_line(project, write_brief, run_brief):
    write_brief("alpha")
    (project / "output").mkdir()
    (project / "output" / ".brief-state.json").write_text("{not json", encoding="utf-8")
    started = _now()
    result = run_brief("build", "--formats", "html", env={"BRIEF_LOG_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [damaged] = [r for r in records if r["message"] == DAMAGED]
    assert (damaged["level"], damaged["logger"]) == ("WARNING", "generator.builder.session")
    _timed(f"{damaged['time']} INFO x", started)
    stopped = run_brief("--log-format", "json", "check", "nope")
    [error] = [json.loads(line) for line in stopped.stderr.splitlines()]
    assert {k: error[k] for k in ("level", "logger", "message")} == {
        "level": "ERROR",
        "logger": "generator",
        "message": MISSING,
    }


def test_json_carries_what_the_caller_gave_as_extra():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter_for("json", stream))
    logger = logging.getLogger("generator.test.extras")
    logger.addHandler(handler)
    try:
        logger.warning("%s failed", "weekly", extra={"schedule": "weekly", "brief_id": "hk"})
        try:
            raise ValueError("a bug")
        except ValueError:
            logger.exception("crashed", extra={"list": "desk"})
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "weekly failed" and first["level"] == "WARNING"
    assert (first["schedule"], first["brief_id"], first["logger"]) == ("weekly", "hk", logger.name)
    assert second["list"] == "desk" and "ValueError: a bug" in second["exception"]


def test_on_the_journal_lines_carry_the_syslog_priority_and_no_time(project, write_brief, tmp_path):
    assert _journal_run(project, tmp_path, "clean") == f"<6>{NOTHING}\n"
    assert _journal_run(project, tmp_path, "--log-format", "text", "check", "nope") == (
        f"<3>{MISSING}\n"
    )
    write_brief("alpha")
    (project / "output").mkdir()
    (project / "output" / ".brief-state.json").write_text("{not json", encoding="utf-8")
    built = _journal_run(project, tmp_path, "build", "--formats", "html")
    assert f"<4>{DAMAGED}" in built.splitlines()
    # Result lines are the command's output, not log records: no priority of their own.
    assert "built   briefs/alpha.yaml -> output/alpha.html (new)" in built.splitlines()


def test_the_journal_is_recognised_by_its_device_and_inode_not_by_the_variable(project, tmp_path):
    assert _journal_run(project, tmp_path, "clean", journal=False) == f"{NOTHING}\n"
    json_line = _journal_run(project, tmp_path, "--log-format", "json", "clean")
    assert json.loads(json_line)["message"] == NOTHING


def test_schedule_serve_logs_time_and_level_by_default(project, write_brief):
    write_brief("alpha", tags=["ev"])
    schedule = {"name": "weekly-ev", "cron": "0 7 * * 1", "timezone": "UTC", "select": {}}
    data = {"sender": "Desk <desk@example.org>", "schedules": [schedule]}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    started = _now()
    server = start_brief("schedule", "serve", "--now", "2026-03-30T08:00+00:00", cwd=project)
    try:
        assert server.stderr is not None
        first = [server.stderr.readline().rstrip("\n") for _ in range(2)]
    finally:
        server.send_signal(signal.SIGTERM)
        _, rest = server.communicate(timeout=60)
    assert [_timed(line, started) for line in first] == [
        ("INFO", "serving 1 schedule(s)"),
        ("INFO", "next run due at 2026-04-06T07:00:00Z"),
    ]
    assert [_timed(line, started)[1] for line in rest.splitlines()][-1] == "stopped"
    assert server.returncode == 0


def test_run_due_reports_a_configuration_error_with_time_and_level(project, run_brief):
    (project / "delivery.yaml").write_text("schedules: []\n", encoding="utf-8")
    started = _now()
    result = run_brief("schedule", "run-due")
    assert result.returncode == 1
    found = [_timed(line, started) for line in result.stderr.splitlines()]
    assert found[0] == ("ERROR", "Error: delivery.yaml has errors")
    assert found[1][0] == "ERROR" and found[1][1].startswith("delivery.yaml:1:1: sender: ")


def _log_a_warning(text: str) -> int:
    logging.getLogger("generator.test.worker").warning(text)
    return os.getpid()


def test_a_workers_log_lines_come_back_bare_whatever_the_format():
    # The parent's handler writes to file descriptor 2, as the command's own does.
    stream = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.TextFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with Pool(1, Limits(seconds=30, memory=None)) as pool:
            outcome = run_one(pool, _log_a_warning, "WeasyPrint says hello")
    finally:
        root.removeHandler(handler)
    assert outcome.kind == "ok" and outcome.log == "WeasyPrint says hello\n"


def test_the_log_format_option_is_checked(project, run_brief):
    result = run_brief("--log-format", "xml", "clean")
    assert result.returncode == 2
    assert "'xml' is not one of 'plain', 'text', 'json'" in result.stderr


def test_a_failed_scheduled_run_is_an_error_on_the_journal(project, write_brief, tmp_path):
    write_brief("alpha", initiative={"name": "X", "stage": "dreaming"})
    schedule = {"name": "daily", "cron": "0 7 * * *", "timezone": "UTC", "select": {}}
    data = {"sender": "Desk <desk@example.org>", "schedules": [schedule]}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    _journal_run(project, tmp_path, "schedule", "run-due", "--now", "2026-03-30T06:00+00:00")
    ran = _journal_run(project, tmp_path, "schedule", "run-due", "--now", "2026-03-30T07:01+00:00")
    failed = [line for line in ran.splitlines() if "daily 2026-03-30T07:00:00Z failed" in line]
    assert failed and all(line.startswith("<3>") for line in failed), ran
