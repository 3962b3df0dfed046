"""The document metadata of a briefing's head, which WeasyPrint turns into PDF metadata and
the DOCX writer into document properties: authors, description, keywords, dates from
``as_of`` (never the clock) and the generator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator import __version__
from generator.factsheet import FactSheet, author_names
from generator.render.markdown import plain_text

#: Longest document description (PDF subject) before it is shortened.
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class MetaTag:
    """A ``<meta name content>`` pair of the document head."""

    name: str
    content: str


#: Where a title may end short of its full length, as a reader would cut it: before a
#: parenthesis or a dash, after a colon, a semicolon or a comma.
_PHRASE_ENDS = re.compile(r"\s+[(\[—–]|\s+-\s|[:;,](?=\s)")


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, never a phrase or a parenthesis cut in half.

    A text that fits is kept whole. Otherwise it ends at its last phrase boundary (before
    "(", "[" or a dash, after ":", ";" or ",") that keeps at least half of ``limit``, and
    reads as complete without an ellipsis; failing that, at a word boundary with "…", and
    without the unclosed bracket that word boundary would leave open.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _PHRASE_ENDS.finditer(text) if limit // 2 <= m.start() < limit]
    if ends:
        return text[: ends[-1]].rstrip()
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    opened = max(cut.rfind("("), cut.rfind("["))
    if opened > max(cut.rfind(")"), cut.rfind("]")) and opened > 0:
        cut = cut[:opened]
    return cut.rstrip(" ,;:.-—–([") + "…"


def head_meta(sheet: FactSheet, marks: Sequence[str] = ()) -> tuple[MetaTag, ...]:
    """The head metadata WeasyPrint turns into PDF metadata; dates come from ``as_of``;
    ``marks`` (the marking and edition) join the keywords."""
    description = sheet.subtitle or shorten(plain_text(sheet.summary), DESCRIPTION_LENGTH)
    tags = [MetaTag("author", name) for name in author_names(sheet)]
    tags.append(MetaTag("description", description))
    if sheet.tags or marks:
        tags.append(MetaTag("keywords", ", ".join([*(sheet.tags or ()), *marks])))
    tags += [
        MetaTag("dcterms.created", sheet.as_of.isoformat()),
        MetaTag("dcterms.modified", sheet.as_of.isoformat()),
        MetaTag("generator", f"brief {__version__}"),
    ]
    return tuple(tags)


def index_meta() -> tuple[MetaTag, ...]:
    """The head metadata of the index page."""
    return (MetaTag("generator", f"brief {__version__}"),)
