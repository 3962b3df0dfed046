"""An interrupted scheduled run is resumed by the next ``run-due`` within the grace period.

``brief schedule run-due`` runs in a subprocess against a real SMTP server on 127.0.0.1.
The server accepts three messages and holds the fourth (no answer), which is when the test
kills ``run-due`` with SIGKILL; its child notices and dies too, which the server sees as
the connection dropping. The send ledger then says who already has the edition.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.delivery.conftest import Handler, SmtpServer, start_server
from tests.support.cli import run_brief, start_brief

RECIPIENTS = [f"r{n:02d}@example.org" for n in range(10)]
# 2026-03-30 is a Monday: the schedule's slot is 07:00 UTC.
SLOT = "2026-03-30T07:00:00Z"
BEFORE, ON_TIME = "2026-03-30T06:00Z", "2026-03-30T07:01Z"
# Generous waits: a build with WeasyPrint on a loaded 2-core machine can take a while.
BUILD_WAIT, DEATH_WAIT = 240.0, 60.0


@dataclass
class Gate(Handler):
    """Accepts ``accept`` messages, then holds every later DATA unanswered until released.

    ``held`` is set when a message is being held; ``dropped`` when the client went away
    while it was (aiosmtpd cancels the handler when the connection is lost).
    """

    accept: int = 3
    held: threading.Event = field(default_factory=threading.Event)
    dropped: threading.Event = field(default_factory=threading.Event)
    released: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.released or len(self.received) < self.accept:
            return await super().handle_DATA(server, session, envelope)
        self.held.set()
        try:
            await asyncio.sleep(600)
        except asyncio.CancelledError:
            self.dropped.set()
            raise
        return "451 4.3.0 held too long"


@pytest.fixture
def gate() -> Iterator[SmtpServer]:
    handler = Gate()
    controller = start_server(handler)
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()


@pytest.fixture
def weekly(project: Path, write_brief: Any) -> Path:
    write_brief("alpha", tags=["ev"], title="Alpha plant")
    delivery = {
        "sender": "EV Desk <ev-desk@example.org>",
        "lists": {"desk": {"recipients": RECIPIENTS}},
        "schedules": [
            {
                "name": "weekly-ev",
                "cron": "0 7 * * 1",
                "select": {"tags": ["ev"]},
                "formats": ["pdf"],
                "archive": True,
                "send_to": ["desk"],
                "grace_minutes": 120,
            }
        ],
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(delivery, sort_keys=False), "utf-8")
    return project


def env(server: SmtpServer) -> dict[str, str]:
    # A long timeout: the held message must still be waiting when run-due is killed.
    return server.env(BRIEF_SMTP_TIMEOUT="300", BRIEF_SMTP_TRIES="1")


def run_due(project: Path, now: str, server: SmtpServer) -> subprocess.CompletedProcess[str]:
    return run_brief("schedule", "run-due", "--now", now, cwd=project, env=env(server), timeout=300)


def interrupt_after_three(project: Path, server: SmtpServer) -> None:
    """Start the on-time run, SIGKILL it once 3 messages are in, wait for its child to go."""
    gate = server.handler
    assert isinstance(gate, Gate)
    started = start_brief(
        "schedule", "run-due", "--now", ON_TIME, cwd=project, env=env(server),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert gate.held.wait(BUILD_WAIT), "the run never reached its fourth message"
        os.kill(started.pid, signal.SIGKILL)
        assert started.wait(DEATH_WAIT) == -signal.SIGKILL
        assert gate.dropped.wait(DEATH_WAIT), "the run's child kept the connection open"
    finally:
        if started.poll() is None:
            started.kill()
            started.wait()
    assert len(gate.received) == 3
    gate.released = True


def counts(server: SmtpServer) -> list[int]:
    return [len(server.handler.to(address)) for address in RECIPIENTS]


def rows(project: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(project / ".brief/state.sqlite")) as db:
        return db.execute(
            "SELECT planned_utc, result, error, note FROM schedule_runs ORDER BY id"
        ).fetchall()


def test_interrupted_run_is_resumed_within_the_grace_and_sends_only_the_rest(weekly, gate):
    assert run_due(weekly, BEFORE, gate).stdout.strip() == "nothing due"
    interrupt_after_three(weekly, gate)
    assert counts(gate) == [1, 1, 1] + [0] * 7

    resumed = run_due(weekly, "2026-03-30T07:30Z", gate)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip() == "1 run(s), 0 failed, 0 slot(s) skipped"
    assert f"weekly-ev {SLOT} resumed after an interruption" in resumed.stderr
    assert "late: built alpha; sent to desk (7); 3 already had it in " in resumed.stderr
    assert counts(gate) == [1] * 10
    ((slot, result, error, note),) = rows(weekly)
    assert (slot, result, error) == (SLOT, "late", "")
    assert note.startswith("resumed at 2026-03-30T07:30:")
    # The archive holds the one edition, not a copy per attempt.
    assert sorted(p.name for p in (weekly / "output/archive/2026-03-30/weekly-ev").iterdir()) == [
        "alpha.pdf"
    ]

    again = run_due(weekly, "2026-03-30T07:40Z", gate)
    assert (again.returncode, again.stdout.strip()) == (0, "nothing due")
    assert counts(gate) == [1] * 10
    listed = run_brief("schedule", "list", "--now", "2026-03-30T07:40Z", cwd=weekly)
    assert f"  last run: {SLOT} late (resumed at 2026-03-30T07:30:" in listed.stdout


def test_interrupted_run_past_the_grace_is_recorded_as_missed_and_sends_nothing(weekly, gate):
    assert run_due(weekly, BEFORE, gate).stdout.strip() == "nothing due"
    interrupt_after_three(weekly, gate)

    late = run_due(weekly, "2026-03-30T09:01Z", gate)
    assert late.returncode == 1, late.stderr
    missed = "interrupted, not resumed: missed; older than the grace period (2 h)"
    assert f"weekly-ev {SLOT} failed: {missed}" in late.stderr
    assert late.stdout.strip() == "1 run(s), 1 failed, 0 slot(s) skipped"
    assert counts(gate) == [1, 1, 1] + [0] * 7
    ((slot, result, error, _),) = rows(weekly)
    assert (slot, result) == (SLOT, "failed")
    assert error.startswith(missed)

    after = run_due(weekly, "2026-03-30T09:10Z", gate)
    assert (after.returncode, after.stdout.strip()) == (0, "nothing due")
    assert counts(gate) == [1, 1, 1] + [0] * 7
