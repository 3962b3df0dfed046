"""``brief review``: tracked changes and comments of a returned DOCX, field by field, and
``--apply`` writing the plain-text ones back into their scalars and nothing else.

The DOCX files are built as brief's DOCX writer builds them (tests/support/review_docx.py)
and edited the way Word edits them: ``w:ins``, ``w:del`` with ``w:delText``, comments,
runs split into many, moves, edits with tracking off.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.authoring import review_docx
from generator.errors import GeneratorError
from generator.factsheet import load
from tests.support.cli import REPO
from tests.support.review_docx import SampleDocx

HK = "hong-kong-ev-assembly"
HK_SHEET = f"briefs/{HK}.yaml"

STYLES = """\
# A sheet for review tests: comments and layout must survive --apply.
format: 1
title: 'Test initiative: the ''plant'''
jurisdiction: "Testland"
as_of: "2026-01-20"
status: final
authors: [Analyst]
summary: Bottom line [@src-a].
initiative:
  name: Assembly plant   # the working name
  stage: talks
  locations:
    - North district
key_facts:
  - label: Jobs
    value: 100
    sources: [src-a]
  - label: Capacity use
    value: About half
    sources: [src-a]
challenges:
  - category: land_cost
    title: Land is dear
    severity: high
    body: Industrial land is costly [@src-a].
    mitigations: >-
      Leasing public land at a discount could lower the cost of a site for the
      first plant.

sections:
  - heading: Outlook
    body: |
      Talks may take a year.
sources:
  - id: src-a
    title: Source A
    publisher: Publisher
