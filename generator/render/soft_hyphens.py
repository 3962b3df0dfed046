"""Line-end hyphens soft in the PDF's text layer: copying "di-/rect" gives "direct".

A hyphen the layout inserts to break a word is no character of the text, and ISO 32000-1
(14.8.2.2.3) and PDF/UA say how a PDF tells it apart from a hyphen of the text itself
("EV-maker"): its text is U+00AD SOFT HYPHEN, which extractors and screen readers drop.
WeasyPrint writes one ToUnicode entry per glyph, from the first text that glyph was drawn
for, so the inserted hyphen needs a glyph of its own. It is the fonts' U+2010 HYPHEN
glyph (``fonts.css`` sets it as the PDF's ``hyphenate-character``): in the shipped Noto
faces a reference to the hyphen-minus outline with the same advance, so the page prints
as it did with U+002D (but for Noto Sans's kerning of a few letters against U+002D alone:
docs/output.md, "The text layer's hyphens"). Two steps keep that glyph for inserted
hyphens only:

- :func:`keep_apart`, before layout: a U+2010 of the text itself is printed as U+002D,
  the same outline, so that no word of the text shares the inserted hyphen's glyph;
- :func:`soften`, WeasyPrint's finisher: every ToUnicode entry that maps a glyph to
  U+2010 maps it to U+00AD.

Both edit objects WeasyPrint already holds (the parsed HTML, the ``pydyf`` font
streams), so the bytes stay reproducible and nothing is parsed twice.
"""

from __future__ import annotations

from typing import Any

#: The character WeasyPrint inserts at a hyphenated line end (``fonts.css``).
INSERTED = "\u2010"
#: What a hyphen of the text itself printed as :data:`INSERTED` becomes.
TEXT_HYPHEN = "-"
#: The ToUnicode value of a glyph drawn for :data:`INSERTED`, and what it becomes:
#: ``<glyph> <2010>`` -> ``<glyph> <00ad>``.
_INSERTED_ENTRY = b" <2010>"
_SOFT_ENTRY = b" <00ad>"


def keep_apart(root: Any) -> None:
    """Print each U+2010 in the text of ``root`` (an ``xml.etree`` element, as WeasyPrint
    parsed the document) as U+002D; attributes, which are never drawn as text, stay."""
    for element in root.iter():
        if element.text and INSERTED in element.text:
            element.text = element.text.replace(INSERTED, TEXT_HYPHEN)
        if element.tail and INSERTED in element.tail:
            element.tail = element.tail.replace(INSERTED, TEXT_HYPHEN)


def soften(pdf: Any) -> int:
    """Map every glyph whose text is U+2010 to U+00AD in the ToUnicode maps of ``pdf``
    (a ``pydyf.PDF`` before it is written); the number of entries changed."""
    changed = 0
    for font in _fonts(pdf):
        stream = pdf.objects[int(font["ToUnicode"].split()[0])].stream
        for index, line in enumerate(stream):
            if isinstance(line, bytes) and line.endswith(_INSERTED_ENTRY):
                stream[index] = line[: -len(_INSERTED_ENTRY)] + _SOFT_ENTRY
                changed += 1
    return changed


def _fonts(pdf: Any) -> list[Any]:
    """The font dictionaries of ``pdf`` that have a ToUnicode map."""
    return [
        obj
        for obj in pdf.objects
        if isinstance(obj, dict) and obj.get("Type") == "/Font" and "ToUnicode" in obj
    ]
