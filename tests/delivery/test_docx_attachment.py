"""A list whose formats include docx gets the DOCX briefing attached, as built."""

from __future__ import annotations

import io

import docx

from tests.delivery.test_send import run, write_delivery

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_docx_briefing_is_attached_when_configured(project, write_brief, smtp_server):
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project, formats=["docx"], lists={"team": {"recipients": ["a@example.org"]}})
    assert run(project, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    attached = {a.get_filename(): a for a in got.message.iter_attachments()}
    assert sorted(attached) == ["hk.docx"]
    assert attached["hk.docx"].get_content_type() == DOCX_TYPE
    data = attached["hk.docx"].get_content()
    assert data == (project / "output" / "hk.docx").read_bytes()
    assert docx.Document(io.BytesIO(data)).core_properties.title == "Assembly plant talks"
