"""The last line of a paragraph is never the tail of a hyphenated word
(generator/render/last_lines.py), checked through the PDF's word boxes (``pdftotext
-bbox``): paragraphs built to end in a long word that hyphenates, the word moved along
the line a word at a time, in a section, a list and a challenge card (three widths), in
English, French and German. The same sheets rendered without the rule's stylesheet line
do hyphenate some of those words, so the check can fail.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generator.render.last_lines import LINE_EMS, TAIL_CLASS, keep_last_lines
from tests.conftest import copy_templates, minimal_sheet
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


@pytest.fixture(scope="module")
def without_rule(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real templates without the stylesheet line that keeps the tails whole."""
    templates = tmp_path_factory.mktemp("templates") / "templates"
    copy_templates(templates)
    screen = templates / "static" / "screen.css"
    css = screen.read_text(encoding="utf-8")
    rule = f".{TAIL_CLASS} {{\n  hyphens: manual;\n}}\n"
    assert rule in css
    screen.write_text(css.replace(rule, ""), encoding="utf-8")
    return templates


@pytest.mark.parametrize("language", list(LONG))
def test_no_paragraph_ends_in_the_tail_of_a_hyphenated_word(language, tmp_path, without_rule):
    data = sweep_sheet(language)
    found = words(render_briefing(data).pdf, tmp_path)
    assert whole(language, found) == 3 * SWEEP
    # The long word still hyphenates elsewhere in a paragraph: only the tail is kept.
    control = words(render_briefing(data, without_rule).pdf, tmp_path)
    assert whole(language, control) < 3 * SWEEP, "the sweep never hyphenates the last word"
    assert any(w.endswith("-") for w in control)


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
    assert boxes(render_briefing(data)) == boxes(render_briefing(data, without_rule))


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
