"""A user's mistake is never a traceback: over the real command, each is a located error
(exit 1) or a usage error (exit 2), and one fact sheet's problem stays that sheet's."""

from __future__ import annotations

import os

import pytest

from tests.support.cli import run_brief

DELIVERY = """\
sender: "Brief Desk <desk@example.org>"
lists:
  trade-desk:
    recipients: [ana@example.org]
schedules:
  - name: weekly
    cron: "0 7 * * 1"
    timezone: {timezone}
    select: {{}}
"""


def without_brief_variables() -> dict[str, str]:
    """The test run's environment without any BRIEF_* variable (a developer's own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}


def brief(project, *args: str, env: dict[str, str] | None = None):
    return run_brief(*args, cwd=project, env=env, base_env=without_brief_variables(), timeout=120)


def clean(result, code: int) -> None:
    """Exit status ``code``, and no traceback on either stream."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def delivering(project, write_brief):
    """A project with one sheet and a delivery.yaml whose schedule's zone is Europe/London."""
    write_brief("hk")
    (project / "delivery.yaml").write_text(DELIVERY.format(timezone="Europe/London"), "utf-8")
    return project


def set_timezone(project, timezone: str) -> None:
    (project / "delivery.yaml").write_text(DELIVERY.format(timezone=timezone), "utf-8")


COMMANDS_READING_DELIVERY = [
    ("schedule", "list"),
    ("schedule", "run-due"),
    ("schedule", "run", "weekly"),
    ("send", "hk", "--to", "trade-desk", "--dry-run"),
]


@pytest.mark.parametrize("timezone", ["Europe", "America", "A" * 256])
@pytest.mark.parametrize("args", COMMANDS_READING_DELIVERY, ids=" ".join)
def test_a_time_zone_that_is_a_folder_or_too_long_is_a_located_error(delivering, timezone, args):
    set_timezone(delivering, timezone)
    result = brief(delivering, *args)
    clean(result, 1)
    assert "Error: delivery.yaml has errors" in result.stderr
    shown = timezone if len(timezone) <= 60 else timezone[:57] + "..."
    assert (
        f"delivery.yaml:8:15: schedules[0].timezone: unknown time zone '{shown}'" in result.stderr
    )


def test_doctor_reports_the_bad_time_zone_as_a_failed_check(delivering):
    set_timezone(delivering, "Europe")
    result = brief(delivering, "doctor", env={"BRIEF_SMTP_HOST": "smtp..example.org"})
    clean(result, 1)
    assert "FAIL  delivery.yaml" in result.stdout
    assert "FAIL  SMTP settings: BRIEF_SMTP_HOST is 'smtp..example.org'" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BRIEF_SMTP_HOST", "smtp..example.org"),
        ("BRIEF_SMTP_HOST", "a" * 64 + ".example.org"),
        ("BRIEF_SMTP_PORT", "70000"),
        ("BRIEF_SMTP_PORT", "0"),
        ("BRIEF_SMTP_PORT", "-25"),
        ("BRIEF_SMTP_PORT", "smtp"),
    ],
)
def test_a_bad_host_or_port_names_the_variable_in_send_and_doctor(delivering, variable, value):
    env = {"BRIEF_SMTP_HOST": "smtp.example.org", variable: value}
    shown = value if len(value) <= 60 else value[:57] + "..."
    sent = brief(delivering, "send", "hk", "--to", "trade-desk", env=env)
    clean(sent, 1)
    assert f"environment: {variable} is '{shown}': " in sent.stderr
    doctor = brief(delivering, "doctor", env=env)
    clean(doctor, 1)
    assert f"FAIL  SMTP settings: {variable} is '{shown}': " in doctor.stdout


@pytest.mark.parametrize("size", ["inf", "-1", "1.5Q", "nan", "1e400", "9e30", "2049T", "0.1", ""])
def test_junk_memory_limits_are_usage_errors(project, write_brief, size):
    write_brief("hk")
    result = brief(project, "build", "--memory-limit", size)
    clean(result, 2)
    assert "Invalid value for --memory-limit" in result.stderr
    assert not (project / "output").exists()


