"""The CJK glyphs of the HTML briefing, inlined so that they show on any machine.

The HTML file must render on its own: a reader whose system has no Chinese, Japanese
or Korean font would see empty boxes for names such as 宁德时代. So when a fact sheet
holds such characters, the bundled CJK font is cut down to exactly those glyphs (a few
kilobytes as WOFF2) and inlined as a ``data:`` URL in an ``@font-face`` rule for the
family ``Brief CJK``, which the stylesheets name after the reader's own CJK fonts.

The output is reproducible: the subset keeps the font's own timestamps, and the same
characters always give the same bytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from pathlib import Path

#: The bundled CJK font, relative to ``templates/``.
CJK_FONT = "static/fonts/DroidSansFallbackFull.ttf"
#: The first code point of the CJK blocks (radicals, punctuation, kana, ideographs, Hangul,
#: full-width forms all lie above it).
CJK_START = 0x2E80


def cjk_characters(text: str) -> str:
    """The distinct characters of ``text`` from the CJK blocks, sorted."""
    return "".join(sorted({char for char in text if ord(char) >= CJK_START}))


def cjk_font_face(characters: str, font_file: Path) -> str:
    """An ``@font-face`` rule for ``Brief CJK`` holding the glyphs of ``characters``.

    Characters the font does not cover are left to the reader's fonts. Returns an empty
    string when none is covered.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_file), recalcTimestamp=False, lazy=True)
    covered = font.getBestCmap()
    codepoints = sorted(ord(char) for char in set(characters) if ord(char) in covered)
    if not codepoints:
        return ""
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    data = io.BytesIO()
    font.flavor = "woff2"
    font.save(data)
    encoded = base64.b64encode(data.getvalue()).decode("ascii")
    return (
        '@font-face {\n  font-family: "Brief CJK";\n'
        f'  src: url(data:font/woff2;base64,{encoded}) format("woff2");\n'
        f"  unicode-range: {_ranges(codepoints)};\n}}\n"
    )


def _ranges(codepoints: Iterable[int]) -> str:
    """``U+4E00-4E01, U+5B81`` for the sorted code points given."""
    spans: list[list[int]] = []
    for point in codepoints:
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return ", ".join(
        f"U+{start:X}" if start == end else f"U+{start:X}-{end:X}" for start, end in spans
    )
