"""Unicode text hazards: characters that make a fact sheet read otherwise than it is written.

Warnings, each naming the field and located at the offending character in the file:

* a bidirectional control (U+202A-U+202E, U+2066-U+2069), anywhere: it reorders the
  text around it on screen, so what a reader sees is not what the file says;
* an invisible character: U+200B, U+2060 and U+FEFF anywhere; the zero-width
  non-joiner and joiner (U+200C, U+200D) next to an ASCII letter or digit, since
  elsewhere they legitimately shape Persian, Indic and emoji text;
* in a URL or a citation id, where nothing invisible belongs: also the joiners
  wherever they stand and the direction marks U+200E, U+200F and U+061C;
* lookalike letters in a URL or a citation id: a word mixing Latin with Cyrillic,
  Greek or Armenian letters, a word written wholly in letters drawn like Latin ones
  (``аррle`` in Cyrillic), or fullwidth and mathematical letters standing for ASCII.

Source ids themselves are ASCII by the format, so a lookalike there is already an
error; a citation naming one is reported here with the reason it does not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.errors import Diagnostic
from generator.factsheet.citations import find_citations
from generator.factsheet.fields import iter_texts
from generator.factsheet.locations import FieldPath, format_path
from generator.factsheet.lookalikes import WORD, describe, lookalike

if TYPE_CHECKING:
    from generator.factsheet.loader import LoadedSheet

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE = frozenset("\u200b\u2060\ufeff")
JOINERS = frozenset("\u200c\u200d")
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
_PROSE_HAZARD = re.compile("[" + "".join(sorted(BIDI_CONTROLS | INVISIBLE | JOINERS)) + "]")
_STRICT_HAZARD = re.compile("[" + "".join(sorted(JOINERS | DIRECTION_MARKS)) + "]")
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+", re.IGNORECASE)
_CITED_ID = re.compile(r"@([^\s;\[\]@]+)")


@dataclass(frozen=True)
class _Finding:
    """A hazard at ``start`` (an index into the field's value)."""

    start: int
    message: str
    code: str


def check(loaded: LoadedSheet) -> list[Diagnostic]:
    """Every text hazard of ``loaded``, as warnings in file order per field."""
    found: list[Diagnostic] = []
    for path, value, markdown in iter_texts(loaded.sheet):
        spans = [(0, len(value), "URL")] if path[-1] == "url" else []
        if markdown:
            spans += _spans_in_markdown(value)
        for finding in _once_each(_scan(value, spans)):
            found.append(_diagnostic(loaded, path, value, finding))
    return found


def _spans_in_markdown(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, what)`` of every URL and citation id written in a Markdown field."""
    spans = [(m.start(), m.end(), "URL") for m in _URL.finditer(text)]
    for citation in find_citations(text):
        for match in _CITED_ID.finditer(text, citation.start, citation.end):
            spans.append((match.start(1), match.end(1), "citation id"))
    return spans


def _scan(value: str, spans: list[tuple[int, int, str]]) -> list[_Finding]:
    """Hazards anywhere in ``value``, then the stricter ones inside URLs and ids."""
    findings = [f for m in _PROSE_HAZARD.finditer(value) if (f := _in_prose(value, m.start()))]
    flagged = {f.start for f in findings}
    for start, end, what in spans:
        shown = _shown(value[start:end])
        for match in _STRICT_HAZARD.finditer(value, start, end):
            if match.start() not in flagged:
                message = f"{what} {shown} contains the invisible character {describe(match[0])}"
                findings.append(_Finding(match.start(), message, "invisible-character"))
        for word in WORD.finditer(value, start, end):
            found = lookalike(word.group())
            if found:
                offset, reason = found
                message = f"{what} {shown} has a lookalike letter: {reason}"
                findings.append(_Finding(word.start() + offset, message, "lookalike"))
    return sorted(findings, key=lambda f: f.start)


def _in_prose(value: str, index: int) -> _Finding | None:
    char = value[index]
    if char in BIDI_CONTROLS:
        message = (
            f"contains the bidirectional control {describe(char)}, which makes the text"
            " display in another order than it is written"
        )
        return _Finding(index, message, "bidi-control")
    near_ascii = any(c.isascii() and c.isalnum() for c in value[max(index - 1, 0) : index + 2])
    if char in INVISIBLE or (char in JOINERS and near_ascii):
        return _Finding(
            index, f"contains the invisible character {describe(char)}", "invisible-character"
        )
    return None


def _once_each(findings: list[_Finding]) -> list[_Finding]:
    """The first of the findings that say the same thing: one warning per character kind."""
    first: dict[str, _Finding] = {}
    for finding in findings:
        first.setdefault(finding.message, finding)
    return list(first.values())


def _diagnostic(loaded: LoadedSheet, path: FieldPath, value: str, finding: _Finding) -> Diagnostic:
    """The finding located in the file: the same occurrence of its character in the source."""
    char = value[finding.start]
    occurrence = value.count(char, 0, finding.start)
    line, col = loaded.source_map.locate(path, re.compile(re.escape(char)), occurrence)
    return Diagnostic(
        loaded.display,
        line,
        col,
        format_path(path),
        finding.message,
        severity="warning",
        code=finding.code,
    )


def _shown(text: str) -> str:
    """Text quoted for a message, hazards made visible as ``<U+202E>``."""
    hazards = BIDI_CONTROLS | INVISIBLE | JOINERS | DIRECTION_MARKS
    visible = "".join(f"<U+{ord(c):04X}>" if c in hazards else c for c in text)
    return f"'{visible if len(visible) <= 60 else visible[:57] + '...'}'"
