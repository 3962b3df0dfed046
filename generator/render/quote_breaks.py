"""A line may break before a bracket that follows a quotation mark, in the PDF as in
the browser.

Unicode's line-breaking rule LB15 in the form Pango applies it (UAX #14 before Unicode
15.1: ``QU SP* × OP``) forbids a break between a quotation mark, spaces and an opening
bracket, so « … européen commun » (PIIEC) consacré … » holds "commun » (PIIEC)" as one
unbreakable piece, and WeasyPrint sets it on a short line of its own and breaks again
after it. Unicode 15.1 dropped that rule for closing quotes (LB15b), and Chromium's line
breaker allows the break; the PDF should too.

:func:`open_breaks` puts a WORD JOINER (U+2060) right after such a quotation mark, before
layout: the mark is no longer followed by spaces and a bracket, so the break after the
spaces is allowed again (LB18), while nothing may separate the mark from its word
(LB11). The joiner is a default-ignorable character: Pango draws no glyph for it, so the
page and the PDF's text layer (copy, search, a screen reader) are what they were.
"""

from __future__ import annotations

import re
from typing import Any

#: Line-breaking class QU (quotation marks) in Pango's tables, where a closing quote of
#: a language the briefings are written in can be.
QUOTATION_MARKS = "\"'«»‘’‛“”‟‹›"
#: Opening punctuation (class OP) a parenthetical may begin with.
OPENING_BRACKETS = "([{„‚¡¿（［｛"
WORD_JOINER = "\u2060"
_QUOTE_SPACE_BRACKET = re.compile(
    f"([{re.escape(QUOTATION_MARKS)}])(?=[ \t\n]+[{re.escape(OPENING_BRACKETS)}])"
)
_JOINED = rf"\1{WORD_JOINER}"
#: Text drawn as written, where a copied character must be the one typed.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp"})


def needs_opening(html: str) -> bool:
    """Whether ``html`` may hold a quote, spaces and a bracket (a cheap test first)."""
    return _QUOTE_SPACE_BRACKET.search(html) is not None


def open_breaks(root: Any) -> int:
    """Put a word joiner after each quotation mark followed by spaces and an opening
    bracket in the text of ``root`` (an ``xml.etree`` element, as WeasyPrint parsed the
    document), but in code; the number of joiners put in."""
    return _open_in(root, verbatim=False)


def _open_in(element: Any, verbatim: bool) -> int:
    """:func:`open_breaks` for ``element``'s text and its children, with their tails
    (which are ``element``'s text too)."""
    verbatim = verbatim or _local_name(element.tag) in _VERBATIM
    added = 0
    if element.text and not verbatim:
        element.text, added = _QUOTE_SPACE_BRACKET.subn(_JOINED, element.text)
    for child in element:
        added += _open_in(child, verbatim)
        if child.tail and not verbatim:
            child.tail, count = _QUOTE_SPACE_BRACKET.subn(_JOINED, child.tail)
            added += count
    return added


def _local_name(tag: Any) -> str:
    # Comments and processing instructions have a function as their tag.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
