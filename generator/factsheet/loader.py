"""A fact-sheet file to a validated :class:`FactSheet`, or every problem with it.

:mod:`generator.factsheet.yamlsrc` turns the bytes into plain data and positions; the model
validates the data; each of pydantic's errors is then rewritten as a short, located
:class:`Diagnostic` (``challenges[2].severity: 'severe' is not one of low, medium, high``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Diagnostic, FactSheetError
from generator.factsheet.citations import find_citations
from generator.factsheet.files import OUTSIDE_CODE, confine
from generator.factsheet.locations import FieldPath, SourceMap, failure, format_path, position_key
from generator.factsheet.lookalikes import explain_lookalike
from generator.factsheet.model import (
    SLUG_PATTERN,
    SOURCE_ID_PATTERN,
    FactSheet,
    is_markdown,
    quoted,
    type_name,
)
from generator.factsheet.pages import not_a_page
from generator.factsheet.yamlsrc import MAX_DIAGNOSTICS, parse, plain_decimal
from generator.settings import DEFAULT_MAX_BYTES

#: What each of pydantic's type errors says was expected.
_EXPECTED = {
    "string_type": "text",
    "int_type": "a number",
    "float_type": "a number",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
M = TypeVar("M", bound=BaseModel)

_PATTERNS = {
    SLUG_PATTERN: "a lower-case slug (a-z, 0-9 and -)",
    SOURCE_ID_PATTERN: "a valid source id (letters and digits, with - _ . between them)",
}

#: The paths of errors that leave a source's id unknown: the list, an entry, an id.
_SOURCE_ID_PATH = re.compile(r"sources(?:\[\d+\](?:\.id)?)?")

#: The longest brief id: its outputs' temporary names (``.tmp-<pid>-<id>.html``) must
#: stay under the 255 bytes a file name may have.
MAX_BRIEF_ID = 200


@dataclass(frozen=True)
class LoadedSheet:
    """A fact sheet that passed validation, with what is needed to locate findings."""

    brief_id: str
    display: str
    sheet: FactSheet
    source_map: SourceMap
    #: Loader-level warnings (none are defined by format 1; kept for the contract).
    warnings: list[Diagnostic]
    #: SHA-256 of the exact bytes loaded: what an output built from this sheet records.
    source_sha: str = ""


@dataclass(frozen=True)
class _Problem:
    """One pydantic error placed in the data; ``union`` is the path of the union it
    passed through, if any."""

    error: ErrorDetails
    path: FieldPath
    union: FieldPath | None


def load(
    path: Path,
    display: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    root: Path | None = None,
    page_templates: Sequence[str] | None = None,
) -> LoadedSheet:
    """Read and validate the fact sheet at ``path``; its file name stem is the brief id.

    ``root`` is the project the sheet must belong to (see :func:`read_sheet`). Raises
    :class:`FactSheetError` with every problem found, sorted by position.
    """
    data = read_sheet(path, display, max_bytes, root)
    return load_bytes(data, display, path.stem, max_bytes=max_bytes, page_templates=page_templates)


def load_bytes(
    data: bytes,
    display: str,
    brief_id: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    page_templates: Sequence[str] | None = None,
) -> LoadedSheet:
    """Validate a fact sheet given as bytes; ``display`` names it in messages.

    Raises :class:`FactSheetError` with every problem found, sorted by position; for a
    sheet that does not validate, those include the cross-field errors its data still
    shows (:func:`reference_errors`, and :func:`template_errors` when ``page_templates``
    are given), so one run reports them all.
    """
    problems = _check_brief_id(brief_id, display)
    try:
        value, source_map = parse(data, display, max_bytes=max_bytes)
    except FactSheetError as exc:
        raise failure(display, problems + exc.diagnostics) from None
    try:
        sheet = FactSheet.model_validate(value)
    except ValidationError as exc:
        invalid = _convert(exc, value, source_map, display, FactSheet)
        beside = _references_beside(invalid, value, source_map, display)
        beside += template_errors(value, source_map, display, page_templates)
        taken = {d.path for d in invalid}
        problems += _limit(invalid + [d for d in beside if d.path not in taken])
    if problems:
        raise failure(display, problems, value)
    return LoadedSheet(brief_id, display, sheet, source_map, [], hashlib.sha256(data).hexdigest())


def validate_model(model: type[M], data: Any, source_map: SourceMap, display: str) -> M:
    """Validate data parsed by :func:`generator.factsheet.yamlsrc.parse` against any of our models.

    The same located, worded diagnostics as for fact sheets (used for ``delivery.yaml``);
    raises :class:`FactSheetError` with every problem found, sorted by position.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise failure(display, _limit(_convert(exc, data, source_map, display, model))) from None


