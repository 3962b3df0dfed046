"""``send`` end to end against a real SMTP server: what arrives, what the ledger says."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from email import policy
from email.parser import BytesParser

import pytest
import yaml

from generator.delivery import ledger
from generator.delivery.sender import DeliveryError, SendOptions, send
from generator.errors import ConfigError
from generator.settings import default_settings
from generator.store import store_path

NOW = dt.datetime(2026, 1, 20, 9, 30, tzinfo=dt.UTC)
TEAM = ["ann@example.org", "Bob Lee <bob@example.org>", "cy@example.org"]


def write_delivery(project, **overrides):
    """Write delivery.yaml: a sender and two lists, with top-level keys replaced."""
    data = {
        "sender": "EV Desk <desk@example.org>",
        "lists": {
            "team": {"recipients": TEAM},
            "partners": {"external": True, "recipients": ["pat@example.org"]},
        },
    }
    data.update(overrides)
    (project / "delivery.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def run(project, env, ids=("hk",), lists=("team",), **options):
    """Send in-process with a fixed clock and no waiting between tries."""
    return send(
        default_settings(project),
        list(ids),
        list(lists),
        options=SendOptions(**options),
        clock=lambda: NOW,
        environ=env,
        sleep=lambda seconds: None,
    )


def rows(project):
    """Every ledger row, by recipient."""
    with ledger.connect(store_path(project / ".brief")) as db:
        return {r.recipient: r for r in ledger.history(db)}


@pytest.fixture
def ready(project, write_brief):
    """A project with one final briefing ``hk`` and delivery.yaml."""
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project)
    return project


def test_each_recipient_gets_one_complete_message(ready, smtp_server):
    report = run(ready, smtp_server.env())
    assert report.ok and report.count("sent") == 3
    received = smtp_server.handler.received
    assert sorted(r.rcpt_tos for r in received) == [
        ("ann@example.org",),
        ("bob@example.org",),
        ("cy@example.org",),
    ]
    pdf = (ready / "output" / "hk.pdf").read_bytes()
    for got in received:
        message = got.message
        assert message["To"].addresses[0].addr_spec == got.rcpt_tos[0]
        assert len(message["To"].addresses) == 1
        assert message["Bcc"] is None and message["Cc"] is None
        assert message["From"].addresses[0].addr_spec == "desk@example.org"
        assert message["Subject"] == "[Brief] Assembly plant talks — as of 2026-01-20"
        assert message["Date"].datetime == NOW
        assert message["Message-ID"].endswith("@example.org>")
        assert message.get_content_type() == "multipart/mixed"
        body = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for part in (body, html):
            assert "Assembly plant talks" in part
            assert "Jobs" in part and "100" in part
            assert "Land is dear" in part
            assert "Bottom line" in part
        assert 'style="' in html and "<style" not in html.split("</head>")[-1]
        assert not re.search(r"<(img|link|script|iframe)\b|\bsrc=|url\(", html, re.I)
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == "hk.pdf"
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == pdf
    assert len({r.message["Message-ID"] for r in received}) == 3
    assert all(r.status == "sent" and r.attempts == 1 for r in rows(ready).values())


def test_second_run_sends_nothing(ready, smtp_server):
    run(ready, smtp_server.env())
    again = run(ready, smtp_server.env())
    assert again.ok and again.count("already-sent") == 3
    assert len(smtp_server.handler.received) == 3


def test_temporary_failure_is_retried_and_delivered_once(ready, smtp_server):
    smtp_server.handler.data_script = ["451 4.3.0 try later"]
    report = run(ready, smtp_server.env(), lists=("partners",), allow_draft=True)
    assert report.ok
    assert len(smtp_server.handler.to("pat@example.org")) == 1
    row = rows(ready)["pat@example.org"]
    assert (row.status, row.attempts) == ("sent", 2)


def test_refused_recipient_is_recorded_and_others_still_served(ready, smtp_server):
    smtp_server.handler.refuse = {"bob@example.org": "550 5.1.1 user unknown"}
    report = run(ready, smtp_server.env())
    assert not report.ok
    assert [len(smtp_server.handler.to(a)) for a in ("ann@example.org", "cy@example.org")] == [1, 1]
    assert smtp_server.handler.to("bob@example.org") == []
    bob = rows(ready)["bob@example.org"]
    assert (bob.status, bob.attempts, bob.reply) == ("failed", 1, "550 5.1.1 user unknown")
    assert {r.recipient: r.result for r in report.results}["bob@example.org"] == "failed"


def test_connection_dropped_mid_data_is_retried_with_the_same_message(ready, smtp_server):
    smtp_server.handler.data_script = ["drop"]
    report = run(ready, smtp_server.env())
    assert report.ok
    assert [len(smtp_server.handler.to(a)) for a in ("ann@example.org",)] == [1]
    ann = rows(ready)["ann@example.org"]
    assert (ann.status, ann.attempts) == ("sent", 2)
    with sqlite3.connect(ready / ".brief" / "state.sqlite") as db:
        query = "SELECT outcome FROM delivery_attempts ORDER BY rowid"
        outcomes = [outcome for (outcome,) in db.execute(query)]
    assert outcomes[:2] == ["ambiguous", "sent"]


def test_no_server_defers_every_message_then_a_rerun_delivers(ready, smtp_server):
    env = smtp_server.env(BRIEF_SMTP_PORT="1")
    report = run(ready, env)
    assert not report.ok and report.count("deferred") == 3 and report.fatal == ""
    assert report.deferral.line() == (
        "the mail server 127.0.0.1:1 (none) refused the connection (nothing listens on "
        "port 1); deferred 3 message(s) to the next run: hk -> team (3)"
    )
    assert [r.status for r in rows(ready).values()] == ["deferred"] * 3
    assert sum(r.attempts for r in rows(ready).values()) == 1
    assert run(ready, smtp_server.env()).ok
    assert len(smtp_server.handler.received) == 3


def test_line_break_in_title_cannot_add_a_header(project, write_brief, smtp_server):
    write_brief("hk", title="Q3\r\nBcc: attacker@example.com")
    write_delivery(project, lists={"team": {"recipients": ["ann@example.org"]}})
    assert run(project, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    assert got.rcpt_tos == ("ann@example.org",)
    assert got.message["Bcc"] is None
    assert got.message["Subject"] == "[Brief] Q3 Bcc: attacker@example.com — as of 2026-01-20"
    headers = got.data.split(b"\r\n\r\n", 1)[0]
    assert not any(line.startswith(b"Bcc") for line in headers.split(b"\r\n"))


def test_long_subject_arrives_exactly_as_written(project, write_brief, smtp_server):
    title = "Hong Kong courts Chinese carmakers for EV assembly plants in the New Territories"
    write_brief("hk", title=title)
    write_delivery(project, lists={"team": {"recipients": ["ann@example.org"]}})
    assert run(project, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    assert got.message["Subject"] == f"[Brief] {title} — as of 2026-01-20"


def test_html_briefing_is_attached_when_configured(ready, smtp_server):
    write_delivery(
        ready, formats=["pdf", "html"], lists={"team": {"recipients": ["a@example.org"]}}
    )
    assert run(ready, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    attached = {a.get_filename(): a for a in got.message.iter_attachments()}
    assert sorted(attached) == ["hk.html", "hk.pdf"]
    assert attached["hk.html"].get_content_type() == "text/html"
    html = (ready / "output" / "hk.html").read_text(encoding="utf-8")
    assert attached["hk.html"].get_content() == html


def test_chinese_title_in_subject(project, write_brief, smtp_server):
    write_brief("hk", title="一汽 and 比亚迪 plant talks")
    write_delivery(project, lists={"team": {"recipients": ["张伟 <wei@example.org>"]}})
    assert run(project, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    assert got.message["Subject"] == "[Brief] 一汽 and 比亚迪 plant talks — as of 2026-01-20"
    assert got.message["To"].addresses[0].display_name == "张伟"
    assert all(byte < 128 for byte in got.data)


def test_what_changed_since_the_last_edition(ready, write_brief, smtp_server):
    run(ready, smtp_server.env())
    first = smtp_server.handler.to("ann@example.org")[0].message
    assert "What changed" not in first.get_body(("html",)).get_content()
    write_brief(
        "hk",
        title="Assembly plant talks",
        initiative={"name": "Assembly plant", "stage": "announced"},
        key_facts=[
            {"label": "Jobs", "value": 250, "sources": ["src-a"]},
            {"label": "Site", "value": "Tseung Kwan O", "sources": ["src-a"]},
        ],
    )
    assert run(ready, smtp_server.env()).ok
    second = smtp_server.handler.to("ann@example.org")[1].message
    text = second.get_body(("plain",)).get_content()
    html = second.get_body(("html",)).get_content()
    for part in (text, html):
        assert part.index("What changed".upper() if part is text else "What changed") < part.index(
            "Bottom line"
        )
        assert "Stage: In talks → Announced" in part
        assert "Jobs: 100 → 250" in part
        assert "New key fact: Site: Tseung Kwan O" in part
    editions = sorted((ready / "output" / "editions" / "hk").iterdir())
    assert len(editions) == 2


def test_archive_holds_the_exact_pdf_messages_and_manifest(ready, smtp_server):
    run(ready, smtp_server.env())
    [edition] = (ready / "output" / "editions" / "hk").iterdir()
    assert edition.name.startswith("2026-01-20-")
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["brief_id"] == "hk" and edition.name.endswith(manifest["content_hash"][:12])
    assert (edition / "hk.pdf").read_bytes() == (ready / "output" / "hk.pdf").read_bytes()
    ids = {r.message["Message-ID"] for r in smtp_server.handler.received}
    assert {m["message_id"] for m in manifest["messages"]} == ids
    assert all(m["status"] == "sent" and m["reply"].startswith("250") for m in manifest["messages"])
    for entry in manifest["messages"]:
        saved = BytesParser(policy=policy.default).parsebytes((edition / entry["eml"]).read_bytes())
        assert saved["Message-ID"] == entry["message_id"]


def test_draft_is_not_sent_to_an_external_list(project, write_brief, smtp_server):
    write_brief("hk", status="draft")
    write_delivery(project)
    with pytest.raises(DeliveryError) as caught:
        run(project, smtp_server.env(), lists=("team", "partners"))
    [problem] = caught.value.diagnostics
    assert problem.format() == (
        "briefs/hk.yaml: status is draft and list partners is external: only final briefings "
        "go to external lists (--allow-draft sends it anyway)"
    )
    assert smtp_server.handler.received == [] and smtp_server.handler.rcpt_calls == 0
    assert run(project, smtp_server.env(), lists=("partners",), allow_draft=True).ok


def test_message_over_the_size_cap_is_refused_before_connecting(ready, smtp_server):
    write_delivery(ready, max_message_mb=0.01)
    with pytest.raises(DeliveryError) as caught:
        run(ready, smtp_server.env())
    assert "briefs/hk.yaml: the message for team is" in caught.value.diagnostics[0].format()
    assert "over the 0.01 MB limit (max_message_mb in delivery.yaml)" in str(
        caught.value.diagnostics[0].message
    )
    assert smtp_server.handler.rcpt_calls == 0


def test_html_body_over_100_kb_is_refused_before_connecting(project, write_brief, smtp_server):
    write_brief("hk", summary="Bottom line [@src-a]. " + "A long paragraph of analysis. " * 4000)
    write_delivery(project)
    with pytest.raises(DeliveryError) as caught:
        run(project, smtp_server.env())
    [problem] = caught.value.diagnostics
    assert re.fullmatch(
        r"briefs/hk\.yaml: the HTML body for team is \d+ KB, over the 100 KB limit past "
        r"which webmail clips a message",
        problem.format(),
    )
    assert smtp_server.handler.rcpt_calls == 0


def test_empty_attachment_is_refused_before_connecting(ready, smtp_server):
    run(ready, smtp_server.env(), dry_run=True)
    from generator.delivery.prepare import content_hash
    from generator.factsheet.loader import load

    sheet = load(ready / "briefs" / "hk.yaml", "briefs/hk.yaml").sheet
    edition = ready / "output" / "editions" / "hk" / f"2026-01-19-{content_hash(sheet)[:12]}"
    edition.mkdir(parents=True)
    (edition / "hk.pdf").write_bytes(b"")
    with pytest.raises(DeliveryError) as caught:
        run(ready, smtp_server.env())
    assert [d.format() for d in caught.value.diagnostics] == [
        "briefs/hk.yaml: attachment hk.pdf is missing or empty"
    ]
    assert smtp_server.handler.rcpt_calls == 0


def test_recipient_on_two_lists_gets_one_message(ready, smtp_server):
    write_delivery(
        ready,
        lists={
            "team": {"recipients": ["ann@example.org"]},
            "desk": {"recipients": ["ANN@example.org", "dee@example.org"]},
        },
    )
    report = run(ready, smtp_server.env(), lists=("team", "desk"))
    assert report.ok and report.count("covered") == 1
    assert len(smtp_server.handler.to("ann@example.org")) == 1
    assert len(smtp_server.handler.received) == 2


def test_resend_sends_again_with_a_new_message_id(ready, smtp_server):
    run(ready, smtp_server.env())
    assert run(ready, smtp_server.env(), resend=True).ok
    ann = smtp_server.handler.to("ann@example.org")
    assert len(ann) == 2
    assert ann[0].message["Message-ID"] != ann[1].message["Message-ID"]


def test_dry_run_writes_messages_and_opens_no_connection(ready, smtp_server):
    report = run(ready, {}, dry_run=True)
    assert report.ok and report.count("written") == 3
    outbox = sorted((ready / "output" / "outbox" / "hk").glob("*.eml"))
    assert [re.sub(r"-[0-9a-f]{8}\.eml$", ".eml", p.name) for p in outbox] == [
        "team--ann@example.org.eml",
        "team--bob@example.org.eml",
        "team--cy@example.org.eml",
    ]
    parsed = BytesParser(policy=policy.default).parsebytes(outbox[0].read_bytes())
    assert parsed["To"].addresses[0].addr_spec == "ann@example.org"
    assert next(parsed.iter_attachments()).get_filename() == "hk.pdf"
    assert smtp_server.handler.rcpt_calls == 0
    assert not (ready / ".brief").exists()


def test_unknown_list_is_an_error_with_a_suggestion(ready):
    with pytest.raises(ConfigError, match=r"no list named 'teem' in delivery\.yaml \(did you mean"):
        run(ready, {}, lists=("teem",), dry_run=True)


def test_missing_smtp_settings_stop_before_building(ready):
    with pytest.raises(ConfigError) as caught:
        run(ready, {})
    assert "BRIEF_SMTP_HOST is not set" in caught.value.diagnostics[0].message
    assert not (ready / "output" / "hk.pdf").exists()


def test_a_second_send_waits_for_the_first_and_names_it(ready, smtp_server, monkeypatch):
    from generator import locks
    from generator.delivery import sender

    monkeypatch.setattr(sender, "SEND_LOCK_WAIT", 0.3)
    settings = default_settings(ready)
    held = locks.hold(locks.send_lock(settings), purpose="brief send", what="sending")
    with held, pytest.raises(locks.LockBusy, match=r"in use by pid \d+ .*\(brief send\)"):
        run(ready, smtp_server.env())
    assert smtp_server.handler.received == []
    assert run(ready, smtp_server.env()).count("sent") == 3
