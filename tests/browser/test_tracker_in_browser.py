"""The portfolio tracker in headless Chromium: it sorts and filters, and works without script.

The page is rendered from four entries in three currencies (with rates, so one column
sorts by converted amounts) and visited with the session's browser: clicks go through
the input pipeline at the header's place on screen, choices and words through the form's
own events. The page's Content-Security-Policy allows its one script by hash: a
violation would be a console error, which the visit asserts there is none of.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.render.html import IndexEntry, render_index_page
from tests.browser.cdp import Browser, Page, file_url
from tests.browser.test_html_in_browser import AXE_RUN, PHONE_WIDTH, _console_errors, _resize
from tests.support.render_samples import TEMPLATES

FX = {
    "currency": "USD",
    "fx": [
        {
            "from": "EUR",
            "to": "USD",
            "rate": "1.08",
            "as_of": "2026-06-30",
            "source": {"title": "ECB", "url": "https://www.ecb.europa.eu/stats/"},
        },
        {
            "from": "JPY",
            "to": "USD",
            "rate": "0.0064",
            "as_of": "2026-06-30",
            "source": {"title": "Bank of Japan", "url": "https://www.boj.or.jp/en/"},
        },
    ],
}


def _entry(brief_id: str, title: str, place: str, stage: str, money: Any, sites=()) -> IndexEntry:
    return IndexEntry(
        brief_id,
        title,
        place,
        stage,
        "final",
        dt.date(2026, 6, 30),
        f"{brief_id}.html",
        f"{brief_id}.pdf",
        language="en-GB",
        investment=money,
        sites=tuple(sites),
    )


ENTRIES = [
    _entry(
        "a",
        "Alpha plant",
        "Hungary",
        "under_construction",
        {"amount": "7340000000", "currency": "EUR"},
        [{"name": "Debrecen", "lat": 47.53, "lon": 21.63}],
    ),
    _entry("b", "Beta plant", "Japan", "talks", {"amount": "150000000000", "currency": "JPY"}),
    _entry(
        "c",
        "Gamma plant",
        "Ohio, United States",
        "operating",
        {"amount": "4400000000", "currency": "USD"},
        [{"name": "Marysville", "lat": 40.24, "lon": -83.37}],
    ),
    _entry("d", "Delta plant", "Hong Kong SAR, China", "talks", None),
]
ROWS = "Array.from(document.querySelectorAll('#tracker-table tbody tr'))"
TITLES = f"{ROWS}.filter(r => !r.hidden).map(r => r.querySelector('th a').textContent)"


@pytest.fixture(scope="module")
def tracker_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tracker") / "index.html"
    path.write_text(render_index_page(ENTRIES, TEMPLATES, None, FX).html, encoding="utf-8")
    return path


def _open(browser: Browser, path: Path, *, script: bool = True) -> Page:
    page = browser.new_page()
    for domain in ("Page", "Runtime", "Log", "Network"):
        page.call(f"{domain}.enable")
    page.call("Emulation.setScriptExecutionDisabled", value=not script)
    _resize(page, 1280, mobile=False)
    page.call("Page.navigate", url=file_url(path))
    page.wait_for("Page.loadEventFired")
    return page


def _click_header(page: Page, name: str) -> None:
    """A real mouse click at the middle of the header button named ``name``."""
    box = page.evaluate(
        "(() => { const b = Array.from(document.querySelectorAll('#tracker-table th button'))"
        f".find(b => b.textContent.trim() === {name!r}); b.scrollIntoView();"
        " const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        page.call(
            "Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1
        )


def _choose(page: Page, name: str, value: str) -> None:
    page.evaluate(
        f"(() => {{ const e = document.querySelector('#tracker-filters [name={name}]');"
        f" e.value = {value!r}; e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"
    )


def _type(page: Page, words: str) -> None:
    page.evaluate("document.querySelector('#tracker-filters [name=q]').focus()")
    page.call("Input.insertText", text=words)


def test_headers_sort_the_rows_and_say_so(browser: Browser, tracker_file: Path) -> None:
    page = _open(browser, tracker_file)
    try:
        assert page.evaluate(TITLES) == ["Alpha plant", "Beta plant", "Gamma plant", "Delta plant"]
        _click_header(page, "Investment")
        # Converted: Beta USD 0.96 bn, Gamma 4.4 bn, Alpha 7.93 bn; no amount last.
        assert page.evaluate(TITLES) == ["Beta plant", "Gamma plant", "Alpha plant", "Delta plant"]
        sort = "document.querySelector('th.col-money').getAttribute('aria-sort')"
        assert page.evaluate(sort) == "ascending"
        _click_header(page, "Investment")
        assert page.evaluate(TITLES) == ["Alpha plant", "Gamma plant", "Beta plant", "Delta plant"]
        assert page.evaluate(sort) == "descending"
        _click_header(page, "Stage")
        # In the format's order: talks, under construction, operating (ties by id).
        assert page.evaluate(TITLES) == ["Beta plant", "Delta plant", "Alpha plant", "Gamma plant"]
        assert page.evaluate(sort) is None
        assert page.evaluate("document.querySelectorAll('th[aria-sort]').length") == 1
        assert _console_errors(page.events) == []
    finally:
        page.close()


def test_filters_hide_rows_and_count_what_is_shown(browser: Browser, tracker_file: Path) -> None:
    page = _open(browser, tracker_file)
    try:
        shown = "document.getElementById('tracker-shown').textContent"
        assert page.evaluate(shown) == "Briefings shown: 4 of 4"
        _choose(page, "stage", "talks")
        assert page.evaluate(TITLES) == ["Beta plant", "Delta plant"]
        _choose(page, "jurisdiction", "Japan")
        assert page.evaluate(TITLES) == ["Beta plant"]
        assert page.evaluate(shown) == "Briefings shown: 1 of 4"
        _choose(page, "stage", "")
        _choose(page, "jurisdiction", "")
        _type(page, "OHIO")
        assert page.evaluate(TITLES) == ["Gamma plant"]
        assert _console_errors(page.events) == []
    finally:
        page.close()


def test_without_script_every_row_is_shown_and_no_filter(
    browser: Browser, tracker_file: Path
) -> None:
    page = _open(browser, tracker_file, script=False)
    try:
        assert page.evaluate(f"{ROWS}.filter(r => r.offsetHeight > 0).length") == 4
        filters = "getComputedStyle(document.getElementById('tracker-filters')).display"
        assert page.evaluate(filters) == "none"
        assert page.evaluate("document.querySelectorAll('#tracker-table th button').length") == 0
    finally:
        page.close()


def test_axe_finds_no_violation_nothing_is_fetched_and_a_phone_does_not_scroll(
    browser: Browser, tracker_file: Path, axe_source: str
) -> None:
    page = _open(browser, tracker_file)
    try:
        _click_header(page, "As of")
        _choose(page, "stage", "talks")
        page.call("Runtime.evaluate", expression=axe_source)
        assert page.evaluate(AXE_RUN) == []
        _resize(page, PHONE_WIDTH, mobile=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        # The phone's stacked rows still hide what the filter hides.
        assert page.evaluate(f"{ROWS}.filter(r => r.offsetHeight > 0).length") == 2
        events = list(page.events)
    finally:
        page.close()
    requested = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    assert [u for u in requested if u != file_url(tracker_file) and not u.startswith("data:")] == []
    assert _console_errors(events) == []


def test_the_preview_servers_reload_script_is_allowed_by_the_policy(
    browser: Browser, tracker_file: Path, tmp_path: Path
) -> None:
    """`brief serve` adds its reload script to every page: the tracker's policy, which
    allows its own script alone, must let that one run too (a refusal is a console error)."""
    from generator.authoring.preview import with_reload

    served = tmp_path / "served.html"
    served.write_bytes(with_reload(tracker_file.read_bytes(), 7))
    page = _open(browser, served)
    try:
        # Both scripts ran: the tracker's (its filters are shown) and no refusal was logged.
        assert page.evaluate("document.getElementById('tracker-filters').hidden") is False
        errors = _console_errors(page.events)
    finally:
        page.close()
    assert errors == []
