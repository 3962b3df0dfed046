"""``brief outbox`` and the lines ``brief send`` prints, through the real command."""

from __future__ import annotations

import json
import os
import time

import pytest
import yaml

from tests.support.cli import run_brief

from .conftest import free_port


def brief(project, *args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}
    return run_brief(*args, cwd=project, env=env, base_env=base, timeout=180)


@pytest.fixture
def ready(project, write_brief):
    write_brief("hk", as_of="2026-01-18")
    write_brief("ev", title="EV charging", as_of="2026-01-19")
    lists = {
        "team": {"recipients": ["ann@example.org", "bob@example.org"]},
        "desk": {"recipients": ["ANN@example.org", "dee@example.org"]},
        "all": {"recipients": [f"reader{n:03d}@example.org" for n in range(200)]},
    }
    data = {"sender": "desk@example.org", "lists": lists}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return project


def short_hash(project, brief_id):
    [folder] = (project / "output" / "editions" / brief_id).iterdir()
    return folder.name.rsplit("-", 1)[1]


def test_outbox_tells_sent_from_covered_and_names_the_edition(ready, smtp_server):
    sent = brief(ready, "send", "hk", "--to", "team,desk", env=smtp_server.env())
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.splitlines() == [
        "hk -> team: 2 message(s): 2 sent",
        "hk -> desk: 2 message(s): 1 sent, 1 covered",
        "in all: 4 message(s): 3 sent, 1 covered",
    ]
    digest = short_hash(ready, "hk")
    text = brief(ready, "outbox").stdout.splitlines()
    # Oldest first by the time each recipient got the edition: Ann's copy through the
    # desk list is the one she received through the team list.
    assert [line.split()[2] for line in text[:-1]] == ["sent", "covered", "sent", "sent"]
    assert "hk -> desk: ANN@example.org" in text[1]
    assert "already received through list team" in text[1]
    assert all(f"as of 2026-01-18 #{digest}" in line for line in text[:-1])
    assert text[-1] == "4 message(s) in the ledger"
    entries = json.loads(brief(ready, "outbox", "--format", "json").stdout)
    assert [(e["list_name"], e["recipient"], e["state"]) for e in entries] == [
        ("team", "ann@example.org", "sent"),
        ("desk", "ANN@example.org", "covered"),
        ("team", "bob@example.org", "sent"),
        ("desk", "dee@example.org", "sent"),
    ]
    assert entries[1]["covered_by"] == "team" and entries[0]["covered_by"] == ""
    assert entries[1]["time"] == entries[0]["time"]
    assert {(e["as_of"], e["short_hash"]) for e in entries} == {("2026-01-18", digest)}
    assert all(e["content_hash"].startswith(digest) and e["generation"] == 0 for e in entries)
    times = [e["time"] for e in entries]
    assert times == sorted(times)


def test_server_down_is_one_line_exit_3_and_the_outbox_shows_the_deferral(ready, smtp_server):
    assert brief(ready, "send", "hk", "--to", "team", env=smtp_server.env()).returncode == 0
    port = free_port()
    started = time.monotonic()
    down = brief(
        ready,
        *("send", "ev", "--to", "all"),
        env=smtp_server.env(BRIEF_SMTP_PORT=str(port), BRIEF_SMTP_BACKOFF="2"),
    )
    elapsed = time.monotonic() - started
    assert down.returncode == 3
    assert "Traceback" not in down.stderr
    lines = [line for line in down.stderr.splitlines() if "reader" in line or "deferred" in line]
    assert lines == [
        f"Not sent: the mail server 127.0.0.1:{port} (none) refused the connection (nothing "
        f"listens on port {port}); deferred 200 message(s) to the next run: ev -> all (200)"
    ]
    assert down.stdout == "ev -> all: 200 message(s): 0 sent, 200 deferred\n"
    assert elapsed < 60, f"took {elapsed:.1f} s"
    failed = json.loads(brief(ready, "outbox", "--failed", "--format", "json").stdout)
    assert len(failed) == 200 and {e["state"] for e in failed} == {"deferred"}
    assert {(e["brief_id"], e["as_of"]) for e in failed} == {("ev", "2026-01-19")}
    every = json.loads(brief(ready, "outbox", "--format", "json").stdout)
    assert [e["brief_id"] for e in every[:2]] == ["hk", "hk"]  # oldest first
    text = brief(ready, "outbox", "ev", "--failed").stdout.splitlines()
    assert text[-1] == "200 message(s) in the ledger not sent"
    assert "deferred" in text[0] and f"as of 2026-01-19 #{short_hash(ready, 'ev')}" in text[0]
    back = brief(ready, "send", "ev", "--to", "all", env=smtp_server.env())
    assert back.returncode == 0 and back.stdout == "ev -> all: 200 message(s): 200 sent\n"


def test_outbox_json_before_any_send_is_an_empty_list(ready):
    result = brief(ready, "outbox", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert not (ready / ".brief").exists()
