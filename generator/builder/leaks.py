"""The leak check: no internal text in anything an external reader gets.

After an external edition is written, and again on every message composed for an
external list before any connection is opened, the text of each output is extracted
(:mod:`generator.builder.leak_text`) and searched for every internal string of the sheet.

Both sides are *folded* before comparing (:func:`fold`): Unicode compatibility forms
(NFKC: ligatures, full-width letters, no-break spaces), soft hyphens, zero-width
characters and control characters removed, typographic quotes made straight, case folded,
and every hyphen and all white space removed. A PDF's text layer and an HTML page break
words and lines in other places than the fact sheet does (a line-end hyphen, a space lost
between two table cells); dropping hyphens and spaces on both sides makes those
differences vanish, at the cost of word boundaries, which the minimum length makes up for.

An internal text is searched whole and clause by clause (split at sentence ends and at
``; : ,``, dashes, brackets and quotes), as written and as plain text (Markdown markup
and citations removed), so a sentence copied out of a long internal paragraph is found.
A piece is searched only when it is :func:`searchable`: at least :data:`MIN_CHARS`
characters once folded (a Chinese, Japanese or Korean character counts three), and either
two words or more, or one "word" that is not made of letters alone (a URL, an address, a
figure with its unit) or that is written in such characters. A common word never fails a
build; neither does a piece the external edition itself says (``allowed``): a phrase an
external field shares with an internal one is not a leak.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from generator.builder.leak_text import Cache, Haystack, describe, extract
from generator.errors import Diagnostic

#: The shortest folded piece searched: shorter ones match ordinary words.
MIN_CHARS = 12
#: How much of the internal text a message quotes.
QUOTE_CHARS = 80

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0x2010, 0x2012), 0x2011, 0x002D]
)
#: Every quotation mark and apostrophe, straight or as a briefing prints it for its
#: language (render/typography.py: French prints 'x' as “x”), folded to one.
_QUOTES = str.maketrans(dict.fromkeys("'‘’‛‚‹›『』“”„«»「」", '"'))
_REMOVED = re.compile(r"[\s\x00-\x1f\x7f]+")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n")
_CLAUSE = re.compile(r"[;:,()\[\]{}\"“”„«»]|\s[–—-]\s|[–—]")


class InternalTextLike(Protocol):
    """What :func:`generator.factsheet.internal_texts` gives: a field path and its text."""

    @property
    def path(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Needle:
    """One folded piece of an internal field's text, and the piece as written."""

    field: str
    folded: str
    shown: str


@dataclass(frozen=True)
class Leak:
    """Internal text found in an output: which field, which file, where in it."""

    field: str
    file: str
    place: str
    text: str

    def message(self) -> str:
        """``internal text found in output/x.external.pdf, page 2: "..."``."""
        quote = self.text if len(self.text) <= QUOTE_CHARS else self.text[:QUOTE_CHARS] + "…"
        return f'internal text found in {self.file}, {self.place}: "{quote}"'


