"""The HTML briefings in headless Chromium: no errors, no requests, accessible, fits a phone.

Each document is loaded once at desktop width (console, network, axe-core) and then laid
out at 375 px wide; the tests assert on what that one visit recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.factsheet import DEFAULT_MARKINGS
from generator.factsheet.loader import load
from generator.render import EditionLinks, banner_for
from generator.render.html import IndexEntry, render_html, render_index
from tests.browser.cdp import Browser, Page, file_url
from tests.browser.test_phone_tables import tables_data
from tests.support.render_samples import TEMPLATES, make_sheet, rich_data

REPO = Path(__file__).resolve().parents[2]
HK = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
#: A sheet with a marking and internal content: its internal edition has both banners.
EDITIONS = REPO / "tests" / "data" / "valid" / "internal-everywhere.yaml"
PHONE_WIDTH = 375
DESKTOP_WIDTH = 1280
AXE_RUN = """
axe.run(document, {resultTypes: ["violations"]}).then(result =>
  result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  })))
"""
# The element a keyboard user reaches first, and what it looks like once focused.
FOCUS_PROBE = """
(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {cls: el.className, outline: style.outlineStyle, width: style.outlineWidth,
          top: box.top, bottom: box.bottom};
})()
"""


@dataclass(frozen=True)
class Visit:
    """What one document did in the browser."""

    url: str
    requests: tuple[str, ...]
    console: tuple[str, ...]
    violations: tuple[dict[str, Any], ...]
    phone_scroll_width: int
    focused: dict[str, Any]


def _documents(folder: Path) -> dict[str, Path]:
    hk = load(HK, "briefs/hong-kong-ev-assembly.yaml", max_bytes=2 << 20).sheet
    marked = load(EDITIONS, "briefs/x.yaml").sheet
    banner = banner_for(marked, "internal", DEFAULT_MARKINGS)
    links = tuple(EditionLinks(e, f"x.{e}.html", f"x.{e}.pdf") for e in ("internal", "external"))
    pages = {
        "internal": render_html(marked, "x", TEMPLATES, banner=banner).html,
        "index-editions": render_index(
            [
                IndexEntry(
                    "x", marked.title, "HK", "talks", "review", marked.as_of, None, None, links
                )
            ],
            TEMPLATES,
        ),
        "brief": render_html(hk, "hk", TEMPLATES).html,
        "onepager": render_html(hk, "hk-one", TEMPLATES, template="onepager").html,
        "rich": render_html(make_sheet(rich_data()), "rich", TEMPLATES).html,
        "tables": render_html(make_sheet(tables_data()), "tables", TEMPLATES).html,
        "index": render_index(
            [
                IndexEntry(
                    "hk", hk.title, hk.jurisdiction, "talks", "review", hk.as_of, "brief.html", None
                )
            ],
            TEMPLATES,
        ),
    }
    paths = {}
    for name, html in pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def visits(
    browser: Browser, axe_source: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Visit]:
    """Every document visited once."""
    folder = tmp_path_factory.mktemp("html")
    return {name: _visit(browser, path, axe_source) for name, path in _documents(folder).items()}


def _visit(browser: Browser, path: Path, axe_source: str) -> Visit:
    page = browser.new_page()
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        _resize(page, DESKTOP_WIDTH, mobile=False)
        url = file_url(path)
        page.call("Page.navigate", url=url)
        page.wait_for("Page.loadEventFired")
        page.call("Input.dispatchKeyEvent", type="keyDown", key="Tab", code="Tab")
        page.call("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab")
        focused = page.evaluate(FOCUS_PROBE)
        page.call("Runtime.evaluate", expression=axe_source)
        violations = page.evaluate(AXE_RUN)
        _resize(page, PHONE_WIDTH, mobile=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        events = list(page.events)
    finally:
        page.close()
    requested = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    return Visit(
        url=url,
        # data: URLs (the inlined CJK glyphs) are read from inside the file.
        requests=tuple(r for r in requested if r != url and not r.startswith("data:")),
        console=tuple(_console_errors(events)),
        violations=tuple(violations),
        phone_scroll_width=scroll_width,
        focused=focused,
    )


def _resize(page: Page, width: int, *, mobile: bool) -> None:
    page.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=mobile,
    )


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(json.dumps(params["exceptionDetails"])[:300])
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            found.append(json.dumps(params["args"])[:300])
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(params["entry"]["text"])
    return found


DOCUMENTS = ["brief", "onepager", "rich", "tables", "index", "internal", "index-editions"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_console_error_and_no_request_outside_the_file(
    visits: dict[str, Visit], name: str
) -> None:
    visit = visits[name]
    assert visit.console == ()
    assert visit.requests == ()


@pytest.mark.parametrize("name", DOCUMENTS)
def test_axe_finds_no_violation(visits: dict[str, Visit], name: str) -> None:
    """Whatever its impact: a moderate or minor violation is a fault to fix too."""
    assert visits[name].violations == ()


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_horizontal_scrolling_on_a_phone(visits: dict[str, Visit], name: str) -> None:
    assert visits[name].phone_scroll_width <= PHONE_WIDTH


@pytest.mark.parametrize("name", ["brief", "onepager", "rich", "tables", "internal"])
def test_first_tab_shows_the_skip_link_with_a_focus_ring(
    visits: dict[str, Visit], name: str
) -> None:
    focused = visits[name].focused
    assert focused["cls"] == "skip-link"
    assert focused["top"] >= 0 and focused["bottom"] > focused["top"]
    assert focused["outline"] != "none" and focused["width"] != "0px"


def test_a_document_that_fetches_is_caught(browser: Browser, tmp_path: Path) -> None:
    """The network check can fail: a page with an external stylesheet is reported."""
    path = tmp_path / "fetching.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body></body></html>',
        encoding="utf-8",
    )
    visit = _visit(browser, path, "window.axe = {run: async () => ({violations: []})};")
    assert visit.requests == ("http://127.0.0.1:9/x.css",)


def test_axe_reports_a_page_without_language(
    browser: Browser, axe_source: str, tmp_path: Path
) -> None:
    """The accessibility check can fail: a page with no lang is a serious violation."""
    path = tmp_path / "no-lang.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>"
        "</main></body></html>",
        encoding="utf-8",
    )
    visit = _visit(browser, path, axe_source)
    assert {v["id"]: v["impact"] for v in visit.violations}.get("html-has-lang") == "serious"
