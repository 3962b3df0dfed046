"""Source references over plain data: citations and ``sources`` entries naming no source,
duplicate source ids, and the page-template rule, on the parsed value of any sheet.

They run on raw data, not on the validated model, so a sheet that does not validate still
gets them in the same run, with the same messages as a valid one (the rules call these
functions too).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from generator.errors import Diagnostic
from generator.factsheet.citations import find_citations
from generator.factsheet.locations import FieldPath, SourceMap, format_path
from generator.factsheet.model import FactSheet, is_markdown, quoted
from generator.factsheet.pages import not_a_page
from generator.factsheet.shapes import is_model, members

#: The paths of errors that leave a source's id unknown: the list, an entry, an id.
_SOURCE_ID_PATH = re.compile(r"sources(?:\[\d+\](?:\.id)?)?")


@dataclass(frozen=True)
class Reference:
    """A source id named in a citation or in a ``sources`` list; ``occurrence`` counts
    earlier citations of the same id in the same field."""

    source_id: str
    path: FieldPath
    in_citation: bool
    occurrence: int = 0


def references(data: Any) -> list[Reference]:
    """Every citation in a Markdown field and every text entry of a ``sources`` id list,
    in the data as parsed; parts of the wrong shape are passed over, never an error."""
    found: list[Reference] = []
    for path, name, value, markdown in _raw_fields(data, FactSheet, ()):
        if markdown and isinstance(value, str):
            seen: dict[str, int] = {}
            for citation in find_citations(value):
                for source_id in citation.ids:
                    found.append(Reference(source_id, path, True, seen.get(source_id, 0)))
                    seen[source_id] = seen.get(source_id, 0) + 1
        elif name == "sources" and isinstance(value, list) and path != ("sources",):
            found += [
                Reference(item, (*path, i), False)
                for i, item in enumerate(value)
                if isinstance(item, str)
            ]
    return found


def source_ids(data: Any) -> list[str] | None:
    """The ``id`` of each entry of ``sources``; None when one of them cannot be read (no
    list, an entry that is no mapping or has no text id): the ids are then not known."""
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list):
        return None
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in sources]
    return ids if all(isinstance(i, str) for i in ids) else None


def reference_errors(
    data: Any, source_map: SourceMap, display: str, found: list[Reference] | None = None
) -> list[Diagnostic]:
    """References naming no source, and source ids given twice, in ``data`` as parsed.

    ``found`` are the references when the caller has them already. Nothing is reported
    while the list of ids cannot be read: every citation would look unknown.
    """
    ids = source_ids(data)
    if ids is None:
        return []
    refs = references(data) if found is None else found
    return [*_unknown(refs, ids, source_map, display), *_duplicates(ids, source_map, display)]


def references_beside(
    invalid: list[Diagnostic], data: Any, source_map: SourceMap, display: str
) -> list[Diagnostic]:
    """The reference errors of a sheet that did not validate, with no reference called
    unknown while a source's id is itself in error: it is likely the id the reference
    meant. (The caller drops any finding at a field already reported.)"""
    ids_in_error = any(_SOURCE_ID_PATH.fullmatch(d.path) for d in invalid)
    found = [] if ids_in_error else None  # no references: only the duplicate ids
    return reference_errors(data, source_map, display, found)


def template_errors(
    data: Any, source_map: SourceMap, display: str, choices: Sequence[str] | None
) -> list[Diagnostic]:
    """A ``template`` given in ``data`` that is not one of the page templates ``choices``
    (None: no ``templates/`` folder to tell). Left out, the default is for templates/ to
    provide, so only a value written in the file is checked."""
    template = data.get("template") if isinstance(data, dict) else None
    problem = (
        None if choices is None or not isinstance(template, str) else not_a_page(template, choices)
    )
    if problem is None:
        return []
    message, suggestion = problem
    line, col = source_map.position(("template",))
    extra = {"suggestion": suggestion, "code": "unknown-template"}
    return [Diagnostic(display, line, col, "template", message, **extra)]


def _raw_fields(
    node: Any, annotation: Any, path: FieldPath
) -> Iterator[tuple[FieldPath, str, Any, bool]]:
    """``(path, name, value, is_markdown)`` for every known key of every mapping in
    ``node`` that the model's ``annotation`` describes as a model; unknown keys and values
    of the wrong shape are skipped, as validation reports them."""
    for member in members(annotation):
        if is_model(member) and isinstance(node, dict):
            for key, value in node.items():
                info = member.model_fields.get(key)
                if info is not None:
                    yield (*path, key), key, value, is_markdown(info)
                    yield from _raw_fields(value, info.annotation, (*path, key))
            return
        if get_origin(member) is list and isinstance(node, list):
            for index, item in enumerate(node):
                yield from _raw_fields(item, get_args(member)[0], (*path, index))
            return


def _citation_pattern(source_id: str) -> re.Pattern[str]:
    """``@id`` as written in the file, not followed by more of an id."""
    return re.compile("@" + re.escape(source_id) + r"(?![^\s;\[\]@])")


def reference_position(ref: Reference, source_map: SourceMap) -> tuple[int, int]:
    """Where a reference stands: the ``@id`` of a citation, or the ``sources`` entry."""
    if ref.in_citation:
        return source_map.locate(ref.path, _citation_pattern(ref.source_id), ref.occurrence)
    return source_map.position(ref.path)


def _unknown(
    refs: list[Reference], ids: list[str], source_map: SourceMap, display: str
) -> Iterator[Diagnostic]:
    """Citations and ``sources`` entries naming no source of the file."""
    known = set(ids)
    for ref in refs:
        if ref.source_id in known:
            continue
        close = difflib.get_close_matches(ref.source_id, ids, n=1)
        extra: dict[str, Any] = {"suggestion": close[0] if close else None}
        line, col = reference_position(ref, source_map)
        if ref.in_citation:
            message = f"citation [@{ref.source_id}] names no source of this file"
            extra["code"] = "unknown-citation"
        else:
            message = f"{quoted(ref.source_id)} names no source of this file"
            extra["code"] = "unknown-source"
        yield Diagnostic(display, line, col, format_path(ref.path), message, **extra)


def _duplicates(ids: list[str], source_map: SourceMap, display: str) -> Iterator[Diagnostic]:
    """A source id given to two sources; each repeat names the first."""
    first: dict[str, int] = {}
    for index, source_id in enumerate(ids):
        if source_id not in first:
            first[source_id] = index
            continue
        path = ("sources", index, "id")
        line, col = source_map.position(path)
        message = f"source id {quoted(source_id)} is already used by sources[{first[source_id]}]"
        yield Diagnostic(display, line, col, format_path(path), message, code="duplicate-source")
