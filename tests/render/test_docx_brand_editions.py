"""The DOCX takes the house style's words and logo, and each edition's marking.

Built through the real CLI where the build decides (editions, the leak check); rendered
directly where only the document is in question. Every DOCX is opened with python-docx.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
from docx.oxml.ns import qn

from generator.config import load_brand
from generator.factsheet import internal_texts, load
from generator.render import render_docx
from tests.support.brand_samples import TEST_BRAND, png, write_brand
from tests.support.docx_read import custom_properties
from tests.support.render_samples import TEMPLATES, make_sheet, rich_data

DATA = Path(__file__).parents[1] / "data"
SHA = "0" * 64


def all_text(document) -> str:
    """Every paragraph of the body, the tables' and the header's and footer's."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def test_the_brand_words_and_a_png_logo_are_in_the_document(tmp_path):
    write_brand(tmp_path, TEST_BRAND.replace("logo.svg", "logo.png"), png(40, 20))
    brand = load_brand(tmp_path, TEMPLATES)
    rendered = render_docx(make_sheet(rich_data()), "rich", TEMPLATES, sheet_sha=SHA, brand=brand)
    again = render_docx(make_sheet(rich_data()), "rich", TEMPLATES, sheet_sha=SHA, brand=brand)
    assert rendered.docx == again.docx
    document = docx.Document(io.BytesIO(rendered.docx))
    text = all_text(document)
    assert document.paragraphs[1].text == "Office of Transport Policy"
    assert re.search(r"^OTP-\d{4}-RICH$", text, re.M), "the document number, in the title block"
    assert "Suggested citation" in text and "Office of Transport Policy (" in text
    assert "Policy desk · policy@example.org" in text
    assert "Not an official position of the Office." in text
    pictures = document.element.body.xpath(".//wp:docPr")
    assert [p.get("descr") for p in pictures] == ["Office of Transport Policy logo"]
    assert len(document.inline_shapes) == 1


def test_without_brand_yaml_there_is_no_masthead_or_brand_footer():
    document = docx.Document(
        io.BytesIO(render_docx(make_sheet(rich_data()), "rich", TEMPLATES, sheet_sha=SHA).docx)
    )
    assert document.paragraphs[0].text.startswith("Policy briefing")
    assert "Suggested citation" not in all_text(document)
    assert not document.inline_shapes


def test_each_edition_is_a_docx_with_its_marking_and_the_external_one_leaks_nothing(
    project, run_brief
):
    shutil.copy(DATA / "valid/internal-everywhere.yaml", project / "briefs/hk.yaml")
    result = run_brief("build", "--formats", "docx", "hk")
    assert result.returncode == 0, result.stderr
    out = project / "output"
    assert not (out / "hk.docx").exists()
    internal = docx.Document(out / "hk.internal.docx")
    external = docx.Document(out / "hk.external.docx")
    head = internal.sections[0].header.paragraphs
    assert "INTERNAL — not for external distribution" in " ".join(p.text for p in head)
    for document, edition in ((internal, "internal"), (external, "external")):
        assert custom_properties(document)["brief-edition"] == edition
        keywords = document.core_properties.keywords
        assert "Marking: OFFICIAL-SENSITIVE" in keywords and f"Edition: {edition}" in keywords
        header = " ".join(p.text for p in document.sections[0].header.paragraphs)
        assert "OFFICIAL-SENSITIVE" in header.upper()
    marks = [b.get(qn("w:name")) for b in external.element.body.iter(qn("w:bookmarkStart"))]
    assert not [m for m in marks if m.startswith("bf_")], "the external edition marks no fields"
    assert [
        m
        for m in (b.get(qn("w:name")) for b in internal.element.body.iter(qn("w:bookmarkStart")))
        if m.startswith("bf_")
    ]
    shown = " ".join(all_text(external).split())
    sheet = load(project / "briefs/hk.yaml", "briefs/hk.yaml").sheet
    secrets = [t for t in internal_texts(sheet) if len(t.text) >= 12]
    assert secrets, "the fixture has internal texts to look for"
    for secret in secrets:
        assert " ".join(secret.text.split()) not in shown, secret.path
    for word in ("Zanzibar", "Quokka", "Marmoset", "Nightjar", "夜鷹控股", "Pangolin", "Wombat"):
        assert word in all_text(internal) and word not in all_text(external), word


def test_a_palette_change_leaves_the_docx_alone_and_a_contact_change_rebuilds_it(
    project, write_brief, run_brief
):
    write_brief("alpha")
    write_brand(project)
    assert run_brief("build", "--formats", "docx,html").returncode == 0
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text("utf-8").replace("#7a1f5c", "#123456"), "utf-8")
    lines = run_brief("build", "-n", "--formats", "docx,html").stdout.splitlines()
    assert lines[0] == "would build briefs/alpha.yaml (html): brand.yaml (palette) changed"
    assert run_brief("build", "--formats", "docx,html").returncode == 0
    brand.write_text(brand.read_text("utf-8").replace("Policy desk", "Transport desk"), "utf-8")
    lines = run_brief("build", "-n", "--formats", "docx,html").stdout.splitlines()
    assert lines[0] == "would build briefs/alpha.yaml (docx, html): brand.yaml (contact) changed"
