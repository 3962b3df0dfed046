"""The sourcing report: how each source is used, and what would be hard to defend.

For one loaded fact sheet it lists every source with its number in the briefing, how
many times it is cited and where (field paths), and flags, as warnings:

* ``duplicate-url``: one URL under two source ids (compared without the scheme's
  ``http``/``https`` difference, case of scheme and host, ``#fragment`` and trailing ``/``);
* ``stale-source``: a source ``accessed`` more than a threshold (365 days by default)
  before the sheet's ``as_of`` date;
* ``single-source-fact``: a key fact whose ``sources`` list and ``note`` citations name
  only one distinct source;
* ``uncited-claim``: a paragraph of ``summary`` or of a challenge's ``body`` without any
  ``[@…]`` citation. A paragraph is a Markdown paragraph: text between blank lines, and
  the text of each list item or block quote; headings, table cells and code are not
  claims. A challenge's ``sources`` list does not cite its paragraphs, and
  ``mitigations`` (proposals, not claims) are not checked.

A citation is one ``[@id]`` in a Markdown field or one entry of a ``sources`` list.
The findings are advice for review: ``brief check`` shows them without failing on them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from generator.errors import Diagnostic
from generator.factsheet import (
    FieldPath,
    LoadedSheet,
    cited_ids,
    format_path,
    iter_fields,
    position_key,
    quoted,
)
from generator.render import build_view, make_markdown, plain_text

#: Default threshold of ``stale-source``: days between ``accessed`` and ``as_of``.
DEFAULT_STALE_DAYS = 365
#: Words of a paragraph used to find where it starts in the file.
_ANCHOR_WORDS = 6


@dataclass(frozen=True)
class Place:
    """A field citing a source, and how many times it does."""

    path: str
    count: int


@dataclass(frozen=True)
class SourceUse:
    """One source of the sheet, numbered as in the briefing, with where it is cited."""

    number: int
    source_id: str
    title: str
    publisher: str
    kind: str
    url: str | None
    accessed: dt.date | None
    places: tuple[Place, ...]

    @property
    def citations(self) -> int:
        """How many citations name this source in the whole sheet."""
        return sum(place.count for place in self.places)


@dataclass(frozen=True)
class SourcingReport:
    """The sourcing report of one fact sheet: its sources in order, and the findings."""

    brief_id: str
    display: str
    as_of: dt.date
    stale_days: int
    sources: tuple[SourceUse, ...]
    findings: tuple[Diagnostic, ...]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return {
            "brief_id": self.brief_id,
            "file": self.display,
            "as_of": self.as_of.isoformat(),
            "stale_days": self.stale_days,
            "sources": [
                {
                    "number": use.number,
                    "id": use.source_id,
                    "title": use.title,
                    "publisher": use.publisher,
                    "kind": use.kind,
                    "url": use.url,
                    "accessed": use.accessed.isoformat() if use.accessed else None,
                    "citations": use.citations,
                    "places": [{"path": p.path, "count": p.count} for p in use.places],
                }
                for use in self.sources
            ],
            "findings": [finding_dict(d) for d in self.findings],
        }


def finding_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic as plain JSON-ready data."""
    return {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "path": diagnostic.path,
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "suggestion": diagnostic.suggestion,
    }


def sourcing_report(loaded: LoadedSheet, *, stale_days: int = DEFAULT_STALE_DAYS) -> SourcingReport:
    """The sourcing report of ``loaded``; findings in file order."""
    sheet = loaded.sheet
    numbers = build_view(sheet, loaded.brief_id).source_numbers
    places: dict[str, Counter[str]] = {source.id: Counter() for source in sheet.sources}
    for source_id, path in citations(sheet):
        if source_id in places:
            places[source_id][path] += 1
    uses = [
        SourceUse(
            numbers[s.id],
            s.id,
            s.title,
            s.publisher,
            s.kind,
            s.url,
            s.accessed,
            tuple(Place(path, count) for path, count in places[s.id].items()),
        )
        for s in sheet.sources
        if s.id in numbers
    ]
    flags = _Flags(loaded)
    found = [
        *flags.duplicate_urls(),
        *flags.stale_sources(stale_days),
        *flags.single_source_facts(),
        *flags.uncited_claims(),
    ]
    return SourcingReport(
        loaded.brief_id,
        loaded.display,
        sheet.as_of,
        stale_days,
        tuple(sorted(uses, key=lambda use: use.number)),
        tuple(sorted(found, key=position_key)),
    )


