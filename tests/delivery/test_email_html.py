"""Citations in the HTML part are numbers against the body's own Sources list, never
links to in-message anchors (``#source-1``), which mail clients drop; the HTML stays
self-contained, its CSS inlined.

Each test sends through ``brief send`` to a real SMTP server on 127.0.0.1 and parses the
text/html part of the received message with an HTML5 parser (tinyhtml5, WeasyPrint's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import tinyhtml5

from tests.delivery.test_email_plain_text import HONG_KONG, RICH_SUMMARY, SOURCE_B
from tests.delivery.test_send import run, write_delivery

SOURCE_A = {
    "id": "src-a",
    "title": "Source A",
    "publisher": "Publisher",
    "url": "https://example.org/a",
}
NUMBER = re.compile(r"\d+")


def html_part(smtp_server) -> tuple[str, ET.Element]:
    message = smtp_server.handler.to("ann@example.org")[-1].message
    html = message.get_body(("html",)).get_content()
    return html, tinyhtml5.parse(html)


def local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def elements(root: ET.Element, tag: str) -> list[ET.Element]:
    return [e for e in root.iter() if local(e) == tag]


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def listed_sources(root: ET.Element) -> dict[int, tuple[str, str | None]]:
    """The body's Sources list: number -> (text, link of the entry)."""
    (listing,) = with_class(root, "sources")
    entries = {}
    for item in elements(listing, "li"):
        (number,) = with_class(item, "source-number")
        links = elements(item, "a")
        entries[int(NUMBER.search(text_of(number)).group())] = (
            text_of(item),
            links[0].get("href") if links else None,
        )
    return entries


def cited_numbers(root: ET.Element) -> set[int]:
    return {int(n) for cite in with_class(root, "cite") for n in NUMBER.findall(text_of(cite))}


@pytest.fixture
def rich(project, write_brief, smtp_server):
    """A briefing whose summary uses most of Markdown, sent once to ann@example.org."""
    write_brief("hk", summary=RICH_SUMMARY, sources=[SOURCE_A, SOURCE_B])
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    return project


def test_no_link_points_inside_the_message(rich, smtp_server):
    html, root = html_part(smtp_server)
    assert 'href="#' not in html
    hrefs = [a.get("href") for a in elements(root, "a")]
    assert hrefs and all(re.match(r"^(https?|mailto):", h or "") for h in hrefs), hrefs
    assert not [e.get("id") for e in root.iter() if e.get("id")]
    # A link to a place inside the briefing keeps its words, not its link.
    assert "and the outlook" in text_of(root)
    assert "the outlook" not in [text_of(a) for a in elements(root, "a")]


def test_citations_are_numbered_against_the_sources_list(rich, smtp_server):
    _, root = html_part(smtp_server)
    cites = [text_of(c) for c in with_class(root, "cite")]
    assert cites == ["[1]", "[1, 2]", "[2]"]
    assert not [a for c in with_class(root, "cite") for a in elements(c, "a")]
    listed = listed_sources(root)
    assert cited_numbers(root) == set(listed)
    for number, source in ((1, SOURCE_A), (2, SOURCE_B)):
        text, link = listed[number]
        assert text == f"[{number}] {source['title']}, {source['publisher']}"
        assert link == source["url"]


def test_the_hong_kong_briefing_has_no_anchor_links(project, write_brief, smtp_server):
    write_brief("hk", HONG_KONG.read_text(encoding="utf-8"))
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    html, root = html_part(smtp_server)
    assert 'href="#' not in html and "source-1" not in html
    listed = listed_sources(root)
    assert cited_numbers(root) == set(listed) == {1, 2, 3}
    assert listed[1][0].startswith("[1] Hong Kong pushes EV factory deals, ")


def test_the_html_is_self_contained_with_its_css_inlined(rich, smtp_server):
    _, root = html_part(smtp_server)
    assert not elements(root, "script") and not elements(root, "link")
    assert not elements(root, "img"), "an image would be fetched from the network"
    assert not [e for e in root.iter() if e.get("src")]
    (body,) = elements(root, "body")
    assert "font-family" in (body.get("style") or "")
    for cite in with_class(root, "cite"):
        assert "font-size" in (cite.get("style") or "")
    (summary,) = with_class(root, "summary")
    (table,) = elements(summary, "table")
    assert [text_of(td) for td in elements(table, "td")] == ["Site", "under study"]


def test_a_project_s_own_templates_get_the_email_s_filters(project, write_brief, smtp_server):
    """The briefing's filters would link to #source-N; in the email they must not."""
    write_brief("hk", summary="**Bottom** line [@src-a].", sources=[SOURCE_A])
    write_delivery(project)
    email = project / "templates" / "email"
    html = (email / "brief.html").read_text(encoding="utf-8")
    extra = '<p class="own">{{ view.summary | markdown_inline }} {{ ["src-a"] | cite }}</p>'
    (email / "brief.html").write_text(html.replace("</body>", extra + "</body>"), encoding="utf-8")
    text = (email / "brief.txt").read_text(encoding="utf-8")
    (email / "brief.txt").write_text(text + "{{ view.summary | markdown }}\n", encoding="utf-8")
    assert run(project, smtp_server.env()).ok
    raw, root = html_part(smtp_server)
    assert 'href="#' not in raw
    (own,) = with_class(root, "own")
    assert text_of(own) == "Bottom line [1]. [1]" and elements(own, "strong")
    message = smtp_server.handler.to("ann@example.org")[-1].message
    assert message.get_body(("plain",)).get_content().rstrip().endswith("Bottom line [1].")