"""


@pytest.fixture
def hk(project: Path) -> Path:
    """The Hong Kong fact sheet in a fresh project."""
    target = project / HK_SHEET
    shutil.copy(REPO / HK_SHEET, target)
    return target


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the file holding ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def run_review(sheet: Path, docx: Path, *, apply: bool = False):
    return review_docx(sheet, f"briefs/{sheet.name}", docx, docx.name, apply=apply)


def test_a_tracked_replacement_is_reported_at_its_field_and_changes_nothing(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[6].value", "About half", "About 50 %")
    sample.save(project / "returned.docx")
    before = hk.read_bytes()
    done = run_brief("review", HK_SHEET, "returned.docx")
    assert done.returncode == 0, done.stderr
    line = line_of(hk, "value: About half")
    assert done.stdout.splitlines() == [
        f'{HK_SHEET}:{line}:18: key_facts[6].value: "About half" → "About 50 %"'
        " (tracked change by Jane Doe, 2026-12-02); can be applied with --apply",
        "returned.docx: 1 change: 1 can be applied with --apply",
    ]
    assert hk.read_bytes() == before


def test_apply_changes_only_the_bytes_of_the_edited_scalars(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[6].value", "About half", "About 50 %")
    sample.track("key_facts[1].value", " (state-owned)", "")
    sample.track("key_facts[2].value", "", " (Northern Metropolis)", after="border")
    sample.save(project / "returned.docx")
    before = hk.read_text(encoding="utf-8")
    done = run_brief("review", HK_SHEET, "returned.docx", "--apply")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (f"returned.docx: 3 changes: 3 applied to {HK_SHEET}")
    expected = (
        before.replace("value: About half", "value: About 50 %")
        .replace("FAW Group (state-owned), among", "FAW Group, among")
        .replace("mainland border\n", "mainland border (Northern Metropolis)\n")
    )
    assert hk.read_text(encoding="utf-8") == expected
    facts = load(hk, HK_SHEET).sheet.key_facts
    assert facts[6].value == "About 50 %"
    assert facts[2].value == "New Territories, next to the mainland border (Northern Metropolis)"
    # Reviewed again, the sheet already holds every change: nothing is left to apply.
    again = run_brief("review", HK_SHEET, "returned.docx")
    assert "3 already in the sheet" in again.stdout.splitlines()[-1]
    assert "changed since returned.docx was written" in again.stderr


def test_runs_split_and_renamed_by_word_read_the_same(hk: Path, tmp_path: Path) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[2].value", "border", "boundary")
    sample.split_runs("key_facts[2].value", size=1)
    sample.split_runs("summary", size=3)
    result = run_review(hk, sample.save(tmp_path / "split.docx"))
    [change] = result.findings
    assert (change.path, change.old, change.new, change.status) == (
        "key_facts[2].value",
        "New Territories, next to the mainland border",
        "New Territories, next to the mainland boundary",
        "applicable",
    )


def test_comments_are_reported_against_their_field_for_a_person(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.comment("key_facts[6].value", "About half", "Which year is this?")
    sample.comment("summary", "Bottom line", "Is this confirmed?\nPlease check.")
    sample.save(project / "returned.docx")
    before = hk.read_bytes()
    done = run_brief("review", HK_SHEET, "returned.docx", "--apply")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    summary_at = line_of(hk, "summary: |")
    assert lines[0].startswith(f"{HK_SHEET}:{summary_at}:10: summary: comment by Li Wei, ")
    assert lines[0].endswith(
        ': "Is this confirmed?\\nPlease check."; needs a person: a comment is for a person'
        " to answer"
    )
    assert "key_facts[6].value: comment by Li Wei" in lines[1]
    assert '"Which year is this?"' in lines[1]
    assert lines[-1] == "returned.docx: 2 comments: 2 need a person"
    assert hk.read_bytes() == before


def test_json_lists_every_finding_with_its_status(hk: Path, project: Path, run_brief) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[6].value", "About half", "About 50 %", author="Ann Lee")
    sample.track("summary", "early", "at an early stage")
    sample.comment("summary", "Bottom line", "Source?")
    sample.save(project / "returned.docx")
    done = run_brief("review", HK_SHEET, "returned.docx", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["brief_id"], document["sheet_changed"], document["applied"]) == (
        HK,
        False,
        False,
    )
    by_kind = {(f["kind"], f["path"]): f for f in document["findings"]}
    fact = by_kind[("change", "key_facts[6].value")]
    assert (fact["old"], fact["new"], fact["status"], fact["tracked"]) == (
        "About half",
        "About 50 %",
        "applicable",
        True,
    )
    assert fact["revisions"] == [{"author": "Ann Lee", "date": "2026-12-02"}]
    assert fact["edits"] == [
        {"kind": "delete", "text": "About half", "author": "Ann Lee", "date": "2026-12-02"},
        {"kind": "insert", "text": "About 50 %", "author": "Ann Lee", "date": "2026-12-02"},
    ]
    assert fact["line"] == line_of(hk, "value: About half")
    summary = by_kind[("change", "summary")]
    assert summary["status"] == "needs-person"
    assert summary["reason"] == "a Markdown field with formatting or citations"
    assert "The talks are at an early stage: no site" in summary["new"]
    assert by_kind[("comment", "summary")]["comment"]["text"] == "Source?"


def test_formatted_markdown_moves_and_text_outside_fields_need_a_person(
    hk: Path, tmp_path: Path
) -> None:
    sample = SampleDocx(hk)
    sample.track("summary", "early", "at an early stage")
    sample.move("key_facts[4].value", "Final assembly and ")
    sample.track_label(0, "Headline ")
    before = hk.read_bytes()
    result = run_review(hk, sample.save(tmp_path / "r.docx"), apply=True)
    reasons = {f.path: (f.status, f.reason) for f in result.findings}
    assert reasons == {
        "summary": ("needs-person", "a Markdown field with formatting or citations"),
        "key_facts[4].value": ("needs-person", "text was moved; place it by hand"),
        "": ("needs-person", "the change is outside every fact-sheet field"),
    }
    assert hk.read_bytes() == before


def test_an_edit_made_without_tracking_is_found_by_comparing_with_the_sheet(
    hk: Path, tmp_path: Path
) -> None:
    sample = SampleDocx(hk)
    sample.edit("key_facts[7].value", "May 2025", "20 May 2025")
    [change] = run_review(hk, sample.save(tmp_path / "r.docx")).findings
    assert (change.old, change.new, change.revisions, change.status) == (
        "May 2025",
        "20 May 2025",
        [],
        "applicable",
    )


def test_a_sheet_changed_since_the_docx_warns_and_conflicting_fields_stay(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[6].value", "About half", "About 50 %")
    sample.track("key_facts[7].value", "May", "20 May")
    sample.save(project / "returned.docx")
    # Meanwhile the analyst rewrote one of the two fields.
    edited = hk.read_text(encoding="utf-8").replace("value: About half", "value: Roughly half")
    hk.write_text(edited, encoding="utf-8")
    done = run_brief("review", HK_SHEET, "returned.docx", "--apply")
    assert done.returncode == 0, done.stderr
    assert f"warning: {HK_SHEET} changed since returned.docx was written" in done.stderr
    lines = done.stdout.splitlines()
    assert any(
        "key_facts[6].value" in line
        and line.endswith(
            "conflict, needs a person: the field's text in the sheet changed"
            " since the DOCX was written"
        )
        for line in lines
    )
    text = hk.read_text(encoding="utf-8")
    assert "value: Roughly half" in text and "value: 20 May 2025" in text


def test_apply_keeps_each_scalar_style_and_every_comment(write_brief, tmp_path: Path) -> None:
    sheet = write_brief("styles", STYLES)
    sample = SampleDocx(sheet)
    sample.track("title", "plant", "factory")
    sample.track("jurisdiction", "Testland", "Test Land")
    sample.track("initiative.name", "Assembly", "Final assembly")
    sample.track("initiative.locations[0]", "North", "Northern")
    sample.track("key_facts[1].value", "About half", "Half: about 50 %")
    sample.track("challenges[0].mitigations", "a discount", "a deep discount")
    sample.track("sections[0].body", "a year", "two years")
    result = run_review(sheet, sample.save(tmp_path / "r.docx"), apply=True)
    assert {f.path: f.status for f in result.findings} == dict.fromkeys(
        [
            "title",
            "jurisdiction",
            "initiative.name",
            "initiative.locations[0]",
            "key_facts[1].value",
            "challenges[0].mitigations",
            "sections[0].body",
        ],
        "applied",
    )
    assert sheet.read_text(encoding="utf-8") == (
        STYLES.replace("the ''plant''", "the ''factory''")
        .replace('"Testland"', '"Test Land"')
        .replace("name: Assembly plant   #", "name: Final assembly plant   #")
        .replace("- North district", "- Northern district")
        .replace("value: About half", 'value: "Half: about 50 %"')
        .replace(
            "at a discount could lower the cost of a site for the\n      first plant.",
            "at a deep discount could lower the cost of a site for the\n      first plant.",
        )
        .replace("take a year.", "take two years.")
    )
    loaded = load(sheet, "briefs/styles.yaml").sheet
    assert loaded.challenges[0].mitigations == (
        "Leasing public land at a deep discount could lower the cost of a site for the first plant."
    )
    assert loaded.sections[0].body == "Talks may take two years.\n"


def test_apply_keeps_crlf_line_endings(write_brief, tmp_path: Path) -> None:
    sheet = write_brief("crlf")
    sheet.write_bytes(STYLES.replace("\n", "\r\n").encode("utf-8"))
    sample = SampleDocx(sheet)
    sample.track("key_facts[1].value", "half", "a half")
    run_review(sheet, sample.save(tmp_path / "r.docx"), apply=True)
    assert sheet.read_bytes() == (
        STYLES.replace("About half", "About a half").replace("\n", "\r\n").encode("utf-8")
    )


def test_a_change_that_would_break_the_sheet_is_refused_and_the_rest_applied(
    write_brief, tmp_path: Path
) -> None:
    sheet = write_brief("styles", STYLES)
    sample = SampleDocx(sheet)
    sample.track("initiative.name", "Assembly plant", "")
    sample.track("key_facts[1].value", "About half", "Half")
    result = run_review(sheet, sample.save(tmp_path / "r.docx"), apply=True)
    outcome = {f.path: (f.status, f.reason) for f in result.findings}
    assert outcome["key_facts[1].value"] == ("applied", "")
    status, reason = outcome["initiative.name"]
    assert status == "needs-person"
    assert reason.startswith("the sheet would not pass its check: briefs/styles.yaml:10:9:")
    assert sheet.read_text(encoding="utf-8") == STYLES.replace("About half", "Half")


def test_a_docx_for_another_sheet_or_not_made_by_brief_is_a_clear_error(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.properties["brief-id"] = "another-brief"
    sample.save(project / "other.docx")
    plain = SampleDocx(hk, properties={})
    plain.save(project / "plain.docx")
    done = run_brief("review", HK_SHEET, "other.docx")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: other.docx: a document for another fact sheet: it was written for"
        f" 'another-brief', not '{HK}'"
    )
    done = run_brief("review", HK, "plain.docx")
    assert done.returncode == 1
    assert "plain.docx: not made by brief: it has no brief-id" in done.stderr
    assert "Traceback" not in done.stderr
    newer = SampleDocx(hk)
    newer.properties["brief-docx-format"] = "2\u202e"
    newer.save(project / "newer.docx")
    done = run_brief("review", HK, "newer.docx")
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "Error: newer.docx: written in brief's DOCX format '2?'; this version reads format 1",
    )


def test_a_sheet_that_does_not_load_is_reported_before_the_docx(hk: Path, tmp_path: Path) -> None:
    docx = SampleDocx(hk).save(tmp_path / "r.docx")
    hk.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as caught:
        run_review(hk, docx)
    assert caught.value.diagnostics[0].file == HK_SHEET


def test_the_sheet_sha_the_docx_records_is_the_sheets(hk: Path, tmp_path: Path) -> None:
    sample = SampleDocx(hk)
    assert sample.properties["brief-sheet-sha256"] == hashlib.sha256(hk.read_bytes()).hexdigest()
    assert run_review(hk, sample.save(tmp_path / "r.docx")).sheet_changed is False


LIBREOFFICE_LIST = """\
<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:p><w:bookmarkStart w:id="64" w:name="bf_challenges_0__mitigations"/>
<w:r><w:t>Options to explore:</w:t></w:r></w:p>
<w:p><w:r><w:t>Establish a site.</w:t></w:r></w:p>
<w:p><w:bookmarkStart w:id="65" w:name="bf_challenges_0__mitigations"/>
<w:r><w:t>Size the site.</w:t></w:r><w:bookmarkEnd w:id="65"/></w:p>
<w:p><w:r><w:t>Sources: [1]</w:t></w:r></w:p>
</w:body>"""


def test_a_bookmark_libreoffice_starts_twice_over_a_list_is_one_field() -> None:
    """What LibreOffice writes for a bookmark over list paragraphs: a second start in
    the last paragraph, and an end for that one only."""
    from lxml import etree

    from generator.authoring import review_fields

    walked = review_fields.walk(etree.fromstring(LIBREOFFICE_LIST))
    assert walked.repeated == []
    assert {p: f.original for p, f in walked.fields.items()} == {
        "challenges[0].mitigations": "Options to explore:\nEstablish a site.\nSize the site."
    }


W_BODY = (
    '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}</w:body>'
)


def walk_fields(xml: str) -> dict[str, tuple[str, str]]:
    from lxml import etree

    from generator.authoring import review_fields

    walked = review_fields.walk(etree.fromstring(W_BODY.format(xml)))
    return {p: (f.original, f.proposed) for p, f in walked.fields.items()}


def test_a_deleted_paragraph_mark_joins_paragraphs_and_retyped_text_is_in_neither() -> None:
    xml = (
        '<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A" w:date="2026-12-02T00:00:00Z"/>'
        '</w:rPr></w:pPr><w:bookmarkStart w:id="9" w:name="bf_sections_0__body"/>'
        "<w:r><w:t>One.</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve"> Two</w:t></w:r><w:r><w:tab/></w:r>'
        '<w:ins w:id="2" w:author="A"><w:del w:id="3" w:author="B"><w:r>'
        "<w:delText>typo</w:delText></w:r></w:del></w:ins>"
        '<w:r><w:t>end</w:t></w:r><w:bookmarkEnd w:id="9"/></w:p>'
    )
    assert walk_fields(xml) == {"sections[0].body": ("One.\n Two\tend", "One. Two\tend")}


def test_bookmarks_that_are_not_fields_are_ignored() -> None:
    xml = (
        '<w:p><w:bookmarkStart w:id="1" w:name="_GoBack"/><w:bookmarkStart w:id="2"'
        ' w:name="bf_title"/><w:r><w:t>Title</w:t></w:r><w:bookmarkEnd w:id="2"/>'
        '<w:bookmarkEnd w:id="1"/><w:r><w:t> after</w:t></w:r></w:p>'
    )
    assert walk_fields(xml) == {"title": ("Title", "Title")}


def test_names_and_words_from_the_document_cannot_act_on_a_terminal(
    hk: Path, project: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[6].value", "About half", "About\x9b2J half", author="Eve\u202e")
    sample.save(project / "returned.docx")
    done = run_brief("review", HK_SHEET, "returned.docx")
    assert done.returncode == 0, done.stderr
    # XML keeps C0 controls out of a DOCX; C1 controls (\x9b is a terminal's CSI) and
    # direction overrides can be in one.
    assert "\x9b" not in done.stdout and "\u202e" not in done.stdout
    assert (
        '"About\\u009b2J half" (tracked change by Eve\\u202e, 2026-12-02); needs a person:'
        " the new text holds control or direction characters" in done.stdout
    )


def test_a_number_field_and_a_missing_docx(write_brief, project: Path, run_brief) -> None:
    sheet = write_brief("styles", STYLES)
    sample = SampleDocx(sheet)
    sample.track("key_facts[0].value", "100", "120")
    sample.save(project / "returned.docx")
    done = run_brief("review", "briefs/styles.yaml", "returned.docx", "--apply")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        'briefs/styles.yaml:16:12: key_facts[0].value: "100" → "120" (tracked change by'
        " Jane Doe, 2026-12-02); needs a person: the field is not text in the sheet (a number"
        " or a date)"
    )
    assert sheet.read_text(encoding="utf-8") == STYLES
    missing = run_brief("review", "briefs/styles.yaml", "nowhere.docx")
    assert missing.returncode == 2
    assert "nowhere.docx" in missing.stderr


def test_the_sheet_is_named_as_other_commands_name_it_in_the_project(
    hk: Path, project: Path, tmp_path: Path, run_brief
) -> None:
    sample = SampleDocx(hk)
    sample.track("key_facts[7].value", "May", "20 May")
    docx = sample.save(tmp_path / "returned.docx")
    done = run_brief("-C", str(project), "review", f"{HK}.yaml", str(docx), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{HK_SHEET}:{line_of(hk, 'value: May 2025')}:12: ")


def test_a_docx_that_lost_its_bookmarks_says_so(hk: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    sample = SampleDocx(hk)
    body = sample.document.element.body
    for mark in [*body.iter(qn("w:bookmarkStart")), *body.iter(qn("w:bookmarkEnd"))]:
        mark.getparent().remove(mark)
    sample.track_label(0, "New words ")
    result = run_review(hk, sample.save(tmp_path / "r.docx"))
    assert result.warnings == [
        "r.docx holds no field bookmarks: nothing in it can be traced to a field"
    ]
    [stray] = result.findings
    assert (stray.path, stray.new, stray.status) == ("", "New words ", "needs-person")


def test_text_typed_at_the_edge_of_a_field_bookmark_is_the_fields(hk: Path, tmp_path: Path) -> None:
    """Word leaves text typed at a bookmark's end outside the bookmark."""
    sample = SampleDocx(hk)
    sample.track_at_edge("key_facts[6].value", " (2025)")
    sample.track_at_edge("key_facts[7].value", "Mid-", end=False)
    result = run_review(hk, sample.save(tmp_path / "r.docx"), apply=True)
    assert {(f.path, f.old, f.new, f.status) for f in result.findings} == {
        ("key_facts[6].value", "About half", "About half (2025)", "applied"),
        ("key_facts[7].value", "May 2025", "Mid-May 2025", "applied"),
    }