def citations(sheet: BaseModel) -> Iterator[tuple[str, str]]:
    """``(source id, field path)`` for every citation of the sheet, in file order.

    Each ``[@id]`` in a Markdown field counts once; so does each entry of a ``sources``
    list, reported at the list's path (``key_facts[0].sources``).
    """
    for path, name, value, markdown in iter_fields(sheet):
        if markdown and isinstance(value, str):
            for source_id in cited_ids(value):
                yield source_id, format_path(path)
        elif name == "sources" and isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    yield item, format_path(path)


def url_key(url: str) -> tuple[str, str, str]:
    """What makes two URLs the same address for ``duplicate-url``."""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query)


class _Flags:
    """The sourcing flags, each a method yielding warnings for one loaded sheet."""

    def __init__(self, loaded: LoadedSheet) -> None:
        self.loaded = loaded
        self.sheet = loaded.sheet

    def _warning(
        self,
        path: FieldPath,
        message: str,
        code: str,
        where: tuple[int, int] | None = None,
    ) -> Diagnostic:
        line, col = where or self.loaded.source_map.position(path)
        return Diagnostic(
            self.loaded.display, line, col, format_path(path), message, "warning", code=code
        )

    def duplicate_urls(self) -> Iterator[Diagnostic]:
        """The same address given to two source ids."""
        first: dict[tuple[str, str, str], int] = {}
        for index, source in enumerate(self.sheet.sources):
            if source.url is None:
                continue
            key = url_key(source.url)
            if key not in first:
                first[key] = index
                continue
            earlier = self.sheet.sources[first[key]]
            if earlier.id == source.id:
                continue  # one id given twice is a rule error, reported by brief check
            message = (
                f"source {quoted(source.id)} has the same URL as {quoted(earlier.id)}"
                f" (sources[{first[key]}]); cite one id for one document"
            )
            yield self._warning(("sources", index, "url"), message, "duplicate-url")

    def stale_sources(self, stale_days: int) -> Iterator[Diagnostic]:
        """Sources consulted more than ``stale_days`` before ``as_of``."""
        as_of = self.sheet.as_of
        for index, source in enumerate(self.sheet.sources):
            if source.accessed is None or (as_of - source.accessed).days <= stale_days:
                continue
            age = (as_of - source.accessed).days
            message = (
                f"source {quoted(source.id)} was accessed {age} days before as_of"
                f" ({as_of.isoformat()}), more than {stale_days}; check it is still current"
            )
            yield self._warning(("sources", index, "accessed"), message, "stale-source")

    def single_source_facts(self) -> Iterator[Diagnostic]:
        """Key facts that only one distinct source supports."""
        for index, fact in enumerate(self.sheet.key_facts):
            named = {*fact.sources, *cited_ids(fact.note or "")}
            if len(named) != 1:
                continue
            (only,) = named
            message = f"key fact {quoted(fact.label)} rests on a single source, {quoted(only)}"
            yield self._warning(("key_facts", index, "sources"), message, "single-source-fact")

    def uncited_claims(self) -> Iterator[Diagnostic]:
        """Paragraphs of ``summary`` and challenge bodies with no citation."""
        fields: list[tuple[FieldPath, str]] = [(("summary",), self.sheet.summary)]
        fields += [(("challenges", i, "body"), c.body) for i, c in enumerate(self.sheet.challenges)]
        for path, text in fields:
            for number, paragraph in enumerate(_paragraphs(text), start=1):
                if paragraph.cited:
                    continue
                where = self._paragraph_position(path, text, paragraph)
                message = (
                    f"paragraph {number} has no citation: {quoted(plain_text(paragraph.text))}"
                )
                yield self._warning(path, message, "uncited-claim", where)

    def _paragraph_position(
        self, path: FieldPath, text: str, paragraph: _Paragraph
    ) -> tuple[int, int]:
        """Where ``paragraph`` of the field ``text`` at ``path`` starts in the file."""
        words = paragraph.text.split()[:_ANCHOR_WORDS]
        if not words:
            return self.loaded.source_map.position(path)
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        before = "\n".join(text.split("\n")[: paragraph.line])
        return self.loaded.source_map.locate(path, pattern, len(pattern.findall(before)))


@dataclass(frozen=True)
class _Paragraph:
    """A Markdown paragraph: its first line in the field, its source text, and whether
    it holds a citation."""

    line: int
    text: str
    cited: bool


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    """Every paragraph of Markdown ``text``, list items and block quotes included."""
    tokens = make_markdown().parse(text, {})
    for previous, token in itertools.pairwise(tokens):
        if previous.type == "paragraph_open" and token.type == "inline":
            cited = any(child.type == "citation" for child in token.children or ())
            yield _Paragraph(token.map[0] if token.map else 0, token.content, cited)