def read_sheet(path: Path, display: str, max_bytes: int, root: Path | None = None) -> bytes:
    """The file's bytes, one more than ``max_bytes`` at most: enough to tell it is too big.

    The file must be one of the project at ``root``; by default the folder above the
    sheet's own, as fact sheets live in ``<root>/briefs/``. A link leading out of it is
    refused before anything is read (:mod:`generator.factsheet.files`).
    """
    real, outside = confine(path, path.parent.parent if root is None else root)
    if outside is not None:
        diagnostic = Diagnostic(display, None, None, "", outside.message, code=OUTSIDE_CODE)
        raise failure(display, [diagnostic])
    try:
        data = _read_regular(real, max_bytes)
        if data is not None:
            return data
        reason = "not a regular file"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    message = f"cannot read the file: {reason}"
    raise failure(display, [Diagnostic(display, None, None, "", message, code="io")])


def _read_regular(real: str, max_bytes: int) -> bytes | None:
    """Up to ``max_bytes + 1`` bytes of the regular file at the resolved path ``real``;
    None for anything else."""
    # A folder, a FIFO or a device is refused before opening: a FIFO would block.
    if not stat.S_ISREG(os.stat(real).st_mode):
        return None
    # The path checked is the path opened: no link followed at its end, so a link put
    # there since cannot lead the read elsewhere; no wait should a FIFO be put there.
    fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read(max_bytes + 1)


def _check_brief_id(brief_id: str, display: str) -> list[Diagnostic]:
    if len(brief_id) > MAX_BRIEF_ID:
        message = (
            f"the brief id is {len(brief_id)} characters long; at most {MAX_BRIEF_ID}:"
            " rename the file"
        )
        return [Diagnostic(display, None, None, "", message, code="file-name")]
    if re.fullmatch(SLUG_PATTERN, brief_id):
        return []
    message = (
        f"{quoted(brief_id)} is not a valid brief id: the file name must be"
        " a lower-case slug (a-z, 0-9 and -) followed by .yaml"
    )
    return [Diagnostic(display, None, None, "", message, code="file-name")]


