"""The subject template: ``[Brief] {title} — as of {as_of}``, filled safely.

The template looks like a ``str.format`` string, but it is never handed to ``str.format``:
only bare field names are allowed (no ``{title.__class__}``, no ``{0}``, no format specs),
each is replaced by its value as plain text, and a value is never read as a template, so
fact-sheet text cannot inject fields or, with its line breaks, headers.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

#: The fields a subject template may use.
SUBJECT_FIELDS: tuple[str, ...] = ("title", "as_of", "jurisdiction", "status", "id", "stage")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
#: Runs of white space, but for the no-break spaces (U+00A0, U+2007, U+202F).
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")


class SubjectTemplateError(ValueError):
    """A subject template that cannot be filled; ``field`` is the offending field, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def parse_subject(template: str) -> list[tuple[str, str | None]]:
    """Split a template into ``(literal, field or None)`` pieces; raise on anything unsafe."""
    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise SubjectTemplateError(f"the subject template does not parse: {exc}") from None
    result: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in pieces:
        if name is not None:
            if spec or conversion:
                raise SubjectTemplateError(
                    f"'{{{name}}}' may not have a format spec or conversion", name
                )
            if name not in SUBJECT_FIELDS:
                raise SubjectTemplateError(
                    f"unknown field '{{{name}}}'; the fields are "
                    + ", ".join(f"{{{f}}}" for f in SUBJECT_FIELDS),
                    name,
                )
        result.append((literal, name))
    return result


def header_text(value: str) -> str:
    """``value`` on one line: line breaks and control characters become single spaces.

    A no-break space is kept: it is typography (French « guillemets » hold narrow ones,
    ``smart_quotes``), not a break, and a header may carry it as any other character.
    """
    return " ".join(w for w in _SPACES.split(_CONTROL.sub(" ", value)) if w)


def render_subject(template: str, values: Mapping[str, str]) -> str:
    """Fill ``template`` with ``values`` as plain text, on one line."""
    out = []
    for literal, name in parse_subject(template):
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return header_text("".join(out))
