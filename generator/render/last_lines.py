"""The last line of a paragraph is never the tail of a word hyphenated on the line before.

WeasyPrint has no ``hyphenate-limit-last`` and a browser's support of it is partial, so
the rule is kept without a second layout: the end of every block of running text (``p``,
``li``, ``td``, ``dd``: a challenge's text, a section's Markdown, a list item, a cell) is
wrapped in ``<span class="last-line">``, which the stylesheets set to ``hyphens:
manual``. The wrapped tail is the block's last words, as many as it takes to be at least
:data:`LINE_EMS` wide, measured with the narrowest advance any shipped face gives each
character. A block's last line is no wider than its column, and the widest column of
running text is at most :data:`LINE_EMS` of its own type (:data:`SMALL_LINE_EMS` in the
list of sources), so the last line lies inside the tail and the break before it falls on
a space or inside a word that cannot hyphenate.

The page is read as a stream of tags and text, as :mod:`.script_marks` reads it, so
nothing but the inserted spans changes; text inside ``<sup>`` and ``<sub>`` (citation
numbers, set smaller) counts as no width. A block's text stops at any tag that is not
inline (a nested list, a ``<br>``): the line before that is a last line too. Greedy line
breaking (WeasyPrint's, and a browser's) places the lines before the tail as it would have
without the span, so a paragraph without a hyphen in its tail is laid out as before.
"""

from __future__ import annotations

import functools
import html as html_text
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.render.script_marks import VOID_ELEMENTS

