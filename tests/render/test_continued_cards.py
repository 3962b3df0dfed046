"""A challenge card that breaks across pages shows its title, marked "(continued)" in the
briefing's language, at the top of each page it goes on to, and on no other page
(templates/static/print.css, "card-continued"). Read through the PDF's text page by
page (``pdftotext``); cards of many lengths, some with mitigations, so that several
break, some end at a page's foot and some start on a page another ended on.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import minimal_sheet
from tests.support.pdf_samples import render_briefing
from tests.support.pdfua import pdfua_findings

CARDS = 14
CONTINUED = {"en-GB": "{title} (continued)", "fr": "{title} (suite)", "de": "{title} (Fortsetzung)"}
FILLER = "the plant needs land and power and the port needs a new quay for the cars"


def card(k: int) -> dict:
    body = [f"Opens{k:02d} {FILLER}."] + [f"{FILLER} {FILLER}."] * (k % 5 + 2 * (k % 3))
    challenge = {
        "category": "land_cost",
        "title": f"Card{k:02d}",
        "severity": "high",
        "body": "\n\n".join([*body, f"{FILLER} Ends{k:02d}."]),
    }
    if k % 2:
        challenge["body"] = "\n\n".join(body)
        challenge["mitigations"] = f"- {FILLER}\n- {FILLER} Ends{k:02d}."
    return challenge


def pages(pdf: bytes, folder: Path) -> list[str]:
    path = folder / "cards.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def expected(texts: list[str]) -> list[set[str]]:
    """Per page, the cards that started on an earlier page and have not yet ended."""
    start = {k: _first(texts, rf"\bOpens{k:02d}\b") for k in range(CARDS)}
    end = {k: _first(texts, rf"\bEnds{k:02d}\b") for k in range(CARDS)}
    return [
        {f"Card{k:02d}" for k in range(CARDS) if start[k] < page <= end[k]}
        for page in range(len(texts))
    ]


def _first(texts: list[str], pattern: str) -> int:
    return next(i for i, text in enumerate(texts) if re.search(pattern, text))


@pytest.fixture(scope="module", params=list(CONTINUED))
def cards(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    data = minimal_sheet(language=request.param, challenges=[card(k) for k in range(CARDS)])
    pdf = render_briefing(data).pdf
    return request.param, pdf, pages(pdf, tmp_path_factory.mktemp("cards"))


def test_a_card_that_breaks_shows_its_title_continued_on_each_page_it_goes_on_to(cards):
    language, _pdf, texts = cards
    marked = re.escape(CONTINUED[language]).replace(r"\{title\}", r"(Card\d\d)")
    shown = [set(re.findall(marked, text)) for text in texts]
    assert shown == expected(texts)
    assert sum(1 for page in shown if page) >= 3, "the fixture breaks too few cards"
    # ... and a page a card starts on, or that starts with a new card, shows none of it.
    assert any(not page for page in shown[1:])


def test_the_continued_title_is_at_the_top_of_the_page_under_the_running_head(cards):
    language, _pdf, texts = cards
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            if CONTINUED[language].format(title="") in line:
                assert index == 1, lines[:3]  # running head, then the continued title


def test_the_continued_title_is_page_furniture_for_the_pdfua_checker(cards):
    _language, pdf, _texts = cards
    assert pdfua_findings(pdf) == []


def test_the_html_has_no_continued_title():
    from generator.factsheet.model import FactSheet
    from generator.render.html import render_html
    from tests.support.pdf_samples import TEMPLATES

    sheet = FactSheet.model_validate(minimal_sheet(challenges=[card(1)]))
    html = render_html(sheet, "cards", TEMPLATES).html
    assert "Card01 (continued)" not in html
    assert 'class="card-end"' not in html
