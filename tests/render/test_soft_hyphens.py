"""Line-end hyphens are soft in the PDF's text layer; hyphens of the text stay U+002D.

Read back as extractors and assistive technology read it: pypdf (the ToUnicode maps) and
Poppler's ``pdftotext``; the printed pages compared pixel by pixel with ``pdftoppm``.
"""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render.pdf import render_pdf
from generator.render.soft_hyphens import keep_apart
from generator.settings import PDF_VARIANTS
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import TEMPLATES, Briefing, render_briefing
from tests.support.pdfua import pdfua_findings

#: Long words that break at the end of most lines of a summary.
WORDS = "internationalisation responsibilities characteristically interdisciplinary"
#: Hyphens of the text: U+002D twice, and a U+2010 the PDF prints as U+002D.
REAL = "The state-owned EV-maker and its EV\u2010maker partner."
#: Words of the other languages that hyphenate, with their hyphenation's lengths.
OTHER = {
    "fr": "internationalisation responsabilités caractéristiques interdisciplinaires",
    "de": "Internationalisierung Verantwortlichkeiten charakteristischerweise Zusammenarbeit",
}


def hyphenating(language: str = "en", words: str = WORDS) -> Briefing:
    summary = f"{REAL} " + " ".join([words] * 12) + " [@src-a]"
    return render_briefing(minimal_sheet(language=language, summary=summary))


@pytest.fixture(scope="module")
def english() -> Briefing:
    return hyphenating()


def pypdf_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def poppler_text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", *options, "-f", "1", "-l", "1", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_a_hyphenated_word_is_read_whole_by_pypdf(english: Briefing) -> None:
    text = pypdf_text(english.pdf)
    breaks = re.findall(r"([a-z]+)\u00ad\n([a-z]+)", text)
    assert len(breaks) >= 5, text  # the control: the summary really hyphenates
    assert all(first + rest in WORDS.split() for first, rest in breaks)
    # The soft hyphen is where the specification puts it, at the line's end: dropping
    # it with the line break gives the text.
    assert " ".join([WORDS] * 12) in squeezed(text.replace("\u00ad\n", ""))
    assert "\u00ad" not in text.replace("\u00ad\n", "")


def test_no_hard_hyphen_is_left_at_a_break(english: Briefing, tmp_path: Path) -> None:
    for text in (pypdf_text(english.pdf), poppler_text(english.pdf, tmp_path, "-layout")):
        assert "\u2010" not in text
        for first, rest in re.findall(r"([a-z]+)-\s*\n\s*([a-z]+)", text):
            assert f"{first}-{rest}" in REAL, (first, rest)


@pytest.mark.parametrize("options", [(), ("-layout",)])
def test_poppler_reads_a_soft_hyphen_at_the_break(
    english: Briefing, tmp_path: Path, options: tuple[str, ...]
) -> None:
    # Poppler joins the lines of a U+002D only (it cannot tell "EV-/maker" from
    # "di-/rect"); a soft hyphen it gives as it is, at the line's end.
    text = re.sub(r" +\n", "\n", poppler_text(english.pdf, tmp_path, *options))
    breaks = re.findall(r"([a-z]+)\u00ad\n\s*([a-z]+)", text)
    assert len(breaks) >= 5, text
    assert all(first + rest in WORDS.split() for first, rest in breaks)
    assert " ".join([WORDS] * 12) in squeezed(re.sub(r"\u00ad\n\s*", "", text))


def test_the_hyphens_of_the_text_stay_hyphen_minus(english: Briefing, tmp_path: Path) -> None:
    # U+2010 of the text prints as U+002D: the inserted hyphen's glyph is its own.
    expected = REAL.replace("\u2010", "-")
    assert expected in squeezed(pypdf_text(english.pdf))
    assert expected in squeezed(poppler_text(english.pdf, tmp_path))


def test_the_page_prints_as_it_did_with_a_hyphen_minus(english: Briefing, tmp_path) -> None:
    """The inserted glyph is the hyphen's outline and advance: the same pixels, the same
    breaks, as when WeasyPrint inserts U+002D itself."""
    control = english.html.replace(
        "</head>", '<style>p, li, td, dd { hyphenate-character: "-" }</style></head>'
    )
    hard = render_pdf(control, TEMPLATES).pdf
    assert len(re.findall(r"[a-z]-\n", pypdf_text(hard))) >= 5  # the control hyphenates
    assert re.sub("\u00ad\n", "-\n", pypdf_text(english.pdf)) == pypdf_text(hard)
    assert _pixels(english.pdf, tmp_path / "soft") == _pixels(hard, tmp_path / "hard")


def _pixels(pdf: bytes, stem: Path) -> bytes:
    stem.with_suffix(".pdf").write_bytes(pdf)
    command = ["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(stem.with_suffix(".pdf")), str(stem)], check=True)
    return stem.with_suffix(".pgm").read_bytes()


@pytest.mark.parametrize("language", sorted(OTHER))
def test_other_languages_hyphenate_softly_too(language: str) -> None:
    text = pypdf_text(hyphenating(language, OTHER[language]).pdf)
    breaks = re.findall(r"(\w+)\u00ad\n(\w+)", text)
    assert breaks, text
    assert all(first + rest in OTHER[language].split() for first, rest in breaks)
    assert not re.search(r"\w[-\u2010]\n\w", text)


def test_a_soft_hyphen_of_the_text_is_one_soft_hyphen_where_the_line_breaks() -> None:
    word = "counter\u00adrevolution\u00adaries"
    summary = " ".join([word, "of", word, "the", "many"] * 16) + " [@src-a]"
    text = pypdf_text(render_briefing(minimal_sheet(summary=summary)).pdf)
    breaks = re.findall(r"(\w+)\u00ad\n(\w+)", text)
    assert breaks, text
    assert all(first + rest == "counterrevolutionaries" for first, rest in breaks)
    assert text.count("\u00ad") == len(breaks)  # none where no line breaks
    assert not re.search(r"\w[-\u2010]\n\w", text)


@pytest.mark.parametrize("variant", sorted(PDF_VARIANTS))
def test_every_variant_has_soft_line_end_hyphens(english: Briefing, variant: str) -> None:
    pdf = render_pdf(english.html, TEMPLATES, variant=variant).pdf
    assert len(re.findall(r"[a-z]\u00ad\n", pypdf_text(pdf))) >= 5


def test_the_bytes_are_reproducible_and_pass_the_pdfua_checker(english: Briefing) -> None:
    assert render_pdf(english.html, TEMPLATES).pdf == english.pdf
    assert pdfua_findings(english.pdf) == []


def test_a_text_hyphen_u2010_is_printed_as_hyphen_minus_and_attributes_stay() -> None:
    root = ET.fromstring('<p title="a\u2010b">x\u2010y<b>z\u2010w</b>v\u2010u</p>')
    keep_apart(root)
    assert ET.tostring(root, encoding="unicode") == '<p title="a\u2010b">x-y<b>z-w</b>v-u</p>'
