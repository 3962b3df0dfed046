"""A DOCX briefing converts to PDF with LibreOffice: a word processor other than the one
that wrote it reads every part of it; and a reference document LibreOffice saved serves
as well as the shipped one. Two conversions (each costs seconds)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render import build_view, render_docx
from tests.support.render_samples import TEMPLATES, make_sheet, rich_data

SOFFICE = shutil.which("soffice")
#: LibreOffice's first start in a fresh profile takes a while on a loaded machine.
CONVERT_SECONDS = 240

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: scripts/setup-system.sh test installs it",
)


def _soffice(work: Path, target: str, source: Path, outdir: Path) -> subprocess.CompletedProcess:
    """Convert ``source`` to ``target`` into ``outdir`` with LibreOffice, in a profile of
    its own under ``work`` (never the user's)."""
    profile = (work / "profile").as_uri()
    return subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, str]:
    """The rich sample as DOCX, converted to PDF by LibreOffice; the PDF and its text."""
    folder = tmp_path_factory.mktemp("libreoffice")
    sheet = make_sheet(rich_data())
    source = folder / "rich.docx"
    source.write_bytes(render_docx(sheet, "rich", TEMPLATES, sheet_sha="0" * 64).docx)
    result = _soffice(folder, "pdf", source, folder)
    pdf = folder / "rich.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pdf, text


def test_libreoffice_converts_the_docx_with_furniture_on_every_page(converted):
    pdf, text = converted
    pages = len(PdfReader(pdf).pages)
    assert pages >= 3
    view = build_view(make_sheet(rich_data()), "rich")
    words = " ".join(text.split())
    assert " ".join(view.title_block.title.split()[:5]) in words
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in words
    assert words.count("DRAFT") >= pages
    for entry in view.contents:
        assert entry.heading in words
    # The East Asian names come through as text (a CJK font shows them, not boxes).
    assert "宁德时代" in text


def test_a_reference_saved_by_libreoffice_gives_the_same_briefing(tmp_path):
    import docx

    templates = tmp_path / "templates"
    templates.mkdir()
    result = _soffice(tmp_path, "docx:MS Word 2007 XML", TEMPLATES / "reference.docx", templates)
    assert result.returncode == 0, result.stdout + result.stderr
    sheet = make_sheet(rich_data())
    data = render_docx(sheet, "rich", templates, sheet_sha="0" * 64).docx
    document = docx.Document(io.BytesIO(data))
    view = build_view(sheet, "rich")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [entry.heading for entry in view.contents]
    assert document.sections[0].header.paragraphs[0].text.endswith("\tDRAFT")
    # The footer's placeholders survive LibreOffice's saving: filled, the page numbers
    # as fields.
    from docx.oxml.ns import qn

    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Facts as of 20 January 2026\tPage ")
    fields = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    fields += [f.get(qn("w:instr")).strip() for f in footer._p.iter(qn("w:fldSimple"))]
    assert sorted(fields) == ["NUMPAGES", "PAGE"]


def test_a_korean_docx_prints_its_page_numbers_in_korean_order(tmp_path):
    """The footer's fields sit where the Korean words put them: "N쪽 중 n쪽" ("page n of
    N"), with the numbers LibreOffice counted."""
    sheet = make_sheet(rich_data() | {"language": "ko"})
    source = tmp_path / "rich-ko.docx"
    source.write_bytes(render_docx(sheet, "rich-ko", TEMPLATES, sheet_sha="0" * 64).docx)
    result = _soffice(tmp_path, "pdf", source, tmp_path)
    pdf = tmp_path / "rich-ko.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    pages = len(PdfReader(pdf).pages)
    assert pages >= 2
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for number in range(1, pages + 1):
        assert f"{pages}쪽중{number}쪽" in squeezed
    assert "Page" not in text
