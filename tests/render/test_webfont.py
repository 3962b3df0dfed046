"""The HTML briefing's inlined faces: subsets of the PDF's own fonts, by the stacks' order."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from generator.factsheet import font_maps
from generator.render.webfont import (
    cjk_characters,
    faces_needed,
    font_face_css,
    shipped_faces,
)
from tests.support.render_samples import TEMPLATES

FONTS = TEMPLATES / "static" / "fonts"


def _face(family: str, weight: str = "normal", style: str = "normal"):
    return next(
        f
        for f in shipped_faces(TEMPLATES)
        if (f.family, f.weight, f.style) == (family, weight, style)
    )


def _font_of(css: str) -> TTFont:
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css)
    assert encoded
    data = base64.b64decode(encoded.group(1))
    assert data[:4] == b"wOFF"
    return TTFont(io.BytesIO(data))


def test_cjk_characters_are_the_distinct_cjk_ones_sorted() -> None:
    assert cjk_characters("CATL 宁德时代, 宁德 (一汽) ABC") == "".join(sorted("宁德时代一汽"))
    assert cjk_characters("Plain Latin, é and — dashes") == ""


def test_the_faces_are_those_of_the_pdf_stylesheets() -> None:
    families = {f.family for f in shipped_faces(TEMPLATES)}
    assert families == {
        "Brief Serif",
        "Brief Sans",
        "Brief Math",
        "Brief Symbols",
        "Brief Serif CJK",
        "Brief Sans CJK",
    }
    assert _face("Brief Serif", "bold", "italic").file == "NotoSerif-BoldItalic.ttf"
    assert _face("Brief Sans CJK").file == "cjk/NotoSansCJKsc-Regular.otf"


def test_each_character_goes_to_the_first_face_of_its_stack_that_has_it() -> None:
    maps = font_maps(TEMPLATES)
    needed = faces_needed(map(ord, "Aé→✗현"), shipped_faces(TEMPLATES), maps)
    by_family: dict[str, set[int]] = {}
    for face, points in needed.items():
        by_family.setdefault(face.family, set()).update(points)
    assert by_family["Brief Serif"] == {ord("A"), ord("é")}
    assert by_family["Brief Math"] == {ord("→")}  # Noto Serif lacks arrows
    assert by_family["Brief Symbols"] == {ord("✗")}  # Math lacks the ballot X
    assert by_family["Brief Serif CJK"] == by_family["Brief Sans CJK"] == {ord("현")}


def test_a_latin_page_needs_no_cjk_face() -> None:
    needed = faces_needed(
        map(ord, "Plain text — “quoted” ≤ 5"), shipped_faces(TEMPLATES), {**font_maps(TEMPLATES)}
    )
    assert not [f for f in needed if "CJK" in f.family]


def test_font_face_holds_exactly_the_glyphs_asked_for() -> None:
    face = _face("Brief Sans CJK")
    points = frozenset(map(ord, "宁德时代현대"))
    css = font_face_css(face, points, FONTS / face.file)
    assert 'font-family: "Brief Sans CJK";' in css
    assert "font-weight: normal;" in css
    assert "unicode-range: U+4EE3, U+5B81, U+5FB7, U+65F6, U+B300, U+D604;" in css
    assert set(_font_of(css).getBestCmap()) == points
    # Noto CJK's language forms survive the subset, for the element's lang.
    gsub = _font_of(css)["GSUB"].table
    assert "locl" in {r.FeatureTag for r in gsub.FeatureList.FeatureRecord}


def test_same_characters_give_the_same_bytes() -> None:
    face = _face("Brief Serif", "bold")
    first = font_face_css(face, frozenset(map(ord, "Zoë")), FONTS / face.file)
    assert first == font_face_css(face, frozenset(map(ord, "ëoZ")), FONTS / face.file)


def test_ranges_join_neighbours() -> None:
    face = _face("Brief Serif CJK")
    css = font_face_css(face, frozenset(map(ord, "一丁七")), FONTS / face.file)
    assert "unicode-range: U+4E00-4E01, U+4E03;" in css


def test_the_pdf_loads_the_cjk_faces_only_for_a_page_that_prints_cjk() -> None:
    from generator.render import render_html
    from tests.support.render_samples import make_sheet, minimal_data

    data = minimal_data()
    data["title"] = "Exports ≥ 5% → 2030 ✓"  # symbols: the Latin and symbol faces
    latin = render_html(make_sheet(data), "x", TEMPLATES, target="pdf")
    assert "static/fonts-cjk.css" not in latin.templates_used
    assert "fonts/cjk/" not in latin.html
    data["players"] = [{"name": "Hyundai", "local_name": "현대", "kind": "automaker", "role": "M."}]
    korean = render_html(make_sheet(data), "x", TEMPLATES, target="pdf")
    assert "static/fonts-cjk.css" in korean.templates_used
    assert "url(fonts/cjk/NotoSansCJKsc-Regular.otf)" in korean.html
