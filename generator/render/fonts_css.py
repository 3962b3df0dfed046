"""The font stylesheets a page needs, chosen from the characters it prints.

The PDF (``target == "pdf"``) always has ``fonts.css`` (Latin, Greek, Cyrillic, symbols);
``fonts-cjk.css`` joins it only when the page prints a character those faces lack, so a
briefing without CJK text never loads the CJK faces (some 80 MB) and, as the Latin and
symbol faces come first in every stack, a worker that printed a CJK briefing before
prints a Latin one to the same bytes. The HTML (``target == "html"``) inlines a subset
of each face it draws from (:mod:`generator.render.webfont`).

The characters are those of the whole rendered document, its stylesheets included
(``content:`` strings print too): a few more glyphs than strictly printed, never fewer.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.factsheet import covered, font_maps, prints_nothing
from generator.render.templating import recording_loader, stylesheet_text
from generator.render.webfont import FACE_SHEETS, faces_needed, font_face_css, shipped_faces

CJK_SHEET = "fonts-cjk.css"


def printed_points(text: str) -> frozenset[int]:
    """The code points of ``text`` that need a glyph."""
    return frozenset(ord(c) for c in set(text) if not prints_nothing(c))


def font_css(env: jinja2.Environment, templates_dir: Path, text: str, target: str) -> Markup:
    """The extra font CSS of a page whose document text is ``text`` (empty: none needed);
    the files it draws on are recorded in ``env``'s loader for the dependency tracking."""
    maps = font_maps(templates_dir)
    printed = printed_points(text)
    if target == "pdf":
        if printed - covered(maps, cjk=False):
            return stylesheet_text(env, CJK_SHEET)
        return Markup("")
    loader = recording_loader(env)
    for sheet in FACE_SHEETS:  # the faces are read from them: an edit rebuilds the HTML
        loader.record(sheet)
    css = []
    for face, points in sorted(
        faces_needed(printed, shipped_faces(templates_dir), maps).items(),
        key=lambda item: item[0].file,
    ):
        loader.record(f"static/fonts/{face.file}")
        css.append(font_face_css(face, points, templates_dir / "static" / "fonts" / face.file))
    # Markup: made of the shipped faces' names, base64 and code point ranges only.
    return Markup("".join(css))
