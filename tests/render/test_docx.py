"""The DOCX briefing, opened with python-docx: styles, tables, links, fields, properties.

Every check reads the document Word would read; nothing here looks at how it was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.errors import TemplateError
from generator.render import bookmark_name, build_view, language_for, plain_text, render_docx
from generator.render.markdown import is_safe_link
from tests.support.docx_read import bookmarked_text, custom_properties
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data, rich_data

SHA = "ab" * 32


def render(data: dict[str, Any], templates: Path = TEMPLATES, brief_id: str = "rich") -> bytes:
    return render_docx(make_sheet(data), brief_id, templates, sheet_sha=SHA).docx


def open_bytes(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def rich_bytes() -> bytes:
    return render(rich_data())


@pytest.fixture(scope="module")
def rich(rich_bytes: bytes) -> Any:
    return open_bytes(rich_bytes)


def styled(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_title_and_headings_use_named_styles_in_the_views_order(rich):
    sheet = make_sheet(rich_data())
    view = build_view(sheet, "rich", language=language_for(sheet.language, TEMPLATES))
    assert styled(rich, "Title") == [view.title_block.title]
    assert styled(rich, "Subtitle") == [view.title_block.subtitle]
    assert styled(rich, "Heading 1") == [entry.heading for entry in view.contents]
    assert styled(rich, "Heading 2") == [g.label for g in view.challenge_groups] + ["What to watch"]
    titles = [c.title for g in view.challenge_groups for c in g.challenges]
    assert styled(rich, "Heading 3") == titles
    # Outline levels come from Word's own heading styles: the navigation pane shows them.
    heading = rich.styles["Heading 1"].element
    assert heading.pPr.find(qn("w:outlineLvl")) is not None


def test_contents_is_a_toc_field_listing_the_sections_as_links(rich):
    body = rich.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-3"') for i in instructions)
    entries = [p for p in rich.paragraphs if p.style.name == "toc 1"]
    view = build_view(make_sheet(rich_data()), "rich")
    assert [p.text for p in entries] == [e.heading for e in view.contents]
    anchors = [link.get(qn("w:anchor")) for p in entries for link in p._p.iter(qn("w:hyperlink"))]
    assert set(anchors) <= set(bookmarked_text(rich))
    settings = rich.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_tables_are_word_tables_with_a_repeated_header_row(rich):
    view = build_view(make_sheet(rich_data()), "rich")
    by_header = {tuple(c.text for c in t.rows[0].cells): t for t in rich.tables}
    facts = by_header[("Fact", "Value", "Context", "Sources")]
    assert len(facts.rows) == len(view.key_facts) + 1
    assert [r.cells[0].text for r in facts.rows[1:]] == [f.label for f in view.key_facts]
    assert [r.cells[1].text for r in facts.rows[1:]] == [f.value for f in view.key_facts]
    players = by_header[("Name", "Type", "Role")]
    timeline = by_header[("Date", "Event")]
    assert len(timeline.rows) == len(view.timeline) + 1
    for table in (facts, players, timeline):
        assert table.style.name == "Brief Table"
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
        # Rows are kept whole on a page, as in the PDF.
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


def test_every_citation_links_to_its_source_entry(rich):
    view = build_view(make_sheet(rich_data()), "rich")
    marks = bookmarked_text(rich)
    for source in view.sources:
        assert marks[f"source_{source.number}"].startswith(f"{source.number}.\t")
    links = [
        link.get(qn("w:anchor"))
        for link in rich.element.body.iter(qn("w:hyperlink"))
        if (link.get(qn("w:anchor")) or "").startswith("source_")
    ]
    assert links and set(links) <= set(marks)
    # Each cited number appears as the text of a link to its own entry.
    for link in rich.element.body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor")) or ""
        if anchor.startswith("source_"):
            shown = "".join(t.text for t in link.iter(qn("w:t")))
            assert shown == anchor.removeprefix("source_")


def test_urls_are_external_hyperlinks(rich):
    view = build_view(make_sheet(rich_data()), "rich")
    rels = rich.part.rels
    targets = [
        rels[link.get(qn("r:id"))].target_ref
        for link in rich.element.body.iter(qn("w:hyperlink"))
        if link.get(qn("r:id"))
    ]
    urls = [s.url for s in view.sources if s.url]
    assert urls and set(urls) <= set(targets)
    assert all(is_safe_link(t) for t in targets)


def test_document_properties_carry_the_sheets_metadata(rich):
    sheet = make_sheet(rich_data())
    core = rich.core_properties
    assert core.title == sheet.title
    assert core.author == "Mei Ling Chan; Daniel Okafor"
    assert core.subject == sheet.subtitle
    assert core.keywords == "ev, hong-kong, manufacturing"
    assert core.language == "en-GB"
    midnight = dt.datetime.combine(sheet.as_of, dt.time(), tzinfo=dt.UTC)
    assert core.created == core.modified == midnight
    assert core.last_printed is None
    assert custom_properties(rich) == {
        "brief-id": "rich",
        "brief-sheet-sha256": SHA,
        "brief-docx-format": "1",
        "brief-generator": "brief 0.1.0",
        "brief-edition": "only",
    }


def test_every_field_is_enclosed_in_its_bookmark_with_only_its_own_text(rich):
    data = rich_data()
    marks = bookmarked_text(rich)
    assert marks[bookmark_name("title")] == data["title"]
    assert marks[bookmark_name("initiative.locations[1]")] == data["initiative"]["locations"][1]
    for i, fact in enumerate(data["key_facts"]):
        assert marks[bookmark_name(f"key_facts[{i}].label")] == fact["label"]
        # Only a text value is the field's own text; a number is shown formatted.
        assert (bookmark_name(f"key_facts[{i}].value") in marks) == isinstance(fact["value"], str)
    for i, event in enumerate(data["timeline"]):
        # The index is the YAML list's, though the timeline is shown sorted by date.
        shown = marks[bookmark_name(f"timeline[{i}].event")]
        assert _without_citations(shown) == plain_text(event["event"])
    for i, source in enumerate(data["sources"]):
        # The full stop the template adds after a title is outside the bookmark.
        assert marks[bookmark_name(f"sources[{i}].title")] == source["title"]
        assert marks[bookmark_name(f"sources[{i}].publisher")] == source["publisher"]
    for i, player in enumerate(data["players"]):
        assert marks[bookmark_name(f"players[{i}].name")] == player["name"]
    for i, challenge in enumerate(data["challenges"]):
        assert marks[bookmark_name(f"challenges[{i}].title")] == challenge["title"]
        assert (bookmark_name(f"challenges[{i}].mitigations") in marks) == bool(
            challenge.get("mitigations")
        )
    # A Markdown field spans its paragraphs: heading and list items included.
    outlook = marks[bookmark_name("sections[0].body")]
    assert outlook.startswith("Expect a memorandum of understanding")
    assert outlook.endswith("Land grant terms for the Northern Metropolis")


def _without_citations(shown: str) -> str:
    """A field's text as shown, its citation numbers (``[1, 3]``) taken out."""
    import re

    return re.sub(r"\s*\[[0-9, ]+\]", "", shown)


