"""The last line of a paragraph is never the tail of a hyphenated word: in the PDF by
WeasyPrint's wrapped line breaker (generator/render/last_line_breaks.py), in the browser
HTML by the tail marks (generator/render/last_lines.py). Checked through the PDF's word
boxes (``pdftotext -bbox``): paragraphs built to end in a long word that hyphenates, the
word moved along the line a word at a time, in a section, a list and a challenge card
(three widths), in English, French and German. The same sheets rendered with
WeasyPrint's own line breaker do hyphenate some of those words, so the check can fail.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path

import pytest

from generator.factsheet.model import FactSheet
from generator.render import last_line_breaks
from generator.render.html import render_html
from generator.render.last_lines import LINE_EMS, TAIL_CLASS, keep_last_lines
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES, Briefing, render_briefing, rich_data

FONTS = TEMPLATES / "static" / "fonts"
#: A long word of each language that its dictionary hyphenates, and words too short to.
LONG = {"en": "internationalization", "fr": "internationalisation", "de": "Versicherungsanstalten"}
FILLER = {
    "en": ["the", "plan", "and", "its", "cost", "may", "rise"],
    "fr": ["le", "plan", "et", "son", "coût", "peut", "monter"],
    "de": ["der", "Plan", "und", "die", "Kosten", "noch"],
}
#: Paragraphs per container: the long word's start moves a word further each time.
SWEEP = 16
#: An element that took the tail's class.
MARKED = re.compile(rf'class="(?:[^"]* )?{TAIL_CLASS}[ "]')
WORD = re.compile(r"<word [^>]*>([^<]+)</word>")


def paragraphs(language: str) -> list[str]:
    words = FILLER[language]
    return [
        " ".join(words[i % len(words)] for i in range(22 + k)) + f" {LONG[language]}."
        for k in range(SWEEP)
    ]


def sweep_sheet(language: str) -> dict:
    texts = paragraphs(language)
    challenge = {
        "category": "land_cost",
        "title": "Card",
        "severity": "high",
        "body": "\n\n".join(texts),
    }
    return minimal_sheet(
        language=language,
        challenges=[challenge],
        sections=[
            {"heading": "Prose", "body": "\n\n".join(texts)},
            {"heading": "List", "body": "\n".join(f"- {text}" for text in texts)},
        ],
    )


def words(pdf: bytes, folder: Path) -> list[str]:
    path = folder / "sweep.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return WORD.findall(out)


def whole(language: str, found: list[str]) -> int:
    """How many of the sweep's paragraphs end in their long word unbroken."""
    return found.count(f"{LONG[language]}.")


@pytest.fixture
def without_rule():
    """Renders with WeasyPrint's own line breaker, the rule's wrappers taken off."""

    @contextlib.contextmanager
    def unwrapped():
        from weasyprint.layout import inline

        last_line_breaks.install()
        with pytest.MonkeyPatch.context() as patch:
            for name in ("split_first_line", "get_next_linebox", "split_text_box"):
                patch.setattr(inline, name, getattr(inline, name).__wrapped__)
            yield

    return unwrapped


@pytest.mark.parametrize("language", list(LONG))
def test_no_paragraph_ends_in_the_tail_of_a_hyphenated_word(language, tmp_path, without_rule):
    data = sweep_sheet(language)
    briefing = render_briefing(data)
    assert not MARKED.search(briefing.html)  # the PDF's rule is the line breaker's
    found = words(briefing.pdf, tmp_path)
    assert whole(language, found) == 3 * SWEEP
    # The long word still hyphenates elsewhere in a paragraph: only the tail is kept.
    with without_rule():
        control = words(render_briefing(data).pdf, tmp_path)
    assert whole(language, control) < 3 * SWEEP, "the sweep never hyphenates the last word"
    assert any(w.endswith("\u00ad") for w in control)


def test_the_rule_holds_across_inline_elements(tmp_path, without_rule):
    """The long word's text starts after emphasis, mid-line, and a citation follows it:
    the last line is judged by the block's width and what follows, not the text box."""
    data = sweep_sheet("en")
    for section in data["sections"]:
        body = section["body"].replace(" plan ", " *plan* ", 1).replace(" its ", " *its* ")
        section["body"] = body.replace(f"{LONG['en']}.", f"{LONG['en']} [@src-a].")
    found = words(render_briefing(data).pdf, tmp_path)
    assert found.count(LONG["en"]) == 2 * SWEEP  # whole, then the citation's number
    with without_rule():
        control = words(render_briefing(data).pdf, tmp_path)
    assert control.count(LONG["en"]) < 2 * SWEEP
    assert any(w.endswith("\u00ad") and LONG["en"].startswith(w[:-1]) for w in control)


def test_a_word_hyphenates_where_a_line_of_the_paragraph_follows(tmp_path):
    """The rule costs no hyphen but the last line's: the sweep's long word, followed by
    more than a line of text, still hyphenates."""
    more = " ".join(FILLER["en"] * 12)
    data = sweep_sheet("en")
    for section in data["sections"]:
        section["body"] = section["body"].replace(f"{LONG['en']}.", f"{LONG['en']} {more}.")
    found = words(render_briefing(data).pdf, tmp_path)
    assert any(w.endswith("\u00ad") and LONG["en"].startswith(w[:-1]) for w in found)


def test_the_rule_moves_no_word_of_a_paragraph_without_such_a_hyphen(tmp_path, without_rule):
    def boxes(briefing: Briefing) -> str:
        path = tmp_path / "rich.pdf"
        path.write_bytes(briefing.pdf)
        return subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    data = rich_data()
    # The one last line of the sample that was the tail of a hyphenated word ("main-" /
    # "land-made", in the risk matrix's narrow cell), worded so that it is not.
    title = "Export markets may treat Hong Kong output as mainland-made"
    [challenge] = [c for c in data["challenges"] if c["title"] == title]
    challenge["title"] = "Export markets may treat Hong Kong output as made in China"
    with without_rule():
        control = boxes(render_briefing(data))
    assert boxes(render_briefing(data)) == control