def fold(text: str) -> str:
    """``text`` as the check compares it; see the module docstring."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_QUOTES)
    return _REMOVED.sub("", text).casefold()


def searchable(piece: str) -> bool:
    """Whether a piece of internal text is long and particular enough to search for.

    A wide character (Chinese, Japanese, Korean) counts three: four of them name a
    company as surely as twelve Latin letters, and such text has no spaces between words.
    """
    words = piece.split()
    folded = fold(piece)
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in folded)
    if len(folded) + 2 * wide < MIN_CHARS or not words:
        return False
    return len(words) >= 2 or wide > 0 or not all(ch.isalpha() for ch in words[0])


def clauses(text: str) -> list[str]:
    """The sentences of ``text``, then the clauses of each, stripped, each once."""
    sentences = [_trim(s) for s in _SENTENCE.split(text) if _trim(s)]
    parts = [_trim(c) for s in sentences for c in _CLAUSE.split(s) if _trim(c)]
    return list(dict.fromkeys([*sentences, *parts]))


def _trim(piece: str) -> str:
    """A piece without the white space and the sentence's end around it: an output may
    end it otherwise (a meta description without its full stop)."""
    return piece.strip().strip(".!?…").strip()


def needles(internal: Iterable[InternalTextLike], allowed: Iterable[str] = ()) -> list[Needle]:
    """Every piece to search for, longest first; none the external edition says itself."""
    from generator.render import plain_text

    said = "\0".join(fold(text) for text in allowed)
    found: dict[tuple[str, str], Needle] = {}
    for item in internal:
        for variant in dict.fromkeys((item.text, plain_text(item.text))):
            for piece in (_trim(variant), *clauses(variant)):
                key = (item.path, fold(piece))
                if key in found or not searchable(piece) or key[1] in said:
                    continue
                found[key] = Needle(item.path, key[1], " ".join(piece.split()))
    return sorted(found.values(), key=lambda n: -len(n.folded))


def find_leaks(
    internal: Iterable[InternalTextLike],
    outputs: Iterable[tuple[str, bytes]],
    *,
    allowed: Iterable[str] = (),
    cache: Cache | None = None,
) -> list[Leak]:
    """Every place an internal text appears in ``outputs`` (display name, bytes)."""
    return search(needles(internal, allowed), outputs, cache)


def search(
    wanted: Sequence[Needle], outputs: Iterable[tuple[str, bytes]], cache: Cache | None = None
) -> list[Leak]:
    """Every place a needle appears in ``outputs``; one leak per (field, file, place),
    the longest piece found there. ``cache``: see :func:`~.leak_text.extract`."""
    leaks: dict[tuple[str, str, str], Leak] = {}
    if not wanted:
        return []
    for name, data in outputs:
        for stack in extract(name, data, cache):
            for needle, place in _search(stack, wanted):
                key = (needle.field, name, place)
                leaks.setdefault(key, Leak(needle.field, name, place, needle.shown))
    return list(leaks.values())


def _search(stack: Haystack, wanted: Sequence[Needle]) -> Iterable[tuple[Needle, str]]:
    """Each needle found in ``stack`` (first occurrence), with where it stands."""
    folded = [fold(s.text) for s in stack.segments]
    joiner = "\0" if stack.separate else ""
    text = joiner.join(folded)
    starts, offset = [], 0
    for piece in folded:
        starts.append(offset)
        offset += len(piece) + len(joiner)
    for needle in wanted:
        at = text.find(needle.folded)
        if at >= 0:
            first = bisect.bisect_right(starts, at) - 1
            last = bisect.bisect_right(starts, at + len(needle.folded) - 1) - 1
            yield needle, _place(stack, first, last)


def _place(stack: Haystack, first: int, last: int) -> str:
    """Where a match from segment ``first`` to ``last`` stands: their common place, or
    both ends (``page 2 to page 3``)."""
    a, b = stack.segments[first].where, stack.segments[last].where
    common = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common.append(x)
    if len(common) == len(a) or (common and "html" in common):
        return describe(tuple(common))
    return f"{describe(a)} to {describe(b)}"


def leak_diagnostics(
    leaks: Sequence[Leak],
    display: str,
    locate: Callable[[str], tuple[int | None, int | None]] | None = None,
) -> list[Diagnostic]:
    """The leaks as located problems of the fact sheet ``display``, one per leak."""
    problems = []
    for leak in leaks:
        line, col = locate(leak.field) if locate else (None, None)
        problems.append(
            Diagnostic(display, line, col, leak.field, leak.message(), "error", code="leak")
        )
    return problems


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_path(text: str) -> tuple[str | int, ...]:
    """``challenges[2].description`` -> ``("challenges", 2, "description")``."""
    return tuple(int(index) if index else name for name, index in _STEP.findall(text))


def locator(source_map: Any) -> Callable[[str], tuple[int | None, int | None]]:
    """Where a field, named as :func:`leak_diagnostics` gets it, stands in its sheet."""
    return lambda path: source_map.position(field_path(path))


def sheet_texts(sheet: Any) -> list[str]:
    """Every string a fact sheet holds (a pydantic model, dumped), in document order."""
    found: list[str] = []
    stack = [sheet.model_dump(mode="json")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return found


@dataclass(frozen=True)
class Guard:
    """What the leak check of one sheet's external edition needs, small enough to come
    back from a build worker: the internal texts, what the external edition says itself,
    and where each internal field stands in the sheet."""

    display: str
    internal: tuple[InternalTextLike, ...]
    allowed: tuple[str, ...]
    positions: Mapping[str, tuple[int | None, int | None]]

    def check(self, outputs: Iterable[tuple[str, bytes]]) -> list[Diagnostic]:
        """The leaks into ``outputs`` (display name, bytes), as located problems."""
        leaks = find_leaks(self.internal, outputs, allowed=self.allowed)
        return leak_diagnostics(leaks, self.display, lambda p: self.positions.get(p, (None, None)))


def guard_for(loaded: Any) -> Guard | None:
    """The :class:`Guard` of a loaded sheet (a ``LoadedSheet``); None without internal
    content, which has no external edition to check."""
    from generator.factsheet import external_sheet, has_internal, internal_texts

    sheet = loaded.sheet
    if not has_internal(sheet):
        return None
    internal = internal_texts(sheet)
    where = locator(loaded.source_map)
    positions = {text.path: where(text.path) for text in internal}
    allowed = tuple(sheet_texts(external_sheet(sheet)))
    return Guard(loaded.display, tuple(internal), allowed, positions)


def external_leaks(
    guard: Guard | None, folder: str, brief_id: str, files: Iterable[tuple[str, bytes, Any]]
) -> list[Diagnostic]:
    """The leak check of a briefing's external edition, on its files about to be written
    (``(target key, bytes, ...)``, the keys of ``editions.py``) under ``folder`` as shown:
    run before any is written, so nothing that leaks is ever published, not for a moment.
    """
    from generator.builder.editions import split_key

    if guard is None:
        return []
    external = [
        (f"{folder}/{brief_id}.{key}", data)
        for key, data, *_ in files
        if split_key(key)[0] == "external"
    ]
    return guard.check(external)
