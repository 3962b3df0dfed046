"""pydyf's page references made once per page, not once per use.

WeasyPrint's tags name the page of every structure element, and its links and outlines
the page they point to, through ``pdf.page_references[n]``: a pydyf property that builds
the whole tuple of ``b"N 0 R"`` references, one per page, at every access. A tagged PDF
thus costs pages x tagged elements: on the large synthetic briefing (43 pages) some
12,600 accesses, 80 ms of a 7 s render, and more for every page a longer briefing adds.

The property is replaced by one that keeps the tuple until a page is added. A page is
only ever added (``PDF.add_page`` extends ``Kids``), so the tuple's length tells whether
it is still right; the references, and so the PDF's bytes, are the same.
"""

from __future__ import annotations

from typing import Any

#: Where a PDF object keeps its references: (the ``Kids`` list they were made of, them).
_KEPT = "_brief_page_references"


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get(_KEPT)
    if kept is None or kept[0] is not kids or len(kept[1]) * 3 != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        kept = (kids, references)
        pdf.__dict__[_KEPT] = kept
    return kept[1]


def keep_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` kept between uses (idempotent)."""
    import pydyf

    if getattr(pydyf.PDF.page_references, "fget", None) is _page_references:
        return
    pydyf.PDF.page_references = property(_page_references)
