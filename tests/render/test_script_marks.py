"""Text in another script than the document's is marked with its language, in the HTML
(``lang``) and the DOCX (``w:lang``), told from the script or as the sheet states it."""

from __future__ import annotations

import datetime as dt
import io

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn

from generator.render.docx_writer import render_docx
from generator.render.html import render_html
from generator.render.script_marks import Run, han_language, mark_languages, runs
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data


@pytest.mark.parametrize(
    ("text", "language", "jurisdiction", "expected"),
    [
        ("현대자동차 그룹", "en", "", [("현대자동차 그룹", "ko")]),
        ("トヨタ自動車", "en", "", [("トヨタ自動車", "ja")]),
        ("一汽", "en", "Hong Kong SAR, China", [("一汽", "zh-Hant")]),
        ("一汽", "en", "Taiwan", [("一汽", "zh-Hant")]),
        ("一汽", "en", "Shanghai, China", [("一汽", "zh-Hans")]),
        ("一汽", "en", "Ohio, United States", [("一汽", "zh")]),
        ("宁德时代", "en", "Hong Kong SAR, China", [("宁德时代", "zh-Hans")]),
        ("中國第一汽車", "en", "", [("中國第一汽車", "zh-Hant")]),
        ("Αθήνα", "en", "", [("Αθήνα", "el")]),
        ("Київ", "en", "Ukraine", [("Київ", "uk")]),
        ("Москва", "en", "", [("Москва", "ru")]),
        ("トヨタ自動車", "ja", "", [("トヨタ自動車", None)]),
        ("宁德时代", "zh-Hans", "", [("宁德时代", None)]),
        ("현대", "ko", "", [("현대", None)]),
        ("Hyundai", "ko", "", [("Hyundai", None)]),
    ],
)
def test_the_language_of_a_run_is_told_from_its_script(text, language, jurisdiction, expected):
    assert [(r.text, r.lang) for r in runs(text, language, jurisdiction)] == expected


def test_runs_take_spaces_inside_and_leave_punctuation_at_their_ends() -> None:
    text = "Hyundai (현대자동차 그룹), Toyota (トヨタ自動車（株）), «Москва»."
    assert runs(text, "en") == [
        Run("Hyundai (", None),
        Run("현대자동차 그룹", "ko"),
        Run("), Toyota (", None),
        Run("トヨタ自動車（株", "ja"),
        Run("）), «", None),
        Run("Москва", "ru"),
        Run("».", None),
    ]
    assert "".join(r.text for r in runs(text, "en")) == text


def test_a_stated_name_decides_the_same_characters_elsewhere() -> None:
    names = (("本田技研工業株式会社", "ja"),)
    assert runs("本田技研工業", "en", "", names) == [Run("本田技研工業", "ja")]
    assert han_language("ko", "Tokyo, Japan") == "ja"


def test_the_page_is_marked_text_by_text_never_inside_attributes_or_the_title() -> None:
    html = (
        '<html lang="en"><head><title>현대</title><style>p{}</style></head>'
        '<body><p title="현대">A 현대 &amp; 기아 <span lang="ko">현대 本田</span></p></body></html>'
    )
    assert mark_languages(html, "en", "") == (
        '<html lang="en"><head><title>현대</title><style>p{}</style></head>'
        '<body><p title="현대">A <span lang="ko">현대</span> &amp; <span lang="ko">기아</span> '
        '<span lang="ko">현대 <span lang="zh">本田</span></span></p></body></html>'
    )


def sheet_with_names(**player: object) -> dict:
    data = minimal_data()
    data["format"] = 2
    data["summary"] = "Honda (本田技研工業) and LG에너지솔루션 [@hk-ev-talks]."
    base = {"kind": "automaker", "role": "Partner."}
    data["players"] = [
        {**base, "name": "Honda", "local_name": "本田技研工業株式会社", "local_name_lang": "ja"},
        {**base, "name": "LG Energy Solution", "local_name": "LG에너지솔루션"},
        {**base, "name": "Hellenic", "local_name": "Ελληνική Εταιρεία", **player},
    ]
    return data


def test_html_names_carry_lang_stated_or_told_from_the_script() -> None:
    page = render_html(make_sheet(sheet_with_names()), "x", TEMPLATES).html
    doc = lxml.html.document_fromstring(page)
    local = {e.text_content(): e.get("lang") for e in doc.find_class("local-name")}
    assert local == {
        "本田技研工業株式会社": "ja",
        "LG에너지솔루션": "ko",
        "Ελληνική Εταιρεία": "el",
    }
    summary = doc.get_element_by_id("summary")
    marked = {e.text_content(): e.get("lang") for e in summary.iter("span") if e.get("lang")}
    assert marked == {"本田技研工業": "ja", "에너지솔루션": "ko"}


def test_the_stated_language_wins_over_the_script() -> None:
    data = sheet_with_names(local_name_lang="grc")
    doc = lxml.html.document_fromstring(render_html(make_sheet(data), "x", TEMPLATES).html)
    assert [e.get("lang") for e in doc.find_class("local-name")][2] == "grc"


def test_docx_runs_carry_their_language() -> None:
    rendered = render_docx(make_sheet(sheet_with_names()), "x", TEMPLATES, sheet_sha="0" * 64)
    document = docx.Document(io.BytesIO(rendered.docx))
    langs = {}
    for table in document.tables:
        for row in table.rows:
            for run in (r for p in row.cells[0].paragraphs for r in p.runs):
                lang = run._r.rPr.find(qn("w:lang")) if run._r.rPr is not None else None
                if lang is not None:
                    langs[run.text] = lang.get(qn("w:eastAsia")) or lang.get(qn("w:val"))
    assert langs == {
        "本田技研工業株式会社": "ja-JP",
        "LG에너지솔루션": "ko-KR",
        "Ελληνική Εταιρεία": "el-GR",
    }


def test_the_index_marks_titles_in_another_script() -> None:
    from generator.render.html import IndexEntry, render_index

    entry = IndexEntry(
        "hmgma",
        "현대자동차그룹 메타플랜트",
        "미국 조지아주",
        "operating",
        "draft",
        dt.date(2025, 6, 30),
        "hmgma.html",
        None,
    )
    doc = lxml.html.document_fromstring(render_index([entry], TEMPLATES))
    assert {e.text_content(): e.get("lang") for e in doc.iter("span") if e.get("lang")} == {
        "현대자동차그룹 메타플랜트": "ko",
        "미국 조지아주": "ko",
    }
