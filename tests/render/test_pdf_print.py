"""Print quality of the PDF: the Hong Kong briefing checked with qpdf, poppler and pypdf.

Covers the cover block and its contents list, fonts, CJK text, outline, metadata, the
PDF variants, hyphenation by language, headings kept with what follows, the one-page
template and reproducible bytes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from generator.errors import RenderError
from generator.factsheet.loader import load
from generator.factsheet.model import FactSheet
from generator.render.fitting import render_fitted_pdf
from generator.render.html import render_html
from generator.render.pdf import RenderedPdf, render_pdf
from generator.render.view import build_view
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES, inflate_all, render_briefing, rich_data

REPO = Path(__file__).resolve().parents[2]
HK = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
HK_CJK = ["宁德时代", "中国第一汽车集团有限公司", "香港特別行政區政府創新科技及工業局", "哪吒汽车"]
#: Bottom page margin of print.css (22 mm) in points.
BOTTOM_MARGIN = 22 / 25.4 * 72
#: A heading whose top is this close to the bottom margin has nothing after it.
HEADING_AND_A_LINE = 30.0


def hk_sheet() -> FactSheet:
    return load(HK, "briefs/hong-kong-ev-assembly.yaml", max_bytes=2 << 20).sheet


def render(sheet: FactSheet, variant: str = "pdf/ua-1", template: str | None = None):
    """The PDF as the build prints it: a template with a page limit fitted to it."""
    page = render_html(sheet, "hk", TEMPLATES, target="pdf", template=template)
    return render_fitted_pdf(page.html, TEMPLATES, page.page_limit, variant=variant)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, RenderedPdf]]:
    """The Hong Kong briefing in every variant, and its one-pager, written to files."""
    folder = tmp_path_factory.mktemp("pdf")
    sheet = hk_sheet()
    rendered = {name: render(sheet, name) for name in ("pdf/ua-1", "pdf/a-3b", "plain")}
    rendered["onepager"] = render(sheet, template="onepager")
    files = {}
    for name, result in rendered.items():
        path = folder / (name.replace("/", "-") + ".pdf")
        path.write_bytes(result.pdf)
        files[name] = (path, result)
    return files


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (scripts/setup-system.sh test installs it)")
    return found


def reader(result: RenderedPdf) -> PdfReader:
    return PdfReader(io.BytesIO(result.pdf))


def outline_items(outline: list[Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for item in outline:
        items += outline_items(item) if isinstance(item, list) else [item]
    return items


@pytest.mark.parametrize("name", ["pdf/ua-1", "pdf/a-3b", "plain", "onepager"])
def test_qpdf_check_passes_and_every_font_is_embedded_subset(variants, name: str) -> None:
    path, _ = variants[name]
    check = subprocess.run([tool("qpdf"), "--check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    listing = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    assert rows
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.fullmatch(r"[A-Z]{6}\+Brief-[A-Za-z-]+", row[0]), row


def test_cjk_names_are_real_text_in_the_pdf(variants) -> None:
    path, _ = variants["pdf/ua-1"]
    text = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for name in HK_CJK:
        assert name in flat, name


def test_outline_holds_the_section_headings_but_not_the_contents_heading(variants) -> None:
    _, result = variants["pdf/ua-1"]
    title, sections = reader(result).outline
    assert title["/Title"] == hk_sheet().title
    top = [item["/Title"] for item in sections if isinstance(item, dict)]
    assert top == [entry.heading for entry in build_view(hk_sheet(), "hk").contents]
    assert "Contents" not in [item["/Title"] for item in outline_items(sections)]


def test_contents_page_numbers_are_where_the_sections_are_and_link_there(variants) -> None:
    _, result = variants["pdf/ua-1"]
    pdf = reader(result)
    _, sections = pdf.outline
    landed = {
        item["/Title"]: pdf.get_destination_page_number(item) + 1
        for item in sections
        if isinstance(item, dict)
    }
    first_page = " ".join(pdf.pages[0].extract_text().split())
    for heading, page in landed.items():
        assert re.search(rf"{re.escape(heading)} \.+ {page}\b", first_page), heading
    assert len(set(landed.values())) > 3, "sections should spread over the pages"
    links = [a.get_object() for a in pdf.pages[0].get("/Annots", [])]
    named = pdf.named_destinations
    dests = {str(a["/Dest"]) for a in links if "/Dest" in a}
    assert {entry.anchor for entry in build_view(hk_sheet(), "hk").contents} <= dests
    assert all(dest in named for dest in dests)


def test_metadata_title_authors_subject_keywords_language_dates(variants) -> None:
    _, result = variants["pdf/ua-1"]
    pdf = reader(result)
    sheet = hk_sheet()
    meta = pdf.metadata
    assert meta.title == sheet.title
    assert meta.author == "Policy Analysis Unit"
    assert meta.subject == sheet.subtitle
    assert meta["/Keywords"] == ", ".join(sheet.tags or [])
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20261125"
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_pdf_ua_is_tagged_with_language_and_title_shown(variants) -> None:
    root = reader(variants["pdf/ua-1"][1]).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_pdf_a_3b_has_identifier_output_intent_and_conformance(variants) -> None:
    pdf = reader(variants["pdf/a-3b"][1])
    root = pdf.trailer["/Root"]
    assert "/ID" in pdf.trailer
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert b"<xmp:CreateDate>2026-11-25</xmp:CreateDate>" in xmp


def test_plain_pdf_is_untagged(variants) -> None:
    root = reader(variants["plain"][1]).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/Metadata" not in root


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(RenderError, match=r"'pdf/x-4' is not one of pdf/ua-1, pdf/a-3b, plain"):
        render_pdf("<html></html>", TEMPLATES, variant="pdf/x-4")


def test_page_count_is_returned(variants) -> None:
    for _, result in variants.values():
        assert result.pages == len(reader(result).pages)
    assert variants["onepager"][1].pages == 1


def test_onepager_holds_title_bottom_line_five_facts_top_challenges_sources(variants) -> None:
    text = " ".join(reader(variants["onepager"][1]).pages[0].extract_text().split())
    sheet = hk_sheet()
    assert sheet.title in text and "Bottom line" in text
    labels = [fact.label for fact in sheet.key_facts]
    assert all(label in text for label in labels[:5])
    assert not any(label in text for label in labels[5:])
    highs = [c.title for c in sheet.challenges if c.severity == "high"]
    assert all(title in text for title in highs)
    assert not any(c.title in text for c in sheet.challenges if c.severity != "high")
    assert all(s.title.split()[0] in text for s in sheet.sources)
    assert "FOR REVIEW" in text and "Page 1 of 1" in text


def test_hyphenation_follows_the_language() -> None:
    words = "internationalisation responsibilities characteristically interdisciplinary " * 30
    hyphenated = {}
    for language in ("en", "zh"):
        data = minimal_sheet(language=language, summary=words + "[@src-a]")
        text = render_briefing(data).page_texts()[0]
        hyphenated[language] = re.findall(r"[a-z]+\u00ad\n[a-z]+", text)
    assert hyphenated["en"], "English text should break words at hyphenation points"
    assert hyphenated["zh"] == [], "no dictionary for zh: no automatic hyphens"


def test_no_heading_is_left_alone_at_the_foot_of_a_page() -> None:
    data = rich_data()
    data["sections"] = [
        {"heading": f"Further point {n}", "body": "A short remark on the matter. " * (n % 7 + 1)}
        for n in range(40)
    ]
    pdf = render_briefing(data).reader
    items = outline_items(pdf.outline)
    assert len(items) > 40
    low = [
        (item["/Title"], round(float(item["/Top"])))
        for item in items
        if float(item["/Top"]) < BOTTOM_MARGIN + HEADING_AND_A_LINE
    ]
    assert low == []


def test_pdf_a_identifier_is_the_same_for_the_same_inputs(variants) -> None:
    assert render(hk_sheet(), "pdf/a-3b").pdf == variants["pdf/a-3b"][1].pdf


def test_pdf_holds_no_path_of_the_machine(variants) -> None:
    for path, result in variants.values():
        assert str(REPO).encode() not in inflate_all(result.pdf), path.name
