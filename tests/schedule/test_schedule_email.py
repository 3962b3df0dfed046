"""End to end: ``brief schedule run-due`` in a subprocess builds, archives and emails the
briefings to a real SMTP server on 127.0.0.1, and records what it did."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller

from tests.support.cli import run_brief


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message it accepted."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 2.0.0 queued"


class _FreePort(Controller):
    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = _FreePort(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield inbox, int(controller.port)
    finally:
        controller.stop()


def smtp_env(port: int) -> dict[str, str]:
    return {
        "BRIEF_SMTP_HOST": "127.0.0.1",
        "BRIEF_SMTP_PORT": str(port),
        "BRIEF_SMTP_SECURITY": "none",
        "BRIEF_SMTP_TIMEOUT": "5",
        "BRIEF_SMTP_BACKOFF": "0",
        "BRIEF_SMTP_TRIES": "2",
    }


def run_due(project: Path, now: str, port: int) -> subprocess.CompletedProcess[str]:
    return run_brief(
        "schedule", "run-due", "--now", now, cwd=project, env=smtp_env(port), timeout=300
    )


def runs(project: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(project / ".brief/state.sqlite")) as db:
        return db.execute(
            "SELECT planned_utc, result, built, sent FROM schedule_runs ORDER BY planned_utc"
        ).fetchall()


@pytest.fixture
def weekly(project, write_brief):
    write_brief("alpha", tags=["ev"], title="Alpha plant")
    write_brief("beta", tags=["ev"], title="Beta plant")
    write_brief("steel", tags=["steel"])
    write_brief("broken", tags=["ev"], initiative={"name": "X", "stage": "dreaming"})
    delivery = {
        "sender": "EV Desk <ev-desk@example.org>",
        "lists": {
            "trade-desk": {"recipients": ["ana@example.org", "Bo <bo@example.org>"]},
        },
        "schedules": [
            {
                "name": "weekly-ev",
                "cron": "0 7 * * 1",
                "timezone": "Asia/Hong_Kong",
                "select": {"tags": ["ev"]},
                "formats": ["pdf"],
                "archive": True,
                "send_to": ["trade-desk"],
            }
        ],
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(delivery, sort_keys=False), "utf-8")
    return project


def test_run_due_builds_archives_and_delivers_then_retries_at_the_next_slot(
    weekly, write_brief, smtp
):
    inbox, port = smtp
    first = run_due(weekly, "2026-03-30T06:00+08:00", port)
    assert (first.returncode, first.stdout.strip()) == (0, "nothing due")

    due = run_due(weekly, "2026-03-30T07:02+08:00", port)
    assert due.returncode == 1, due.stderr
    assert due.stdout.strip() == "1 run(s), 1 failed, 0 slot(s) skipped"
    assert (
        "weekly-ev 2026-03-29T23:00:00Z failed: built alpha, beta; archived 2;"
        " sent to trade-desk (4) in "
    ) in due.stderr
    assert "briefs/broken.yaml:" in due.stderr
    received = sorted((m["To"], m["Subject"]) for m in inbox.messages)
    assert [to for to, _ in received] == [
        "Bo <bo@example.org>",
        "Bo <bo@example.org>",
        "ana@example.org",
        "ana@example.org",
    ]
    assert sorted({subject.split(" — ")[0] for _, subject in received}) == [
        "[Brief] Alpha plant",
        "[Brief] Beta plant",
    ]
    for message in inbox.messages:
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content().startswith(b"%PDF-")
    archive = weekly / "output/archive/2026-03-30/weekly-ev"
    assert sorted(p.name for p in archive.iterdir()) == ["alpha.pdf", "beta.pdf"]
    ((slot, result, built, sent),) = runs(weekly)
    assert (slot, result, built) == ("2026-03-29T23:00:00Z", "failed", '["alpha", "beta"]')
    assert "alpha -> trade-desk: ana@example.org" in sent

    # Fixed, it is retried at the next slot: only what is new is sent.
    write_brief("broken", tags=["ev"], title="Mended plant")
    later = run_due(weekly, "2026-04-06T07:01+08:00", port)
    assert later.returncode == 0, later.stderr
    assert (
        "ok: built alpha, beta, broken; archived 3; sent to trade-desk (2); 4 already had it in "
    ) in later.stderr
    assert len(inbox.messages) == 6
    assert {m["Subject"].split(" — ")[0] for m in inbox.messages[4:]} == {"[Brief] Mended plant"}
    assert [r[1] for r in runs(weekly)] == ["failed", "ok"]


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_mail_server_down_fails_the_run_then_the_next_slot_delivers(weekly, write_brief, smtp):
    write_brief("broken", tags=["ev"])
    closed = unused_port()
    run_due(weekly, "2026-03-30T06:00+08:00", closed)
    down = run_due(weekly, "2026-03-30T07:02+08:00", closed)
    assert down.returncode == 1
    assert (
        "weekly-ev 2026-03-29T23:00:00Z failed: built alpha, beta, broken; archived 3;"
        " deferred 6 in "
    ) in down.stderr
    # Deferred, not failed one by one: one line says how many and why.
    assert f"; 6 message(s) deferred: the mail server 127.0.0.1:{closed} " in down.stderr
    assert "refused the connection" in down.stderr
    assert "-> trade-desk: ana@example.org" not in down.stderr
    assert (weekly / "output/archive/2026-03-30/weekly-ev/alpha.pdf").is_file()
    ((_, result, built, sent),) = runs(weekly)
    assert (result, built, sent) == ("failed", '["alpha", "beta", "broken"]', "[]")

    inbox, port = smtp
    up = run_due(weekly, "2026-04-06T07:01+08:00", port)
    assert up.returncode == 0, up.stderr
    assert "ok: built alpha, beta, broken; archived 3; sent to trade-desk (6) in " in up.stderr
    assert len(inbox.messages) == 6
