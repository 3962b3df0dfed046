"""Cross-field rules on a loaded fact sheet: the checks no single field can make.

Errors: a citation or ``sources`` entry naming no source of the file; two sources with
one id; a ``template`` that is not one of the project's page templates; the audience
rules of :mod:`generator.factsheet.audience_rules` (a ``marking`` not of the project,
external content citing an internal source). Warnings: a
source nothing cites; a news source without ``url``; ``as_of`` or an ``accessed`` date
later than today; none of the core challenge categories present.
Today's date is a parameter, so the same sheet gives the same findings on any clock.
The Unicode text hazards of :mod:`generator.factsheet.text_hazards` (bidirectional controls,
invisible characters, lookalike letters) are warnings reported here too, and so are the
rules of format 2's figures (:mod:`generator.factsheet.figure_rules`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from generator.errors import Diagnostic
from generator.factsheet import audience_rules, figure_rules, text_hazards
from generator.factsheet import references as source_refs
from generator.factsheet.loader import LoadedSheet
from generator.factsheet.locations import FieldPath, Position, format_path, position_key
from generator.factsheet.markings import Markings
from generator.factsheet.model import CORE_CATEGORIES, quoted


def check(
    loaded: LoadedSheet,
    today: dt.date,
    page_templates: Sequence[str] | None = None,
    markings: Markings | None = None,
) -> list[Diagnostic]:
    """Every cross-field error and warning of ``loaded``, in file order.

    ``page_templates`` are the names ``template`` may take; None skips that rule (no
    ``templates/`` folder to tell). ``markings`` are the values ``marking`` may take;
    None skips that rule.
    """
    finder = _Finder(loaded)
    # The reference rules are the loader's, over plain data, so that a sheet that does
    # not validate gets the very same messages (source_refs.reference_errors).
    data = loaded.sheet.model_dump()
    references = source_refs.references(data)
    found = [
        *source_refs.reference_errors(data, loaded.source_map, loaded.display, references),
        *source_refs.template_errors(
            _written(loaded), loaded.source_map, loaded.display, page_templates
        ),
        *finder.uncited(references),
        *finder.news_without_url(),
        *finder.future_dates(today),
        *finder.core_categories(),
        *text_hazards.check(loaded),
        *audience_rules.check(loaded, markings),
        *figure_rules.check(loaded),
    ]
    return sorted(found, key=position_key)


def _written(loaded: LoadedSheet) -> dict[str, Any]:
    """The keys the file gives, as data: a ``template`` left out is not checked."""
    return loaded.sheet.model_dump(exclude_unset=True)


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

    def uncited(self, references: list[source_refs.Reference]) -> Iterator[Diagnostic]:
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
