"""The DOCX footer in the briefing's language: "Facts as of" and "Page X of Y" from the
catalogs, the PAGE and NUMPAGES fields where the language's words put them; a house
style's own footer kept; a reference made from the earlier English footer upgraded."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.render import render_docx
from generator.render.docx_xml import field_runs
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

SHA = "cd" * 32


def render(language: str, templates: Path = TEMPLATES) -> bytes:
    data = minimal_data() | {"language": language}
    return render_docx(make_sheet(data), "m", templates, sheet_sha=SHA).docx


def own_templates(tmp_path: Path) -> Path:
    """A templates folder of a project's own: the shipped catalogs, a reference to come."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "locale", templates / "locale")
    return templates


def footer_pieces(data: bytes) -> list[str]:
    """The footer's paragraph read from its XML: text as text, each field as ``{FIELD}``
    (its instruction, its shown result left out), tabs as ``\\t``."""
    document = docx.Document(io.BytesIO(data))
    paragraph = document.sections[0].footer.paragraphs[0]._p
    pieces: list[str] = []
    in_result = False
    for element in paragraph.iter():
        if element.tag == qn("w:fldChar"):
            kind = element.get(qn("w:fldCharType"))
            in_result = kind == "separate"
        elif element.tag == qn("w:instrText"):
            pieces.append("{" + element.text.strip() + "}")
        elif element.tag == qn("w:tab"):
            pieces.append("\t")
        elif element.tag == qn("w:t") and not in_result and element.text:
            pieces.append(element.text)
    return pieces


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Facts as of January 20, 2026\tPage {PAGE} of {NUMPAGES}"),
        ("en-GB", "Facts as of 20 January 2026\tPage {PAGE} of {NUMPAGES}"),
        ("fr", "Données au 20 janvier 2026\tPage {PAGE} sur {NUMPAGES}"),
        ("de", "Stand der Angaben 20. Januar 2026\tSeite {PAGE} von {NUMPAGES}"),
        # Korean and Japanese put the total first, or the numbers before the word.
        ("ko", "자료 기준일 2026년 1월 20일\t{NUMPAGES}쪽 중 {PAGE}쪽"),
        ("ja", "{date}\t{PAGE} / {NUMPAGES} ページ"),
        ("zh-Hant", "{date}\t第 {PAGE} 頁，共 {NUMPAGES} 頁"),
    ],
)
def test_the_footer_is_in_the_briefings_language_with_its_fields_in_place(language, expected):
    text = "".join(footer_pieces(render(language)))
    if "{date}" in expected:
        # The date's words are Babel's; here only the page label's order is at stake.
        expected = expected.replace("{date}", text.split("\t")[0])
        assert "2026" in text.split("\t")[0]
    assert text == expected


def test_a_korean_footer_run_carries_its_east_asian_language():
    document = docx.Document(io.BytesIO(render("ko")))
    runs = document.sections[0].footer.paragraphs[0]._p.iter(qn("w:r"))
    marked = [
        r
        for r in runs
        if "쪽" in "".join(t.text or "" for t in r.iter(qn("w:t")))
        and r.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None
    ]
    assert marked
    assert marked[0].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "ko-KR"


def test_the_page_fields_keep_the_placeholders_look(tmp_path):
    templates = own_templates(tmp_path)
    reference = docx.Document(str(TEMPLATES / "reference.docx"))
    footer = reference.sections[0].footer.paragraphs[0]
    for paragraph_run in list(footer._p.iter(qn("w:r"))):
        footer._p.remove(paragraph_run)
    footer.add_run("– {page_of_pages} –").bold = True
    reference.save(str(templates / "reference.docx"))
    data = render("fr", templates)
    assert "".join(footer_pieces(data)) == "– Page {PAGE} sur {NUMPAGES} –"
    paragraph = docx.Document(io.BytesIO(data)).sections[0].footer.paragraphs[0]._p
    runs = list(paragraph.iter(qn("w:r")))
    assert runs and all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in runs)


def test_a_house_styles_own_footer_is_kept_as_written(tmp_path):
    templates = own_templates(tmp_path)
    reference = docx.Document()
    reference.sections[0].footer.paragraphs[0].add_run("Ministry of Examples · {as_of}")
    reference.save(str(templates / "reference.docx"))
    assert "".join(footer_pieces(render("fr", templates))) == (
        "Ministry of Examples · 20 janvier 2026"
    )


def earlier_reference(path: Path) -> None:
    """A reference document with the footer shipped before it was written in the
    briefing's language: English words around the PAGE and NUMPAGES fields."""
    reference = docx.Document(str(TEMPLATES / "reference.docx"))
    footer = reference.sections[0].footer.paragraphs[0]
    for paragraph_run in list(footer._p.iter(qn("w:r"))):
        footer._p.remove(paragraph_run)
    footer.add_run("Facts as of {as_of}\tPage ")
    footer._p.extend(field_runs("PAGE", "1"))
    footer.add_run(" of ")
    footer._p.extend(field_runs("NUMPAGES", "1"))
    reference.save(str(path))


def test_a_reference_with_the_earlier_english_footer_is_written_in_the_language(tmp_path):
    templates = own_templates(tmp_path)
    earlier_reference(templates / "reference.docx")
    assert "".join(footer_pieces(render("ko", templates))) == (
        "자료 기준일 2026년 1월 20일\t{NUMPAGES}쪽 중 {PAGE}쪽"
    )
    assert "".join(footer_pieces(render("en-GB", templates))) == (
        "Facts as of 20 January 2026\tPage {PAGE} of {NUMPAGES}"
    )


def test_no_placeholder_is_left_in_any_part(tmp_path):
    with zipfile.ZipFile(io.BytesIO(render("ja"))) as archive:
        parts: dict[str, Any] = {n: archive.read(n) for n in archive.namelist()}
    for name, blob in parts.items():
        if name.startswith("word/"):
            assert b"{page_of_pages}" not in blob and b"{facts_as_of}" not in blob, name
            assert "\ue000".encode() not in blob, name


def test_a_placeholder_word_split_across_runs_is_still_filled(tmp_path):
    templates = own_templates(tmp_path)
    reference = docx.Document(str(TEMPLATES / "reference.docx"))
    footer = reference.sections[0].footer.paragraphs[0]
    for paragraph_run in list(footer._p.iter(qn("w:r"))):
        footer._p.remove(paragraph_run)
    # Word splits a run where an edit or a spelling mark fell.
    for piece in ("{facts_", "as_of} | {page_", "of_pages}"):
        footer.add_run(piece)
    reference.save(str(templates / "reference.docx"))
    assert "".join(footer_pieces(render("de", templates))) == (
        "Stand der Angaben 20. Januar 2026 | Seite {PAGE} von {NUMPAGES}"
    )
