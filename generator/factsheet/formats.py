"""The format gate: a key of a newer format in a file of an older one is a located error.

A file's format is its ``format`` key (1 when left out). Every key the models declare with
:func:`generator.factsheet.model.since` belongs to the format named there; a file of an
older format that gives one is told which format introduces it, so a format-1 file keeps
exactly its meaning. The walk is over the data as parsed, like the source-reference
checks, so a sheet that does not validate gets these errors in the same run; adding a key
to a later format needs nothing here, only ``since`` on its field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

from pydantic.fields import FieldInfo

from generator.errors import Diagnostic
from generator.factsheet.locations import FieldPath, SourceMap, format_path
from generator.factsheet.model import FORMAT_VERSION, LATEST_FORMAT, FactSheet, introduced_in
from generator.factsheet.shapes import is_model, members


def sheet_format(data: Any) -> int | None:
    """The format a sheet's data declares (1 when it gives none); None when ``format`` is
    not one of the known versions (the model reports that)."""
    value = data.get("format", FORMAT_VERSION) if isinstance(data, dict) else FORMAT_VERSION
    if isinstance(value, bool) or value not in range(1, LATEST_FORMAT + 1):
        return None
    return int(value)


def format_errors(data: Any, source_map: SourceMap, display: str) -> list[Diagnostic]:
    """A located error for every key of ``data`` that its declared format does not have."""
    version = sheet_format(data)
    if version is None:
        return []
    found = []
    for path, since in _versioned_keys(data, FactSheet, ()):
        if since > version:
            line, col = source_map.key_position(path)
            message = (
                f"'{path[-1]}' is a key of format {since}; this file is format {version}"
                f" (write `format: {since}` at the top to use it)"
            )
            found.append(Diagnostic(display, line, col, format_path(path), message, code="format"))
    return found


def _versioned_keys(node: Any, annotation: Any, path: FieldPath) -> Iterator[tuple[FieldPath, int]]:
    """``(path, format)`` of every known key in ``node`` that a format after 1 introduced."""
    for member in members(annotation):
        if is_model(member) and isinstance(node, dict):
            for key, value in node.items():
                info: FieldInfo | None = member.model_fields.get(key)
                if info is None:
                    continue
                if introduced_in(info) > FORMAT_VERSION:
                    # One error for the key; the keys under it belong to it.
                    yield (*path, key), introduced_in(info)
                    continue
                yield from _versioned_keys(value, info.annotation, (*path, key))
            return
        if get_origin(member) is list and isinstance(node, list):
            for index, item in enumerate(node):
                yield from _versioned_keys(item, get_args(member)[0], (*path, index))
            return
