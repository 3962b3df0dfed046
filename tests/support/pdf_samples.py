"""Rendering a fact sheet for the PDF tests and reading the PDF back."""

from __future__ import annotations

import copy
import io
import json
import logging
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from generator.render.pdf import render_pdf

TEMPLATES = Path(__file__).parents[2] / "templates"
RICH_SHEET = Path(__file__).parents[1] / "data" / "render" / "rich-sheet.json"


@dataclass(frozen=True)
class Briefing:
    """A fact sheet rendered to HTML and PDF, with what WeasyPrint logged meanwhile."""

    data: dict[str, Any]
    html: str
    pdf: bytes
    files_read: tuple[str, ...]
    logged: tuple[logging.LogRecord, ...]

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))

    def page_texts(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    def text(self) -> str:
        """All pages' text with whitespace collapsed (lines wrap anywhere)."""
        return " ".join(" ".join(self.page_texts()).split())


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def weasyprint_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect every WARNING or worse WeasyPrint logs inside the block."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def render_briefing(data: dict[str, Any], templates: Path = TEMPLATES) -> Briefing:
    """Validate ``data`` and render it to the PDF target."""
    sheet = FactSheet.model_validate(data)
    with weasyprint_warnings() as logged:
        html = render_html(sheet, "sample", templates, target="pdf").html
        rendered = render_pdf(html, templates)
    return Briefing(data, html, rendered.pdf, rendered.files_read, tuple(logged))


def rich_data() -> dict[str, Any]:
    """A fresh copy of the rich sample fact sheet."""
    return copy.deepcopy(json.loads(RICH_SHEET.read_text(encoding="utf-8")))


def inflate_all(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed in place, for searching."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)
