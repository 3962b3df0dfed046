"""A run's sending: with the configuration its scheduler handed it, and deferred messages.

Real runs of the job (real builds, the real send ledger) against the real SMTP server of
``tests/delivery/conftest.py`` on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import get_args

import pytest
import yaml

from generator.config.loader import load_delivery
from generator.delivery.dispatch import Result
from generator.schedule.job import Job, JobResult, run_job
from generator.settings import default_settings

DAY = dt.date(2026, 12, 1)
STARTED = dt.datetime(2026, 12, 1, 7, 1, tzinfo=dt.UTC)
DELIVERY = {
    "sender": "Desk <desk@example.org>",
    "lists": {"trade-desk": {"recipients": ["ana@example.org", "bo@example.org"]}},
    "schedules": [
        {
            "name": "daily",
            "cron": "0 7 * * *",
            "select": {"tags": ["ev"]},
            "send_to": ["trade-desk"],
        }
    ],
}


@pytest.fixture
def desk(project: Path, write_brief) -> Path:
    write_brief("alpha", tags=["ev"], title="Alpha plant")
    write_brief("beta", tags=["ev"], title="Beta plant")
    (project / "delivery.yaml").write_text(yaml.safe_dump(DELIVERY), "utf-8")
    return project


def job(project: Path, env: dict[str, str], *, handed: bool = True) -> Job:
    """The job of the ``daily`` slot, built as the runner builds it from what it loaded."""
    settings = default_settings(project)
    config = load_delivery(settings.delivery_file, "delivery.yaml").config
    (daily,) = config.schedules
    return Job(settings, daily, STARTED, DAY, env, config=config if handed else None)


def break_delivery_file(project: Path) -> None:
    (project / "delivery.yaml").write_text("sender: [unclosed\nlists: {", "utf-8")


def test_a_run_sends_with_the_configuration_it_was_handed_though_the_file_broke(desk, smtp_server):
    work = job(desk, smtp_server.env())
    break_delivery_file(desk)
    result = run_job(work)
    assert result.errors == []
    assert sorted(result.sent) == [
        "alpha -> trade-desk: ana@example.org",
        "alpha -> trade-desk: bo@example.org",
        "beta -> trade-desk: ana@example.org",
        "beta -> trade-desk: bo@example.org",
    ]
    assert sorted(r.rcpt_tos for r in smtp_server.handler.received) == [
        ("ana@example.org",),
        ("ana@example.org",),
        ("bo@example.org",),
        ("bo@example.org",),
    ]


def test_without_a_handed_configuration_the_broken_file_stops_the_sending(desk, smtp_server):
    work = job(desk, smtp_server.env(), handed=False)
    break_delivery_file(desk)
    result = run_job(work)
    assert result.built == ["alpha", "beta"] and result.sent == []
    assert [e.split(": ")[0] for e in result.errors] == ["alpha not sent", "beta not sent"]
    assert all("delivery.yaml has errors" in e for e in result.errors)
    assert smtp_server.handler.received == []


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(
    "deferred" not in get_args(Result),
    reason="needs the message result 'deferred' of generator/delivery/dispatch.py",
)
def test_messages_deferred_by_an_unreachable_server_fail_the_run_in_one_line(desk, smtp_server):
    closed = {"BRIEF_SMTP_PORT": str(unused_port())}
    result: JobResult = run_job(job(desk, smtp_server.env(**closed)))
    assert result.sent == []
    assert sorted(result.deferred) == [
        "alpha -> trade-desk: ana@example.org",
        "alpha -> trade-desk: bo@example.org",
        "beta -> trade-desk: ana@example.org",
        "beta -> trade-desk: bo@example.org",
    ]
    (error,) = result.errors
    assert error.startswith("4 message(s) deferred: ")
    assert f"127.0.0.1:{closed['BRIEF_SMTP_PORT']}" in error
    assert result.summary() == "built 2, archived 0, sent 0, 4 deferred"
    # The server back, the next run sends what was deferred.
    later = run_job(job(desk, smtp_server.env()))
    assert (later.errors, len(later.sent), later.deferred) == ([], 4, [])
