"""The email carries the house style's organisation, contact and document number.

Sent through ``brief send`` to a real SMTP server on 127.0.0.1; both parts of the
message the server received are read back (the HTML part with an HTML5 parser).
"""

from __future__ import annotations

import pytest
import tinyhtml5

from generator.errors import ConfigError
from tests.delivery.test_send import run, write_delivery
from tests.support.brand_samples import TEST_BRAND, write_brand


def received(smtp_server) -> tuple[str, str]:
    message = smtp_server.handler.to("ann@example.org")[-1].message
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return text, message.get_body(("html",)).get_content()


def classed(root, name: str) -> list[str]:
    return [
        " ".join("".join(e.itertext()).split())
        for e in root.iter()
        if name in (e.get("class") or "").split()
    ]


def test_the_email_names_the_organisation_and_the_contact(project, write_brief, smtp_server):
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project)
    write_brand(project)
    assert run(project, smtp_server.env()).ok
    text, html = received(smtp_server)
    assert text.rstrip("\n").endswith(
        "\n\nOffice of Transport Policy\nPolicy desk · policy@example.org"
    )
    assert " · OTP-2026-HK\n" in text
    root = tinyhtml5.parse(html)
    assert classed(root, "organisation") == ["Office of Transport Policy"]
    assert classed(root, "contact") == ["Policy desk · policy@example.org"]
    assert classed(root, "meta")[0].endswith(" · OTP-2026-HK")
    assert "data:" not in html, "no logo: mail clients block inline images"


def test_without_a_brand_the_email_is_as_it_was(project, write_brief, smtp_server):
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    bare_text, bare_html = received(smtp_server)
    assert "sender" not in bare_html and bare_text.endswith("is attached: hk.pdf.\n")


def test_a_broken_brand_file_stops_the_send_before_anything_goes(project, write_brief, smtp_server):
    write_brief("hk", title="Assembly plant talks")
    write_delivery(project)
    write_brand(project, TEST_BRAND.replace('"#7a1f5c"', '"purple"'))
    with pytest.raises(ConfigError) as caught:
        run(project, smtp_server.env())
    assert [d.format() for d in caught.value.diagnostics] == [
        "brand.yaml:4:12: palette.primary: 'purple' is not a colour: write #rgb or #rrggbb, "
        "e.g. #16365c"
    ]
    assert smtp_server.handler.received == []
