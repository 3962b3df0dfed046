"""Very long words, URLs and citation groups wrap: no text runs past the page's edge.

The briefing is laid out by WeasyPrint exactly as ``render_pdf`` does it (same fetcher,
same base URL), and every text box of every page, margin boxes included, is checked
against the right edge of the page's content area. The same document is then written
and read back with pypdf, so the words are really in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from generator.render.pdf import make_fetcher
from tests.security.hostile import compact_rich_data, squeeze
from tests.support.render_samples import TEMPLATES

WORD = "Überlangeswortohneleerzeichen" * 6
WIDE = "W" * 160
URL = "https://example.org/" + "verylongpathsegment" * 20 + "?q=" + "x" * 120
#: Points of slack for rounding in the layout.
TOLERANCE = 0.5


def long_sheet() -> dict[str, Any]:
    """A rich sheet with an unbreakable word in every kind of place it can stand."""
    data = compact_rich_data()
    ids = [source["id"] for source in data["sources"]]
    data.update(title=WORD, subtitle=WIDE, jurisdiction=WORD, sector=WORD, audience=WIDE)
    data["authors"] = [WORD, {"name": WIDE, "affiliation": WORD}]
    data["summary"] = f"{WORD} [{URL}]({URL}) {URL} [@{'; @'.join(ids)}]"
    initiative = data["initiative"]
    initiative.update(name=WIDE, sponsor=WORD, framework=WORD)
    initiative["locations"] = [WORD]
    initiative["investment"]["note"] = WIDE
    fact = data["key_facts"][0]
    fact.update(label=WIDE, value=WORD, note=f"{URL} [@{'; @'.join(ids)}]", sources=ids)
    data["players"][0].update(name=WIDE, local_name="汽" * 160, role=WORD)
    data["timeline"][0]["event"] = WIDE
    data["challenges"][0].update(
        title=WIDE, body=f"{WORD}\n\n| {WIDE} | {URL} |\n| - | - |\n| {WORD} | x |"
    )
    data["sections"][0].update(heading=WORD, body=f"`{WIDE}` {URL}")
    data["sources"][0].update(title=WIDE, publisher=WORD, url=URL, note=WORD)
    return data


def text_boxes(box: Any) -> Iterator[Any]:
    """Every text box under ``box``."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from text_boxes(child)


@pytest.fixture(scope="module")
def document() -> Any:
    import weasyprint

    page = render_html(FactSheet.model_validate(long_sheet()), "x", TEMPLATES, target="pdf")
    html = page.html
    root = TEMPLATES.resolve()
    source = weasyprint.HTML(
        string=html,
        base_url=(root / "static").as_uri() + "/",
        url_fetcher=make_fetcher(root, page.images),
    )
    return source.render()


def test_no_text_runs_past_the_right_edge_of_any_page(document: Any) -> None:
    overflowing = []
    for number, page in enumerate(document.pages, start=1):
        right = page.width - page._page_box.margin_right
        for box in text_boxes(page._page_box):
            if box.position_x + box.width > right + TOLERANCE:
                overflowing.append((number, box.element_tag, box.text[:30]))
    assert overflowing == []


def test_no_text_leaves_the_page_at_the_top_or_bottom(document: Any) -> None:
    outside = []
    for number, page in enumerate(document.pages, start=1):
        for box in text_boxes(page._page_box):
            if box.position_y < -TOLERANCE or box.position_y + box.height > page.height:
                outside.append((number, box.element_tag, box.text[:30]))
    assert outside == []


def test_the_long_words_are_all_in_the_pdf(document: Any) -> None:
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    for word in (WORD, WIDE, URL, "汽" * 160):
        assert word in text


def test_the_page_furniture_stays_on_one_line(document: Any) -> None:
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox):
                lines = {round(box.position_y) for box in text_boxes(margin)}
                # The top left holds the running head and, on a page a challenge card
                # continues onto, the card's title under it: one line each.
                most = 2 if margin.at_keyword == "@top-left" else 1
                assert len(lines) <= most, (
                    margin.at_keyword,
                    [b.text for b in text_boxes(margin)],
                )
