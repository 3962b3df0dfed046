"""The send, outbox and doctor commands in a real subprocess, killed where it hurts."""

from __future__ import annotations

import os
import signal
import time

import pytest
import yaml

from tests.support.cli import run_brief, start_brief

TEAM = ["ann@example.org", "bob@example.org", "cy@example.org"]


def without_brief_variables() -> dict[str, str]:
    """The test run's environment without any BRIEF_* variable."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}


def brief(project, *args, env=None):
    """Run ``brief`` in ``project`` with only the given BRIEF_* variables set."""
    return run_brief(*args, cwd=project, env=env, base_env=without_brief_variables(), timeout=120)


@pytest.fixture
def ready(project, write_brief):
    write_brief("hk")
    data = {"sender": "desk@example.org", "lists": {"team": {"recipients": TEAM}}}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return project


def counts(server):
    return [len(server.handler.to(a)) for a in TEAM]


def test_killed_between_recipients_then_rerun_sends_each_exactly_once(ready, smtp_server):
    killed = brief(
        ready, "send", "hk", "--to", "team", env=smtp_server.env(BRIEF_FAULT="after-record:1")
    )
    assert killed.returncode == -signal.SIGKILL
    assert counts(smtp_server) == [1, 0, 0]
    rerun = brief(ready, "send", "hk", "--to", "team", env=smtp_server.env())
    assert rerun.returncode == 0, rerun.stderr
    assert counts(smtp_server) == [1, 1, 1]
    assert "already sent" in rerun.stderr
    assert "hk -> team: 3 message(s): 2 sent, 1 already sent" in rerun.stdout


def test_killed_after_acceptance_repeats_at_most_once_with_the_same_message_id(ready, smtp_server):
    killed = brief(
        ready, "send", "hk", "--to", "team", env=smtp_server.env(BRIEF_FAULT="after-accept:1")
    )
    assert killed.returncode == -signal.SIGKILL
    time.sleep(1.1)  # a message composed again would now carry another Date
    rerun = brief(ready, "send", "hk", "--to", "team", env=smtp_server.env())
    assert rerun.returncode == 0, rerun.stderr
    assert counts(smtp_server) == [2, 1, 1]
    first = smtp_server.handler.to("ann@example.org")
    assert first[0].message["Message-ID"] == first[1].message["Message-ID"]
    assert first[0].data == first[1].data


def test_killed_before_sending_loses_nothing(ready, smtp_server):
    killed = brief(
        ready, "send", "hk", "--to", "team", env=smtp_server.env(BRIEF_FAULT="before-send:2")
    )
    assert killed.returncode == -signal.SIGKILL
    assert counts(smtp_server) == [1, 0, 0]
    assert brief(ready, "send", "hk", "--to", "team", env=smtp_server.env()).returncode == 0
    assert counts(smtp_server) == [1, 1, 1]


def test_partial_failure_exits_3_and_outbox_shows_it(ready, smtp_server):
    smtp_server.handler.refuse = {"bob@example.org": "550 5.1.1 user unknown"}
    result = brief(ready, "send", "hk", "--to", "team", env=smtp_server.env())
    assert result.returncode == 3
    assert "failed       hk -> team: bob@example.org (550 5.1.1 user unknown)" in result.stderr
    outbox = brief(ready, "outbox", "--failed")
    assert outbox.returncode == 0
    assert "failed" in outbox.stdout and "bob@example.org" in outbox.stdout
    assert "ann@example.org" not in outbox.stdout
    status = brief(ready, "send", "--status")
    assert status.stdout.count("hk -> team") == 3


def test_starttls_self_signed_with_cafile_and_password_never_printed(ready, tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password)
    ok = brief(ready, "send", "hk", "--to", "team", env=env)
    assert ok.returncode == 0, ok.stderr
    assert len(tls_server.handler.received) == 3
    wrong = brief(
        ready,
        "send",
        "hk",
        "--to",
        "team",
        "--resend",
        env=env | {"BRIEF_SMTP_PASSWORD": "x" + password},
    )
    assert wrong.returncode == 1
    assert "refused the login: 535" in wrong.stderr
    doctor = brief(ready, "doctor", env=env | {"BRIEF_SMTP_PASSWORD": "x" + password})
    assert "FAIL  SMTP server" in doctor.stdout
    for result in (ok, wrong, doctor):
        assert password not in result.stdout + result.stderr
    written = [
        p
        for p in [*ready.joinpath(".brief").rglob("*"), *ready.joinpath("output").rglob("*")]
        if p.is_file()
    ]
    assert len(written) > 5
    for path in written:
        assert password.encode() not in path.read_bytes()


def test_doctor_passes_with_a_working_server(ready, tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password)
    result = brief(ready, "doctor", env=env)
    assert "ok    SMTP settings" in result.stdout
    assert "ok    SMTP server" in result.stdout and "accepted EHLO, STARTTLS, AUTH" in result.stdout
    assert "ok    delivery.yaml: valid; lists: team (3)" in result.stdout
    assert "ok    fonts" in result.stdout
    assert tls_server.handler.received == []


def test_doctor_explains_missing_settings(ready):
    result = brief(ready, "doctor")
    assert result.returncode == 1
    assert "FAIL  SMTP settings: BRIEF_SMTP_HOST is not set" in result.stdout
    assert "BRIEF_SMTP_PASSWORD" in result.stdout


def test_bad_delivery_yaml_is_reported_with_its_location(ready):
    (ready / "delivery.yaml").write_text(
        "sender: desk@example.org\nlists:\n  team:\n    recipients: [ann@example.org, 'bob@']\n",
        encoding="utf-8",
    )
    result = brief(ready, "send", "hk", "--to", "team", "--dry-run")
    assert result.returncode == 1
    assert "delivery.yaml:4:35: lists.team.recipients[1]: 'bob@' is not a valid email" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_send_without_lists_is_a_usage_error(ready):
    assert brief(ready, "send", "hk").returncode == 2


def test_help_lists_the_delivery_commands(ready):
    result = brief(ready, "--help")
    for command in ("send", "outbox", "doctor"):
        assert f"  {command} " in result.stdout
    assert "--dry-run" in brief(ready, "send", "--help").stdout


def test_outbox_before_any_send(ready):
    result = brief(ready, "outbox")
    assert result.returncode == 0 and "nothing has been sent yet" in result.stdout


def test_two_runs_at_once_send_each_message_once(ready, smtp_server):
    smtp_server.handler.data_script = ["slow"] * 6
    runs = [
        start_brief(
            *("send", "hk", "--to", "team"),
            cwd=ready,
            env=smtp_server.env(),
            base_env=without_brief_variables(),
            stderr=None,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert counts(smtp_server) == [1, 1, 1]
    assert sorted(outputs) == [
        "hk -> team: 3 message(s): 0 sent, 3 already sent\n",
        "hk -> team: 3 message(s): 3 sent\n",
    ]
