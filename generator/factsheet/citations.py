"""Citations: finding ``[@id]`` and ``[@a; @b]`` in text, and numbering sources.

Pure functions over strings; no other module of the package is imported, so both the
rule checker and the Markdown renderer use the very same definition of a citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: One id inside a citation group. Looser than a valid source id on purpose, so that a
#: mistyped id is still recognised as a citation and reported, not printed as text.
_ID = r"@[^\s;\[\]@]+"
#: A citation group: ``[@a]`` or ``[@a; @b]``; whitespace (line breaks too) may surround
#: the semicolons, since a group may break across lines.
CITATION_RE = re.compile(r"\[\s*(" + _ID + r"(?:\s*;\s*" + _ID + r")*)\s*\]")


@dataclass(frozen=True)
class Citation:
    """A citation group found in a text: the ids it names and where it stands."""

    ids: tuple[str, ...]
    start: int
    end: int


def parse_group(inner: str) -> tuple[str, ...]:
    """The ids of the inside of a citation group, ``@a; @b`` -> ``("a", "b")``."""
    return tuple(part.strip()[1:] for part in inner.split(";"))


def find_citations(text: str) -> list[Citation]:
    """Every citation group in ``text``, in order of appearance."""
    return [
        Citation(parse_group(m.group(1)), m.start(), m.end()) for m in CITATION_RE.finditer(text)
    ]


def cited_ids(text: str) -> list[str]:
    """The ids cited in ``text``, in order, repeats included."""
    return [source_id for citation in find_citations(text) for source_id in citation.ids]


def number_sources(cited_in_order: Iterable[str], all_ids: Sequence[str]) -> dict[str, int]:
    """Number sources 1.. by first citation, then the uncited ones in file order.

    Ids cited but not in ``all_ids`` are ignored here; the rule checker reports them.
    """
    known = set(all_ids)
    numbers: dict[str, int] = {}
    for source_id in [*cited_in_order, *all_ids]:
        if source_id in known and source_id not in numbers:
            numbers[source_id] = len(numbers) + 1
    return numbers