def test_the_browser_html_keeps_the_rule_with_spans():
    data = sweep_sheet("en")
    sheet = FactSheet.model_validate(data)
    html = render_html(sheet, "sample", TEMPLATES, target="html").html
    assert len(MARKED.findall(html)) >= 3 * SWEEP
    css = (TEMPLATES / "static" / "screen.css").read_text(encoding="utf-8")
    assert f".{TAIL_CLASS} {{\n  hyphens: manual;\n}}\n" in css


def test_the_line_breaker_is_the_one_it_was_written_for():
    """The WeasyPrint internals last_line_breaks relies on: an upgrade fails here."""
    import inspect

    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text.line_break import split_first_line

    assert weasyprint.__version__.split(".")[0] == str(last_line_breaks.WEASYPRINT_MAJOR)
    last_line_breaks.install()
    assert inline.split_first_line.__wrapped__ is split_first_line
    parameters = list(inspect.signature(split_first_line).parameters)
    assert parameters[:6] == [
        "text", "style", "context", "max_width", "justification_spacing", "is_line_start"
    ]  # fmt: skip
    parameters = list(inspect.signature(inline.get_next_linebox.__wrapped__).parameters)
    assert parameters[:6] == [
        "context", "linebox", "position_y", "bottom_space", "skip_stack", "containing_block"
    ]  # fmt: skip
    parameters = list(inspect.signature(inline.split_text_box.__wrapped__).parameters)
    assert parameters[:2] == ["context", "box"]
    source = inspect.getsource(inline)
    assert source.count("split_first_line(") == 1
    assert "get_next_linebox(\n            context, box, position_y, bottom_space" in source


def test_the_tail_is_a_line_long_and_starts_on_a_word():
    text = " ".join(["automotive"] * 40)
    marked = keep_last_lines(f"<p>{text}</p>", FONTS, "en")
    head, tail = marked.split(f'<span class="{TAIL_CLASS}">')
    assert head.endswith(" ") and tail.startswith("automotive")
    # 10 letters and a space of Noto Serif: some 5 ems a word, so 12 words make a line.
    assert 10 <= tail.count("automotive") <= 14, tail
    assert LINE_EMS / 6 <= tail.count("automotive") <= LINE_EMS / 4


def test_only_the_tail_changes_and_no_element_moves():
    html = (
        '<div><p class="a">' + "word " * 3 + "<em>emphasis " + "several " * 40 + "</em>"
        ' and <a href="#x" class="y">linked <b>bold</b> words</a>.<sup>[1]</sup></p></div>'
    )
    marked = keep_last_lines(html, FONTS, "en")
    assert "<em>emphasis several" in marked  # the tail starts inside <em>
    assert f'<a href="#x" class="y {TAIL_CLASS}">' in marked
    assert f'<sup class="{TAIL_CLASS}">' in marked
    plain = re.sub(f'<span class="{TAIL_CLASS}">|</span>| {TAIL_CLASS}', "", marked)
    assert plain.replace(f' class="{TAIL_CLASS}"', "") == html


def test_a_short_block_takes_the_class_and_a_nested_list_ends_a_block():
    html = "<ul><li>an automotive plant<ul><li>its automotive suppliers</li></ul></li></ul>"
    marked = keep_last_lines(html, FONTS, "en")
    assert marked == (
        f'<ul><li><span class="{TAIL_CLASS}">an automotive plant</span>'
        f'<ul><li class="{TAIL_CLASS}">its automotive suppliers</li></ul></li></ul>'
    )


def test_text_nothing_could_hyphenate_is_left_alone():
    assert keep_last_lines("<p>A cat sat on a mat.</p>", FONTS, "en") == (
        "<p>A cat sat on a mat.</p>"
    )
    # No dictionary for Chinese: nothing hyphenates, nothing is marked.
    assert keep_last_lines("<p>汽車製造 internationalization</p>", FONTS, "zh-Hant") == (
        "<p>汽車製造 internationalization</p>"
    )
    # Headings and other blocks are not running text.
    assert keep_last_lines("<h2>Internationalization</h2>", FONTS, "en") == (
        "<h2>Internationalization</h2>"
    )


def test_no_line_of_running_text_is_wider_than_the_tail():
    """LINE_EMS holds for the laid-out sample: every line of a block that hyphenates is at
    most LINE_EMS of its own type wide."""
    from weasyprint.formatting_structure import boxes

    document = _laid_out(render_briefing(rich_data()).html)
    widest = 0.0
    for page in document.pages:
        for line, block in _lines(page._page_box, boxes, None):
            widest = max(widest, line.width / block.style["font_size"])
    assert 40 < widest <= LINE_EMS


def _laid_out(html: str):
    import weasyprint

    from generator.render import pdf
    from generator.render.hyphenation import register

    register()
    root = TEMPLATES.resolve()
    with pdf.confined_fontconfig(root):
        source = weasyprint.HTML(
            string=html,
            base_url=(root / "static").as_uri() + "/",
            url_fetcher=pdf.make_fetcher(root),
        )
        return source.render(font_config=pdf.shared_fonts(root))


def _lines(box, boxes, block):
    if isinstance(box, boxes.BlockContainerBox) and box.element_tag in ("p", "li", "td", "dd"):
        block = box
    if isinstance(box, boxes.LineBox) and block is not None and box.style["hyphens"] == "auto":
        yield box, block
    for child in getattr(box, "children", ()):
        yield from _lines(child, boxes, block)
