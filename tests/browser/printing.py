"""Printing a document as a reader's Chromium does, and reading the pages it printed."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from tests.browser.cdp import Browser, file_url

#: Paper sizes in inches, as Chromium's print dialog offers them.
PAPERS = {"a4": (210 / 25.4, 297 / 25.4), "letter": (8.5, 11.0)}


@dataclass(frozen=True)
class Printed:
    """A document printed to PDF: its bytes, and each page's text and size in points."""

    pdf: bytes
    texts: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]


def print_to_pdf(browser: Browser, path: Path, paper: str) -> Printed:
    """``path`` printed by Chromium on ``paper``, the page's own CSS size preferred as the
    browser's print dialog does; backgrounds off, as a reader's default."""
    width, height = PAPERS[paper]
    page = browser.new_page()
    try:
        page.call("Page.enable")
        page.call("Page.navigate", url=file_url(path))
        page.wait_for("Page.loadEventFired")
        reply = page.call(
            "Page.printToPDF",
            paperWidth=width,
            paperHeight=height,
            preferCSSPageSize=True,
            printBackground=False,
        )
    finally:
        page.close()
    return read_pdf(base64.b64decode(reply["data"]))


def read_pdf(pdf: bytes) -> Printed:
    """The text and size of every page of ``pdf``."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    texts = tuple(" ".join(page.extract_text().split()) for page in reader.pages)
    sizes = tuple(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    )
    return Printed(pdf, texts, sizes)
