"""A run whose child died (no answer, not the time limit, not a shutdown: the kernel's
out-of-memory killer, say) is resumed by the next run-due within the grace period.

The child kills itself with SIGKILL after its first recorded message (the ``BRIEF_FAULT``
hook of the delivery package); a real SMTP server on 127.0.0.1 counts what arrived.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config.loader import load_delivery
from generator.schedule.runner import Context, run_due
from generator.settings import default_settings
from tests.schedule.test_alerts import rows_of

UTC = dt.UTC
MON_7 = dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
READERS = ["r1@example.org", "r2@example.org", "r3@example.org"]


@pytest.fixture
def weekly(project: Path, write_brief: Any) -> Path:
    write_brief("alpha", tags=["ev"])
    data = {
        "sender": "EV Desk <ev-desk@example.org>",
        "lists": {"desk": {"recipients": READERS}},
        "schedules": [
            {
                "name": "weekly-ev",
                "cron": "0 7 * * 1",
                "select": {"ids": ["alpha"]},
                "send_to": ["desk"],
                "grace_minutes": 120,
            }
        ],
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return project


def context(project: Path, moment: dt.datetime, environ: dict[str, str]) -> Context:
    settings = default_settings(project)
    loaded = load_delivery(settings.delivery_file, "delivery.yaml")
    return Context(settings, loaded.config, lambda: moment, environ=environ, delivery=loaded)


def test_a_run_whose_child_died_is_resumed_and_nobody_gets_it_twice(weekly, smtp_server):
    assert run_due(context(weekly, MON_7 - dt.timedelta(hours=1), smtp_server.env())) == []
    killed = smtp_server.env(BRIEF_FAULT="after-record:1")
    (died,) = run_due(context(weekly, MON_7 + dt.timedelta(minutes=1), killed))
    assert (died.result, died.resumable) == ("failed", True)
    assert died.detail.startswith("the run ended unexpectedly (exit code -9)")
    assert died.detail.endswith("; left to be resumed by the next run-due")
    assert [len(smtp_server.handler.to(r)) for r in READERS] == [1, 0, 0]
    ((result, error),) = rows_of(weekly, "result, error")
    assert result == "running" and error.startswith("the run ended unexpectedly")

    (resumed,) = run_due(context(weekly, MON_7 + dt.timedelta(minutes=30), smtp_server.env()))
    assert resumed.result == "late"
    assert "sent to desk (2); 1 already had it" in resumed.detail
    assert [len(smtp_server.handler.to(r)) for r in READERS] == [1, 1, 1]
    ((result, error),) = rows_of(weekly, "result, error")
    assert (result, error) == ("late", "")
    assert run_due(context(weekly, MON_7 + dt.timedelta(minutes=40), smtp_server.env())) == []
