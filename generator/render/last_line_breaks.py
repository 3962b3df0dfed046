"""In the PDF, the last line of a paragraph is never the tail of a word hyphenated on the
line before: the rule is kept at WeasyPrint's line breaker, where only hyphenated lines
pay for it.

WeasyPrint has no ``hyphenate-limit-last``. It breaks a text box a line at a time with
``split_first_line``; :func:`install` wraps the names ``weasyprint.layout.inline`` calls
it and its two callers by. When a line comes out hyphenated and the rest of its block's
inline content (the rest of the text box, then the text of the boxes after it in the
line box) fits on one line of the block (its containing block's width, so a text box
that starts mid-line after a link or emphasis is judged by the next line's width, not by
what was left of this one), the next line would be the block's last and begin with the
word's tail: the line is split again with ``hyphens: none`` and the word moves down
whole. A word longer than the whole line keeps its hyphen (it would overflow otherwise).

What follows the text box is measured in the text box's own type, without the text of
``sub`` and ``sup`` (citation numbers): it can only seem narrower than it is (bold or
code set wider is measured as the text's face), so a line before a block's last may lose
a hyphen it could have kept, and the last line never follows one. Only hyphenated lines
pay for the measure; every other line breaks as WeasyPrint breaks it.

Written against WeasyPrint 70's internals (``split_first_line``'s six-value result; a
hyphenated line's ``layout.text`` is the text up to ``length`` and the
``hyphenate-character``; ``get_next_linebox``'s line box and ``containing_block``;
``split_text_box``'s box, the one its line box holds). :func:`install`
raises :class:`RuntimeError` for any other major version, and
tests/render/test_last_lines.py checks the internals it relies on, so an upgrade fails
loudly rather than silently dropping the rule.
"""

from __future__ import annotations

import functools
from typing import Any

#: The WeasyPrint major version whose line breaker this wraps.
WEASYPRINT_MAJOR = 70
#: Set on ``weasyprint.layout.inline`` once its names are wrapped.
_MARK = "_brief_last_line_breaks"
#: Set on WeasyPrint's layout context: the width and line box of each block whose lines
#: are being broken, innermost last (an inline-block lays out its lines inside a line).
_BLOCKS = "_brief_line_blocks"
#: Set on WeasyPrint's layout context: the text box being split.
_BOX = "_brief_text_box"
#: Set on a line box: the text that follows each of its text boxes, by ``id``.
_FOLLOWING = "_brief_following"
#: Inline elements set smaller: their text counts as no width in what follows.
UNMEASURED = frozenset({"sub", "sup"})


def install() -> None:
    """Wrap WeasyPrint's line breaker (once per process) so that no paragraph ends in the
    tail of a hyphenated word. Raises :class:`RuntimeError` for a WeasyPrint this was not
    written for."""
    import weasyprint
    from weasyprint.layout import inline

    if getattr(inline, _MARK, False):
        return
    major = int(weasyprint.__version__.split(".")[0])
    if major != WEASYPRINT_MAJOR:
        raise RuntimeError(
            f"generator/render/last_line_breaks.py wraps WeasyPrint {WEASYPRINT_MAJOR}'s "
            f"line breaker, not {weasyprint.__version__}'s: check its internals and update it"
        )
    inline.split_first_line = _whole_last_word(inline.split_first_line)
    inline.get_next_linebox = _recording_block(inline.get_next_linebox)
    inline.split_text_box = _recording_box(inline.split_text_box)
    setattr(inline, _MARK, True)


def _recording_block(get_next_linebox: Any) -> Any:
    """``get_next_linebox`` that keeps its block's width and line box on the context while
    it runs."""

    @functools.wraps(get_next_linebox)
    def recorded(context: Any, *args: Any, **kwargs: Any) -> Any:
        blocks = getattr(context, _BLOCKS, None)
        if blocks is None:
            blocks = []
            setattr(context, _BLOCKS, blocks)
        # get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
        # containing_block, ...): iter_line_boxes passes them all by position.
        block = args[4] if len(args) > 4 else kwargs["containing_block"]
        blocks.append((block.width, args[0] if args else kwargs["linebox"]))
        try:
            return get_next_linebox(context, *args, **kwargs)
        finally:
            blocks.pop()

    return recorded


