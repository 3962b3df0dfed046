"""Audiences: what of a sheet is internal, the sheet an external edition shows, and the
internal texts that must never appear in one.

Internal content (format 2) is every key fact, player, timeline entry, challenge, section
and source marked ``internal: true``, the ``mitigations`` of a challenge marked
``mitigations_internal: true``, and every source that only internal content cites. The
functions here are pure and format-agnostic: an edition of any output format is rendered
from :func:`edition_sheet`, and a check of any output looks for :func:`internal_texts`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.factsheet.fields import iter_texts
from generator.factsheet.locations import FieldPath, format_path
from generator.factsheet.model import Challenge, FactSheet
from generator.factsheet.references import Reference, references

#: The lists whose entries may be marked ``internal``.
INTERNAL_LISTS: tuple[str, ...] = (
    "key_facts",
    "players",
    "timeline",
    "challenges",
    "sections",
    "sources",
)
#: The editions of a sheet with internal content, and the one edition of a sheet without.
EDITIONS: tuple[str, ...] = ("internal", "external")
ONLY = "only"
#: Fields whose values are codes, dates or ids, not prose: never an internal text.
_NOT_TEXT = frozenset(
    {"sources", "id", "category", "severity", "kind", "date", "published", "accessed"}
)


@dataclass(frozen=True)
class InternalText:
    """A text of internal content (Markdown as its plain words), and the path of its field
    (``challenges[2].mitigations``): what must never appear in an external output."""

    path: str
    text: str


def editions(sheet: FactSheet) -> tuple[str, ...]:
    """The editions ``sheet`` is built as: internal and external, or the only one."""
    return EDITIONS if has_internal(sheet) else (ONLY,)


def edition_sheet(sheet: FactSheet, edition: str) -> FactSheet:
    """The sheet edition ``edition`` shows: without internal content for ``external``."""
    return external_sheet(sheet) if edition == "external" else sheet


def has_internal(sheet: FactSheet) -> bool:
    """Whether anything of ``sheet`` is marked internal."""
    return bool(internal_paths(sheet))


def internal_paths(sheet: FactSheet) -> tuple[FieldPath, ...]:
    """The paths of the content marked internal: entries, and internal mitigations."""
    found: list[FieldPath] = []
    for name in INTERNAL_LISTS:
        for index, entry in enumerate(getattr(sheet, name) or ()):
            if entry.internal:
                found.append((name, index))
            elif isinstance(entry, Challenge) and entry.mitigations_internal:
                found.append((name, index, "mitigations"))
    return tuple(found)


def is_internal(path: FieldPath, internal: tuple[FieldPath, ...]) -> bool:
    """Whether the field at ``path`` lies inside internal content."""
    return any(path[: len(prefix)] == prefix for prefix in internal)


def sheet_references(sheet: FactSheet) -> list[Reference]:
    """Every citation and ``sources`` entry of ``sheet``, with its path."""
    return references(sheet.model_dump())


def internal_sources(sheet: FactSheet) -> frozenset[str]:
    """The ids of the internal sources: marked so, or cited by internal content only."""
    internal = internal_paths(sheet)
    marked = {s.id for s in sheet.sources if s.internal}
    inside: set[str] = set()
    outside: set[str] = set()
    for ref in sheet_references(sheet):
        (inside if is_internal(ref.path, internal) else outside).add(ref.source_id)
    return frozenset(marked | (inside - outside))


def external_sheet(sheet: FactSheet) -> FactSheet:
    """``sheet`` without its internal content, and without the sources only it cited (so
    the others number afresh); ``sheet`` itself when nothing of it is internal."""
    if not has_internal(sheet):
        return sheet
    dropped = internal_sources(sheet)
    challenges = [
        c.model_copy(update={"mitigations": None, "mitigations_internal": False})
        if c.mitigations_internal
        else c
        for c in sheet.challenges
        if not c.internal
    ]
    update: dict[str, Any] = {
        name: [entry for entry in getattr(sheet, name) or () if not entry.internal] or None
        for name in ("key_facts", "players", "timeline", "sections")
    }
    update["key_facts"] = update["key_facts"] or []
    update["challenges"] = challenges
    update["sources"] = [s for s in sheet.sources if s.id not in dropped]
    return sheet.model_copy(update=update)


def internal_texts(sheet: FactSheet) -> tuple[InternalText, ...]:
    """Every text of the internal content (Markdown as plain words, citations left out),
    in file order.

    Left out: codes, dates and ids (a category, a source's ``kind``), numbers (a number
    is printed formatted), and a text equal to a whole text of the external content (a
    publisher an external source shares is no secret).
    """
    shown = {_key(text) for _, text in external_field_texts(sheet)}
    found: list[InternalText] = []
    for path, text in _texts(sheet, inside=True):
        if _key(text) not in shown:
            found.append(InternalText(format_path(path), text))
    return tuple(found)


def external_field_texts(sheet: FactSheet) -> Iterator[tuple[FieldPath, str]]:
    """``(path, plain text)`` of every text of the external content, paths of ``sheet``."""
    return _texts(sheet, inside=False)


def _texts(sheet: FactSheet, *, inside: bool) -> Iterator[tuple[FieldPath, str]]:
    internal = internal_paths(sheet)
    hidden = internal_sources(sheet)
    internal += tuple(("sources", i) for i, s in enumerate(sheet.sources) if s.id in hidden)
    for path, text, markdown in iter_texts(sheet):
        names = [part for part in path if isinstance(part, str)]
        if _NOT_TEXT.intersection(names[1:]) or names[-1] in _NOT_TEXT:
            continue
        if is_internal(path, internal) != inside:
            continue
        words = plain_words(text) if markdown else " ".join(text.split())
        if words:
            yield path, words


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """The Markdown parser of :func:`plain_words`, made once (a sheet has hundreds of
    Markdown fields)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def plain_words(text: str) -> str:
    """The words of a Markdown text as a reader sees them, on one line, citations left out
    (they print as numbers); code and image descriptions included."""
    from generator.factsheet.citations import CITATION_RE

    words: list[str] = []
    for token in _parser().parse(CITATION_RE.sub("", text)):
        if token.type in ("fence", "code_block"):
            words.append(token.content)
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type == "image":
                words += [c.content for c in child.children or () if c.type == "text"]
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        words.append(" ")
    text = " ".join("".join(words).split())
    for mark in ".,;:!?":
        text = text.replace(f" {mark}", mark)
    return text
