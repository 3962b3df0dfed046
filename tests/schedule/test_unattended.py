"""Unattended running: downtime summarised, history pruned, health written, a broken
delivery.yaml reported once under serve. Real runner, real child processes, real SQLite.

Schedules here mostly select an id that does not exist: the run fails at once, without
a build, which keeps the tests quick while still going through the child process.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config.loader import load_delivery
from generator.schedule import history as run_history
from generator.schedule.runner import Context, run_due, serve
from generator.settings import default_settings
from generator.store import open_project_store

UTC = dt.UTC
START = dt.datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
MON_8 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def write(project: Path, *schedules: dict[str, Any], **top: Any) -> None:
    data = {
        "sender": "Brief Desk <desk@example.org>",
        "lists": {"ops": {"recipients": ["ops@example.org"]}},
        "schedules": list(schedules),
        **top,
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def often(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "often",
        "cron": "*/5 * * * *",
        "select": {"ids": ["alpha"]},
        "formats": ["html"],
        **overrides,
    }


def context(project: Path, moment: dt.datetime) -> Context:
    settings = default_settings(project)
    loaded = load_delivery(settings.delivery_file, "delivery.yaml")
    return Context(settings, loaded.config, lambda: moment, delivery=loaded)


def rows(project: Path, name: str = "often") -> list[run_history.Run]:
    with closing(open_project_store(default_settings(project))) as db:
        run_history.ensure_tables(db)
        return list(reversed(run_history.runs(db, name, limit=100_000)))


@pytest.fixture
def alpha(project: Path, write_brief: Any) -> Path:
    write_brief("alpha", tags=["ev"])
    return project


def test_a_month_of_downtime_is_one_line_and_two_rows(alpha, caplog):
    write(alpha, often())
    assert run_due(context(alpha, START)) == []
    caplog.set_level(logging.INFO, logger="generator")
    later = START + dt.timedelta(days=30)
    reports = run_due(context(alpha, later))
    assert [(r.result, r.count) for r in reports] == [
        ("skipped", 8351),
        ("skipped", 288),
        ("ok", 1),
    ]
    skipped = [m for m in caplog.messages if m.startswith("skipped ")]
    assert skipped == [
        "skipped 8,639 slots of 'often' between 2026-10-01T00:05:00Z and 2026-10-30T23:55:00Z: "
        "8,351 missed; older than the grace period (1 d); "
        "288 coalesced into the run planned for 2026-10-31T00:00:00Z"
    ]
    gap, coalesced, ran = rows(alpha)
    assert (gap.result, gap.skipped_from, gap.planned_utc, gap.skipped_count) == (
        "skipped",
        "2026-10-01T00:05:00Z",
        "2026-10-29T23:55:00Z",
        8351,
    )
    assert (coalesced.skipped_from, coalesced.skipped_count) == ("2026-10-30T00:00:00Z", 288)
    assert (ran.planned_utc, ran.result, ran.built) == ("2026-10-31T00:00:00Z", "ok", ["alpha"])
    # The cursor moved past the gap: the next slot runs normally, nothing is replayed.
    (following,) = run_due(context(alpha, later + dt.timedelta(minutes=5)))
    assert (following.slot, following.result) == (later + dt.timedelta(minutes=5), "ok")
    assert len(rows(alpha)) == 4


def test_runs_older_than_keep_days_are_pruned_but_the_cursor_stays(alpha):
    weekly = often(name="weekly", cron="0 8 * * 1", select={"ids": ["nope"]})
    write(alpha, weekly, history={"keep_days": 1})
    run_due(context(alpha, MON_8 - dt.timedelta(hours=1)))
    run_due(context(alpha, MON_8))
    assert [r.planned_utc for r in rows(alpha, "weekly")] == ["2026-03-02T08:00:00Z"]
    # Three days on, nothing is due and the only row is older than a day: it is the
    # cursor, so it stays.
    assert run_due(context(alpha, MON_8 + dt.timedelta(days=3))) == []
    assert [r.planned_utc for r in rows(alpha, "weekly")] == ["2026-03-02T08:00:00Z"]
    (next_week,) = run_due(context(alpha, MON_8 + dt.timedelta(days=7)))
    assert next_week.slot == MON_8 + dt.timedelta(days=7)
    # Now the older row is not the newest any more, and it ended a week ago.
    assert [r.planned_utc for r in rows(alpha, "weekly")] == ["2026-03-09T08:00:00Z"]


def test_history_keeps_runs_younger_than_keep_days(alpha):
    weekly = often(name="weekly", cron="0 8 * * 1", select={"ids": ["nope"]})
    write(alpha, weekly)  # the default: 400 days
    run_due(context(alpha, MON_8 - dt.timedelta(hours=1)))
    run_due(context(alpha, MON_8))
    run_due(context(alpha, MON_8 + dt.timedelta(days=7)))
    assert len(rows(alpha, "weekly")) == 2


def test_health_json_is_written_after_every_run_due(alpha):
    write(alpha, often(select={"ids": ["nope"]}))
    run_due(context(alpha, START))
    path = alpha / ".brief/health.json"
    first = json.loads(path.read_text("utf-8"))
    assert first["healthy"] is True
    assert first["schedules"][0]["state"] == "no runs yet"
    run_due(context(alpha, START + dt.timedelta(minutes=5)))
    health = json.loads(path.read_text("utf-8"))
    (item,) = health["schedules"]
    assert (health["healthy"], health["checked_at"]) == (False, "2026-10-01T00:05:00Z")
    assert (item["state"], item["failures_since_success"]) == ("failing", 1)
    assert item["last_run"]["slot"] == "2026-10-01T00:05:00Z"
    assert item["last_success"] is None
    assert item["next_due"] == "2026-10-01T00:10:00Z"
    assert not list(path.parent.glob("*.tmp*")) and not list(path.parent.glob(".*health*"))


def test_serve_says_once_that_delivery_yaml_broke_and_once_that_it_is_back(alpha, caplog):
    write(alpha, often(cron="0 8 * * 1"))
    settings = default_settings(alpha)
    good = load_delivery(settings.delivery_file, "delivery.yaml")
    stop = threading.Event()
    script = iter(["broken", "broken", "broken", "good", "good", "stop"])

    def load():
        step = next(script, "stop")
        if step == "stop":
            stop.set()
            return good
        if step == "broken":
            (alpha / "delivery.yaml").write_text("schedules: [\n", "utf-8")
        else:
            write(alpha, often(cron="0 8 * * 1"))
        return load_delivery(settings.delivery_file, "delivery.yaml")

    caplog.set_level(logging.INFO, logger="generator")
    ctx = Context(
        settings, good.config, lambda: MON_8 - dt.timedelta(hours=1), stop=stop, delivery=good
    )
    assert serve(ctx, load, max_sleep=0.01) == 0
    kept = [m for m in caplog.messages if m.startswith("keeping the previous configuration")]
    assert len(kept) == 1  # broken for three loops: said once
    assert caplog.messages.count("configuration reloaded") == 1
    assert [r.levelno for r in caplog.records].count(logging.ERROR) == 1
