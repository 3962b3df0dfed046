"""The tagged PDF's structure tree, as a screen reader and a PDF/UA checker read it."""

from __future__ import annotations

import copy
import io
import re

import pytest
from pypdf import PdfReader

from generator.render import render_pdf
from tests.support.pdf_samples import TEMPLATES, Briefing, render_briefing, rich_data
from tests.support.pdfua import Walk, pdfua_findings, structure_findings


def walk_of(pdf: bytes) -> Walk:
    return Walk(PdfReader(io.BytesIO(pdf)))


def elements(pdf: bytes, kind: str) -> list:
    return [element for element, _parent in walk_of(pdf).elements if element["/S"] == kind]


@pytest.fixture(scope="module")
def long_table() -> Briefing:
    """A sheet whose key-facts table runs over three pages."""
    data = rich_data()
    fact = data["key_facts"][0]
    data["key_facts"] = [dict(copy.deepcopy(fact), label=f"Fact {n}") for n in range(90)]
    return render_briefing(data)


def test_the_rich_sample_passes_the_checker(rich: Briefing) -> None:
    assert pdfua_findings(rich.pdf) == []


@pytest.mark.parametrize(
    ("sheet", "template"), [("rich", "onepager"), ("small", "brief")], ids=["one-pager", "small"]
)
def test_the_one_pager_and_the_small_benchmark_pass_the_checker(sheet: str, template: str) -> None:
    from bench.synthetic import sheet_data
    from generator.factsheet import FactSheet
    from generator.render import render_html

    data = rich_data() if sheet == "rich" else sheet_data(0, sheet)
    html = render_html(
        FactSheet.model_validate(data), "sample", TEMPLATES, target="pdf", template=template
    ).html
    assert pdfua_findings(render_pdf(html, TEMPLATES).pdf) == []


def test_the_checker_fails_what_weasyprint_writes_unrepaired(rich: Briefing) -> None:
    import weasyprint

    from generator.render.pdf import make_fetcher

    root = TEMPLATES.resolve()
    source = weasyprint.HTML(
        string=rich.html, base_url=(root / "static").as_uri() + "/", url_fetcher=make_fetcher(root)
    )
    raw = source.write_pdf(pdf_variant="pdf/ua-1")
    kinds = {line.split(":")[0] for line in structure_findings(PdfReader(io.BytesIO(raw)))}
    assert {"01-005", "15-003", "16-001", "28-004", "28-011"} <= kinds


def test_page_furniture_is_pagination_artifacts(rich: Briefing) -> None:
    pages = rich.reader.pages
    for page in pages:
        data = page.get_contents().get_data()
        # Running head, status mark, footer and page number: four margin boxes a page.
        assert data.count(b"/Artifact\n<</Type /Pagination>>\nBDC") >= 4
    words = {line.split(":")[0] for line in pdfua_findings(rich.pdf)}
    assert "01-005" not in words


def test_header_cells_carry_their_scope(rich: Briefing) -> None:
    scopes = [cell["/A"]["/Scope"] for cell in elements(rich.pdf, "/TH")]
    heads = re.findall(r"<thead>.*?</thead>", rich.html, re.S)
    assert scopes.count("/Column") == sum(head.count("<th") - 1 for head in heads)
    # Row headers: each key fact, each player, and each category row of the risk matrix.
    categories = {c["category"] for c in rich.data["challenges"]}
    rows = len(rich.data["key_facts"]) + len(rich.data["players"]) + len(categories)
    assert scopes.count("/Row") == rows


def test_lists_hold_items_and_items_label_and_body(rich: Briefing) -> None:
    walk = walk_of(rich.pdf)
    for element, parent in walk.elements:
        if element["/S"] == "/LI":
            assert parent["/S"] == "/L"
    # The glance and key-fact definition lists: a term is the label of its description.
    labels = [e for e, p in walk.elements if e["/S"] == "/Lbl" and p["/S"] == "/LI"]
    assert len(labels) >= 5


def test_each_contents_entry_is_one_link_described_by_its_heading(rich: Briefing) -> None:
    first = rich.reader.pages[0]
    internal = [a.get_object() for a in first.get("/Annots", [])]
    contents = [a for a in internal if "/Dest" in a and not str(a["/Contents"])[0].isdigit()]
    described = [str(a["/Contents"]) for a in contents]
    assert described[:3] == ["Summary", "Initiative at a glance", "Key facts"]
    assert len(described) == len(set(described))


def test_citation_links_say_which_source(rich: Briefing) -> None:
    annotations = [a.get_object() for p in rich.reader.pages for a in p.get("/Annots", [])]
    cited = {str(a["/Contents"]) for a in annotations if a.get("/Dest") == "source-1"}
    assert len(cited) == 1
    (text,) = cited
    assert any(text.startswith(f"1: {source['title']}") for source in rich.data["sources"])


def test_a_split_table_is_one_table(long_table: Briefing) -> None:
    tables = elements(long_table.pdf, "/Table")
    assert len(long_table.reader.pages) > 4
    # Key facts, players and a section's table, however many pages they cover.
    assert len(tables) == long_table.html.count("<table")
    heads = elements(long_table.pdf, "/THead")
    assert len(heads) == long_table.html.count("<thead")  # repeated header rows: artifacts
    rows = [e for e in elements(long_table.pdf, "/TH") if e["/A"]["/Scope"] == "/Row"]
    categories = {c["category"] for c in long_table.data["challenges"]}
    assert len(rows) == 90 + len(long_table.data["players"]) + len(categories)
    assert pdfua_findings(long_table.pdf) == []


def test_a_name_in_another_language_carries_its_lang(rich: Briefing) -> None:
    # The HTML marks every run of another script with its language (script_marks.py);
    # each mark becomes a structure element's Lang.
    marked = re.findall(r'<(?!html)[a-z]+\b[^>]*\slang="([^"]+)"', rich.html)
    assert "zh-Hans" in marked
    langs = [str(e["/Lang"]) for e, _p in walk_of(rich.pdf).elements if "/Lang" in e]
    assert sorted(set(langs)) == sorted(set(marked))
    assert pdfua_findings(rich.pdf) == []


def test_the_repaired_pdf_is_reproducible(rich: Briefing) -> None:
    assert render_pdf(rich.html, TEMPLATES).pdf == rich.pdf