#: The widest line of running text, in ems of its own type: the PDF's measure (172 mm,
#: 487.6 pt) over its smallest running type (8.5 pt, table cells and notes) is 57.4;
#: body text is 51.3 and the HTML's column (45.5 rem) narrower still. Checked against
#: the laid-out sample briefings in tests/render/test_last_lines.py.
LINE_EMS = 58.0
#: The same for the list of sources, set down to 7 pt in a one-pager that must shrink
#: (onepager.css ``fit-2``): 464.9 pt beside the number column over 7 pt is 66.4.
SMALL_LINE_EMS = 67.0
#: Classes of the elements set in that smaller type.
SMALL_TYPE = frozenset({"source-list"})
#: The class of the wrapped tails (``hyphens: manual`` in screen.css).
TAIL_CLASS = "last-line"
#: The shortest word a browser hyphenates (CSS ``hyphenate-limit-chars: auto``).
MIN_WORD = 5
#: Elements whose text is running text that hyphenates (screen.css ``hyphens: auto``).
BLOCKS = frozenset({"p", "li", "td", "dd"})
#: Elements inside a line: they neither start nor end a block's text.
INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
#: Inline elements whose text is set smaller or raised: counted as no width.
UNMEASURED = frozenset({"sub", "sup"})
#: Comments, elements whose content is not the page's text, tags, and text.
_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style|title|textarea|svg|math|pre)\b[^>]*>.*?</\1\s*>|<[^>]*>|[^<]+",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_WORDS = re.compile(r"(\s+)")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CLASS = re.compile(r'\sclass="([^"]*)')
_OPEN = f'<span class="{TAIL_CLASS}">'


@dataclass
class _Run:
    """The text of one block so far: indices into the output and whether each counts;
    ``opener`` is the index of the start tag of the block element it began with, and
    that element's depth, so a run that is all of the element's text may mark it."""

    pieces: list[tuple[int, bool]] = field(default_factory=list)
    opener: tuple[int, int] | None = None
    #: Inside an element of :data:`SMALL_TYPE`: the tail is :data:`SMALL_LINE_EMS` long.
    small: bool = False


def keep_last_lines(html: str, fonts_dir: Path, language: str) -> str:
    """``html`` (a page made by the project's templates, in ``language``) with the tail of
    every block of running text kept from hyphenating; ``fonts_dir`` holds the shipped
    faces whose advances measure it. A tail with no word the language's dictionary could
    break is left alone (each span costs WeasyPrint layout time), and so is a page in a
    language with no dictionary (Chinese, Japanese, Korean: nothing hyphenates)."""
    breaks = dictionary(language)
    if breaks is None:
        return html
    widths = advances(fonts_dir)
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    run = _Run()
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        if not token.startswith("<"):
            names = {name for name, _small in stack}
            if BLOCKS & names:
                run.pieces.append((len(out), not UNMEASURED & names))
                run.small = run.small or stack[-1][1]
            out.append(token)
            continue
        depth = len(stack)
        name = _follow(token, stack)
        if name is not None and name not in INLINE:
            whole = run.opener is not None and token[1] == "/" and run.opener[1] == depth
            _keep(out, run, widths, whole, breaks)
            opened = name in BLOCKS and len(stack) > depth
            run = _Run(opener=(len(out), len(stack)) if opened else None)
        out.append(token)
    _keep(out, run, widths, False, breaks)
    return "".join(out)


def _keep(out: list[str], run: _Run, widths: dict[int, float], whole: bool, breaks: Any) -> None:
    """Keep ``run``'s tail from hyphenating: a block shorter than the tail, ended by its
    own end tag (``whole``), takes the class on its start tag, with no span at all."""
    start = _tail_start(out, run, widths)
    if start is None or not _breakable(out, run, start, breaks):
        return
    if start == (0, 0) and whole and run.opener is not None:
        out[run.opener[0]] = _with_class(out[run.opener[0]])
    else:
        _wrap_tail(out, run, start)


def _follow(token: str, stack: list[tuple[str, bool]]) -> str | None:
    """Keep ``stack`` (the open elements, and whether each is in small type) up to date;
    the tag's name, None for a comment or a raw element (a script, a drawing: it ends
    the block's text like a block)."""
    tag = _TAG.match(token)
    if tag is None:
        return None if token.startswith("<!--") else "svg"
    closing, name = tag.group(1), tag.group(2).lower()
    if closing:
        if any(open_name == name for open_name, _small in stack):
            while stack.pop()[0] != name:
                pass
    elif name not in VOID_ELEMENTS and not tag.group(3).rstrip().endswith("/"):
        found = _CLASS.search(tag.group(3))
        small = bool(found and SMALL_TYPE & set(found.group(1).split()))
        stack.append((name, small or bool(stack and stack[-1][1])))
    return name


def _wrap_tail(out: list[str], run: _Run, start: tuple[int, int]) -> None:
    """Keep the last :data:`LINE_EMS` of ``run``'s text, from the start of a word to the
    end of the block, from hyphenating: an inline element wholly in it takes the class,
    a text of it outside such an element is wrapped in a span. No element moves, so a
    flex item, a table cell or a selector sees the same children (and few new boxes)."""
    first, offset = run.pieces[start[0]][0], start[1]
    inside = 0  # depth inside an inline element that took the class
    for index in range(first, len(out)):
        token, before = out[index], ""
        if index == first:
            before, token = token[:offset], token[offset:]
        step = _depth_step(token)
        if inside or step < 0:
            inside = max(inside + step, 0) if inside else 0
        elif step > 0:
            token, inside = _with_class(token), 1
        elif not token.startswith("<") and token.strip():
            token = f"{_OPEN}{token}</span>"
        out[index] = before + token


def _with_class(tag: str) -> str:
    """The start tag ``tag`` with :data:`TAIL_CLASS` added to its classes."""
    found = _CLASS.search(tag)
    if found:
        return f"{tag[: found.end(1)]} {TAIL_CLASS}{tag[found.end(1) :]}"
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} class="{TAIL_CLASS}"{tag[end:]}'


def _depth_step(token: str) -> int:
    """+1 for a start tag, -1 for an end tag, 0 for text, a void element or a comment."""
    tag = _TAG.match(token)
    if tag is None:
        return 0
    if tag.group(1):
        return -1
    void = tag.group(2).lower() in VOID_ELEMENTS or tag.group(3).rstrip().endswith("/")
    return 0 if void else 1


def _tail_start(out: list[str], run: _Run, widths: dict[int, float]) -> tuple[int, int] | None:
    """Where the tail starts: (piece of the run, offset in its text); None for a run with
    no text. The tail is the whole run when the run is shorter than :data:`LINE_EMS`."""
    if not any(out[index].strip() for index, _ in run.pieces):
        return None
    total = 0.0
    for position in range(len(run.pieces) - 1, -1, -1):
        index, counted = run.pieces[position]
        parts = _WORDS.split(out[index])
        offset = len(out[index])
        for part in reversed(parts):
            offset -= len(part)
            if part.isspace():
                if total >= (SMALL_LINE_EMS if run.small else LINE_EMS):
                    return position, offset + len(part)
                # A space counts between words, not after the last one (it hangs).
                total += widths.get(32, 0.0) if counted and total else 0.0
            elif counted:
                total += sum(_width(char, widths) for char in html_text.unescape(part))
    return 0, 0


def _breakable(out: list[str], run: _Run, start: tuple[int, int], breaks: Any) -> bool:
    """Whether a word of the tail has a break in ``breaks`` (a Pyphen dictionary as lax
    as a browser's: 5 letters, 2 each side; the PDF's 7 3 3 is stricter)."""
    texts = [out[index] for index, _ in run.pieces[start[0] :]]
    texts[0] = texts[0][start[1] :]
    words = _LETTERS.findall(html_text.unescape("".join(texts)))
    return any(breaks.positions(word) for word in words if len(word) >= MIN_WORD)


@functools.lru_cache(maxsize=32)
def dictionary(language: str) -> Any:
    """The Pyphen dictionary WeasyPrint hyphenates ``language`` with (English: the
    project's, :mod:`.hyphenation`), or None when there is none."""
    import pyphen

    from generator.render.hyphenation import LANGUAGE, register

    if language.lower().split("-")[0] == "en":
        register()
        language = LANGUAGE
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=2, right=2) if found else None


def _width(char: str, widths: dict[int, float]) -> float:
    """The narrowest advance of ``char`` in ems; a character no Latin face has counts as a
    wide (CJK) character's em or as nothing, so the tail is never short."""
    found = widths.get(ord(char))
    if found is not None:
        return found
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.0


@functools.lru_cache(maxsize=8)
def advances(fonts_dir: Path) -> dict[int, float]:
    """Each character's narrowest advance, in ems, over the faces in ``fonts_dir`` (the
    shipped text and symbol faces: any of them may set the text, bold or italic)."""
    from fontTools.ttLib import TTFont

    narrowest: dict[int, float] = {}
    for path in sorted(fonts_dir.glob("*.[ot]tf")):
        with TTFont(path, lazy=True) as font:
            em = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            for code, glyph in font.getBestCmap().items():
                width = metrics[glyph][0] / em
                if width < narrowest.get(code, width + 1):
                    narrowest[code] = width
    return narrowest
