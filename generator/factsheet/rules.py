"""Cross-field rules on a loaded fact sheet: the checks no single field can make.

Errors: a citation or ``sources`` entry naming no source of the file; two sources with
one id; a ``template`` that is not one of the project's page templates. Warnings: a
source nothing cites; a news source without ``url``; ``as_of`` or an ``accessed`` date
later than today; none of the core challenge categories present.
Today's date is a parameter, so the same sheet gives the same findings on any clock.
The Unicode text hazards of :mod:`generator.factsheet.text_hazards` (bidirectional controls,
invisible characters, lookalike letters) are warnings reported here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.errors import Diagnostic
from generator.factsheet import text_hazards
from generator.factsheet.citations import find_citations
from generator.factsheet.fields import iter_fields
from generator.factsheet.loader import LoadedSheet
from generator.factsheet.locations import FieldPath, Position, format_path, position_key
from generator.factsheet.model import CORE_CATEGORIES, quoted
from generator.factsheet.pages import not_a_page


@dataclass(frozen=True)
class _Reference:
    """A source id named in a citation or in a ``sources`` list; ``occurrence`` counts
    earlier citations of the same id in the same field."""

    source_id: str
    path: FieldPath
    in_citation: bool
    occurrence: int = 0


def check(
    loaded: LoadedSheet, today: dt.date, page_templates: Sequence[str] | None = None
) -> list[Diagnostic]:
    """Every cross-field error and warning of ``loaded``, in file order.

    ``page_templates`` are the names ``template`` may take; None skips that rule (no
    ``templates/`` folder to tell).
    """
    finder = _Finder(loaded)
    references = list(_references(loaded.sheet))
    found = [
        *finder.unknown_references(references),
        *finder.duplicate_ids(),
        *finder.template_choice(page_templates),
        *finder.uncited(references),
        *finder.news_without_url(),
        *finder.future_dates(today),
        *finder.core_categories(),
        *text_hazards.check(loaded),
    ]
    return sorted(found, key=position_key)


def _references(sheet: BaseModel) -> Iterator[_Reference]:
    """Every citation in a Markdown field and every entry of a ``sources`` id list."""
    for path, name, value, markdown in iter_fields(sheet):
        if markdown and isinstance(value, str):
            seen: dict[str, int] = {}
            for citation in find_citations(value):
                for source_id in citation.ids:
                    yield _Reference(source_id, path, True, seen.get(source_id, 0))
                    seen[source_id] = seen.get(source_id, 0) + 1
        elif name == "sources" and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield _Reference(item, (*path, index), False)


def _citation_pattern(source_id: str) -> re.Pattern[str]:
    """``@id`` as written in the file, not followed by more of an id."""
    return re.compile("@" + re.escape(source_id) + r"(?![^\s;\[\]@])")


class _Finder:
    """The rules, each a method yielding diagnostics for one loaded sheet."""

    def __init__(self, loaded: LoadedSheet) -> None:
        self.loaded = loaded
        self.sources = loaded.sheet.sources
        self.ids = [source.id for source in self.sources]

    def _at(
        self, path: FieldPath, message: str, *, where: Position | None = None, **extra: Any
    ) -> Diagnostic:
        line, col = where or self.loaded.source_map.position(path)
        return Diagnostic(self.loaded.display, line, col, format_path(path), message, **extra)

    def unknown_references(self, references: list[_Reference]) -> Iterator[Diagnostic]:
        """Citations and ``sources`` entries naming no source of the file."""
        known = set(self.ids)
        for ref in references:
            if ref.source_id in known:
                continue
            close = difflib.get_close_matches(ref.source_id, self.ids, n=1)
            suggestion = close[0] if close else None
            if ref.in_citation:
                pattern = _citation_pattern(ref.source_id)
                where = self.loaded.source_map.locate(ref.path, pattern, ref.occurrence)
                message = f"citation [@{ref.source_id}] names no source of this file"
                yield self._at(
                    ref.path, message, where=where, suggestion=suggestion, code="unknown-citation"
                )
            else:
                message = f"{quoted(ref.source_id)} names no source of this file"
                yield self._at(ref.path, message, suggestion=suggestion, code="unknown-source")

    def duplicate_ids(self) -> Iterator[Diagnostic]:
        """A source id given to two sources."""
        first: dict[str, int] = {}
        for index, source_id in enumerate(self.ids):
            if source_id in first:
                message = (
                    f"source id {quoted(source_id)} is already used by sources[{first[source_id]}]"
                )
                yield self._at(("sources", index, "id"), message, code="duplicate-source")
            else:
                first[source_id] = index

    def template_choice(self, choices: Sequence[str] | None) -> Iterator[Diagnostic]:
        """A ``template`` the sheet names that is not a page template (``base`` is the
        layout, ``index`` the index page). Left out, the default is for templates/ to provide."""
        sheet = self.loaded.sheet
        if choices is None or "template" not in sheet.model_fields_set:
            return
        problem = not_a_page(sheet.template, choices)
        if problem is not None:
            message, suggestion = problem
            yield self._at(("template",), message, suggestion=suggestion, code="unknown-template")

    def uncited(self, references: list[_Reference]) -> Iterator[Diagnostic]:
        """Sources that no citation and no ``sources`` list names."""
        named = {ref.source_id for ref in references}
        for index, source_id in enumerate(self.ids):
            if source_id not in named:
                message = f"source {quoted(source_id)} is not cited anywhere"
                yield self._warning(("sources", index, "id"), message, "uncited-source")

    def news_without_url(self) -> Iterator[Diagnostic]:
        """News sources (the default kind) that give no ``url``."""
        for index, source in enumerate(self.sources):
            if source.kind == "news" and source.url is None:
                message = f"source {quoted(source.id)} is news but has no url"
                yield self._warning(("sources", index), message, "news-without-url")

    def future_dates(self, today: dt.date) -> Iterator[Diagnostic]:
        """``as_of`` and ``accessed`` dates later than ``today``."""
        dated = [(("as_of",), self.loaded.sheet.as_of)]
        dated += [(("sources", i, "accessed"), s.accessed) for i, s in enumerate(self.sources)]
        for path, date in dated:
            if date is not None and date > today:
                message = f"{date.isoformat()} is later than today ({today.isoformat()})"
                yield self._warning(path, message, "future-date")

    def core_categories(self) -> Iterator[Diagnostic]:
        """At least one challenge should be about land cost, labour or overcapacity."""
        categories = {challenge.category for challenge in self.loaded.sheet.challenges}
        if not categories & set(CORE_CATEGORIES):
            message = f"no challenge has the category {', '.join(CORE_CATEGORIES[:-1])}"
            message += f" or {CORE_CATEGORIES[-1]}"
            where = self.loaded.source_map.key_position(("challenges",))
            yield self._at(
                ("challenges",), message, where=where, severity="warning", code="no-core-category"
            )

    def _warning(self, path: FieldPath, message: str, code: str) -> Diagnostic:
        return self._at(path, message, severity="warning", code=code)
