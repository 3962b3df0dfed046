"""Line and page breaking of the PDF: hyphenation, running heads, the one-pager's page.

Checked through the PDF's text as Poppler extracts it (what copy-paste gives) and the
words' boxes (``pdftotext -bbox``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyphen
import pytest
import yaml

from generator.render.hyphenation import LANGUAGE, exception_pattern, register
from generator.render.metadata import shorten
from tests.support.pdf_samples import Briefing

REPO = Path(__file__).resolve().parents[2]
HONG_KONG = REPO / "briefs" / "hong-kong-ev-assembly.yaml"


def english() -> pyphen.Pyphen:
    register()
    return pyphen.Pyphen(lang=LANGUAGE, left=3, right=3)


@pytest.mark.parametrize(
    ("word", "broken"),
    [
        ("automotive", "auto-mo-tive"),
        ("consortium", "con-sor-tium"),
        ("analysis", "analy-sis"),
        ("reported", "reported"),
        ("logistics", "logis-tics"),
        ("industry", "indus-try"),
    ],
)
def test_english_breaks_are_the_publishers_not_the_etymologists(word: str, broken: str):
    assert english().inserted(word) == broken


@pytest.mark.parametrize("name", ["Industry", "Chinese", "Spanish", "Innovation", "Zanzibar"])
def test_a_capitalised_word_never_breaks(name: str):
    assert english().positions(name) == []


def test_an_exception_is_a_pattern_that_outweighs_the_dictionary():
    assert exception_pattern("ab-cd") == (".abcd.", (8, 8, 8, 9, 8, 8, 8))


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


#: Running text that hyphenates inside its paragraphs (the rich sample's few hyphens fell to
#: the last-line rule): long words, and more than a line after each.
LONG_WORDS = (
    "Administrations considered internationalisation, infrastructure commitments and"
    " manufacturers' responsibilities regarding electrification, notwithstanding"
    " extraordinary circumstances and considerable environmental uncertainties. "
)


@pytest.fixture(scope="module")
def hyphenating() -> Briefing:
    from tests.support.pdf_samples import render_briefing
    from tests.support.render_samples import rich_data

    data = rich_data()
    data["summary"] = LONG_WORDS * 6 + data["summary"]
    return render_briefing(data)


def test_line_end_hyphens_are_soft_in_the_copied_text(hyphenating: Briefing, tmp_path):
    rich = hyphenating
    laid_out = pdftotext(rich.pdf, tmp_path, "-layout")
    # A line-end hyphen is a soft hyphen in the text layer (render/soft_hyphens.py).
    ends = re.findall(r"(\w+)\u00ad\n", laid_out.replace(" \n", "\n"))
    assert ends, "the sample hyphenates somewhere"
    assert "\u2010" not in laid_out  # WeasyPrint's default hyphen would stay in the text
    copied = pdftotext(rich.pdf, tmp_path)
    for fragment in ends:
        assert not re.search(rf"\b{fragment}-\s", copied)
        assert re.search(rf"\b{fragment}\u00ad\n\w", copied)


def test_no_fragment_is_shorter_than_three_letters_nor_a_name(hyphenating: Briefing, tmp_path):
    laid_out = pdftotext(hyphenating.pdf, tmp_path, "-layout")
    assert "\u00ad\n" in laid_out.replace(" \n", "\n")
    for line in laid_out.splitlines():
        found = re.search(r"(\S+)\u00ad$", line.rstrip())
        if found and found.group(1).isalpha():
            assert len(found.group(1)) >= 3, line
            assert not found.group(1)[0].isupper(), line


@pytest.mark.parametrize(
    ("title", "short"),
    [
        (
            "Gigafactory plans in Saxony (Germany), with battery recycling and grid storage",
            "Gigafactory plans in Saxony (Germany)",
        ),
        (
            "Hong Kong courts carmakers (talks with FAW Group and others about assembly)",
            "Hong Kong courts carmakers…",
        ),
        (
            "A long title without any phrase boundary in it that runs on and on and on",
            "A long title without any phrase boundary in it that runs…",
        ),
        ("Short title", "Short title"),
    ],
)
def test_a_running_head_ends_at_a_phrase_or_a_word(title: str, short: str):
    assert shorten(title, 60) == short
    assert shorten(title, 60).count("(") == shorten(title, 60).count(")")


def one_pager_words(pdf: Path) -> list[tuple[str, float]]:
    """Each word of page 1 with its height in points (``pdftotext -bbox``)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', html)
    return [(word, float(y1) - float(y0)) for y0, y1, word in boxes]


def test_the_one_pager_is_one_page_in_readable_type_citing_only_its_sources(
    project: Path, write_brief, run_brief
):
    data = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    write_brief("hk", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = run_brief("build", "hk", "--template", "onepager", "--formats", "pdf", "--strict")
    assert result.returncode == 0, result.stderr
    pdf = project / "output" / "hk.pdf"
    assert (
        "Pages:           1"
        in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    )
    words = one_pager_words(pdf)
    text = " ".join(word for word, _ in words)
    assert text.count("Bottom line") == 1
    # No type under 7 pt: a word box is about 1.2 times the type size.
    assert min(height for _, height in words) >= 7 * 1.1


def test_a_one_pager_that_cannot_fit_is_an_error_under_strict_naming_what_to_cut(
    write_brief, run_brief
):
    summary = "\n\n".join(["A sentence of the summary that goes on. " * 12 + "[@src-a]"] * 12)
    write_brief("long", summary=summary)
    result = run_brief("build", "long", "--template", "onepager", "--formats", "pdf", "--strict")
    assert result.returncode == 1
    assert "does not fit the 'onepager' template" in result.stderr
    assert "past page 1: Bottom line, Key facts" in result.stderr


def test_the_one_pager_lists_only_the_sources_it_cites(project: Path, write_brief, run_brief):
    data = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    data["summary"] = "Talks are early [@hk-ev-factory-deals-2025]."
    data["key_facts"] = data["key_facts"][:1]
    write_brief("hk", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert run_brief("build", "hk", "--template", "onepager", "--formats", "pdf").returncode == 0
    text = " ".join(w for w, _ in one_pager_words(project / "output" / "hk.pdf"))
    assert "EV factory deals" in text
    assert "Blueprint" not in text.split("Sources")[-1]
