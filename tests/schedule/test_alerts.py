"""Alerts end to end: the real runner, child processes and a real SMTP server on 127.0.0.1.

A schedule whose selection names no fact sheet fails at once; fixing the selection makes
the next run succeed. What the server received is what the operator would read.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config.loader import load_delivery
from generator.schedule import alerts
from generator.schedule import history as run_history
from generator.schedule.runner import Context, run_due
from generator.settings import default_settings
from generator.store import open_project_store
from tests.delivery.conftest import Handler, SmtpServer, start_server

UTC = dt.UTC
START = dt.datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
FIVE = dt.timedelta(minutes=5)


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    handler = Handler()
    controller = start_server(handler)
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()


def write(project: Path, ids: list[str], **schedule: Any) -> None:
    data = {
        "sender": "Brief Desk <desk@example.org>",
        "lists": {
            "ops": {"recipients": ["Olga <olga@example.org>", "pat@example.org"]},
            "desk": {"recipients": ["desk-reader@example.org"]},
        },
        "schedules": [
            {
                "name": "often",
                "cron": "*/5 * * * *",
                "select": {"ids": ids},
                "formats": ["html"],
                **schedule,
            }
        ],
        "alerts": {"send_to": ["ops"]},
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def context(project: Path, moment: dt.datetime, environ: dict[str, str]) -> Context:
    settings = default_settings(project)
    loaded = load_delivery(settings.delivery_file, "delivery.yaml")
    return Context(settings, loaded.config, lambda: moment, environ=environ, delivery=loaded)


def subjects(server: SmtpServer, address: str = "olga@example.org") -> list[str]:
    return [str(r.message["Subject"]) for r in server.handler.to(address)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def failing(project: Path, write_brief: Any) -> Path:
    write_brief("alpha", tags=["ev"])
    write(project, ["nope"])
    return project


def test_one_alert_per_incident_then_one_recovery(failing, server):
    env = server.env()
    assert run_due(context(failing, START, env)) == []
    (first,) = run_due(context(failing, START + FIVE, env))
    assert first.failed
    assert subjects(server) == ["[brief] often: a scheduled run failed"]
    assert subjects(server, "pat@example.org") == subjects(server)
    assert server.handler.to("desk-reader@example.org") == []
    body = server.handler.to("olga@example.org")[0].message.get_content()
    assert "Since: 2026-10-01T00:05:00Z" in body
    assert "no fact sheet 'nope' (selected by id)" in body
    # Failing again, five minutes later: the same incident, no second email.
    (second,) = run_due(context(failing, START + 2 * FIVE, env))
    assert second.failed
    assert len(subjects(server)) == 1
    # Fixed: the run succeeds, the incident closes with one recovery message.
    write(failing, ["alpha"])
    (fixed,) = run_due(context(failing, START + 3 * FIVE, env))
    assert fixed.result == "ok"
    assert subjects(server) == [
        "[brief] often: a scheduled run failed",
        "[brief] often: recovered (run-failed)",
    ]
    recovery = server.handler.to("olga@example.org")[1].message.get_content()
    assert "Latest: 2026-10-01T00:10:00Z (2 occurrence(s))" in recovery
    assert "Recovered: often 2026-10-01T00:15:00Z ok: built alpha" in recovery
    # A new failure after the recovery is a new incident.
    write(failing, ["nope"])
    run_due(context(failing, START + 4 * FIVE, env))
    assert len(subjects(server)) == 3
    # Retention: the incident that is over and mailed goes; the open one stays.
    with closing(open_project_store(default_settings(failing))) as db:
        assert alerts.prune(db, 1, START + dt.timedelta(days=2)) == 1
        left = db.execute("SELECT since_slot, closed_at FROM schedule_alerts").fetchall()
    assert [tuple(row) for row in left] == [("2026-10-01T00:20:00Z", None)]


def test_an_alert_the_server_cannot_take_is_retried_on_the_next_run_due(failing, server, caplog):
    down = server.env(BRIEF_SMTP_PORT=str(free_port()))
    run_due(context(failing, START, down))
    caplog.set_level(logging.INFO, logger="generator")
    (report,) = run_due(context(failing, START + FIVE, down))
    assert report.failed  # the run's own outcome, not a crash
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(m.startswith("alert not sent, will retry on the next run-due: ") for m in errors)
    assert server.handler.received == []
    # The server is back; the run fails again, and the one pending alert goes out.
    run_due(context(failing, START + 2 * FIVE, server.env()))
    assert subjects(server) == ["[brief] often: a scheduled run failed"]


def test_slots_missed_past_the_grace_period_send_one_alert(failing, server):
    write(failing, ["alpha"], grace_minutes=60)
    env = server.env()
    run_due(context(failing, START, env))
    reports = run_due(context(failing, START + dt.timedelta(days=2), env))
    assert reports[-1].result == "ok"
    assert subjects(server) == ["[brief] often: slots were missed"]
    body = server.handler.to("olga@example.org")[0].message.get_content()
    assert "Since: 2026-10-01T00:05:00Z" in body
    assert "(563 occurrence(s))" in body
    with closing(open_project_store(default_settings(failing))) as db:
        run_history.ensure_tables(db)
        (missed,) = db.execute("SELECT closed_at, recovery_due FROM schedule_alerts").fetchall()
    assert missed[0] is not None and missed[1] == 0  # over when noticed: no recovery mail


def rows_of(project: Path, columns: str) -> list[tuple[Any, ...]]:
    """``columns`` of every history row, oldest first, straight from SQLite."""
    with closing(open_project_store(default_settings(project))) as db:
        return [
            tuple(row) for row in db.execute(f"SELECT {columns} FROM schedule_runs ORDER BY id")
        ]


def test_deferred_sends_alert_once_the_server_is_back_then_recover(project, write_brief, server):
    write_brief("alpha", tags=["ev"])
    write(project, ["alpha"], send_to=["desk"])
    down = server.env(BRIEF_SMTP_PORT=str(free_port()))
    run_due(context(project, START, down))
    (deferred,) = run_due(context(project, START + FIVE, down))
    assert deferred.deferred or "deferred" in deferred.detail
    assert server.handler.received == []
    # Back: the next run delivers what was deferred, the pending alert goes out, and the
    # incident it reported is already over.
    (back,) = run_due(context(project, START + 2 * FIVE, server.env()))
    assert back.result == "ok", back.detail
    assert len(server.handler.to("desk-reader@example.org")) == 1
    assert subjects(server) == [
        "[brief] often: messages were deferred",
        "[brief] often: recovered (send-deferred)",
    ]