def _limit(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """At most :data:`MAX_DIAGNOSTICS`, in file order, then one line for the rest."""
    ordered = sorted(diagnostics, key=position_key)
    if len(ordered) <= MAX_DIAGNOSTICS:
        return ordered
    first = ordered[MAX_DIAGNOSTICS]
    rest = f"{len(ordered) - MAX_DIAGNOSTICS} more problems from here on are not shown"
    note = Diagnostic(first.file, first.line, first.col, "", rest, code="too-many")
    return [*ordered[:MAX_DIAGNOSTICS], note]


def _convert(
    exc: ValidationError, data: Any, source_map: SourceMap, display: str, root: type[BaseModel]
) -> list[Diagnostic]:
    """Every pydantic error as a Diagnostic, union noise collapsed."""
    groups: dict[Any, list[_Problem]] = {}
    for number, error in enumerate(exc.errors(include_url=False)):
        problem = _place(error, data)
        key = problem.union if problem.union is not None else number
        groups.setdefault(key, []).append(problem)
    describe = _Describer(source_map, display, root)
    return [d for group in groups.values() for d in describe.group(group)]


def _place(error: ErrorDetails, data: Any) -> _Problem:
    """Split pydantic's location into the data path and the union member names in it."""
    loc, node = error["loc"], data
    path: list[str | int] = []
    union: FieldPath | None = None
    for index, part in enumerate(loc):
        is_missing_key = error["type"] == "missing" and index == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and (part in node or is_missing_key):
            path.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif union is None:  # a union member's name, such as 'constrained-str'
            union = tuple(path)
    return _Problem(error, tuple(path), union)


class _Describer:
    """Turns placed problems into located, worded diagnostics."""

    def __init__(self, source_map: SourceMap, display: str, root: type[BaseModel]) -> None:
        self.source_map = source_map
        self.display = display
        self.root = root

    def group(self, problems: list[_Problem]) -> list[Diagnostic]:
        """One union's errors: the branches that got further, or one type message."""
        if problems[0].union is None:
            return [self.one(p) for p in problems]
        deeper = [p for p in problems if p.path != p.union or p.error["type"] not in _EXPECTED]
        if deeper:
            return [self.one(p) for p in deeper]
        kinds = list(dict.fromkeys(_EXPECTED[p.error["type"]] for p in problems))
        return [self._type(problems[0], kinds)]

    def one(self, problem: _Problem) -> Diagnostic:
        """A single error."""
        kind = problem.error["type"]
        if kind in _EXPECTED:
            return self._type(problem, [_EXPECTED[kind]])
        handlers = {
            "missing": self._missing,
            "extra_forbidden": self._extra_forbidden,
            "literal_error": self._literal_error,
            "string_too_short": self._string_too_short,
            "too_short": self._too_short,
            "string_pattern_mismatch": self._string_pattern_mismatch,
            "value_error": self._value_error,
        }
        if kind not in handlers:
            return self._at(problem.path, problem.error["msg"])
        return handlers[kind](problem)

    def _at(self, path: FieldPath, message: str, *, key: bool = False, **extra: Any) -> Diagnostic:
        find = self.source_map.key_position if key else self.source_map.position
        line, col = find(path)
        return Diagnostic(self.display, line, col, format_path(path), message, **extra)

    def _type(self, problem: _Problem, kinds: list[str]) -> Diagnostic:
        value, path = problem.error["input"], problem.path
        raw = self.source_map.raw_text(path)
        message = f"expected {' or '.join(kinds)}, got {_got(value, raw)}"
        if "text" in kinds and isinstance(value, bool | int | float):
            message += f" (quote it if you mean the text {quoted(raw or value)})"
        plain = plain_decimal(value) if isinstance(value, str) else None
        if plain not in (None, value) and "a number" in kinds:
            # 7.59e9 is text here but a number in an editor: say what to write.
            message += f" (write {plain}: only plain decimals are numbers)"
        return self._at(path, message, code="type")

    def _missing(self, problem: _Problem) -> Diagnostic:
        line, col = self.source_map.position(problem.path[:-1])
        path = format_path(problem.path)
        return Diagnostic(self.display, line, col, path, "required key is missing", code="missing")

    def _extra_forbidden(self, problem: _Problem) -> Diagnostic:
        path = problem.path
        names = [name for model in _models_at(path[:-1], self.root) for name in model.model_fields]
        close = difflib.get_close_matches(str(path[-1]), names, n=1)
        suggestion = close[0] if close else None
        return self._at(path, "unknown key", key=True, suggestion=suggestion, code="unknown-key")

    def _literal_error(self, problem: _Problem) -> Diagnostic:
        value, path = problem.error["input"], problem.path
        types_here = _types_at(path, self.root)
        allowed = [v for tp in types_here if get_origin(tp) is Literal for v in get_args(tp)]
        choices = ", ".join(str(v) for v in allowed)
        raw = self.source_map.raw_text(path)
        expected = f"one of {choices}" if len(allowed) > 1 else choices
        if value is None or isinstance(value, dict | list):
            return self._at(path, f"expected {expected}, got {_got(value, raw)}", code="value")
        shown = quoted(value) if isinstance(value, str) else raw or str(value)
        if len(allowed) == 1:
            return self._at(path, f"expected {expected}, got {shown}", code="value")
        texts = [v for v in allowed if isinstance(v, str)]
        close = difflib.get_close_matches(value, texts, n=1) if isinstance(value, str) else []
        message = f"{shown} is not one of {choices}"
        return self._at(path, message, suggestion=close[0] if close else None, code="value")

    def _string_too_short(self, problem: _Problem) -> Diagnostic:
        return self._at(problem.path, "must not be empty", code="value")

    def _too_short(self, problem: _Problem) -> Diagnostic:
        least = (problem.error.get("ctx") or {}).get("min_length", 1)
        entries = "one entry" if least == 1 else f"{least} entries"
        return self._at(problem.path, f"needs at least {entries}", code="value")

    def _string_pattern_mismatch(self, problem: _Problem) -> Diagnostic:
        pattern = (problem.error.get("ctx") or {}).get("pattern", "")
        what = _PATTERNS.get(pattern, f"of the form {pattern}")
        message = f"{quoted(problem.error['input'])} is not {what}"
        lookalike = explain_lookalike(str(problem.error["input"]))
        if lookalike:
            message += f": it has a lookalike letter, {lookalike}"
        return self._at(problem.path, message, code="value")

    def _value_error(self, problem: _Problem) -> Diagnostic:
        cause = (problem.error.get("ctx") or {}).get("error")
        return self._at(problem.path, str(cause or problem.error["msg"]), code="value")


def _got(value: Any, raw: str | None) -> str:
    """What the YAML gave, for ``expected ..., got ...``; ``raw`` is how it was written."""
    if value is None:
        return "an empty value" if raw == "" else "null"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    return type_name(value)


def _types_at(path: FieldPath, root: type[BaseModel]) -> list[Any]:
    """The model's possible types at a data path (unions and Annotated unwrapped)."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for tp in current:
            if isinstance(part, str) and _is_model(tp) and part in tp.model_fields:
                following.append(tp.model_fields[part].annotation)
            elif isinstance(part, int) and get_origin(tp) is list:
                following.append(get_args(tp)[0])
            elif isinstance(part, str) and get_origin(tp) is dict:
                following.append(get_args(tp)[1])
        current = [member for tp in following for member in _members(tp)]
    return current


def _models_at(path: FieldPath, root: type[BaseModel]) -> list[type[BaseModel]]:
    return [tp for tp in _types_at(path, root) if _is_model(tp)]


def _members(tp: Any) -> Iterator[Any]:
    """``tp`` without ``Annotated``, unions split into their members."""
    origin = get_origin(tp)
    if origin is Annotated:
        yield from _members(get_args(tp)[0])
    elif origin is Union or origin is types.UnionType:
        for member in get_args(tp):
            yield from _members(member)
    else:
        yield tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


# Source references over plain data: the parsed value of any sheet, valid or not.


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


def _references_beside(
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
    for member in _members(annotation):
        if _is_model(member) and isinstance(node, dict):
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
        if ref.in_citation:
            line, col = source_map.locate(
                ref.path, _citation_pattern(ref.source_id), ref.occurrence
            )
            message = f"citation [@{ref.source_id}] names no source of this file"
            extra["code"] = "unknown-citation"
        else:
            line, col = source_map.position(ref.path)
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
