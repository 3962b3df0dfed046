"""A mail server that cannot be used stops the run at once; the next run sends the rest.

Real sockets on 127.0.0.1: a port nothing listens on, a server that accepts and never
speaks, and aiosmtpd for the server that comes back or refuses some recipients.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import yaml

from generator.builder import build
from generator.delivery import ledger
from generator.delivery.sender import SendOptions, send
from generator.settings import default_settings
from generator.store import store_path

from .conftest import Handler, SmtpServer, free_port, start_server

NOW = dt.datetime(2026, 1, 20, 9, 30, tzinfo=dt.UTC)


def people(count):
    return [f"reader{n:03d}@example.org" for n in range(count)]


def setup_project(project, write_brief, recipients):
    write_brief("hk")
    data = {"sender": "desk@example.org", "lists": {"team": {"recipients": recipients}}}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    # Built ahead, so that the timings below are those of sending alone.
    settings = default_settings(project)
    assert not build(settings, ["hk"], today=NOW.date(), formats=["pdf"]).failed
    return project


class Sleeps(list):
    """A sleep that really waits, and remembers each wait."""

    def __call__(self, seconds):
        self.append(seconds)
        time.sleep(seconds)


def run(project, env, sleep=None, **options):
    return send(
        default_settings(project),
        ["hk"],
        ["team"],
        options=SendOptions(**options),
        clock=lambda: NOW,
        environ=env,
        sleep=sleep if sleep is not None else Sleeps(),
    )


def ledger_rows(project):
    with ledger.connect(store_path(project / ".brief")) as db:
        return {r.recipient: r for r in ledger.history(db)}


def attempt_rows(project):
    with sqlite3.connect(store_path(project / ".brief")) as db:
        return db.execute("SELECT outcome, reply FROM delivery_attempts").fetchall()


def plain_env(port, **extra):
    env = {
        "BRIEF_SMTP_HOST": "127.0.0.1",
        "BRIEF_SMTP_PORT": str(port),
        "BRIEF_SMTP_SECURITY": "none",
        "BRIEF_SMTP_TIMEOUT": "5",
        "BRIEF_SMTP_TRIES": "4",
        "BRIEF_SMTP_BACKOFF": "1",
    }
    return env | extra


def test_server_down_defers_200_messages_after_one_connection_attempt(project, write_brief):
    ready = setup_project(project, write_brief, people(200))
    port, sleeps = free_port(), Sleeps()
    started = time.monotonic()
    report = run(ready, plain_env(port), sleeps)
    elapsed = time.monotonic() - started
    assert report.count("deferred") == 200 and not report.ok and report.fatal == ""
    assert report.deferral.count == 200
    assert report.deferral.line() == (
        f"the mail server 127.0.0.1:{port} (none) refused the connection (nothing listens "
        f"on port {port}); deferred 200 message(s) to the next run: hk -> team (200)"
    )
    rows = ledger_rows(ready)
    assert len(rows) == 200 and {r.status for r in rows.values()} == {"deferred"}
    assert all(r.reply.startswith("deferred: the mail server 127.0.0.1") for r in rows.values())
    assert [outcome for outcome, _ in attempt_rows(ready)] == ["not-sent"]  # one try in all
    assert sleeps == []
    assert elapsed < 20, f"took {elapsed:.1f} s"


def test_server_that_never_speaks_costs_one_timeout(project, write_brief, silent_server):
    ready = setup_project(project, write_brief, people(50))
    env = plain_env(silent_server.port, BRIEF_SMTP_TIMEOUT="1", BRIEF_SMTP_BACKOFF="0")
    started = time.monotonic()
    report = run(ready, env)
    elapsed = time.monotonic() - started
    assert len(silent_server.accepted) in (1, 2)
    assert report.count("deferred") == 50
    assert "did not answer within 1 s (BRIEF_SMTP_TIMEOUT)" in report.deferral.reason
    assert {r.status for r in ledger_rows(ready).values()} == {"deferred"}
    assert elapsed < 15, f"took {elapsed:.1f} s, against 50 s for a timeout per recipient"


def test_deferred_messages_go_out_once_with_their_message_ids(project, write_brief, smtp_server):
    ready = setup_project(project, write_brief, people(5))
    run(ready, plain_env(free_port()))
    deferred = {key: row.message_id for key, row in ledger_rows(ready).items()}
    assert len(set(deferred.values())) == 5
    report = run(ready, smtp_server.env())
    assert report.ok and report.count("sent") == 5 and report.deferral is None
    received = {r.rcpt_tos[0]: r.message["Message-ID"] for r in smtp_server.handler.received}
    assert received == deferred
    assert {r.status for r in ledger_rows(ready).values()} == {"sent"}
    assert run(ready, smtp_server.env()).count("already-sent") == 5
    assert len(smtp_server.handler.received) == 5


def test_refusals_on_an_open_connection_touch_only_their_recipient(
    project, write_brief, smtp_server
):
    ready = setup_project(project, write_brief, people(6))
    smtp_server.handler.refuse = {
        "reader001@example.org": "550 5.1.1 user unknown",
        "reader003@example.org": "452 4.2.2 mailbox full",
    }
    sleeps = Sleeps()
    report = run(ready, smtp_server.env(BRIEF_SMTP_BACKOFF="0.01"), sleeps)
    results = {r.recipient: r for r in report.results}
    assert results["reader001@example.org"].result == "failed"
    assert results["reader001@example.org"].attempts == 1
    assert (results["reader003@example.org"].result, results["reader003@example.org"].attempts) == (
        "failed",
        3,
    )
    assert len(sleeps) == 2  # the 452 was retried with backoff, the 550 was not
    assert report.deferral is None and report.count("sent") == 4
    assert [len(smtp_server.handler.to(a)) for a in people(6)] == [1, 0, 1, 0, 1, 1]
    assert smtp_server.handler.ehlo_calls == 1  # one connection served every recipient


def test_connection_broken_mid_run_is_opened_again(project, write_brief, smtp_server):
    ready = setup_project(project, write_brief, people(4))
    smtp_server.handler.data_script = ["accept", "drop"]
    sleeps = Sleeps()
    report = run(ready, smtp_server.env(BRIEF_SMTP_BACKOFF="5"), sleeps)
    assert report.ok and report.count("sent") == 4
    assert smtp_server.handler.ehlo_calls == 2
    assert sleeps == []  # reconnecting does not wait out a backoff
    assert [len(smtp_server.handler.to(a)) for a in people(4)] == [1, 1, 1, 1]


def test_server_gone_mid_run_defers_the_rest_after_one_reconnect(project, write_brief):
    ready = setup_project(project, write_brief, people(5))
    handler = Handler()
    server = SmtpServer(start_server(handler), handler)
    results = []

    def stop_after_two(result):
        results.append(result)
        if len(results) == 2:
            server.controller.stop()

    try:
        report = send(
            default_settings(ready),
            ["hk"],
            ["team"],
            options=SendOptions(),
            clock=lambda: NOW,
            environ=server.env(),
            sleep=Sleeps(),
            on_result=stop_after_two,
        )
    finally:
        if len(results) < 2:
            server.controller.stop()
    assert [r.result for r in report.results] == ["sent", "sent"] + ["deferred"] * 3
    assert report.deferral.targets == (("hk -> team", 3),)
    statuses = [ledger_rows(ready)[a].status for a in people(5)]
    assert statuses == ["sent", "sent", "deferred", "deferred", "deferred"]
    # The third message: its connection broke, one reconnect was refused, no more.
    assert [o for o, _ in attempt_rows(ready)][2:] == ["temporary", "not-sent"]


def test_a_failed_message_keeps_its_message_id_when_deferred(project, write_brief, smtp_server):
    """A message queued (and perhaps tried) by an earlier run keeps its Message-ID when a
    later run defers it."""
    ready = setup_project(project, write_brief, people(3))
    smtp_server.handler.refuse = {"reader002@example.org": "451 4.3.0 try later"}
    run(ready, smtp_server.env(BRIEF_SMTP_TRIES="1"))
    before = ledger_rows(ready)["reader002@example.org"]
    assert before.status == "failed"
    run(ready, plain_env(free_port()))
    after = ledger_rows(ready)["reader002@example.org"]
    assert (after.status, after.message_id, after.attempts) == (
        "deferred",
        before.message_id,
        before.attempts + 1,
    )
    smtp_server.handler.refuse = {}
    assert run(ready, smtp_server.env()).ok
    [got] = smtp_server.handler.to("reader002@example.org")
    assert got.message["Message-ID"] == before.message_id
