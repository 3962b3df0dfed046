"""The document metadata of a briefing's head, which WeasyPrint turns into PDF metadata and
the DOCX writer into document properties: authors, description, keywords, dates from
``as_of`` (never the clock) and the generator.
"""

from __future__ import annotations

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


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-—–") + "…"


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
