"""One wording in every output: the email and "what changed" say what the briefing says.

The briefing's wording is the reference (labels from render/labels.py, numbers from
render/numbers.py); the email's text and HTML parts must agree with it, challenges in the
briefing's order included.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from generator.builder import build
from generator.delivery.sender import SendOptions, send
from generator.settings import default_settings
from tests.delivery.test_send import NOW, write_delivery

CHALLENGES = [
    {
        "category": "labor",
        "title": "Too few fitters",
        "severity": "medium",
        "body": "Few [@src-a].",
    },
    {"category": "land_cost", "title": "Land is dear", "severity": "low", "body": "Dear [@src-a]."},
    {"category": "labor", "title": "Wages climb", "severity": "high", "body": "Up [@src-a]."},
]
FACTS = [
    {"label": "Jobs", "value": 8500, "sources": ["src-a"]},
    {"label": "Capacity", "value": 12000.0, "sources": ["src-a"]},
]


class _Text(HTMLParser):
    """The text of an HTML document, one string."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture
def sheet(project, write_brief):
    write_brief(
        "hk",
        initiative={"name": "Assembly plant", "stage": "under_construction"},
        key_facts=FACTS,
        challenges=CHALLENGES,
    )
    write_delivery(project)
    return project


def test_the_briefing_wording(sheet):
    settings = default_settings(sheet)
    report = build(settings, ["hk"], today=dt.date(2026, 1, 20), formats=("html",))
    assert not report.failed
    text = text_of((sheet / "output" / "hk.html").read_text(encoding="utf-8"))
    assert "Jobs 8500" in text and "Capacity 12,000" in text and "8,500" not in text
    assert "Under construction" in text and "Labour" in text and "Land cost" in text
    # Challenges by category in the format's order, the most severe first.
    titles = [text.index(t) for t in ("Land is dear", "Wages climb", "Too few fitters")]
    assert titles == sorted(titles)
    assert "Severity: High" in text


def test_a_draft_is_marked_in_the_email_as_in_the_briefing(project, write_brief, smtp_server):
    write_brief("hk", status="review")
    write_delivery(project)
    settings = default_settings(project)
    options = SendOptions()
    send(
        settings,
        ["hk"],
        ["team"],
        options=options,
        clock=lambda: NOW,
        environ=smtp_server.env(),
        sleep=lambda seconds: None,
    )
    message = smtp_server.handler.to("ann@example.org")[0].message
    for part in (
        message.get_body(("plain",)).get_content(),
        text_of(message.get_body(("html",)).get_content()),
    ):
        assert "FOR REVIEW — not final" in part
    build(settings, ["hk"], today=dt.date(2026, 1, 20), formats=("html",))
    briefing = text_of((project / "output" / "hk.html").read_text(encoding="utf-8"))
    assert "FOR REVIEW" in briefing


def test_the_email_agrees_with_the_briefing(sheet, smtp_server):
    settings = default_settings(sheet)
    report = send(
        settings,
        ["hk"],
        ["team"],
        options=SendOptions(),
        clock=lambda: NOW,
        environ=smtp_server.env(),
        sleep=lambda seconds: None,
    )
    assert report.ok
    message = smtp_server.handler.to("ann@example.org")[0].message
    plain = message.get_body(("plain",)).get_content()
    html = text_of(message.get_body(("html",)).get_content())
    for part in (plain, html):
        assert re.search("Jobs:? 8500", part) and re.search("Capacity:? 12,000", part)
        assert "8,500" not in part
        assert "Under construction" in part and "Labour" in part and "labor" not in part
        assert "Land cost" in part and "High" in part
        titles = [part.index(t) for t in ("Land is dear", "Wages climb", "Too few fitters")]
        assert titles == sorted(titles), part
