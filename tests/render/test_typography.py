"""Typographic quotes per language, in Markdown and plain-text fields, read back from the
HTML briefing; code spans, link targets and the YAML source never touched."""

from __future__ import annotations

import lxml.html
import pytest

from generator.render.html import render_html
from generator.render.markdown import render_markdown
from generator.render.typography import NBSP, NNBSP, quotes_for, smart_quotes, typeset
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

#: language -> (the title as printed, the summary's quoted words as printed).
GOLDEN = {
    "en": ("The “plan” isn’t ‘final’", "“made here”"),
    "en-GB": ("The “plan” isn’t ‘final’", "“made here”"),
    "fr": (f"The «{NNBSP}plan{NNBSP}» isn’t “final”", f"«{NNBSP}made here{NNBSP}»"),
    "de": ("The „plan“ isn’t ‚final‘", "„made here“"),
    "es": ("The «plan» isn’t “final”", "«made here»"),
    "pt": ("The “plan” isn’t ‘final’", "“made here”"),
    "pt-PT": ("The «plan» isn’t “final”", "«made here»"),
    "zh-Hans": ("The “plan” isn’t ‘final’", "“made here”"),
    "zh-Hant": ("The 「plan」 isn’t 『final』", "「made here」"),
    "zh-HK": ("The 「plan」 isn’t 『final』", "「made here」"),
    "ja": ("The 「plan」 isn’t 『final』", "「made here」"),
    "ko": ("The “plan” isn’t ‘final’", "“made here”"),
    "nl-BE": ("The “plan” isn’t ‘final’", "“made here”"),
}


def briefing(language: str) -> lxml.html.HtmlElement:
    data = minimal_data()
    data["language"] = language
    data["title"] = """The "plan" isn't 'final'"""
    data["summary"] = (
        'Cells "made here" [@hk-ev-talks]. Run `say "hi" --now` and see'
        " [the plan](https://example.org/it's-here)."
    )
    html = render_html(make_sheet(data), "x", TEMPLATES).html
    return lxml.html.document_fromstring(html)


@pytest.mark.parametrize(("language", "expected"), GOLDEN.items(), ids=list(GOLDEN))
def test_quotes_follow_the_language_in_plain_text_and_markdown(language, expected) -> None:
    title, quoted = expected
    page = briefing(language)
    assert page.get("lang") == language
    assert page.findtext(".//h1") == title
    assert page.findtext(".//title") == title
    summary = page.get_element_by_id("summary").text_content()
    assert quoted in summary
    # A code span and a link target are never typeset; "--" and "(c)" are not rewritten.
    assert page.xpath('string(//section[@id="summary"]//code)') == 'say "hi" --now'
    assert page.xpath('//section[@id="summary"]//a/@href') == ["https://example.org/it's-here"]


def test_only_quotes_change_nothing_else_the_typographer_could_do() -> None:
    text = "(c) 2025 -- see +- 3... 'x'"
    assert smart_quotes(text, "en") == "(c) 2025 -- see +- 3... ‘x’"
    html = render_markdown(text, {}, language="en")
    assert html == "<p>(c) 2025 -- see +- 3... ‘x’</p>\n"


def test_plain_text_is_never_read_as_markdown() -> None:
    assert smart_quotes("*not* [a](link) `x` <b>'q'</b>", "en") == "*not* [a](link) `x` <b>‘q’</b>"


def test_french_spacing_inside_guillemets_and_before_high_punctuation() -> None:
    typed = "« Déjà » écrit ; vraiment ? Oui : à 12:30, https://exemple.fr/?q=1"
    assert smart_quotes(typed, "fr") == (
        f"«{NNBSP}Déjà{NNBSP}» écrit{NNBSP}; vraiment{NNBSP}? Oui{NBSP}: à 12:30,"
        " https://exemple.fr/?q=1"
    )
    assert smart_quotes(typed, "en") == typed


def test_an_unknown_language_gets_english_quotes_and_regions_their_language() -> None:
    assert quotes_for("xx") == quotes_for("en")
    assert quotes_for("de-AT") == quotes_for("de")
    assert quotes_for("zh-Hant-TW") == quotes_for("zh-Hant")


def test_typeset_changes_only_plain_text_fields_and_leaves_the_sheet_alone() -> None:
    data = minimal_data()
    data["title"] = "It's here"
    data["key_facts"][0]["note"] = "A `'code'` note [@hk-ev-talks]."
    data["sources"][0]["url"] = "https://news.example.org/it's"
    sheet = make_sheet(data)
    shown = typeset(sheet)
    assert shown.title == "It’s here" and sheet.title == "It's here"
    # Markdown is typeset when it is rendered (so its code spans stay), URLs never.
    assert shown.key_facts[0].note == data["key_facts"][0]["note"]
    assert shown.sources[0].url == data["sources"][0]["url"]
    assert typeset(make_sheet(minimal_data())) == make_sheet(minimal_data())


def test_quotes_beside_cjk_text_pair_up_though_cjk_has_no_spaces() -> None:
    assert smart_quotes('居民提出了"质疑"，项目', "zh-Hans") == "居民提出了“质疑”，项目"
    assert smart_quotes('トヨタは"電動車"を', "ja") == "トヨタは「電動車」を"
    assert smart_quotes('"현대"는 공장', "ko") == "“현대”는 공장"
    html = render_markdown('了"**质疑**"，`a"b"`', {}, language="zh-Hans")
    assert html == "<p>了“<strong>质疑</strong>”，<code>a&quot;b&quot;</code></p>\n"


def test_a_line_break_between_chinese_or_japanese_characters_prints_no_space() -> None:
    assert render_markdown("计划\n成为", {}) == "<p>计划成为</p>\n"
    assert render_markdown("計画と\nなった。\n次", {}, inline=True) == "計画となった。次"
    # Korean and Latin words are spaced: their line breaks stay.
    assert render_markdown("한국\n말", {}) == "<p>한국\n말</p>\n"
    assert render_markdown("计划\nplan", {}) == "<p>计划\nplan</p>\n"
