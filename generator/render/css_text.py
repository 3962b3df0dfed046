"""Words a template prints through CSS: the page's margin boxes, "Page 2 of 6".

A printed page's margins (the running head and footer, the marking, the page number)
are CSS ``content``, so their words reach the stylesheet as CSS strings. The templates
write them, never a stylesheet, so that a translated label or a fact sheet's title is
printed as it is everywhere else. Every character but a letter, a digit or a space
becomes a CSS escape: the string can neither end early nor close its ``<style>``
element, whatever the text (``"``, ``\\``, ``</style>``, a line break).
"""

from __future__ import annotations

import re

from markupsafe import Markup

#: The places of the counters in a page-number label such as "Page {page} of {pages}".
_COUNTER = re.compile(r"\{(page|pages)\}")


def css_string(text: object) -> Markup:
    """``text`` as a quoted CSS string, safe in a stylesheet and in a ``<style>``."""
    # A hex escape ends at its first non-hex character; the space after it is eaten,
    # so a letter or digit that follows is never read as part of the escape.
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in str(text)
    )
    return Markup(f'"{escaped}"')


def page_counter(label: str) -> Markup:
    """A label with ``{page}`` and ``{pages}`` as CSS ``content``: its words as strings,
    the places as the page counters, in the label's order (a translation may reorder).

    ``"Page {page} of {pages}"`` -> ``"Page " counter(page) " of " counter(pages)``.
    """
    parts: list[str] = []
    for i, piece in enumerate(_COUNTER.split(label)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts) or '""')
