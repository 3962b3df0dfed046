"""The HTML briefing's fonts: the PDF's own faces, inlined as subsets of what it prints.

The HTML file must render on its own and look like the PDF on any reader's machine, so
it names the same families as the PDF (``Brief Serif``, ``Brief Sans``, then ``Brief
Math``, ``Brief Symbols`` and the CJK faces for what those lack: the stacks of
``screen.css``) and carries them: each face of ``fonts.css`` and ``fonts-cjk.css`` is cut
down to exactly the characters of the page it would draw, as WOFF in a ``data:`` URL
with its ``unicode-range``. A face the page needs nothing of is left out, so a Latin
briefing carries no CJK glyph and a Korean name costs a few kilobytes.

Which face draws a character follows the stacks: the first family of a stack that has
it (Noto Serif before Noto Sans Math, which comes before the CJK faces), as the browser
and WeasyPrint choose. The output is reproducible: the subsets keep the fonts' own
timestamps, and the same characters always give the same bytes.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: The stylesheets whose ``@font-face`` rules the HTML inlines, relative to ``templates/``.
FACE_SHEETS = ("static/fonts.css", "static/fonts-cjk.css")
#: The family stacks of screen.css and the PDF, each in fallback order.
STACKS = (
    ("Brief Serif", "Brief Math", "Brief Symbols", "Brief Serif CJK"),
    ("Brief Sans", "Brief Math", "Brief Symbols", "Brief Sans CJK"),
)
#: The first code point of the CJK blocks (radicals, punctuation, kana, ideographs, Hangul,
#: full-width forms all lie above it).
CJK_START = 0x2E80
_RULE = re.compile(r"@font-face\s*\{([^}]*)\}")
_DESCRIPTOR = re.compile(r"([a-z-]+)\s*:\s*([^;]+);")


@dataclass(frozen=True)
class Face:
    """One ``@font-face`` of the shipped stylesheets."""

    family: str
    file: str  # relative to templates/static/fonts/
    weight: str
    style: str


def cjk_characters(text: str) -> str:
    """The distinct characters of ``text`` from the CJK blocks, sorted."""
    return "".join(sorted({char for char in text if ord(char) >= CJK_START}))


def shipped_faces(templates_dir: Path) -> list[Face]:
    """The ``@font-face`` rules of :data:`FACE_SHEETS`, in their order."""
    faces = []
    for sheet in FACE_SHEETS:
        path = templates_dir / sheet
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for body in _RULE.findall(text):
            found = dict(_DESCRIPTOR.findall(body))
            url = re.search(r"url\(fonts/([^)]+)\)", found.get("src", ""))
            if url:
                family = found["font-family"].strip().strip('"')
                weight = found.get("font-weight", "normal").strip()
                faces.append(Face(family, url.group(1), weight, found.get("font-style", "normal")))
    return faces


def faces_needed(
    printed: Iterable[int], faces: list[Face], maps: Mapping[str, frozenset[int]]
) -> dict[Face, frozenset[int]]:
    """Each face -> the code points of ``printed`` it draws, by the stacks' order."""
    wanted = set(printed)
    needed: dict[Face, set[int]] = {}
    for stack in STACKS:
        left = set(wanted)
        for family in stack:
            members = [f for f in faces if f.family == family and f.file in maps]
            drawn = set()
            for face in members:
                mine = left & maps[face.file]
                needed.setdefault(face, set()).update(mine)
                drawn |= mine
            left -= drawn
    return {face: frozenset(points) for face, points in needed.items() if points}


def font_face_css(face: Face, points: frozenset[int], font_file: Path) -> str:
    """An ``@font-face`` rule for ``face`` holding exactly the glyphs of ``points``."""
    import uharfbuzz
    from fontTools.ttLib import TTFont

    # HarfBuzz's subsetter: a hundredth of the time of fontTools' on the CJK faces.
    face_data = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font_file)))
    wanted = uharfbuzz.SubsetInput()
    # No TrueType hinting: browsers scale the outlines well, and the instructions were
    # a third of a Latin subset.
    wanted.flags = uharfbuzz.SubsetFlags.NO_HINTING
    for point in sorted(points):
        wanted.unicode_set.add(point)
    subset = uharfbuzz.subset(face_data, wanted)
    font = TTFont(io.BytesIO(subset.blob.data), recalcTimestamp=False)
    data = io.BytesIO()
    # WOFF (zlib), not WOFF2: WOFF2's glyph transform and Brotli took a third of a second
    # per face, for subsets some 20 % smaller.
    font.flavor = "woff"
    font.save(data)
    encoded = base64.b64encode(data.getvalue()).decode("ascii")
    return (
        f'@font-face {{\n  font-family: "{face.family}";\n'
        f'  src: url(data:font/woff;base64,{encoded}) format("woff");\n'
        f"  font-weight: {face.weight};\n  font-style: {face.style};\n"
        f"  unicode-range: {_ranges(sorted(points))};\n}}\n"
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
