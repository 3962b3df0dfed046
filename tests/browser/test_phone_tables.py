"""Markdown tables on a 390 px phone: whole words and figures, a region that scrolls.

A table wider than the screen keeps its columns and scrolls sideways inside its own
labelled, focusable region; no word or number in a cell is wrapped across lines, and the
page itself does not scroll sideways.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.render.html import render_html
from tests.browser.cdp import Browser, file_url
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

PHONE_WIDTH = 390
WIDE_TABLE = """\
Plants and their output, as reported [@s1].

| Plant | Units built in 2024 | Planned capacity | Investment (HK$) | Share of region |
| --- | ---: | ---: | ---: | ---: |
| New Territories assembly line | 300,000 | 1,250,000 | 12,500,000,000 | 12.5% |
| Tuen Mun battery packs | 45,000 | 120,000 | 3,400,000,000 | 4.75% |
"""
ROW_HEADERS = """\
|  | 2024 | 2025 |
| --- | ---: | ---: |
| Units | 300,000 | 410,000 |
"""
# Every word or figure in a Markdown table cell that the browser wrapped across lines,
# and what each table's scrolling region is.
PROBE = """
(() => {
  const split = [];
  for (const cell of document.querySelectorAll(".md td, .md th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  const regions = [...document.querySelectorAll(".md .table-scroll")].map(r => {
    r.focus();
    const style = getComputedStyle(r);
    return {role: r.getAttribute("role"), label: r.getAttribute("aria-label"),
            focused: document.activeElement === r, outline: style.outlineStyle,
            overflow: style.overflowX, scrolls: r.scrollWidth > r.clientWidth,
            right: r.getBoundingClientRect().right};
  });
  return {split, regions, page: document.documentElement.scrollWidth};
})()
"""
#: What the cells did before: break anywhere. The probe must see its broken figures.
BREAK_ANYWHERE = ".md .table-scroll td, .md .table-scroll th { overflow-wrap: anywhere; }"


def tables_data() -> dict[str, Any]:
    """A small sheet whose sections hold a wide table and one with row headers."""
    data = minimal_data()
    data["sections"] = [
        {"heading": "Plants", "body": WIDE_TABLE},
        {"heading": "Output", "body": ROW_HEADERS},
    ]
    return data


@pytest.fixture(scope="module")
def tables_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "tables.html"
    path.write_text(render_html(make_sheet(tables_data()), "t", TEMPLATES).html, "utf-8")
    return path


def _probe(browser: Browser, path: Path, extra_css: str = "") -> dict[str, Any]:
    page = browser.new_page()
    try:
        page.call("Page.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=PHONE_WIDTH,
            height=900,
            deviceScaleFactor=1,
            mobile=True,
        )
        page.call("Page.navigate", url=file_url(path))
        page.wait_for("Page.loadEventFired")
        if extra_css:
            page.evaluate(
                "document.head.appendChild(Object.assign(document.createElement('style'),"
                f" {{textContent: {extra_css!r}}})) && true"
            )
        return page.evaluate(PROBE)
    finally:
        page.close()


def test_no_word_or_figure_in_a_cell_is_wrapped(browser: Browser, tables_page: Path) -> None:
    assert _probe(browser, tables_page)["split"] == []


def test_a_wide_table_scrolls_in_its_region_and_the_page_does_not(
    browser: Browser, tables_page: Path
) -> None:
    found = _probe(browser, tables_page)
    wide, narrow = found["regions"]
    assert found["page"] <= PHONE_WIDTH
    assert wide["scrolls"] and wide["overflow"] == "auto" and wide["right"] <= PHONE_WIDTH
    assert not narrow["scrolls"]


def test_each_region_is_named_and_focused_with_a_visible_ring(
    browser: Browser, tables_page: Path
) -> None:
    wide, narrow = _probe(browser, tables_page)["regions"]
    assert wide["label"].startswith("Plant, Units built in 2024, Planned capacity")
    assert narrow["label"] == "2024, 2025"
    for region in (wide, narrow):
        assert region["role"] == "region" and region["focused"]
        assert region["outline"] != "none"


def test_the_probe_sees_figures_broken_anywhere(browser: Browser, tables_page: Path) -> None:
    """The wrap check can fail: with cells breaking anywhere, as they did, figures split."""
    split = _probe(browser, tables_page, BREAK_ANYWHERE)["split"]
    assert "12,500,000,000" in split
