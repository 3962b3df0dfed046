"""The HTML briefings printed from Chromium, on A4 and on US Letter, read back as PDF.

What a reader gets who presses Print: the running head, the status, the footer, "Page X
of Y" and the marking on every page, the reader's paper, and the one-pager on one page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factsheet import DEFAULT_MARKINGS
from generator.factsheet.loader import load
from generator.render import banner_for
from generator.render.html import render_html
from generator.render.templating import long_date
from tests.browser.cdp import Browser, file_url
from tests.browser.printing import Printed, print_to_pdf
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

REPO = Path(__file__).resolve().parents[2]
HK = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
#: A sheet with a marking and internal content: its internal edition has both banners.
MARKED = REPO / "tests" / "data" / "valid" / "internal-everywhere.yaml"
#: The format-2 sample: key figures and a chart, past one page with its chart.
FIGURES = REPO / "examples" / "catl-europe-figures.yaml"
HOSTILE_TITLE = 'Plant "A" \\ </style><i>x</i> & co'
#: (document, paper) pairs printed once for the whole module.
PRINTS = [
    (d, p) for d in ("brief", "onepager", "figures-onepager", "internal") for p in ("a4", "letter")
]
#: Points per page, portrait: what the reader's paper is.
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}


def _documents(folder: Path) -> dict[str, Path]:
    hk = load(HK, "briefs/hong-kong-ev-assembly.yaml", max_bytes=2 << 20).sheet
    marked = load(MARKED, "briefs/x.yaml").sheet
    figures = load(FIGURES, "briefs/catl-europe-figures.yaml").sheet
    banner = banner_for(marked, "internal", DEFAULT_MARKINGS)
    pages = {
        "brief": render_html(hk, "hk", TEMPLATES).html,
        "onepager": render_html(hk, "hk-one", TEMPLATES, template="onepager").html,
        "figures-onepager": render_html(figures, "f", TEMPLATES, template="onepager").html,
        "internal": render_html(marked, "x", TEMPLATES, banner=banner).html,
    }
    paths = {}
    for name, html in pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def prints(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every document printed on every paper, keyed ``document-paper``."""
    paths = _documents(tmp_path_factory.mktemp("print"))
    return {f"{d}-{p}": print_to_pdf(browser, paths[d], p) for d, p in PRINTS}


@pytest.mark.parametrize(("name", "paper"), PRINTS)
def test_the_reader_s_paper_is_used(prints: dict[str, Printed], name: str, paper: str) -> None:
    # Chromium rounds a page to whole CSS pixels: A4's 595.3 pt prints as 595.5.
    want = PAPER_POINTS[paper]
    for size in prints[f"{name}-{paper}"].sizes:
        assert abs(size[0] - want[0]) <= 1 and abs(size[1] - want[1]) <= 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_has_the_running_head_footer_and_page_number(
    prints: dict[str, Printed], paper: str
) -> None:
    hk = load(HK, "briefs/hong-kong-ev-assembly.yaml", max_bytes=2 << 20).sheet
    texts = prints[f"brief-{paper}"].texts
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
        assert f"{hk.title} · {hk.jurisdiction}" in text
        assert f"Facts as of {long_date(hk.as_of, 'en_GB')}" in text
        assert "FOR REVIEW" in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_marking_is_on_every_page_top_and_bottom(
    prints: dict[str, Printed], paper: str
) -> None:
    texts = prints[f"internal-{paper}"].texts
    assert len(texts) >= 2
    for text in texts:
        assert text.count("OFFICIAL-SENSITIVE") >= 2
        assert text.count("INTERNAL — not for external distribution") >= 2


def test_a_briefing_without_a_marking_prints_none(prints: dict[str, Printed]) -> None:
    assert not any("OFFICIAL" in text for text in prints["brief-a4"].texts)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_one_pager_prints_on_one_page(prints: dict[str, Printed], paper: str) -> None:
    (text,) = prints[f"onepager-{paper}"].texts
    assert "Page 1 of 1" in text
    assert "Sources" in text and "Bottom line" in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_one_pager_with_a_chart_prints_on_one_page_without_it(
    prints: dict[str, Printed], paper: str
) -> None:
    """A browser cannot print again tighter: the HTML takes the last fit step, the
    smallest type and no chart, and the CATL sample (2 pages with its chart) fits."""
    (text,) = prints[f"figures-onepager-{paper}"].texts
    assert "Page 1 of 1" in text
    for words in ("KEY FIGURES", "€7.34 billion", "100 GWh", "9000 jobs", "Sources"):
        assert words in text, words
    assert "The numbers behind" not in text and "CATL’s revenue, 2021-2024" not in text


def test_the_printed_words_are_the_briefings_language(browser: Browser, tmp_path: Path) -> None:
    """The margins speak the briefing's language: the catalogs' words, not a stylesheet's."""
    data = minimal_data()
    data["language"] = "de"
    path = tmp_path / "de.html"
    path.write_text(render_html(make_sheet(data), "m", TEMPLATES).html, "utf-8")
    page = print_to_pdf(browser, path, "a4").texts[0]
    assert "Seite 1 von " in page and "Stand der Angaben 20. Januar 2026" in page
    assert "Page 1" not in page


def test_a_title_with_markup_and_quotes_prints_as_written(browser: Browser, tmp_path: Path) -> None:
    """The running head's CSS string neither ends early nor closes its <style>."""
    data = minimal_data()
    data["title"] = HOSTILE_TITLE
    path = tmp_path / "hostile.html"
    path.write_text(render_html(make_sheet(data), "h", TEMPLATES).html, "utf-8")
    page = print_to_pdf(browser, path, "a4").texts[0]
    # The quotes are typeset (“A”); the backslash and the markup reach the page as text.
    typeset = HOSTILE_TITLE.replace('"A"', "“A”")
    assert f"{typeset} · Testland" in page
    tab = browser.new_page()
    try:
        tab.call("Page.enable")
        tab.call("Page.navigate", url=file_url(path))
        tab.wait_for("Page.loadEventFired")
        assert tab.evaluate("document.querySelectorAll('i').length") == 0
    finally:
        tab.close()


def test_chromium_still_prints_no_target_counter(browser: Browser, tmp_path: Path) -> None:
    """docs/output.md says Chromium prints the contents without page numbers: it parses
    target-counter() but prints nothing at all for a content value holding it. When it
    prints them, this fails, and the docs change (html-print.css already asks for them)."""
    path = tmp_path / "counter.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><style>'
        'a::after { content: "p." target-counter(attr(href url), page); }'
        "h2 { break-before: page; }</style>"
        '<a href="#a">A</a> <a href="#b">B</a><h2 id="a">A</h2><h2 id="b">B</h2></html>',
        encoding="utf-8",
    )
    assert print_to_pdf(browser, path, "a4").texts == ("A B", "A", "B")


def test_the_one_pager_s_chart_is_left_out_of_print_only(browser: Browser, tmp_path: Path) -> None:
    """The print rules drop the chart; on screen the one-pager still shows it."""
    figures = load(FIGURES, "briefs/catl-europe-figures.yaml").sheet
    path = tmp_path / "figures.html"
    path.write_text(render_html(figures, "f", TEMPLATES, template="onepager").html, "utf-8")
    tab = browser.new_page()
    try:
        tab.call("Page.enable")
        tab.call("Page.navigate", url=file_url(path))
        tab.wait_for("Page.loadEventFired")
        shown = "getComputedStyle(document.querySelector('figure.chart')).display"
        assert tab.evaluate(shown) == "block"
    finally:
        tab.close()
