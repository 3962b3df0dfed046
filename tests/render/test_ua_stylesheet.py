"""The lean user-agent stylesheet (render/ua_stylesheet.py): the same PDF, fewer styles,
and WeasyPrint's own sheet for a document that may use what it leaves out."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from generator.render import ua_stylesheet
from generator.render.pdf import render_pdf
from tests.support.pdf_samples import TEMPLATES, weasyprint_warnings

FOOTNOTED = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<style>.note { float: footnote } body { font-family: "Brief Sans" }</style></head>
<body><p>Land costs rose<span class="note">Survey of 2025.</span> in the district.</p>
</body></html>"""


def test_the_lean_sheet_leaves_out_the_footnote_and_note_rules() -> None:
    text = ua_stylesheet.lean_ua_text()
    for selector in ua_stylesheet.UNUSED_RULES:
        assert f"\n{selector} " not in text
    assert "\nli::marker, summary::marker {" in text
    assert "\n::marker {" not in text
    # Everything else is WeasyPrint's, line for line.
    from weasyprint.html import UA

    kept = [
        line.replace("::marker {", "li::marker, summary::marker {")
        for line in UA.splitlines()
        if line and not line.startswith(ua_stylesheet.UNUSED_RULES)
    ]
    assert [line for line in text.splitlines() if line] == kept


@pytest.mark.parametrize("gone", ["::note-call", "::marker"])
def test_a_sheet_without_the_rules_expected_is_refused(
    gone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint import html

    monkeypatch.setattr(html, "UA", html.UA.replace(f"\n{gone} {{", "\n"))
    with pytest.raises(LookupError, match=gone):
        ua_stylesheet.lean_ua_text()


def test_the_lean_sheet_is_read_without_a_warning() -> None:
    # Its @counter-style rules read into the counter styles documents start from were
    # defined twice: "Invalid counter style name ' disc '", on every build's output.
    ua_stylesheet._lean_sheet.cache_clear()
    with weasyprint_warnings() as logged:
        ua_stylesheet._lean_sheet()
    assert [record.getMessage() for record in logged] == []


@pytest.mark.parametrize(
    ("html", "full"),
    [
        ("<p>A briefing</p>", False),
        ("<style>.n { float: footnote }</style>", True),
        ("<style>aside { position: note(side) }</style>", True),
        ('<div style="display: list-item">x</div>', True),
        ('<link rel="stylesheet" href="extra.css">', True),
        ('<style>@import "extra.css";</style>', True),
    ],
)
def test_a_document_that_may_use_the_rules_left_out_gets_the_full_sheet(
    html: str, full: bool
) -> None:
    assert ua_stylesheet.needs_full_sheet(html) is full


def test_a_briefing_prints_the_same_bytes_as_with_weasyprint_s_own_sheet(
    rich, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not ua_stylesheet.needs_full_sheet(rich.html)
    monkeypatch.setattr(ua_stylesheet, "needs_full_sheet", lambda html: True)
    assert render_pdf(rich.html, TEMPLATES).pdf == rich.pdf


def test_footnotes_still_get_their_call_and_marker() -> None:
    pdf = render_pdf(FOOTNOTED, TEMPLATES).pdf
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    # The call after "rose", the footnote at the page's foot with its marker "1. ".
    assert "Land costs rose1 in the district." in text
    assert "1. Survey of 2025." in text
