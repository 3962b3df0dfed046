"""The rules of the audience keys (format 2), run by :func:`generator.factsheet.rules.check`.

Errors: a ``marking`` that is not one of the project's markings (the nearest suggested);
external content citing a source marked internal (the external edition would cite a
source it does not list); every key fact or every challenge internal (the external
edition would have none, which the format requires). Warning: a text of internal content
that external content repeats, so the external edition would show it anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Diagnostic
from generator.factsheet.audience import (
    external_field_texts,
    internal_paths,
    internal_texts,
    is_internal,
    sheet_references,
)
from generator.factsheet.loader import LoadedSheet
from generator.factsheet.locations import format_path
from generator.factsheet.markings import Markings
from generator.factsheet.model import quoted
from generator.factsheet.references import reference_position

#: The shortest internal text looked for in external content: shorter ones (a figure,
#: an acronym) are found by chance in any prose.
LEAK_MIN_LENGTH = 8


def check(loaded: LoadedSheet, markings: Markings | None) -> list[Diagnostic]:
    """Every finding of the audience rules on ``loaded``."""
    return [
        *_marking(loaded, markings),
        *_internal_cited(loaded),
        *_nothing_external(loaded),
        *_repeated(loaded),
    ]


def _at(loaded: LoadedSheet, path: tuple, message: str, **extra: object) -> Diagnostic:
    line, col = loaded.source_map.position(path)
    return Diagnostic(loaded.display, line, col, format_path(path), message, **extra)  # type: ignore[arg-type]


def _marking(loaded: LoadedSheet, markings: Markings | None) -> Iterator[Diagnostic]:
    code = loaded.sheet.marking
    problem = None if code is None or markings is None else markings.problem(code)
    if problem is not None:
        message, suggestion = problem
        yield _at(loaded, ("marking",), message, suggestion=suggestion, code="unknown-marking")


def _internal_cited(loaded: LoadedSheet) -> Iterator[Diagnostic]:
    """Citations and ``sources`` entries of external content naming an internal source."""
    sheet = loaded.sheet
    marked = {s.id for s in sheet.sources if s.internal}
    internal = internal_paths(sheet)
    for ref in sheet_references(sheet):
        if ref.source_id in marked and not is_internal(ref.path, internal):
            line, col = reference_position(ref, loaded.source_map)
            message = (
                f"source {quoted(ref.source_id)} is internal but external content cites it:"
                " mark the content that cites it internal too, or the source not internal"
            )
            path = format_path(ref.path)
            yield Diagnostic(loaded.display, line, col, path, message, code="internal-source-cited")


def _nothing_external(loaded: LoadedSheet) -> Iterator[Diagnostic]:
    for name in ("key_facts", "challenges"):
        entries = getattr(loaded.sheet, name)
        if entries and all(entry.internal for entry in entries):
            line, col = loaded.source_map.key_position((name,))
            message = (
                f"every entry of {name} is internal: the external edition would have none;"
                " leave at least one external"
            )
            yield Diagnostic(loaded.display, line, col, name, message, code="no-external-entry")


def _repeated(loaded: LoadedSheet) -> Iterator[Diagnostic]:
    """An internal text that a text of external content contains (warning)."""
    # Folded once: every external text is searched for every one of them.
    secrets = [
        (t, t.text.casefold())
        for t in internal_texts(loaded.sheet)
        if len(t.text) >= LEAK_MIN_LENGTH
    ]
    if not secrets:
        return
    for path, text in external_field_texts(loaded.sheet):
        shown = text.casefold()
        for secret, folded in secrets:
            if folded in shown:
                message = (
                    f"external content repeats the internal text of {secret.path}"
                    f" ({quoted(secret.text, 40)}): the external edition would show it"
                )
                yield _at(loaded, path, message, severity="warning", code="internal-text-shown")
                break
