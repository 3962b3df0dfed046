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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Diagnostic, FactSheetError
from generator.factsheet.files import OUTSIDE_CODE, confine
from generator.factsheet.formats import format_errors
from generator.factsheet.locations import FieldPath, SourceMap, failure, format_path, position_key
from generator.factsheet.lookalikes import explain_lookalike
from generator.factsheet.model import (
    MARKING_PATTERN,
    SLUG_PATTERN,
    SOURCE_ID_PATTERN,
    UNIT_PATTERN,
    FactSheet,
    quoted,
    type_name,
)
from generator.factsheet.references import references_beside, template_errors
from generator.factsheet.scalars import plain_decimal
from generator.factsheet.shapes import models_at, types_at
from generator.factsheet.yamlsrc import MAX_DIAGNOSTICS, Parsed, read
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
    UNIT_PATTERN: "a unit (a currency code such as USD, or GWh, jobs...) on one line",
    MARKING_PATTERN: "a marking code (letters and digits, with spaces and - _ . / between them)",
}


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
        parsed = read(data, display, max_bytes=max_bytes)
    except FactSheetError as exc:
        raise failure(display, problems + exc.diagnostics) from None
    value, source_map = parsed.value, parsed.source_map
    problems += parsed.problems + format_errors(value, source_map, display)
    if not parsed.complete:
        raise failure(display, problems)
    try:
        sheet = FactSheet.model_validate(value)
    except ValidationError as exc:
        invalid = _convert(exc, value, source_map, display, FactSheet)
        problems += _beside(invalid, parsed, display, page_templates)
    else:
        if parsed.problems:
            # The model took the data as read, but the file still has YAML-level errors:
            # the cross-field errors are reported with them, as for a sheet that fails.
            problems += _beside([], parsed, display, page_templates)
    if problems:
        raise failure(display, problems, value)
    return LoadedSheet(brief_id, display, sheet, source_map, [], hashlib.sha256(data).hexdigest())


def _beside(
    invalid: list[Diagnostic], parsed: Parsed, display: str, page_templates: Sequence[str] | None
) -> list[Diagnostic]:
    """``invalid`` (the model's errors) with the cross-field errors the data still shows,
    none at a field already reported, by the model or by the YAML reader (a refused alias
    reads as null: "expected text, got null" there would only repeat it)."""
    value, source_map = parsed.value, parsed.source_map
    beside = references_beside(invalid, value, source_map, display)
    beside += template_errors(value, source_map, display, page_templates)
    taken = {d.path for d in parsed.problems if d.path}
    found = [d for d in invalid if d.path not in taken]
    taken |= {d.path for d in invalid}
    return _limit(found + [d for d in beside if d.path not in taken])


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
            "less_than_equal": self._out_of_range,
            "greater_than_equal": self._out_of_range,
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
        listed = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
        message = f"expected {listed}, got {_got(value, raw)}"
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
        names = [name for model in models_at(path[:-1], self.root) for name in model.model_fields]
        close = difflib.get_close_matches(str(path[-1]), names, n=1)
        suggestion = close[0] if close else None
        return self._at(path, "unknown key", key=True, suggestion=suggestion, code="unknown-key")

    def _literal_error(self, problem: _Problem) -> Diagnostic:
        value, path = problem.error["input"], problem.path
        types_here = types_at(path, self.root)
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

    def _out_of_range(self, problem: _Problem) -> Diagnostic:
        bound = problem.error.get("ctx") or {}
        if "le" in bound:
            message = f"{problem.error['input']} is more than {bound['le']:g}, the most allowed"
        else:
            message = f"{problem.error['input']} is less than {bound['ge']:g}, the least allowed"
        return self._at(problem.path, message, code="value")

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
