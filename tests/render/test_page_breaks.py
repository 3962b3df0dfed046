"""Page breaks of the PDF, read from the words' boxes (``pdftotext -bbox``): a heading keeps
at least two rows after it, and a table never continues onto a page with a single row.

The summary grows a sentence pair at a time, moving the key-facts table down across the
foot of page 1: every position of the break is tried, so the check does not depend on
where a font's metrics put it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import minimal_sheet
from tests.support.pdf_samples import render_briefing

ROWS = 8
WORD = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<')


def pages_words(pdf: bytes, folder: Path) -> list[list[tuple[str, float]]]:
    """Each page's words with their heights in points."""
    path = folder / "sweep.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [(word, float(y1) - float(y0)) for y0, y1, word in WORD.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def layout(sentences: int, folder: Path) -> list[tuple[bool, int]]:
    """Per page: whether the key-facts heading is on it, and how many of its rows."""
    facts = [{"label": f"Fact{i:02d}", "value": i, "sources": ["src-a"]} for i in range(ROWS)]
    summary = "Filler sentence about assembly. " * sentences + "[@src-a]"
    pdf = render_briefing(minimal_sheet(summary=summary, key_facts=facts)).pdf
    return [
        (
            any(word == "Key" and height > 12 for word, height in page),
            sum(1 for word, _ in page if re.fullmatch(r"Fact\d\d", word)),
        )
        for page in pages_words(pdf, folder)
    ]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> list[list[tuple[bool, int]]]:
    folder = tmp_path_factory.mktemp("sweep")
    return [layout(2 * k, folder) for k in range(10, 28)]


def test_the_sweep_moves_the_table_across_a_page_break(sweep):
    assert any(sum(1 for _, rows in pages if rows) == 2 for pages in sweep), sweep
    assert any(pages[0][1] == 0 and pages[1][0] for pages in sweep), sweep


def test_a_heading_keeps_two_rows_after_it(sweep):
    for pages in sweep:
        assert all(rows >= 2 for heading, rows in pages if heading), pages


def test_a_table_never_leaves_one_row_on_a_page(sweep):
    for pages in sweep:
        assert all(rows != 1 for _, rows in pages), pages
        assert sum(rows for _, rows in pages) == ROWS