def test_bookmark_start_and_end_sit_right_around_the_fields_runs(rich):
    body = rich.element.body
    starts = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    start = starts[bookmark_name("players[0].local_name")]
    assert start.getnext().tag == qn("w:r")
    assert start.getprevious().tag == qn("w:r")  # the space after the name: outside it
    ids = {b.get(qn("w:id")) for b in starts.values()}
    ends = {b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkEnd"))}
    assert ids == ends and len(ids) == len(starts)


def test_markdown_becomes_word_formatting(rich):
    summary = next(p for p in rich.paragraphs if p.text.startswith("Hong Kong is in"))
    bold = [r.text for r in summary.runs if r.bold]
    assert bold == ["serious talks"]
    bullets = styled(rich, "List Bullet")
    assert bullets == ["Whether FAW names a site", "Land grant terms for the Northern Metropolis"]
    numbered = [p for p in rich.paragraphs if p.style.name == "List Number"]
    assert [p.text.split(" [")[0] for p in numbered] == [
        "Press for export-market commitments before offering land.",
        "Tie any subsidy to local employment targets",
    ]


def test_each_numbered_list_starts_again_at_one():
    data = minimal_data()
    data["sections"] = [
        {"heading": "First", "body": "1. a\n2. b"},
        {"heading": "Second", "body": "3. c\n4. d\n\nText.\n\n1. e"},
    ]
    document = open_bytes(render(data))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3] != num_ids[4]
    numbering = document.part.numbering_part.element
    starts = [
        numbering.num_having_numId(n).lvlOverride_lst[0].startOverride.val
        for n in dict.fromkeys(num_ids)
    ]
    assert starts == [1, 3, 1]