def _recording_box(split_text_box: Any) -> Any:
    """``split_text_box`` that keeps the text box it splits on the context."""

    @functools.wraps(split_text_box)
    def recorded(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        outer = getattr(context, _BOX, None)
        setattr(context, _BOX, box)
        try:
            return split_text_box(context, box, *args, **kwargs)
        finally:
            setattr(context, _BOX, outer)

    return recorded


def _whole_last_word(split_first_line: Any) -> Any:
    """``split_first_line`` that does not hyphenate the word before a text's last line."""

    @functools.wraps(split_first_line)
    def split(
        text: str, style: Any, context: Any, max_width: Any, *args: Any, **kwargs: Any
    ) -> Any:
        result = split_first_line(text, style, context, max_width, *args, **kwargs)
        layout, length, resume, *_ = result
        if resume is None or max_width is None or not hyphenated(text, layout, length, style):
            return result
        blocks = getattr(context, _BLOCKS, None)
        line = max(max_width, blocks[-1][0]) if blocks else max_width
        rest = text.encode()[resume:].decode() + _after(context)
        if not _fits(rest, style, context, line, *args[:1]):
            return result
        plain = style.copy()
        plain["hyphens"] = "none"
        again = split_first_line(text, plain, context, max_width, *args, **kwargs)
        line_start = kwargs.get("is_line_start", args[1] if len(args) > 1 else True)
        if line_start and again[3] > max_width:
            return result  # The word alone is longer than the line: keep its hyphen.
        return again

    return split


def _after(context: Any) -> str:
    """The text that follows the text box being split in its block's inline content, or
    nothing when that is unknown (the rule then judges the rest of the text box alone)."""
    blocks, box = getattr(context, _BLOCKS, None), getattr(context, _BOX, None)
    if not blocks or box is None:
        return ""
    linebox = blocks[-1][1]
    following = getattr(linebox, _FOLLOWING, None)
    if following is None:
        following = _following_texts(linebox)
        setattr(linebox, _FOLLOWING, following)
    return following.get(id(box), "")


def _following_texts(linebox: Any) -> dict[int, str]:
    """For each text box in ``linebox``, the text of the boxes after it, less the text of
    :data:`UNMEASURED` elements. Measured in the box's own type, what follows can only
    seem narrower than it is (or a citation's number), so a line that is not the last may
    lose a hyphen, and the last line never keeps one."""
    texts: list[tuple[int, str]] = []

    def walk(box: Any, counted: bool) -> None:
        counted = counted and getattr(box, "element_tag", None) not in UNMEASURED
        if hasattr(box, "text"):
            texts.append((id(box), box.text if counted else ""))
        for child in getattr(box, "children", ()):
            walk(child, counted)

    walk(linebox, True)
    following, after = {}, ""
    for key, text in reversed(texts):
        following[key] = after
        after = text + after
    return following


def hyphenated(text: str, layout: Any, length: int, style: Any) -> bool:
    """Whether ``split_first_line`` ended its first line of ``text`` with a hyphen it
    added: the line's text is then the text up to ``length`` and the hyphenate-character."""
    character = style["hyphenate_character"]
    return layout.text.endswith(character) and (
        layout.text == text.encode()[:length].decode() + character
    )


def _fits(rest: str, style: Any, context: Any, width: float, *spacing: Any) -> bool:
    """Whether ``rest`` fits on one line ``width`` wide. Laid out a line's worth at a time
    (WeasyPrint's own guess: a character is at least a quarter of an em wide), so a long
    rest is refused without laying it all out."""
    from weasyprint.text.line_break import create_layout, line_size

    size = style["font_size"] or 1
    cap = int(width / size * 4) + 1
    for piece in dict.fromkeys((rest[:cap], rest)):
        layout = create_layout(piece, style, context, width, *(spacing or (0,)))
        first_line, index = layout.get_first_line()
        fits = index is None and line_size(first_line, style)[0] <= width
        layout.deactivate()
        if not fits:
            return False
    return True
