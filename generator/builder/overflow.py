"""What runs past the page limit of a page template: the sections to cut, read from the
PDF's outline (the bookmarks WeasyPrint makes of the headings), so the warning names
them in the briefing's own words and language.
"""

from __future__ import annotations

import io


def sections_past(pdf: bytes, limit: int) -> tuple[str, ...]:
    """The headings of the sections that do not end by page ``limit``: the section that
    crosses the limit first (its rest is past it), then those that start after it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    marks = []
    for item in _flat(reader.outline):
        try:
            marks.append((reader.get_destination_page_number(item), str(item.title).strip()))
        except (AttributeError, KeyError, ValueError, TypeError):
            continue
    # Page numbers are 0-based: a section starting on index >= limit is wholly past it;
    # the last one to start before it runs on past it.
    before = [title for page, title in marks if page < limit]
    after = [title for page, title in marks if page >= limit]
    return tuple(([before[-1]] if before else []) + after)


def _flat(outline: list) -> list:
    """The outline's entries, nested ones included, in reading order."""
    found: list = []
    for item in outline:
        found.extend(_flat(item) if isinstance(item, list) else [item])
    return found
