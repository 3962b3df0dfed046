"""The inlined CJK glyphs of the HTML briefing."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from generator.render.webfont import CJK_FONT, cjk_characters, cjk_font_face
from tests.support.render_samples import TEMPLATES

FONT = TEMPLATES / CJK_FONT


def test_cjk_characters_are_the_distinct_cjk_ones_sorted() -> None:
    assert cjk_characters("CATL 宁德时代, 宁德 (一汽) ABC") == "".join(sorted("宁德时代一汽"))
    assert cjk_characters("Plain Latin, é and — dashes") == ""


def test_font_face_holds_exactly_the_glyphs_asked_for() -> None:
    css = cjk_font_face("宁德时代", FONT)
    assert 'font-family: "Brief CJK";' in css
    assert "unicode-range: U+4EE3, U+5B81, U+5FB7, U+65F6;" in css
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css)
    assert encoded
    data = base64.b64decode(encoded.group(1))
    assert data[:4] == b"wOF2"
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert set(cmap) == {ord(c) for c in "宁德时代"}


def test_same_characters_give_the_same_bytes() -> None:
    assert cjk_font_face("比亚迪", FONT) == cjk_font_face("迪亚比", FONT)


def test_ranges_join_neighbours_and_uncovered_characters_are_dropped() -> None:
    css = cjk_font_face("一丁七", FONT)  # U+4E00, U+4E01, U+4E03
    assert "unicode-range: U+4E00-4E01, U+4E03;" in css
    assert cjk_font_face("\U0001f600", FONT) == ""
