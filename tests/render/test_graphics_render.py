"""The graphics as a reader gets them: figures with captions and alt text in the HTML, a
tagged Figure with Alt in the PDF, text kept as text, and a risk matrix that is a table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from tests.support.pdf_samples import Briefing, render_briefing, rich_data

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SVG = "{http://www.w3.org/2000/svg}"


def graphics_data() -> dict:
    """The rich sample in format 2 with two sites, so it has all three graphics."""
    data = rich_data()
    data["format"] = 2
    data["initiative"]["sites"] = [
        {"name": "Debrecen", "lat": 47.53, "lon": 21.63},
        {"name": "Arnstadt", "lat": 50.83, "lon": 10.95},
    ]
    return data


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return render_briefing(graphics_data())


@pytest.fixture(scope="module")
def page() -> ET.Element:
    sheet = FactSheet.model_validate(graphics_data())
    html = render_html(sheet, "graphics", TEMPLATES).html
    return tinyhtml5.parse(html)


def local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def structure(node: object, found: list) -> list:
    """Every structure element of the PDF's tag tree, as (type, Alt) pairs."""
    node = node.get_object()
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object()
        if hasattr(kid, "get"):
            structure(kid, found)
    return found


def test_pdf_tags_each_drawing_as_a_figure_with_alt(briefing):
    tags = structure(briefing.reader.trailer["/Root"]["/StructTreeRoot"], [])
    alts = [str(alt) for kind, alt in tags if kind == "/Figure"]
    assert len(alts) == 2, alts
    strip, locator = sorted(alts, key=lambda alt: not alt.startswith("Timeline"))
    events = len(briefing.data["timeline"])
    assert strip.startswith(f"Timeline strip: {events} events from ")
    assert locator == "Locator map of 2 sites: Debrecen (Hungary); Arnstadt (Germany)."
    assert ("/Caption", None) in tags
    assert not [r for r in briefing.logged if "alt" in r.getMessage()]


def test_pdf_keeps_the_drawings_text_as_text(briefing):
    text = briefing.text()
    assert "Facts as of" in text and "Debrecen" in text and "Hungary" in text
    assert "Risk matrix:" in text


def test_html_graphics_are_figures_with_caption_and_labelled_svg(page):
    figures = [e for e in page.iter() if local(e) == "figure"]
    assert [f.get("id") for f in figures] == ["locator-map", "timeline-strip"]
    ids = {e.get("id") for e in page.iter() if e.get("id")}
    for figure in figures:
        (svg,) = figure.iter(f"{SVG}svg")
        assert svg is not None and svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text and title.get("id") in ids
        assert svg.get("aria-labelledby") == title.get("id")
        assert any(local(c) == "figcaption" and "".join(c.itertext()).strip() for c in figure)


def test_timeline_list_numbers_match_the_strip_and_name_scheduled_events(page):
    (strip,) = [e for e in page.iter() if e.get("id") == "timeline-strip"]
    numbers = [t.text for t in strip.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    (timeline,) = [e for e in page.iter() if e.get("class") == "timeline-list"]
    items = [li for li in timeline if local(li) == "li"]
    assert numbers == [str(n) for n in range(1, len(items) + 1)]
    badges = [s.text for li in items for s in li.iter() if s.get("class") == "strip-number"]
    assert badges == numbers


def test_risk_matrix_is_a_table_whose_cells_link_to_the_cards(page):
    (table,) = [e for e in page.iter() if "risk-matrix-table" in (e.get("class") or "").split()]
    assert local(table[0]) == "caption"
    heads = [th for th in table.iter() if local(th) == "th"]
    assert [th.text for th in heads if th.get("scope") == "col"] == [
        "Category",
        "High",
        "Medium",
        "Low",
    ]
    rows = [th for th in heads if th.get("scope") == "row"]
    assert len(heads) == 4 + len(rows)
    cards = {e.get("id"): e for e in page.iter() if "challenge" in (e.get("class") or "").split()}
    links = [a for a in table.iter() if local(a) == "a"]
    assert len(links) == len(cards) == len(rich_data()["challenges"])
    for link in links:
        card = cards[link.get("href").removeprefix("#")]
        (heading,) = [h for h in card if local(h) == "h4"]
        assert link.text == "".join(heading.itertext())


def test_a_format_1_sheet_has_the_strip_and_matrix_but_no_map():
    sheet = FactSheet.model_validate(rich_data())
    html = render_html(sheet, "rich", TEMPLATES).html
    assert 'id="timeline-strip"' in html and 'id="risk-matrix"' in html
    assert 'id="locator-map"' not in html


def test_graphics_are_the_same_bytes_from_build_to_build():
    sheet = FactSheet.model_validate(graphics_data())
    first = render_html(sheet, "graphics", TEMPLATES).html
    assert render_html(sheet, "graphics", TEMPLATES).html == first


def test_a_site_name_is_text_in_the_drawing_never_markup():
    data = graphics_data()
    data["initiative"]["sites"] = [{"name": '<script>x()</script> "&', "lat": 47.5, "lon": 21.6}]
    page = tinyhtml5.parse(render_html(FactSheet.model_validate(data), "g", TEMPLATES).html)
    assert not [e for e in page.iter() if local(e) == "script"]
    (locator,) = [e for e in page.iter() if e.get("id") == "locator-map"]
    names = [t.text for t in locator.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert names == ['<script>x()</script> "&']
