"""One font configuration per process: the same PDFs, the same files read, its folder removed."""

from __future__ import annotations

from pathlib import Path

from generator.factsheet.model import FactSheet
from generator.render import pdf as pdf_module
from generator.render.html import render_html
from generator.render.pdf import release_fonts, render_pdf
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES

FONT_FILES = {"static/fonts/NotoSerif-Regular.ttf", "static/fonts/NotoSans-Bold.ttf"}


def printable(title: str) -> str:
    sheet = FactSheet.model_validate(minimal_sheet(title=title))
    return render_html(sheet, "fonts", TEMPLATES, target="pdf").html


def test_a_second_render_reads_the_same_files_and_gives_the_same_bytes() -> None:
    release_fonts()
    first = render_pdf(printable("First"), TEMPLATES)
    other = render_pdf(printable("Second"), TEMPLATES)
    again = render_pdf(printable("First"), TEMPLATES)
    assert set(first.files_read) >= FONT_FILES
    # The faces were registered by the first render and not fetched again: still listed.
    assert other.files_read == first.files_read == again.files_read
    assert again.pdf == first.pdf
    release_fonts()
    fresh = render_pdf(printable("First"), TEMPLATES)
    assert fresh.pdf == first.pdf and fresh.files_read == first.files_read


def test_release_removes_the_temporary_folder_of_fonts() -> None:
    render_pdf(printable("Folder"), TEMPLATES)
    folder = Path(pdf_module._FONTS[0][2]._folder)
    assert any(folder.iterdir())
    release_fonts()
    assert not folder.exists()
    assert pdf_module._FONTS == []


def test_a_font_removed_after_it_was_registered_fails_the_next_render(tmp_path: Path) -> None:
    import shutil

    import pytest

    from generator.errors import RenderError

    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    render_pdf(printable("Before"), copy)
    (copy / "static" / "fonts" / "NotoSans-Bold.ttf").unlink()
    with pytest.raises(RenderError, match=r"NotoSans-Bold\.ttf"):
        render_pdf(printable("After"), copy)
    release_fonts()


def test_another_templates_folder_gets_its_own_configuration(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    render_pdf(printable("One"), TEMPLATES)
    before = pdf_module._FONTS[0][2]
    result = render_pdf(printable("One"), copy)
    assert pdf_module._FONTS[0][2] is not before
    assert set(result.files_read) >= FONT_FILES
    release_fonts()
