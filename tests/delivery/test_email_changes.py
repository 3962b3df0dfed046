""" "What changed since the last edition" in the received message: every part of the
briefing, in the briefing's words, compared with the archived sheet of the edition the
list last received. Sends through ``brief send`` to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import yaml

from tests.delivery.test_email_html import elements, html_part, text_of, with_class
from tests.delivery.test_email_plain_text import HONG_KONG, plain_part
from tests.delivery.test_send import run, write_delivery

HEADING = "WHAT CHANGED SINCE THE LAST EDITION"


def changes_in_text(text: str) -> list[str]:
    block = text.split(HEADING + "\n", 1)[1].split("\n\n", 1)[0]
    return block.split("\n")


def changes_in_html(smtp_server) -> list[str]:
    _, root = html_part(smtp_server)
    (box,) = with_class(root, "changes")
    return [text_of(li) for li in elements(box, "li")] or [text_of(elements(box, "p")[0])]


def edit_and_send(project, write_brief, smtp_server, edit) -> None:
    data = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    edit(data)
    write_brief("hk", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert run(project, smtp_server.env()).ok


def test_a_revised_summary_and_a_new_event_are_listed(project, write_brief, smtp_server):
    write_brief("hk", HONG_KONG.read_text(encoding="utf-8"))
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    assert HEADING not in plain_part(smtp_server)

    def edit(data):
        data["summary"] += "\n**Update.** A site has been chosen [@hk-ev-factory-deals-2025].\n"
        data["timeline"].append({"date": "2026-11-30", "event": "Factory ground-breaking"})

    edit_and_send(project, write_brief, smtp_server, edit)
    expected = ["Summary revised", "Timeline: added 30 November 2026 Factory ground-breaking"]
    assert changes_in_text(plain_part(smtp_server)) == [f"- {line}" for line in expected]
    assert changes_in_html(smtp_server) == expected


def test_a_new_date_alone_is_no_change(project, write_brief, smtp_server):
    write_brief("hk", HONG_KONG.read_text(encoding="utf-8"))
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    edit_and_send(project, write_brief, smtp_server, lambda data: data.update(as_of="2026-11-30"))
    text = plain_part(smtp_server)
    assert changes_in_text(text) == ["No change since the last edition."]
    assert changes_in_html(smtp_server) == ["No change since the last edition."]
    assert "as of 30 November 2026" in text
