"""Who gets which edition: an external list the external edition, an internal list the
internal one, through a real SMTP server on 127.0.0.1; what arrives is read back."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from generator.delivery import ledger
from generator.delivery.sender import DeliveryError
from generator.store import store_path
from tests.delivery.external_support import (
    PARTNER,
    TEAM,
    file_text,
    markers_in,
    message_text,
    send_hk,
    sheet_text,
    write_delivery,
)
from tests.support.cli import run_brief


@pytest.fixture
def ready(project, write_brief):
    write_brief("hk", sheet_text())
    write_delivery(project)
    return project


def attachments(received):
    return {p.get_filename(): p.get_content() for p in received.message.iter_attachments()}


def test_each_list_gets_its_edition_and_the_external_one_holds_no_internal_text(ready, smtp_server):
    report = send_hk(ready, smtp_server.env())
    assert report.ok and report.count("sent") == 3
    (partner,) = smtp_server.handler.to(PARTNER)
    assert set(attachments(partner)) == {"hk.pdf", "hk.html"}
    assert markers_in(message_text(partner.message)) == []
    for name, data in attachments(partner).items():
        assert markers_in(file_text(name, data)) == [], name
    assert attachments(partner)["hk.pdf"] == (ready / "output" / "hk.external.pdf").read_bytes()
    for address in TEAM:
        (got,) = smtp_server.handler.to(address)
        files = attachments(got)
        assert set(files) == {"hk.internal.pdf", "hk.internal.html"}
        assert files["hk.internal.pdf"] == (ready / "output" / "hk.internal.pdf").read_bytes()
        # The control: the internal edition does hold the words the external one lacks.
        assert {"zanzibar", "capybara", "tapir"} <= set(
            markers_in(file_text("x.pdf", files["hk.internal.pdf"]))
        )
    with ledger.connect(store_path(ready / ".brief")) as db:
        kinds = {r.recipient: r.edition_kind for r in ledger.history(db)}
    assert kinds == {PARTNER: "external", TEAM[0]: "internal", TEAM[1]: "internal"}


def test_outbox_names_the_edition_each_recipient_got(ready, smtp_server):
    assert send_hk(ready, smtp_server.env()).ok
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}
    shown = run_brief("outbox", cwd=ready, base_env=base, timeout=120)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    (partner,) = [line for line in lines if f"hk -> partners: {PARTNER}" in line]
    assert "  external edition as of 2026-01-20 #" in partner
    team = [line for line in lines if "hk -> team: " in line]
    assert len(team) == 2 and all("  internal edition as of 2026-01-20 #" in t for t in team)
    entries = json.loads(
        run_brief("outbox", "--format", "json", cwd=ready, base_env=base, timeout=120).stdout
    )
    assert {e["recipient"]: e["edition_kind"] for e in entries} == {
        PARTNER: "external",
        TEAM[0]: "internal",
        TEAM[1]: "internal",
    }


def test_a_sheet_without_internal_content_sends_its_one_edition_to_both(
    project, write_brief, smtp_server
):
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project, formats=("pdf",))
    assert send_hk(project, smtp_server.env()).ok
    pdf = (project / "output" / "hk.pdf").read_bytes()
    for address in (*TEAM, PARTNER):
        (got,) = smtp_server.handler.to(address)
        assert attachments(got) == {"hk.pdf": pdf}
    with ledger.connect(store_path(project / ".brief")) as db:
        assert {r.edition_kind for r in ledger.history(db)} == {"only"}


def _edit(project, edit):
    data = yaml.safe_load(sheet_text())
    edit(data)
    path = project / "briefs" / "hk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _changes(received):
    text = received.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    heading = "WHAT CHANGED SINCE THE LAST EDITION\n"
    return text.split(heading, 1)[1].split("\n\n", 1)[0] if heading in text else ""


def test_an_internal_change_alone_is_no_new_external_edition(ready, smtp_server):
    assert send_hk(ready, smtp_server.env()).ok

    def edit(data):
        data["key_facts"][1]["label"] = "Zanzibar reserve site"

    _edit(ready, edit)
    report = send_hk(ready, smtp_server.env())
    assert [r.result for r in report.results if r.list_name == "partners"] == ["already-sent"]
    assert len(smtp_server.handler.to(PARTNER)) == 1
    latest = smtp_server.handler.to(TEAM[0])[-1]
    assert "Zanzibar reserve site" in _changes(latest)


def test_changes_for_an_external_list_are_between_external_editions(ready, smtp_server):
    assert send_hk(ready, smtp_server.env()).ok

    def edit(data):
        data["summary"] += "\nA site has been chosen.\n"
        data["key_facts"][1]["label"] = "Zanzibar reserve site"  # internal: changed
        del data["challenges"][1]  # internal: removed
        data["sections"][1]["internal"] = False  # no longer internal: now external

    _edit(ready, edit)
    assert send_hk(ready, smtp_server.env()).ok
    partner = smtp_server.handler.to(PARTNER)[-1]
    changes = _changes(partner)
    assert "Summary revised" in changes
    assert "Negotiating Tapir position" in changes  # a section the list now sees is new to it
    internal_markers = [m for m in markers_in(changes) if m != "tapir" and m != "meerkat"]
    assert internal_markers == [], changes
    assert markers_in(message_text(partner.message)) == ["tapir", "meerkat"]
    team_changes = _changes(smtp_server.handler.to(TEAM[0])[-1])
    assert "Zanzibar reserve site" in team_changes and "Capybara" in team_changes


def test_a_briefing_above_a_lists_highest_marking_is_refused_before_anything_is_sent(
    project, write_brief, smtp_server
):
    write_brief("hk", sheet_text(marking="SECRET"))
    write_delivery(project, max_marking="OFFICIAL-SENSITIVE")
    with pytest.raises(DeliveryError) as caught:
        send_hk(project, smtp_server.env())
    (problem,) = caught.value.diagnostics
    line = next(
        n
        for n, text in enumerate((project / "briefs" / "hk.yaml").read_text().splitlines(), 1)
        if text.startswith("marking:")
    )
    assert problem.format() == (
        f"briefs/hk.yaml:{line}:10: marking: hk is marked SECRET, above OFFICIAL-SENSITIVE, "
        "the highest marking list partners may receive (lists.partners.max_marking in "
        "delivery.yaml): not sent to partners"
    )
    assert smtp_server.handler.received == []
    assert smtp_server.handler.ehlo_calls == 0  # no connection was ever opened
    # At or below the ceiling, and unmarked, it goes.
    write_brief("hk", sheet_text(marking="OFFICIAL-SENSITIVE"))
    assert send_hk(project, smtp_server.env()).ok


def test_the_cli_refuses_with_the_status_of_other_pre_send_refusals(
    project, write_brief, smtp_server
):
    write_brief("hk", sheet_text(marking="TOP SECRET"))
    write_delivery(project, max_marking="OFFICIAL")
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}
    result = run_brief(
        "send",
        "hk",
        "--to",
        "team,partners",
        cwd=project,
        env=smtp_server.env(),
        base_env=base,
        timeout=180,
    )
    assert result.returncode == 1, result.stderr
    assert "nothing sent: the pre-send checks failed" in result.stderr
    assert "hk is marked TOP SECRET, above OFFICIAL" in result.stderr
    assert "Traceback" not in result.stderr
    assert smtp_server.handler.received == []
