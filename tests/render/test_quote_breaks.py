"""A line of the PDF may break between a closing quote and a bracket (« commun » / (PIIEC)),
and the word joiner that allows it is in neither the page nor the text layer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from generator.render import quote_breaks
from generator.render.quote_breaks import WORD_JOINER, open_breaks
from tests.conftest import minimal_sheet
from tests.support.pdf_samples import Briefing, render_briefing

#: The sentence of the French sample whose "commun » (PIIEC)" Pango would not break,
#: after prefixes of growing length, so that the piece meets a line's end somewhere.
SENTENCE = (
    "premier « projet important d’intérêt européen commun » (PIIEC) consacré aux "
    "batteries, approuvé par la Commission européenne en décembre 2019 [@src-a]. "
    "En 2024, ACC a mis en pause ses projets."
)
PARAGRAPHS = [
    "Le projet est né dans le cadre du" + " très" * count + " " + SENTENCE for count in range(12)
]


def french(joined: bool, monkeypatch: pytest.MonkeyPatch) -> Briefing:
    if not joined:
        monkeypatch.setattr(quote_breaks, "needs_opening", lambda html: False)
    return render_briefing(minimal_sheet(language="fr", summary="\n\n".join(PARAGRAPHS)))


def lines(briefing: Briefing) -> list[str]:
    return [line.strip() for text in briefing.page_texts() for line in text.splitlines()]


def test_a_line_breaks_after_the_closing_guillemet(monkeypatch: pytest.MonkeyPatch) -> None:
    joined = lines(french(True, monkeypatch))
    assert any(line.endswith("commun\u202f»") for line in joined), joined
    assert any(line.startswith("(PIIEC) consacré") for line in joined), joined


def test_without_the_joiner_pango_never_breaks_there(monkeypatch: pytest.MonkeyPatch) -> None:
    # The control: the same paragraphs as laid out before the joiner.
    plain = lines(french(False, monkeypatch))
    assert not any(line.endswith("»") for line in plain), plain
    assert not any(line.startswith("(PIIEC)") for line in plain), plain


def test_the_text_layer_reads_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = french(True, monkeypatch).page_texts()
    assert WORD_JOINER not in "".join(pages)
    # Line ends read as spaces, a hyphenated word's halves joined (render/soft_hyphens.py).
    text = " ".join("".join(pages).replace("\u00ad\n", "").split("\n"))
    assert text.count("européen commun\u202f» (PIIEC) consacré aux") == len(PARAGRAPHS)


@pytest.mark.parametrize(
    ("markup", "joined"),
    [
        ("<p>le « fonds » (FEI)</p>", "<p>le « fonds »\u2060 (FEI)</p>"),
        ("<p>the “Green Fund” (GF)</p>", "<p>the “Green Fund”\u2060 (GF)</p>"),
        ("<p>die „Förderung“ („FF“)</p>", "<p>die „Förderung“\u2060 („FF“)</p>"),
        ("<p>the makers’ [2024]</p>", "<p>the makers’\u2060 [2024]</p>"),
        # In a tail, the text after a child element.
        ("<p><b>x</b> « y » (z)</p>", "<p><b>x</b> « y »\u2060 (z)</p>"),
        # Untouched: no space, no bracket, or code as typed.
        ("<p>« y »(z) « y » z</p>", "<p>« y »(z) « y » z</p>"),
        (
            "<p><code>s = 'a' (b)</code> 'c' (d)</p>",
            "<p><code>s = 'a' (b)</code> 'c'\u2060 (d)</p>",
        ),
    ],
)
def test_the_joiner_goes_after_a_quote_before_spaces_and_a_bracket(
    markup: str, joined: str
) -> None:
    root = ET.fromstring(markup)
    open_breaks(root)
    assert ET.tostring(root, encoding="unicode") == joined