def test_markdown_tables_links_and_code_in_a_field():
    data = minimal_data()
    table = "| Year | Units |\n|---|---|\n| 2025 | 10 |"
    body = f"{table}\n\nSee [the plan](https://example.org/plan) and `code`."
    data["sections"] = [{"heading": "Data", "body": body}]
    document = open_bytes(render(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Year")
    assert [c.text for c in table.rows[1].cells] == ["2025", "10"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://example.org/plan" in targets
    code = [r for p in document.paragraphs for r in p.runs if r.text == "code"]
    assert code and code[0].style.name == "Code"


def test_east_asian_text_carries_its_font_and_language(rich):
    runs = [
        r
        for p in rich.tables
        for row in p.rows
        for c in row.cells
        for para in c.paragraphs
        for r in para.runs
        if "宁德时代" in r.text
    ]
    assert runs
    r_pr = runs[0]._r.rPr
    assert r_pr.rFonts.get(qn("w:eastAsia"))
    assert r_pr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    latin = [r for p in rich.paragraphs if p.style.name == "Title" for r in p.runs]
    assert latin[0]._r.rPr is None or latin[0]._r.rPr.find(qn("w:lang")) is None


def test_running_head_page_fields_and_status_mark_are_in_header_and_footer(rich):
    section = rich.sections[0]
    head = section.header.paragraphs[0].text
    view = build_view(make_sheet(rich_data()), "rich")
    assert head == f"{view.title_block.short_title} · {view.title_block.short_jurisdiction}\tDRAFT"
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Facts as of 20 January 2026\tPage ")
    final = minimal_data() | {"status": "final"}
    header = open_bytes(render(final)).sections[0].header.paragraphs[0].text
    assert header == "Minimal brief · Testland\t"


def test_same_sheet_gives_the_same_bytes_with_fixed_zip_times(rich_bytes):
    assert render(rich_data()) == rich_bytes
    with zipfile.ZipFile(io.BytesIO(rich_bytes)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        everything = b"".join(archive.read(i) for i in archive.infolist())
    assert str(Path.home()).encode() not in everything
    assert str(TEMPLATES).encode() not in everything
    assert b"thumbnail" not in everything


def test_shipped_reference_is_what_the_script_makes(tmp_path):
    from generator.render import make_reference_docx

    made = tmp_path / "reference.docx"
    make_reference_docx(made)
    shipped = (TEMPLATES / "reference.docx").read_bytes()
    assert hashlib.sha256(made.read_bytes()).hexdigest() == hashlib.sha256(shipped).hexdigest()


def test_an_edited_reference_supplies_the_styles_and_lacking_ones_are_added(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    plain = docx.Document()
    plain.styles["Normal"].font.name = "Edited Face"
    plain.save(templates / "reference.docx")
    document = open_bytes(render(rich_data(), templates))
    assert document.styles["Normal"].font.name == "Edited Face"
    assert document.styles["Citation"].type is not None
    assert styled(document, "Title") == [rich_data()["title"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "not found"), (b"not a zip", "is not a Word document")],
)
def test_missing_or_broken_reference_is_a_located_template_error(tmp_path, content, message):
    templates = tmp_path / "templates"
    templates.mkdir()
    if content is not None:
        (templates / "reference.docx").write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        render(minimal_data(), templates)
    assert str(caught.value).startswith("templates/reference.docx: ")
    assert message in str(caught.value)


def test_characters_xml_cannot_hold_are_shown_not_fatal():
    data = minimal_data() | {"title": "Bad \x01 byte"}
    marks = bookmarked_text(open_bytes(render(data)))
    assert marks[bookmark_name("title")] == "Bad \ufffd byte"


def test_long_texts_are_shortened_in_the_properties_only():
    title = " ".join(["Very long title"] * 40)
    document = open_bytes(render(minimal_data() | {"title": title}))
    assert len(document.core_properties.title) <= 255
    assert document.core_properties.title.endswith("…")
    assert bookmarked_text(document)[bookmark_name("title")] == title


def test_hostile_markdown_stays_text_and_links_only_to_the_web_or_mail():
    data = minimal_data()
    body = (
        "[run](javascript:alert(1)) [file](file:///etc/passwd) [near](../secret.docm) "
        "[mail](mailto:desk@example.org) <b>raw</b> ![pic](https://example.org/x.png)"
    )
    data["sections"] = [{"heading": "Hostile", "body": body}]
    document = open_bytes(render(data))
    targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert targets == ["mailto:desk@example.org"]
    shown = bookmarked_text(document)[bookmark_name("sections[0].body")]
    assert "run" in shown and "<b>raw</b>" in shown and "pic" in shown
    assert "javascript" in shown  # an unsafe link is shown as the text it was written as


def test_a_reference_naming_built_in_styles_as_libreoffice_does_works(tmp_path):
    # LibreOffice saves Word's "heading 1" as "Heading 1", a name python-docx's lookup misses.
    templates = tmp_path / "templates"
    templates.mkdir()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(TEMPLATES / "reference.docx") as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b'w:val="heading ', b'w:val="Heading ')
            target.writestr(info, data)
    (templates / "reference.docx").write_bytes(out.getvalue())
    document = open_bytes(render(rich_data(), templates))
    view = build_view(make_sheet(rich_data()), "rich")
    assert styled(document, "Heading 1") == [entry.heading for entry in view.contents]
