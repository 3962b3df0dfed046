"""WeasyPrint's user-agent stylesheet without the pseudo-element rules a briefing never uses.

WeasyPrint's ``html5_ua.css`` gives six pseudo-elements to every element: ``::marker``
and the five of footnotes and notes (``::footnote-call``, ``::footnote-marker``,
``::note-call``, ``::note-marker``, ``::note-callback``). Each rule matches every
element, so the cascade makes and computes six styles per element that no box ever
uses: for the large synthetic briefing 26,000 of its 28,800 styles. Without them its
cascade takes 0.20 s instead of 0.42 s of CPU, the small briefing's 0.06 s instead of
0.09 s (``bench/RESULTS.md``).

A document uses them only if its CSS asks for them: a footnote needs ``float:
footnote``, a note ``position: note(...)``, and a marker an element whose display is
``list-item``, which only ``li`` and ``summary`` are unless a stylesheet says so. So a
document whose HTML (its inline stylesheets and ``style`` attributes included) has
none of those words, and no stylesheet it loads from elsewhere, gets the lean sheet:
the same rules with the footnote and note ones left out and ``::marker`` for ``li`` and
``summary`` only. The boxes, and so the PDF's bytes, are the same (tested); any other
document gets WeasyPrint's own sheet.
"""

from __future__ import annotations

import functools
from typing import Any

#: The rules left out of the lean sheet (each a whole rule of ``html5_ua.css``).
UNUSED_RULES = (
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)
#: ``::marker`` for the elements that are list items by default only.
MARKER_RULE, LIST_ITEM_MARKER_RULE = "\n::marker {", "\nli::marker, summary::marker {"
#: Words in a document that may call for a rule of the full sheet: a footnote, a note,
#: another list item, or a stylesheet the HTML does not hold.
NEEDS_FULL_SHEET = ("footnote", "note(", "list-item", "<link", "@import")


def needs_full_sheet(html: str) -> bool:
    """Whether ``html`` may use a pseudo-element the lean sheet leaves out."""
    lowered = html.lower()
    return any(word in lowered for word in NEEDS_FULL_SHEET)


def html_class(html: str) -> Any:
    """The ``weasyprint.HTML`` class to parse ``html`` with: the lean one when it can."""
    import weasyprint

    return weasyprint.HTML if needs_full_sheet(html) else _lean_html()


@functools.cache
def _lean_html() -> Any:
    import weasyprint

    class LeanHTML(weasyprint.HTML):
        """An HTML document whose user-agent stylesheet is :func:`lean_ua_text`'s."""

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            sheets = super()._ua_stylesheets(forms)
            return [_lean_sheet(), *sheets[1:]]

    return LeanHTML


@functools.cache
def _lean_sheet() -> Any:
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    # The sheet's @counter-style rules are WeasyPrint's own, already in the counter styles
    # every document starts from (``HTML._ua_counter_style``): read into a set of their
    # own, they are not defined twice, which WeasyPrint would warn about on every build.
    return CSS(string=lean_ua_text(), counter_style=CounterStyle())


def lean_ua_text() -> str:
    """WeasyPrint's ``html5_ua.css`` without :data:`UNUSED_RULES`, and ``::marker`` for
    list items only. Raises ``LookupError`` if the sheet no longer has those rules
    (another WeasyPrint), rather than lay out with a sheet nobody checked."""
    from weasyprint.html import UA

    text = UA
    for selector in (*UNUSED_RULES, MARKER_RULE.strip(" \n{")):
        if f"\n{selector} {{" not in text:
            raise LookupError(f"WeasyPrint's user-agent stylesheet has no {selector} rule")
    for selector in UNUSED_RULES:
        start = text.index(f"\n{selector} {{") + 1
        text = text[:start] + text[text.index("}", start) + 1 :]
    return text.replace(MARKER_RULE, LIST_ITEM_MARKER_RULE, 1)
