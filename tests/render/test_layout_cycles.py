"""A render leaves no computed style behind for the collector: reference counting frees them."""

from __future__ import annotations

import gc

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from generator.render.pdf import render_pdf
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES


def printable(title: str) -> str:
    sheet = FactSheet.model_validate(minimal_sheet(title=title))
    return render_html(sheet, "cycles", TEMPLATES, target="pdf").html


def _live(type_name: str) -> int:
    return sum(type(o).__name__ == type_name for o in gc.get_objects())


def test_the_style_computer_and_its_styles_are_freed_without_a_collection() -> None:
    html = printable("Cycles")
    render_pdf(html, TEMPLATES)  # fonts registered, caches warm
    gc.collect()
    # Counted against what the process already holds: in the whole suite an earlier
    # test's module fixture may keep a laid-out document (and its style computer) alive.
    held = _live("StyleFor")
    gc.disable()
    try:
        first = render_pdf(html, TEMPLATES)
        # Without the release, the render's style computer (and with it every computed
        # style of the document) would survive here, in a cycle, until a full collection.
        assert _live("StyleFor") == held
    finally:
        gc.enable()
    assert render_pdf(html, TEMPLATES).pdf == first.pdf
