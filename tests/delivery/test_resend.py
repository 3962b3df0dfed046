"""``--resend``: an interrupted resend is continued, never started over; ``--new`` starts one."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest
import yaml

from generator.delivery import ledger
from generator.delivery.sender import SendOptions, send
from generator.settings import default_settings
from generator.store import store_path
from tests.support.cli import run_brief

from .conftest import free_port

NOW = dt.datetime(2026, 1, 20, 9, 30, tzinfo=dt.UTC)
TEAM = ["ann@example.org", "bob@example.org", "cy@example.org"]


@pytest.fixture
def ready(project, write_brief):
    write_brief("hk")
    data = {"sender": "desk@example.org", "lists": {"team": {"recipients": TEAM}}}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return project


def run(project, env, **options):
    return send(
        default_settings(project),
        ["hk"],
        ["team"],
        options=SendOptions(**options),
        clock=lambda: NOW,
        environ=env,
        sleep=lambda seconds: None,
    )


def brief(project, *args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}
    return run_brief(*args, cwd=project, env=env, base_env=base, timeout=120)


def copies(server):
    """How many messages each member of the team received, and their Message-IDs."""
    return {a: [r.message["Message-ID"] for r in server.handler.to(a)] for a in TEAM}


def generations(project):
    with ledger.connect(store_path(project / ".brief")) as db:
        return {r.recipient: (r.generation, r.status) for r in ledger.history(db)}


def test_a_failed_resend_is_continued_for_the_one_who_lacks_it(ready, smtp_server):
    assert run(ready, smtp_server.env()).ok
    # The resend: the first two accepted, then the server refuses for a while.
    smtp_server.handler.data_script = ["accept", "accept"] + ["451 4.3.0 try later"] * 3
    first = run(ready, smtp_server.env(), resend=True)
    assert [r.result for r in first.results] == ["sent", "sent", "failed"]
    again = run(ready, smtp_server.env(), resend=True)
    assert [r.result for r in again.results] == ["already-sent", "already-sent", "sent"]
    got = copies(smtp_server)
    assert [len(got[a]) for a in TEAM] == [2, 2, 2]
    assert all(got[a][0] != got[a][1] for a in TEAM)  # the resent copy is a new message
    assert generations(ready) == {a: (1, "sent") for a in TEAM}
    # Finished: the next --resend is a new one, to everybody.
    assert run(ready, smtp_server.env(), resend=True).count("sent") == 3
    assert generations(ready) == {a: (2, "sent") for a in TEAM}


def test_new_starts_another_resend_while_one_is_unfinished(ready, smtp_server):
    run(ready, smtp_server.env())
    smtp_server.handler.data_script = ["accept"] + ["451 4.3.0 try later"] * 6
    run(ready, smtp_server.env(), resend=True)
    assert generations(ready) == {
        "ann@example.org": (1, "sent"),
        "bob@example.org": (1, "failed"),
        "cy@example.org": (1, "failed"),
    }
    report = run(ready, smtp_server.env(), resend=True, new_resend=True)
    assert report.count("sent") == 3
    assert generations(ready) == {a: (2, "sent") for a in TEAM}
    assert [len(ids) for ids in copies(smtp_server).values()] == [3, 2, 2]


def test_a_resend_deferred_by_a_dead_server_is_finished_by_a_plain_send(ready, smtp_server):
    run(ready, smtp_server.env())
    deferred = run(ready, smtp_server.env(BRIEF_SMTP_PORT=str(free_port())), resend=True)
    assert deferred.count("deferred") == 3
    assert generations(ready) == {a: (1, "deferred") for a in TEAM}
    with ledger.connect(store_path(ready / ".brief")) as db:
        planned = {r.recipient: r.message_id for r in ledger.history(db)}
    # The scheduled run (no --resend) picks up what was deferred: the resent copies.
    assert run(ready, smtp_server.env()).count("sent") == 3
    got = copies(smtp_server)
    assert {a: ids[1] for a, ids in got.items()} == planned
    assert run(ready, smtp_server.env(), resend=True).count("sent") == 3  # a new one now


def test_resend_killed_after_two_continues_with_the_third(ready, smtp_server):
    assert brief(ready, "send", "hk", "--to", "team", env=smtp_server.env()).returncode == 0
    killed = brief(
        ready,
        *("send", "hk", "--to", "team", "--resend"),
        env=smtp_server.env(BRIEF_FAULT="after-record:2"),
    )
    assert killed.returncode == -signal.SIGKILL
    assert [len(ids) for ids in copies(smtp_server).values()] == [2, 2, 1]
    rerun = brief(ready, "send", "hk", "--to", "team", "--resend", env=smtp_server.env())
    assert rerun.returncode == 0, rerun.stderr
    assert [len(ids) for ids in copies(smtp_server).values()] == [2, 2, 2]
    assert "hk -> team: 3 message(s): 1 sent, 2 already sent" in rerun.stdout
    new = brief(ready, "send", "hk", "--to", "team", "--resend", "--new", env=smtp_server.env())
    assert new.returncode == 0 and [len(i) for i in copies(smtp_server).values()] == [3, 3, 3]


def test_new_without_resend_is_a_usage_error(ready):
    result = brief(ready, "send", "hk", "--to", "team", "--new", env={})
    assert result.returncode == 2
    assert "--new starts a new resend: give it with --resend" in result.stderr
