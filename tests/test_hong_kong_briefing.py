"""The project's first real briefing, built through the CLI and read back as a reader would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.factsheet.loader import load
from tests.support.cli import run_brief

REPO = Path(__file__).resolve().parent.parent
SHEET = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
SECTIONS = [
    "Summary",
    "Initiative at a glance",
    "Key facts",
    "Players",
    "Timeline",
    "Challenges",
    "Outlook",
    "Sources",
]


def squash(text: str) -> str:
    """Collapse every run of whitespace, so line breaks in the PDF do not matter."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hk-out")
    result = run_brief(
        *("-C", str(REPO), "build", "hong-kong-ev-assembly", "--out", str(out)),
        cwd=None,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def sheet():
    return load(SHEET, "briefs/hong-kong-ev-assembly.yaml").sheet


@pytest.fixture(scope="module")
def pdf_text(built: Path) -> str:
    reader = PdfReader(built / "hong-kong-ev-assembly.pdf")
    return squash(" ".join(page.extract_text() for page in reader.pages))


def test_pdf_holds_every_section_heading(pdf_text):
    for heading in SECTIONS:
        assert heading in pdf_text, heading


def test_pdf_holds_every_challenge_and_source_title(pdf_text, sheet):
    for challenge in sheet.challenges:
        assert squash(challenge.title) in pdf_text, challenge.title
    for source in sheet.sources:
        assert squash(source.title) in pdf_text, source.title


def test_pdf_names_the_players_in_chinese(pdf_text):
    for name in ("宁德时代", "哪吒汽车", "广汽埃安", "黑芝麻智能", "地平线"):
        assert name in pdf_text, name


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.internal_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.internal_links.append(href[1:])


def test_html_citations_resolve_to_source_entries(built, sheet):
    parser = _Anchors()
    parser.feed((built / "hong-kong-ev-assembly.html").read_text(encoding="utf-8"))
    citations = [link for link in parser.internal_links if link.startswith("source-")]
    assert citations, "the briefing cites no source"
    assert set(citations) <= parser.ids
    numbered = {f"source-{n}" for n in range(1, len(sheet.sources) + 1)}
    assert numbered <= parser.ids


def test_index_lists_the_briefing(built, sheet):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "hong-kong-ev-assembly.pdf" in index and "hong-kong-ev-assembly.html" in index
    assert sheet.jurisdiction in index


def test_sparse_briefing_shows_the_timeline_strip_and_risk_matrix(built, sheet, pdf_text):
    # No figures or sites were reported, so no map: the strip and the matrix carry it.
    assert "Facts as of 25 November 2026" in pdf_text
    assert f"Risk matrix: {len(sheet.challenges)} challenges by category and severity" in pdf_text
    parser = _Anchors()
    parser.feed((built / "hong-kong-ev-assembly.html").read_text(encoding="utf-8"))
    assert {"timeline-strip", "risk-matrix"} <= parser.ids
    assert "locator-map" not in parser.ids
    cards = [link for link in parser.internal_links if link.startswith("challenge-")]
    assert sorted(cards) == sorted(f"challenge-{n}" for n in range(1, len(sheet.challenges) + 1))
    assert set(cards) <= parser.ids
