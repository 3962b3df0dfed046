"""YAML text to plain data, plus where every value stands in the file.

The data is built from PyYAML's parse *events*, never from its constructors, so no tag
can construct or run anything, and it is built with an explicit stack instead of
recursion, so deep nesting meets a clear limit instead of ``RecursionError``.

Plain scalars are read by the format's narrowed YAML 1.2 core rules:

* ``null``, ``Null``, ``NULL``, ``~`` and nothing at all are null;
* ``true``/``True``/``TRUE`` and ``false``/``False``/``FALSE`` are booleans;
* integers ``-?(0|[1-9][0-9]*)`` and decimals ``-?(0|[1-9][0-9]*).[0-9]+`` are numbers;
* ``.inf``, ``-.inf``, ``.nan`` (any case) are errors: numbers must be finite;
* everything else is text: ``yes``, ``NO``, ``on``, ``012345``, ``12:30``, ``0x1F``,
  ``1_000``, ``2026-01-20`` and also exponent forms such as ``1e3``, which the format's
  "plain decimal numbers only" leaves out.

Quoted and block scalars are always text, and keys are always text (``1: x`` has the key
``'1'``). Anchors, aliases, merge keys and explicit tags are errors.

:func:`parse` raises on any problem. :func:`read` is for fact sheets, which report every
problem of a file in one run: it returns the YAML-level problems beside the data
whenever the document could still be read in full (a key given twice keeps its first
value; a refused alias or non-finite number reads as null), so the model and citation
checks can run on the rest. Only a syntax error, or a file the reader had to stop in
(too deep, too many problems), leaves nothing whole to check; its message says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from generator.errors import Diagnostic
from generator.factsheet.locations import (
    FieldPath,
    Position,
    SourceMap,
    failure,
    format_path,
    offset_position,
)
from generator.factsheet.model import type_name
from generator.factsheet.scalars import resolve_plain
from generator.settings import format_size

#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64
#: Problems reported for one file at most; a last line says the rest went unchecked.
MAX_DIAGNOSTICS = 100

_BOM = b"\xef\xbb\xbf"
_ANCHOR_MESSAGE = "anchors and aliases are not allowed"
#: Added to a syntax error's message by :func:`read`: nothing after it could be checked.
FIX_FIRST = "fix this first: the other checks did not run"


@dataclass(frozen=True)
class Parsed:
    """What :func:`read` made of a file: the data, where it stands, the YAML problems.

    ``complete`` says the data holds the whole document, a mapping, so the model's checks
    mean something; when false, ``problems`` are all there is to report.
    """

    value: Any
    source_map: SourceMap
    problems: list[Diagnostic]
    complete: bool


def parse(data: bytes, display: str, *, max_bytes: int) -> tuple[Any, SourceMap]:
    """Read one fact-sheet file's bytes into plain data and its :class:`SourceMap`.

    Raises :class:`FactSheetError` listing every problem found, sorted by position.
    """
    builder = _build(data, display, max_bytes)
    if builder.errors:
        raise failure(display, builder.errors)
    return builder.root, builder.source_map()


def read(data: bytes, display: str, *, max_bytes: int) -> Parsed:
    """Like :func:`parse`, but YAML-level problems come back beside the data.

    Raises :class:`FactSheetError` only when the bytes are no text to read (too large,
    not UTF-8). The message of a syntax error, or of nesting too deep to read on,
    ends with :data:`FIX_FIRST`.
    """
    builder = _build(data, display, max_bytes)
    problems = builder.errors
    if builder.syntax_error or (builder.stopped and problems[-1].code != "too-many"):
        # The reader gave up here: nothing after this point was read.
        *before, last = problems
        problems = [*before, replace(last, message=f"{last.message}; {FIX_FIRST}")]
    complete = not (builder.syntax_error or builder.stopped) and isinstance(builder.root, dict)
    return Parsed(builder.root, builder.source_map(), problems, complete)


def _build(data: bytes, display: str, max_bytes: int) -> _Builder:
    """The file's bytes run through the event builder, problems gathered, not raised."""
    text = _decode(data, display, max_bytes)
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(display, text)
    builder.run(fast)
    if builder.syntax_error and fast is not yaml.SafeLoader:
        # The pure parser words its errors the same whether or not libyaml is
        # installed, so messages (and the tests that pin them) do not depend on it.
        builder = _Builder(display, text)
        builder.run(yaml.SafeLoader)
    return builder


