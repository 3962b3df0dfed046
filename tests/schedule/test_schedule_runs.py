"""Schedule runs on a temporary project: real builds in a child process, real state store."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from generator.config.loader import load_delivery
from generator.schedule import history as run_history
from generator.schedule.runner import Context, run_due, run_now, serve
from generator.settings import default_settings
from generator.store import open_project_store

UTC = dt.UTC
# 2026-03-02 is a Monday; London is on GMT until 29 March.
BEFORE = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
MON_8 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def write_delivery(project: Path, *schedules: dict[str, Any]) -> None:
    """A delivery.yaml with one list and the given schedules."""
    data = {
        "sender": "Brief Desk <desk@example.org>",
        "lists": {"trade-desk": {"recipients": ["Ana <ana@example.org>"]}},
        "schedules": list(schedules),
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def daily(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "daily-ev",
        "cron": "0 8 * * *",
        "timezone": "Europe/London",
        "select": {"tags": ["ev"]},
        "formats": ["pdf"],
        "archive": True,
    }
    data.update(overrides)
    return data


def fixed(moment: dt.datetime):
    return lambda: moment


def context(project: Path, moment: dt.datetime, seconds: float | None = None) -> Context:
    settings = default_settings(project)
    config = load_delivery(settings.delivery_file, "delivery.yaml").config
    return Context(settings, config, fixed(moment), seconds)


def history(project: Path) -> list[run_history.Run]:
    with closing(open_project_store(default_settings(project))) as db:
        run_history.ensure_tables(db)
        return list(reversed(run_history.runs(db, "daily-ev", limit=100)))


@pytest.fixture
def ev_project(project, write_brief):
    write_brief("alpha", tags=["ev"], title="Alpha plant")
    write_brief("beta", tags=["steel"])
    write_brief("gamma", tags=["ev", "hk"], title="Gamma plant")
    write_delivery(project, daily())
    return project


def test_first_run_builds_archives_and_records(ev_project):
    assert run_due(context(ev_project, BEFORE)) == []
    (report,) = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=1)))
    assert (report.schedule, report.slot, report.result) == ("daily-ev", MON_8, "ok")
    assert report.detail.startswith("built alpha, gamma; archived 2 in ")
    out = ev_project / "output"
    # The briefings, and the tracker's portfolio.pdf printed beside index.html.
    assert sorted(p.name for p in out.glob("*.pdf")) == ["alpha.pdf", "gamma.pdf", "portfolio.pdf"]
    archived = sorted(p.name for p in (out / "archive/2026-03-02/daily-ev").iterdir())
    assert archived == ["alpha.pdf", "gamma.pdf"]
    text = PdfReader(out / "archive/2026-03-02/daily-ev/alpha.pdf").pages[0].extract_text()
    assert "Alpha plant" in text
    (run,) = history(ev_project)
    assert (run.planned_utc, run.kind, run.result, run.built) == (
        "2026-03-02T08:00:00Z",
        "scheduled",
        "ok",
        ["alpha", "gamma"],
    )
    assert run.archived == [
        "output/archive/2026-03-02/daily-ev/alpha.pdf",
        "output/archive/2026-03-02/daily-ev/gamma.pdf",
    ]
    assert run_due(context(ev_project, MON_8 + dt.timedelta(minutes=6))) == []


def test_manual_run_never_overwrites_the_days_edition(ev_project):
    run_due(context(ev_project, BEFORE))
    run_due(context(ev_project, MON_8))
    report = run_now(context(ev_project, MON_8 + dt.timedelta(hours=3)), "daily-ev")
    assert report.result == "ok"
    folder = ev_project / "output/archive/2026-03-02/daily-ev"
    assert sorted(p.name for p in folder.iterdir()) == [
        "alpha-2.pdf",
        "alpha.pdf",
        "gamma-2.pdf",
        "gamma.pdf",
    ]
    kinds = [(r.kind, r.planned_utc) for r in history(ev_project)]
    assert kinds == [("scheduled", "2026-03-02T08:00:00Z"), ("manual", "2026-03-02T11:00:00Z")]
    # A manual run does not count as the next day's scheduled one.
    (next_day,) = run_due(context(ev_project, MON_8 + dt.timedelta(days=1, minutes=1)))
    assert next_day.result == "ok"


def test_broken_sheet_fails_the_run_but_not_the_others_then_retried_next_slot(
    ev_project, write_brief
):
    write_brief("delta", tags=["ev"], initiative={"name": "X", "stage": "dreaming"})
    run_due(context(ev_project, BEFORE))
    (report,) = run_due(context(ev_project, MON_8))
    assert report.result == "failed"
    assert "briefs/delta.yaml:" in report.detail and "initiative.stage" in report.detail
    assert (ev_project / "output/alpha.pdf").is_file()
    assert (ev_project / "output/archive/2026-03-02/daily-ev/gamma.pdf").is_file()
    assert not list((ev_project / "output").rglob("delta*"))
    (run,) = history(ev_project)
    assert (run.result, run.built) == ("failed", ["alpha", "gamma"])
    assert "briefs/delta.yaml" in run.error
    assert run.error.count("briefs/delta.yaml") == 1, "the file is named once"
    # Not retried at once; fixed, it runs at the next slot.
    assert run_due(context(ev_project, MON_8 + dt.timedelta(minutes=30))) == []
    write_brief("delta", tags=["ev"])
    (retry,) = run_due(context(ev_project, MON_8 + dt.timedelta(days=1)))
    assert (retry.result, retry.detail.split(" in ")[0]) == (
        "ok",
        "built alpha, delta, gamma; archived 3",
    )


def test_missed_days_coalesce_into_one_late_run(ev_project):
    write_delivery(ev_project, daily(grace_minutes=3 * 1440))
    run_due(context(ev_project, BEFORE))
    run_due(context(ev_project, MON_8))
    wednesday_10 = MON_8 + dt.timedelta(days=2, hours=2)
    reports = run_due(context(ev_project, wednesday_10))
    assert [(r.slot.day, r.result) for r in reports] == [(3, "skipped"), (4, "late")]
    assert reports[0].detail == "coalesced into the run planned for 2026-03-04T08:00:00Z"
    assert sorted(p.name for p in (ev_project / "output/archive").iterdir()) == [
        "2026-03-02",
        "2026-03-04",
    ]
    assert [r.result for r in history(ev_project)] == ["ok", "skipped", "late"]


def test_run_past_its_time_limit_is_stopped_and_does_not_block_the_next(ev_project):
    run_due(context(ev_project, BEFORE))
    (report,) = run_due(context(ev_project, MON_8, seconds=0.05))
    assert report.result == "failed"
    assert "stopped: exceeded the time limit of 0.05 s" in report.detail
    (run,) = history(ev_project)
    assert run.error == "stopped: exceeded the time limit of 0.05 s"
    (next_run,) = run_due(context(ev_project, MON_8 + dt.timedelta(days=1)))
    assert next_run.result == "ok"


def test_run_left_running_by_a_killed_process_is_resumed(ev_project):
    run_due(context(ev_project, BEFORE))
    with closing(open_project_store(default_settings(ev_project))) as db:
        run_history.ensure_tables(db)
        run_history.claim(db, "daily-ev", MON_8, kind="scheduled", now=MON_8)
    (report,) = run_due(context(ev_project, MON_8 + dt.timedelta(minutes=2)))
    assert (report.slot, report.result) == (MON_8, "ok")
    (run,) = history(ev_project)
    assert (run.result, run.resumes) == ("ok", 1)
    assert run.note == "resumed at 2026-03-02T08:02:00.000Z after an interruption"


def test_unknown_selection_is_reported(ev_project):
    write_delivery(ev_project, daily(select={"ids": ["alpha", "nope"]}))
    run_due(context(ev_project, BEFORE))
    (report,) = run_due(context(ev_project, MON_8))
    assert report.result == "failed"
    assert "no fact sheet 'nope' (selected by id)" in report.detail
    assert (ev_project / "output/alpha.pdf").is_file()


def test_rows_are_plain_sqlite(ev_project):
    run_due(context(ev_project, BEFORE))
    run_due(context(ev_project, MON_8))
    with closing(sqlite3.connect(ev_project / ".brief/state.sqlite")) as db:
        query = "SELECT schedule, planned_utc, result, built FROM schedule_runs"
        row = db.execute(query).fetchone()
    assert row[:3] == ("daily-ev", "2026-03-02T08:00:00Z", "ok")
    assert json.loads(row[3]) == ["alpha", "gamma"]


def test_sheet_whose_tags_cannot_be_read_is_a_problem(ev_project, write_brief):
    write_brief("broken", text="title: [unclosed\n")
    write_brief("other", tags=["steel"], initiative={"name": "X", "stage": "dreaming"})
    run_due(context(ev_project, BEFORE))
    (report,) = run_due(context(ev_project, MON_8))
    assert report.result == "failed"
    assert "briefs/broken.yaml:" in report.detail and "(so its tags are unknown)" in report.detail
    assert "briefs/other.yaml" not in report.detail
    assert [r.built for r in history(ev_project)] == [["alpha", "gamma"]]


def test_clock_stepped_back_does_not_run_a_slot_twice(ev_project):
    run_due(context(ev_project, BEFORE))
    tuesday = MON_8 + dt.timedelta(days=1)
    assert [r.slot for r in run_due(context(ev_project, MON_8))] == [MON_8]
    assert [r.slot for r in run_due(context(ev_project, tuesday))] == [tuesday]
    for moment in (MON_8 - dt.timedelta(minutes=30), MON_8 + dt.timedelta(hours=1), tuesday):
        assert run_due(context(ev_project, moment)) == []
    assert [r.planned_utc for r in history(ev_project)] == [
        "2026-03-02T08:00:00Z",
        "2026-03-03T08:00:00Z",
    ]


def test_serve_keeps_the_last_good_schedules_when_delivery_yaml_breaks(ev_project, caplog):
    settings = default_settings(ev_project)
    good = load_delivery(settings.delivery_file, "delivery.yaml").config
    loads = iter([None, good])
    stop = threading.Event()

    def load():
        found = next(loads, good)
        if found is None:
            (ev_project / "delivery.yaml").write_text("schedules: [\n", "utf-8")
            return load_delivery(settings.delivery_file, "delivery.yaml").config
        stop.set()
        return found

    caplog.set_level("INFO", logger="generator")
    context = Context(settings, good, fixed(MON_8 - dt.timedelta(minutes=30)), stop=stop)
    assert serve(context, load, max_sleep=0.01) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert messages[:2] == ["serving 1 schedule(s)", "next run due at 2026-03-02T08:00:00Z"]
    assert any(m.startswith("keeping the previous configuration: delivery.yaml") for m in messages)
    assert messages[-1] == "stopped"
