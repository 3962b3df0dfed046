"""Writing accepted text back into a fact sheet, one scalar at a time.

Only the characters of the edited scalar change: the loader's source map gives each
scalar's span in the file, and the new text replaces that span and nothing else, so
comments, key order, blank lines and every other value keep their bytes. The new scalar
keeps the old one's style (plain, quoted, literal ``|`` or folded ``>``) where the text
allows it, and becomes a double-quoted scalar where it does not. Every edit is proven
before it is kept: the edited file is read again by the project's own YAML reader, the
edited field must hold exactly the new text and every other value must be as it was, and
the sheet must still pass validation. An edit that fails any of these is not made, and
says why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import FactSheetError
from generator.factsheet import FieldPath, load_bytes, yamlsrc
from generator.settings import DEFAULT_MAX_BYTES

_BOM = b"\xef\xbb\xbf"
#: Folded and literal text is wrapped to lines of at most this many characters.
WRAP = 88


@dataclass(frozen=True)
class Replacement:
    """Put ``value`` at ``path`` of the sheet."""

    path: FieldPath
    value: str
    #: The text is Markdown, where a line break inside a paragraph is a space: a literal
    #: block may be wrapped too.
    wrap: bool = False


@dataclass(frozen=True)
class Applied:
    """The sheet's new bytes, and why each edit that was not made was refused."""

    data: bytes
    refused: dict[FieldPath, str]


def apply_edits(data: bytes, display: str, brief_id: str, edits: list[Replacement]) -> Applied:
    """``data`` with every edit that can be made safely; the others refused with a reason."""
    text = data.removeprefix(_BOM).decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    rest = text.replace("\r\n", "")
    if "\r" in rest or (newline == "\r\n" and "\n" in rest):
        reason = "the file mixes line endings; make them one kind first"
        return Applied(data, {edit.path: reason for edit in edits})
    bom = _BOM if data.startswith(_BOM) else b""
    max_bytes = max(len(data) * 4, 1 << 20)
    expected, source_map = yamlsrc.parse(data, display, max_bytes=max_bytes)
    current = source_map.text
    refused: dict[FieldPath, str] = {}
    # From the end of the file backwards: an edit never moves the spans before it.
    for edit in sorted(edits, key=lambda e: source_map.spans.get(e.path, (-1, -1)), reverse=True):
        span = source_map.spans.get(edit.path)
        if span is None:
            refused[edit.path] = "the field is not a single value in the file"
            continue
        made = _first_sound(current, span, edit, expected, display, max_bytes)
        if made is None:
            refused[edit.path] = "the new text could not be written into the file safely"
            continue
        candidate = bom + made.replace("\n", newline).encode("utf-8")
        # Checked under the usual limit: the edited sheet must still load everywhere.
        problem = _invalid(candidate, display, brief_id, DEFAULT_MAX_BYTES)
        if problem:
            refused[edit.path] = f"the sheet would not pass its check: {problem}"
            continue
        current = made
        expected = _with(expected, edit.path, edit.value)
    return Applied(bom + current.replace("\n", newline).encode("utf-8"), refused)


def _first_sound(
    text: str, span: tuple[int, int], edit: Replacement, before: Any, display: str, max_bytes: int
) -> str | None:
    """The text with the first written form of the value that reads back right, or None
    when none does."""
    start, end = span
    wanted = _with(before, edit.path, edit.value)
    for scalar in _forms(text, start, end, edit.value, edit.wrap):
        edited = text[:start] + scalar + text[end:]
        try:
            value, _ = yamlsrc.parse(edited.encode("utf-8"), display, max_bytes=max_bytes)
        except FactSheetError:
            continue
        if value == wanted:
            return edited
    return None


def _invalid(data: bytes, display: str, brief_id: str, max_bytes: int) -> str | None:
    """The first problem of the sheet ``data``, or None when it loads."""
    try:
        load_bytes(data, display, brief_id, max_bytes=max_bytes)
    except FactSheetError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        return first.format() if first else exc.message
    return None


def _with(data: Any, path: FieldPath, value: str) -> Any:
    """A copy of ``data`` with ``value`` at ``path`` (containers along it copied)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _with(data[head], rest, value)
    return copy


def _forms(text: str, start: int, end: int, value: str, wrap: bool) -> Iterator[str]:
    """The ways of writing ``value`` in place of the scalar at ``text[start:end]``,
    the old scalar's own style first."""
    old = text[start:end]
    if old[:1] in ("|", ">"):
        yield from _block(old, value, wrap)
    elif old[:1] == "'" and "\n" not in value:
        yield "'" + value.replace("'", "''") + "'"
    elif old[:1] not in "\"'" and "\n" not in value:
        yield value
    # JSON strings are YAML double-quoted scalars, escapes and all.
    yield json.dumps(value, ensure_ascii=False)


def _block(old: str, value: str, wrap: bool) -> Iterator[str]:
    """``value`` as a block scalar with the old one's header, indentation and the blank
    lines that followed it."""
    header, _, body = old.partition("\n")
    lines = body.split("\n")
    content = [line for line in lines if line.strip()]
    if not content:
        return
    indent = " " * (len(content[0]) - len(content[0].lstrip(" ")))
    last = max(i for i, line in enumerate(lines) if line.strip())
    tail = "\n".join(lines[last + 1 :])
    chomp = header.split("#", 1)[0].strip()
    stripped = value.rstrip("\n")
    if not stripped:
        return
    folds = chomp.startswith(">") or wrap
    rows = _wrapped(stripped, WRAP - len(indent)) if folds else stripped.split("\n")
    if rows is None:
        return
    yield header + "\n" + "\n".join(indent + row if row else "" for row in rows) + "\n" + tail


def _wrapped(text: str, width: int) -> list[str] | None:
    """One paragraph of text as folded lines, or None when folding would not give it
    back (line breaks, doubled or edge spaces)."""
    if "\n" in text or "  " in text or text != text.strip() or "\t" in text:
        return None
    rows: list[str] = []
    for word in text.split(" "):
        if rows and len(rows[-1]) + 1 + len(word) <= max(width, 20):
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows
