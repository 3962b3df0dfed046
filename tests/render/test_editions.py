"""Both editions of a sheet with internal content, rendered and read back as a reader would:
the external edition's PDF and HTML text holds none of the internal content, its sources are
numbered afresh, and the marking stands on every page and in the metadata."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from generator.factsheet import DEFAULT_MARKINGS, Markings, edition_sheet, internal_texts
from generator.factsheet.loader import load
from generator.factsheet.markings import MarkingEntry
from generator.render import INTERNAL_NOTICE, banner_for, render_html, render_pdf

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
SHEET = REPO / "tests" / "data" / "valid" / "internal-everywhere.yaml"
HONG_KONG = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
SECRET_WORDS = [
    *("Zanzibar", "Quokka", "Marmoset", "Nightjar", "夜鷹控股", "Pangolin", "Axolotl"),
    *("Wombat", "Capybara", "Narwhal", "Ocelot", "Tapir", "Meerkat", "Lemur", "Iguana"),
]


@dataclass(frozen=True)
class Edition:
    html: str
    pdf: bytes

    @property
    def root(self) -> ET.Element:
        return tinyhtml5.parse(self.html)

    def html_text(self) -> str:
        (body,) = [e for e in self.root.iter() if _local(e) == "body"]
        return " ".join("".join(body.itertext()).split())

    def page_texts(self, tmp: Path) -> list[str]:
        path = tmp / "edition.pdf"
        path.write_bytes(self.pdf)
        pages = len(PdfReader(io.BytesIO(self.pdf)).pages)
        return [_pdftotext(path, number) for number in range(1, pages + 1)]


def _pdftotext(path: Path, page: int) -> str:
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _render(edition: str, markings: Markings = DEFAULT_MARKINGS) -> Edition:
    sheet = edition_sheet(load(SHEET, "briefs/x.yaml").sheet, edition)
    banner = banner_for(sheet, edition, markings)
    html = render_html(sheet, "x", TEMPLATES, banner=banner).html
    printable = render_html(sheet, "x", TEMPLATES, target="pdf", banner=banner).html
    return Edition(html, render_pdf(printable, TEMPLATES).pdf)


@pytest.fixture(scope="module")
def internal() -> Edition:
    return _render("internal")


@pytest.fixture(scope="module")
def external() -> Edition:
    return _render("external")


def test_the_external_edition_shows_no_internal_text(external: Edition, tmp_path: Path) -> None:
    pdf_text = " ".join(" ".join(external.page_texts(tmp_path)).split())
    for text in (external.html_text(), pdf_text):
        assert [word for word in SECRET_WORDS if word in text] == []
        secrets = [t for t in internal_texts(load(SHEET, "x").sheet) if t.text in text]
        assert secrets == []
        assert "Scarce industrial land" in text and "Few assembly workers" in text


def test_the_internal_edition_shows_everything(internal: Edition, tmp_path: Path) -> None:
    html_text = internal.html_text()
    pdf_text = " ".join(" ".join(internal.page_texts(tmp_path)).split())
    assert [word for word in SECRET_WORDS if word not in html_text] == []
    assert [word for word in SECRET_WORDS if word not in pdf_text] == []


def _sources(edition: Edition) -> list[str]:
    (listing,) = [e for e in edition.root.iter() if e.get("class") == "sources"]
    return [" ".join("".join(li.itertext()).split()) for li in listing.iter() if _local(li) == "li"]


def test_the_external_edition_numbers_its_sources_afresh(
    internal: Edition, external: Edition
) -> None:
    assert len(_sources(internal)) == 4
    listed = _sources(external)
    assert [entry.split(" ", 1)[0] for entry in listed] == ["1.", "2."]
    assert "Hong Kong pushes EV factory deals" in listed[0]
    assert "Annual report 2025" in listed[1]
    # The land challenge cites the annual report: number 3 inside (the envoy's cable,
    # cited by an internal key fact, comes before it), 2 outside.
    assert "costly [2]" in external.html_text()
    assert "costly [3]" in internal.html_text()


def test_contents_and_key_facts_are_computed_without_internal_content(external: Edition) -> None:
    text = external.html_text()
    assert "Negotiating" not in text and "Outlook" in text
    rows = [e for e in external.root.iter() if _local(e) == "tr"]
    facts = [" ".join("".join(r.itertext()).split()) for r in rows]
    assert any(f.startswith("Candidate area") for f in facts)
    assert not any("fallback" in f for f in facts)


@pytest.mark.parametrize("name", ["internal", "external"])
def test_the_marking_is_on_every_pdf_page_top_and_bottom(
    name: str, internal: Edition, external: Edition, tmp_path: Path
) -> None:
    edition = {"internal": internal, "external": external}[name]
    pages = edition.page_texts(tmp_path)
    assert len(pages) >= 2
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        top, bottom = " ".join(lines[:4]), " ".join(lines[-3:])
        assert "OFFICIAL-SENSITIVE" in top and "OFFICIAL-SENSITIVE" in bottom, text
        if name == "internal":
            assert INTERNAL_NOTICE in top and INTERNAL_NOTICE in bottom
        else:
            assert "INTERNAL" not in text


def test_the_marking_and_edition_are_in_the_pdf_metadata(
    internal: Edition, external: Edition
) -> None:
    for edition, name in ((internal, "internal"), (external, "external")):
        keywords = PdfReader(io.BytesIO(edition.pdf)).metadata["/Keywords"]
        assert keywords == f"Marking: OFFICIAL-SENSITIVE, Edition: {name}"


def test_the_html_has_a_banner_first_and_last_and_says_so_in_its_head(
    internal: Edition, external: Edition
) -> None:
    for edition, name in ((internal, "internal"), (external, "external")):
        root = edition.root
        (body,) = [e for e in root.iter() if _local(e) == "body"]
        children = list(body)
        for banner in (children[0], children[-1]):
            assert "marking-banner" in banner.get("class", "")
            assert "OFFICIAL-SENSITIVE" in "".join(banner.itertext())
            assert (INTERNAL_NOTICE in "".join(banner.itertext())) == (name == "internal")
        meta = {m.get("name"): m.get("content") for m in root.iter() if _local(m) == "meta"}
        assert meta["brief-marking"] == "OFFICIAL-SENSITIVE"
        assert meta["brief-edition"] == name


def test_the_projects_wording_is_what_the_pages_show() -> None:
    wording = "OFFICIAL–SENSITIVE (handle with care)"
    markings = Markings((MarkingEntry(code="OFFICIAL-SENSITIVE", wording=wording),))
    sheet = load(SHEET, "x").sheet
    banner = banner_for(sheet, "external", markings)
    html = render_html(edition_sheet(sheet, "external"), "x", TEMPLATES, banner=banner).html
    assert html.count(wording) == 2


def test_a_format_1_sheet_has_no_banner_and_no_marking_stylesheet() -> None:
    sheet = load(HONG_KONG, "briefs/hong-kong-ev-assembly.yaml").sheet
    assert banner_for(sheet, "only", DEFAULT_MARKINGS) is None
    for target in ("html", "pdf"):
        html = render_html(sheet, "hk", TEMPLATES, target=target).html  # type: ignore[arg-type]
        assert "marking-banner" not in html and "brief-edition" not in html


def test_a_wording_with_markup_is_printed_as_text() -> None:
    wording = '<script>alert(1)</script><b onclick="x()">OFFICIAL</b>'
    markings = Markings((MarkingEntry(code="OFFICIAL-SENSITIVE", wording=wording),))
    sheet = load(SHEET, "x").sheet
    html = render_html(sheet, "x", TEMPLATES, banner=banner_for(sheet, "internal", markings)).html
    root = tinyhtml5.parse(html)
    assert not [e for e in root.iter() if _local(e) in ("script", "b")]
    banners = [e for e in root.iter() if "marking-banner" in (e.get("class") or "")]
    assert [wording in "".join(b.itertext()) for b in banners] == [True, True]