def _decode(data: bytes, display: str, max_bytes: int) -> str:
    """Check the size, decode strict UTF-8 (dropping a BOM) and normalise line breaks."""
    if len(data) > max_bytes:
        message = f"the file is larger than the size limit of {format_size(max_bytes)}"
        raise failure(display, [Diagnostic(display, None, None, "", message, code="too-large")])
    body = data.removeprefix(_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = _normalise(body[: exc.start].decode("utf-8"))
        line = before.count("\n") + 1
        col = len(before) - before.rfind("\n")
        offset = len(data) - len(body) + exc.start
        message = (
            f"the file is not valid UTF-8: byte 0x{body[exc.start]:02x} at offset {offset}"
            f" (line {line}, column {col})"
        )
        diagnostic = Diagnostic(display, line, col, "", message, code="encoding")
        raise failure(display, [diagnostic]) from None
    return _normalise(text)


def _normalise(text: str) -> str:
    """CRLF and lone CR become LF, so a file reads the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mark(mark: Any) -> Position:
    """A PyYAML mark (0-based) as a 1-based position."""
    return (mark.line + 1, mark.column + 1)


def _shown_tag(tag: str) -> str:
    """A resolved tag as the user wrote it: ``tag:yaml.org,2002:str`` -> ``!!str``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


class _Stop(Exception):
    """Parsing cannot usefully go on (a second document, too deep, too many problems)."""


@dataclass
class _Frame:
    """A list or mapping being filled; ``path`` is None inside a rejected key."""

    container: dict[str, Any] | list[Any]
    path: FieldPath | None
    is_key: bool = False
    key: str = ""
    expecting_key: bool = True
    discard: bool = False
    seen: dict[str, Position] = field(default_factory=dict)


class _Builder:
    """Turns the event stream of one file into data, positions and diagnostics."""

    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.text = text
        self.errors: list[Diagnostic] = []
        self.syntax_error = False
        #: Reading stopped inside the document (too deep, too many problems).
        self.stopped = False
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.values: dict[FieldPath, Position] = {}
        self.keys: dict[FieldPath, Position] = {}
        self.raw: dict[FieldPath, str] = {}
        self.spans: dict[FieldPath, tuple[int, int]] = {}

    def run(self, loader: type) -> None:
        """Consume every event of ``self.text``; problems land in ``self.errors``."""
        with contextlib.closing(yaml.parse(self.text, Loader=loader)) as events:
            try:
                for event in events:
                    self._feed(event)
                self._check_document()
            except _Stop:
                pass
            except yaml.YAMLError as exc:
                self.syntax_error = True
                self.errors.append(self._syntax_diagnostic(exc))

    def source_map(self) -> SourceMap:
        """The positions gathered while building."""
        return SourceMap(self.values, self.keys, self.raw, self.spans, self.text)

    def _feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent):
            self._start(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self._start(event, [])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._end()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                message = "a file holds one YAML document, but a second one starts here"
                self._error(_mark(event.start_mark), "", message, code="yaml")
                raise _Stop

    def _error(self, where: Position | None, path: str, message: str, **extra: Any) -> None:
        line, col = where or (None, None)
        self.errors.append(Diagnostic(self.display, line, col, path, message, **extra))
        if len(self.errors) >= MAX_DIAGNOSTICS:
            stop = "too many problems: the rest of the file was not checked"
            self.errors.append(Diagnostic(self.display, line, col, "", stop, code="too-many"))
            self.stopped = True
            raise _Stop

    def _child_path(self) -> FieldPath | None:
        """The path the next node will have; None for a key or inside a rejected key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.path is None or (isinstance(top.container, dict) and top.expecting_key):
            return None
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return None if top.discard else (*top.path, top.key)

    def _in_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.container, dict) and top.expecting_key

    def _check_node(self, event: yaml.NodeEvent, path: FieldPath | None) -> None:
        """Anchors and explicit tags are refused wherever they stand."""
        where, shown = _mark(event.start_mark), format_path(path or ())
        if event.anchor is not None:
            self._error(where, shown, _ANCHOR_MESSAGE, code="yaml")
        tag = getattr(event, "tag", None)
        if tag is not None:
            message = f"explicit tags are not allowed (found {_shown_tag(tag)})"
            self._error(where, shown, message, code="yaml")

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        path = self._child_path()
        self._check_node(event, path)
        if self._in_key():
            self._take_key(event)
            return
        value: Any = event.value
        if event.style in (None, "") and event.tag is None:
            try:
                value = resolve_plain(event.value)
            except ValueError as exc:
                where, shown = _mark(event.start_mark), format_path(path or ())
                self._error(where, shown, str(exc), code="yaml")
                value = None
        if path is not None:
            self.values[path] = _mark(event.start_mark)
            self.spans[path] = (event.start_mark.index, event.end_mark.index)
            if not isinstance(value, str):
                self.raw[path] = event.value
        self._attach(value)

    def _alias(self, event: yaml.AliasEvent) -> None:
        path = self._child_path()
        self._error(_mark(event.start_mark), format_path(path or ()), _ANCHOR_MESSAGE, code="yaml")
        if self._in_key():
            self._reject_key()
        else:
            self._attach(None)

    def _start(self, event: yaml.CollectionStartEvent, container: dict | list) -> None:
        where = _mark(event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            self._error(where, "", f"nesting is deeper than {MAX_DEPTH} levels", code="yaml")
            self.stopped = True
            raise _Stop
        path, is_key = self._child_path(), self._in_key()
        self._check_node(event, path)
        if is_key:
            self._error(where, "", "a key must be plain or quoted text, not a list or mapping")
        elif path is not None:
            self.values[path] = where
        self.stack.append(_Frame(container, path, is_key=is_key))

    def _end(self) -> None:
        frame = self.stack.pop()
        if frame.is_key:
            self._reject_key()
        else:
            self._attach(frame.container)

    def _take_key(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1]
        key, where = event.value, _mark(event.start_mark)
        top.key, top.expecting_key, top.discard = key, False, True
        shown = format_path((*top.path, key)) if top.path is not None else ""
        if event.style in ("|", ">"):
            message = "a key must be plain or quoted text, not a block scalar"
            self._error(where, format_path(top.path or ()), message)
        elif key == "<<" and event.style in (None, ""):
            self._error(where, format_path(top.path or ()), "merge keys (<<) are not allowed")
        elif key in top.seen:
            line, col = top.seen[key]
            message = f"key given twice (first at line {line}, column {col})"
            self._error(where, shown, message, code="duplicate-key")
        else:
            top.seen[key], top.discard = where, False
            if top.path is not None:
                self.keys[(*top.path, key)] = where

    def _reject_key(self) -> None:
        top = self.stack[-1]
        top.expecting_key, top.discard = False, True

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if not top.discard:
            top.container[top.key] = value
        top.expecting_key, top.discard = True, False

    def _check_document(self) -> None:
        if self.documents == 0:
            self._error(None, "", "the file is empty: it holds no YAML document", code="yaml")
        elif not isinstance(self.root, dict):
            message = (
                f"the top level must be a mapping of keys to values, got {type_name(self.root)}"
            )
            self._error(self.values.get((), (1, 1)), "", message, code="yaml")

    def _syntax_diagnostic(self, exc: yaml.YAMLError) -> Diagnostic:
        """PyYAML's own wording, located 1-based."""
        if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
            line, col = _mark(exc.problem_mark)
            message = exc.problem or "invalid YAML"
            if exc.context and exc.context_mark is not None:
                c_line, c_col = _mark(exc.context_mark)
                message += f" ({exc.context} started at line {c_line}, column {c_col})"
            return Diagnostic(self.display, line, col, "", message, code="yaml")
        if isinstance(exc, yaml.reader.ReaderError):
            line, col = offset_position(self.text, exc.position)
            message = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
            return Diagnostic(self.display, line, col, "", message, code="yaml")
        return Diagnostic(self.display, None, None, "", str(exc), code="yaml")