def test_the_memory_limit_from_the_environment_is_checked_the_same_way(project, write_brief):
    write_brief("hk")
    result = brief(project, "build", env={"BRIEF_MEMORY_LIMIT": "inf"})
    clean(result, 2)
    assert "Invalid value for --memory-limit: 'inf'" in result.stderr


@pytest.mark.parametrize(
    ("command", "now"),
    [
        ("run-due", "9999-12-31T23:59+00:00"),
        ("list", "0001-01-01T00:00+00:00"),
        ("list", "0001-01-01T00:00+01:00"),
        ("list", "9999-12-31T23:59-01:00"),
        ("serve", "9999-12-31T23:59+00:00"),
        ("run-due", "1969-12-31T23:59Z"),
        ("run-due", "9000-01-01T00:00Z"),
    ],
)
def test_now_outside_the_schedulable_years_is_a_usage_error(delivering, command, now):
    result = brief(delivering, "schedule", command, "--now", now)
    clean(result, 2)
    assert f"Invalid value for --now: '{now}' is out of range" in result.stderr
    assert "from 1970-01-01 to 8999-12-31 (UTC)" in result.stderr
    assert not (delivering / ".brief").exists(), "nothing is recorded for a refused --now"


def test_now_at_the_ends_of_the_range_works(delivering):
    first = brief(delivering, "schedule", "list", "--now", "1970-01-01T00:00Z")
    clean(first, 0)
    assert "  next: 1970-01-05 07:00 BST (+0100) = 1970-01-05 06:00 UTC" in first.stdout
    last = brief(delivering, "schedule", "list", "--now", "8999-12-31T23:59Z")
    clean(last, 0)
    assert "next:" not in last.stdout
    due = brief(delivering, "schedule", "run-due", "--now", "8999-12-31T23:59Z")
    clean(due, 0)
    assert due.stdout.strip() == "nothing due"


def test_a_huge_grace_period_is_a_located_error(delivering):
    text = DELIVERY.format(timezone="Europe/London") + "    grace_minutes: 1000000000000\n"
    (delivering / "delivery.yaml").write_text(text, "utf-8")
    result = brief(delivering, "schedule", "run-due")
    clean(result, 1)
    assert "delivery.yaml:10:20: schedules[0].grace_minutes: " in result.stderr


def test_an_unknown_schedule_is_a_usage_error(delivering):
    result = brief(delivering, "schedule", "run", "nope")
    clean(result, 2)
    assert "Error: no schedule named 'nope' (schedules: weekly)" in result.stderr
    assert not (delivering / ".brief").exists()


@pytest.mark.parametrize("brief_id", ["Bad Name", "Bad_Name", "-x", "x-", "x.yaml", "b" * 201])
def test_new_with_an_id_that_cannot_name_a_sheet_is_a_usage_error(project, brief_id):
    result = brief(project, "new", brief_id)
    clean(result, 2)
    assert list((project / "briefs").iterdir()) == []


def test_new_refuses_bad_name_with_the_documented_message(project):
    result = brief(project, "new", "Bad Name")
    assert result.stderr.splitlines()[-1] == (
        "Error: 'Bad Name' is not a valid brief id: use lower-case letters, digits and '-'"
    )
    longest = brief(project, "new", "b" * 200)
    clean(longest, 0)


def test_new_refuses_an_id_too_long(project):
    result = brief(project, "new", "b" * 300)
    clean(result, 2)
    assert result.stderr.splitlines()[-1] == (
        "Error: the brief id is 300 characters long; at most 200"
    )


def test_a_sheet_whose_id_is_too_long_fails_alone(project, write_brief):
    long_id = "a" * 240
    write_brief(long_id)
    write_brief("hk")
    write_brief("zz")
    result = brief(project, "build", "--formats", "html")
    clean(result, 1)
    assert (
        f"briefs/{long_id}.yaml: the brief id is 240 characters long; at most 200: rename the file"
    ) in result.stderr
    assert (project / "output" / "hk.html").is_file()
    assert (project / "output" / "zz.html").is_file()
    assert result.stdout.splitlines()[-1].startswith("2 built, 0 up to date, 1 failed")
