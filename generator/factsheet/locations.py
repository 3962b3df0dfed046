"""Where things stand in a fact sheet: field paths, line and column, and located errors.

A field path is ``("challenges", 2, "severity")``; every message shows it as
``challenges[2].severity`` (:func:`format_path`), for fact sheets and for
``delivery.yaml`` alike. :class:`SourceMap` turns a path into the 1-based line and
column of its value or key in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Diagnostic, FactSheetError

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

#: What PyYAML counts as a line break.
LINE_BREAK = re.compile("[\n\x85\u2028\u2029]")


def format_path(path: Iterable[str | int]) -> str:
    """A field path as shown in messages: ``("challenges", 2, "severity")`` ->
    ``challenges[2].severity``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class SourceMap:
    """Where each value and key of a parsed file stands (1-based line and column)."""

    values: Mapping[FieldPath, Position]
    keys: Mapping[FieldPath, Position]
    #: The source text of plain scalars that were read as something other than text.
    raw: Mapping[FieldPath, str] = field(default_factory=dict)
    #: Character offsets ``(start, end)`` of each scalar value in ``text``.
    spans: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    #: The decoded text, line breaks normalised to ``\\n``.
    text: str = field(default="", repr=False)

    def position(self, path: FieldPath) -> Position:
        """The value at ``path``, or its nearest recorded ancestor; ``(1, 1)`` at worst."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def key_position(self, path: FieldPath) -> Position:
        """The key of ``path`` (a list item's own start); falls back like :meth:`position`."""
        return self.keys.get(path) or self.position(path)

    def raw_text(self, path: FieldPath) -> str | None:
        """How a null, boolean or number at ``path`` was written, e.g. ``'1.10'``."""
        return self.raw.get(path)

    def locate(self, path: FieldPath, pattern: re.Pattern[str], occurrence: int = 0) -> Position:
        """Where the ``occurrence``-th match of ``pattern`` stands inside the scalar at
        ``path``; the scalar's own position when the source does not show it."""
        span = self.spans.get(path)
        if span is not None:
            matches = pattern.finditer(self.text, span[0], span[1])
            found = next((m for i, m in enumerate(matches) if i == occurrence), None)
            if found is not None:
                return offset_position(self.text, found.start())
        return self.position(path)


def failure(display: str, diagnostics: list[Diagnostic], data: Any = None) -> FactSheetError:
    """The error for a file with these problems, sorted by position; ``data`` as parsed."""
    ordered = sorted(diagnostics, key=position_key)
    count = sum(d.is_error for d in ordered)
    return FactSheetError(f"{display}: {count} error{'' if count == 1 else 's'}", ordered, data)


def position_key(diagnostic: Diagnostic) -> tuple[int, int]:
    """Sort key putting diagnostics in file order, file-wide ones first."""
    return (diagnostic.line or 0, diagnostic.col or 0)


def offset_position(text: str, offset: int) -> Position:
    """1-based line and column of a character offset, counting breaks as PyYAML does."""
    breaks = list(LINE_BREAK.finditer(text, 0, offset))
    line_start = breaks[-1].end() if breaks else 0
    return (len(breaks) + 1, offset - line_start + 1)
