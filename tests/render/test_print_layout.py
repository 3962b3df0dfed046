"""The PDF's contents list as a grid: only when it looks the same as the balanced columns.

The grid is a cheaper layout of the same page (``generator.render.html.contents_grid``);
these tests render the real PDF both ways and compare the pages' pixels.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.factsheet.model import FactSheet
from generator.render.html import CONTENTS_LINE, contents_grid, render_html
from generator.render.pdf import render_pdf
from generator.render.view import build_view
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES


def sheet_with_sections(headings: list[str]) -> FactSheet:
    sections = [{"heading": h, "body": f"Text of {h}."} for h in headings]
    return FactSheet.model_validate(minimal_sheet(sections=sections))


def first_page(pdf: bytes, folder: Path, name: str) -> Image.Image:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", path, folder / name])
    return Image.open(next(folder.glob(f"{name}-*.png"))).convert("RGB")


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_grid_page_is_pixel_for_pixel_the_columns_page(tmp_path: Path, count: int) -> None:
    # The fixed entries (summary ... sources) and `count` sections: odd and even totals.
    sheet = sheet_with_sections([f"Section {i}" for i in range(count)])
    html = render_html(sheet, "grid", TEMPLATES, target="pdf").html
    grid = next(iter(contents_grid(len(build_view(sheet, "grid").contents), ["Summary"])), None)
    assert grid is not None and str(grid.css) in html
    columns = html.replace(str(grid.css), "")
    with_grid = first_page(render_pdf(html, TEMPLATES).pdf, tmp_path, "grid")
    with_columns = first_page(render_pdf(columns, TEMPLATES).pdf, tmp_path, "columns")
    assert with_grid.size == with_columns.size
    assert ImageChops.difference(with_grid, with_columns).getbbox() is None


def test_a_heading_that_might_wrap_keeps_the_balanced_columns() -> None:
    long = "W" * (CONTENTS_LINE + 1)
    html = render_html(sheet_with_sections([long]), "long", TEMPLATES, target="pdf").html
    assert "display: grid" not in html
    assert contents_grid(6, ["Summary", long]) == ()
    assert contents_grid(6, ["香" * (CONTENTS_LINE // 2 + 1)]) == ()
    assert contents_grid(6, ["香" * (CONTENTS_LINE // 2)]) != ()


def test_rows_and_the_margin_of_the_last_entry_of_the_first_column() -> None:
    (odd,) = contents_grid(7, ["Summary"])
    assert "repeat(4, auto)" in odd.css and "li:nth-child(4) { margin-bottom: 0; }" in odd.css
    (even,) = contents_grid(8, ["Summary"])
    assert "repeat(4, auto)" in even.css and "nth-child" not in even.css
    assert contents_grid(1, ["Summary"]) == ()


def test_the_html_file_keeps_the_columns_for_a_browser() -> None:
    html = render_html(sheet_with_sections(["A"]), "a", TEMPLATES).html
    assert "grid-auto-flow" not in html
