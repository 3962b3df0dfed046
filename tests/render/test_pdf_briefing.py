"""The PDF briefing read back with pypdf: content, page furniture, links, metadata."""

from __future__ import annotations

import re

import pytest

from generator.render.typography import smart_quotes
from tests.support.pdf_samples import Briefing, render_briefing, rich_data

SECTION_HEADINGS = [
    "Summary",
    "Initiative at a glance",
    "Key facts",
    "Players",
    "Timeline",
    "Challenges",
    "Outlook",
    "Recommendations",
    "Sources",
]


def annotations(briefing: Briefing) -> list[dict]:
    return [
        annot.get_object() for page in briefing.reader.pages for annot in page.get("/Annots", [])
    ]


def test_nothing_unexpected_is_logged(rich: Briefing) -> None:
    assert [r.getMessage() for r in rich.logged] == []


def test_every_section_heading_in_the_format_order(rich: Briefing) -> None:
    title, sections = rich.reader.outline
    assert title["/Title"] == rich.data["title"]
    assert [item["/Title"] for item in sections if isinstance(item, dict)] == SECTION_HEADINGS
    text = rich.text()
    assert all(heading in text for heading in SECTION_HEADINGS)


def test_every_challenge_and_source_title_and_the_cjk_names(rich: Briefing) -> None:
    text = rich.text()
    for challenge in rich.data["challenges"]:
        assert smart_quotes(challenge["title"], "en") in text
    for source in rich.data["sources"]:
        assert smart_quotes(source["title"], "en") in text
    for name in ("中国第一汽车集团 (一汽)", "宁德时代", "广汽埃安", "哪吒汽车"):
        assert name in text
    assert "SEVERITY: HIGH" in text and "SEVERITY: LOW" in text


def test_every_page_has_numbers_running_head_and_draft_marking(rich: Briefing) -> None:
    pages = rich.page_texts()
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "DRAFT" in text
        assert "Facts as of 20 January 2026" in text
        assert "Hong Kong courts mainland EV makers for a New Territories… · " in text
        assert "· Hong Kong SAR, China" in text


@pytest.mark.parametrize(("status", "mark"), [("review", "FOR REVIEW"), ("final", None)])
def test_status_marking_follows_the_status(status: str, mark: str | None) -> None:
    data = rich_data()
    data["status"] = status
    pages = render_briefing(data).page_texts()
    for text in pages:
        assert "DRAFT" not in text
        if mark:
            assert mark in text
        else:
            assert "FOR REVIEW" not in text


def test_metadata_comes_from_the_sheet(rich: Briefing) -> None:
    meta = rich.reader.metadata
    assert meta.title == rich.data["title"]
    assert meta.author == "Mei Ling Chan, Daniel Okafor"
    assert meta.subject == rich.data["subtitle"]
    assert meta["/Keywords"] == "ev, hong-kong, manufacturing"
    assert meta["/Creator"].startswith("brief ")
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260120"


def test_citations_are_internal_links_to_source_entries(rich: Briefing) -> None:
    dests = [a["/Dest"] for a in annotations(rich) if "/Dest" in a]
    assert "source-1" in dests and "source-11" in dests
    named = rich.reader.named_destinations
    assert all(dest in named for dest in dests)


def test_source_urls_are_links_and_only_web_links(rich: Briefing) -> None:
    uris = {a["/A"]["/URI"] for a in annotations(rich) if "/A" in a and "/URI" in a["/A"]}
    expected = {s["url"] for s in rich.data["sources"] if "url" in s}
    assert {re.sub(r"%20", " ", uri) for uri in uris} >= {u.replace("%20", " ") for u in expected}
    assert all(uri.startswith(("http://", "https://")) for uri in uris)


def test_long_url_wraps_inside_the_page(rich: Briefing) -> None:
    long_url = next(s["url"] for s in rich.data["sources"] if s["id"] == "land-report")
    width = float(rich.reader.pages[0].mediabox.width)
    rects = [
        a["/Rect"]
        for a in annotations(rich)
        if a.get("/A", {}).get("/URI", "").startswith(long_url[:40])
    ]
    assert len(rects) > 1, "the long URL should break over several lines"
    assert all(0 <= float(x) <= width for rect in rects for x in rect[::2])


def test_only_bundled_fonts_are_embedded(rich: Briefing) -> None:
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in rich.reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts <= {
        "Brief-Serif",
        "Brief-Serif-Bold",
        "Brief-Serif-Italic",
        "Brief-Serif-Bold-Italic",
        "Brief-Sans",
        "Brief-Sans-Bold",
        "Brief-Math",
        "Brief-Symbols",
        "Brief-Serif-CJK",
        "Brief-Serif-CJK-Bold",
        "Brief-Sans-CJK",
        "Brief-Sans-CJK-Bold",
    }
    assert "Brief-Sans-CJK" in fonts


def test_files_read_are_the_bundled_fonts(rich: Briefing) -> None:
    assert rich.files_read == (
        "static/fonts/NotoSans-Bold.ttf",
        "static/fonts/NotoSans-Regular.ttf",
        "static/fonts/NotoSansMath-Regular.ttf",
        "static/fonts/NotoSansSymbols2-Regular.ttf",
        "static/fonts/NotoSerif-Bold.ttf",
        "static/fonts/NotoSerif-BoldItalic.ttf",
        "static/fonts/NotoSerif-Italic.ttf",
        "static/fonts/NotoSerif-Regular.ttf",
        "static/fonts/cjk/NotoSansCJKsc-Bold.otf",
        "static/fonts/cjk/NotoSansCJKsc-Regular.otf",
        "static/fonts/cjk/NotoSerifCJKsc-Bold.otf",
        "static/fonts/cjk/NotoSerifCJKsc-Regular.otf",
    )


def test_same_input_gives_identical_bytes(rich: Briefing) -> None:
    again = render_briefing(rich_data())
    assert again.pdf == rich.pdf


def test_no_attachments(rich: Briefing) -> None:
    assert dict(rich.reader.attachments) == {}


def test_table_header_repeats_on_every_page_of_a_long_table() -> None:
    data = rich_data()
    note = "A note " * 12
    data["key_facts"] = [
        {"label": f"Fact number {n}", "value": n, "note": note, "sources": ["land-report"]}
        for n in range(60)
    ]
    pages = render_briefing(data).page_texts()
    table_pages = [text for text in pages if "Fact number" in text]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert re.search(r"Fact\s+Value\s+Context\s+Sources", text)


HOSTILE = [
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% include 'x' %}",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
]


def test_hostile_text_is_literal_in_the_pdf() -> None:
    data = rich_data()
    every = " ".join(HOSTILE)
    data["title"] = f"{HOSTILE[0]} {HOSTILE[1]}"
    data["subtitle"] = HOSTILE[2]
    data["summary"] = f"{every} [@scmp-talks]"
    data["challenges"][0]["title"] = HOSTILE[4]
    data["challenges"][0]["body"] = every
    data["sections"][0]["body"] = every
    briefing = render_briefing(data)
    text = briefing.text()
    for value in HOSTILE:
        assert smart_quotes(value, "en") in text
    assert "49" not in re.sub(r"https?://\S+", "", text)
    assert briefing.reader.metadata.title == data["title"]
    uris = [a["/A"]["/URI"] for a in annotations(briefing) if "/URI" in a.get("/A", {})]
    assert not [u for u in uris if not u.startswith(("http://", "https://"))]
