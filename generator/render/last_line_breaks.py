"""In the PDF, the last line of a paragraph is never the tail of a word hyphenated on the
line before: the rule is kept at WeasyPrint's line breaker, where only hyphenated lines
pay for it.

WeasyPrint has no ``hyphenate-limit-last``. It breaks a text box a line at a time with
``split_first_line``; :func:`install` wraps the name ``weasyprint.layout.inline`` calls it
by. When the line comes out hyphenated and the rest of the text box after the break fits
on one line of the block (its containing block's width, so a text box that starts after
a link or a citation mid-line is judged by the next line's width, not what was left of
this one), the next line would be that text's last and begin with the word's tail: the
line is split again with ``hyphens: none``, and the word moves whole to the next line.
A word longer than the whole line keeps its hyphen (it would overflow otherwise).

"The rest of the text box" is a little more than the rule needs: a text box ends at any
inline element (a link, a citation's ``<sup>``), so the last line of the text before one
keeps its word whole too, though the paragraph goes on. A paragraph's last line always
lies inside the rest of the text box its first word belongs to, so the rule is exact in
that direction: no paragraph ends in a hyphenated word's tail.

Written against WeasyPrint 70's internals (``split_first_line``'s six-value result; a
hyphenated line's ``layout.text`` is the text up to ``length`` and the
``hyphenate-character``; ``get_next_linebox``'s ``containing_block``). :func:`install`
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
#: Set on WeasyPrint's layout context: the widths of the blocks whose lines are being
#: broken, innermost last (an inline-block lays out its own lines inside a line).
_WIDTHS = "_brief_line_widths"


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
    inline.get_next_linebox = _recording_width(inline.get_next_linebox)
    setattr(inline, _MARK, True)


def _recording_width(get_next_linebox: Any) -> Any:
    """``get_next_linebox`` that keeps its block's width on the context while it runs."""

    @functools.wraps(get_next_linebox)
    def recorded(context: Any, *args: Any, **kwargs: Any) -> Any:
        widths = getattr(context, _WIDTHS, None)
        if widths is None:
            widths = []
            setattr(context, _WIDTHS, widths)
        # get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
        # containing_block, ...): iter_line_boxes passes them all by position.
        widths.append(args[4].width if len(args) > 4 else kwargs["containing_block"].width)
        try:
            return get_next_linebox(context, *args, **kwargs)
        finally:
            widths.pop()

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
        widths = getattr(context, _WIDTHS, None)
        line = max(max_width, widths[-1]) if widths else max_width
        rest = text.encode()[resume:].decode()
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


def hyphenated(text: str, layout: Any, length: int, style: Any) -> bool:
    """Whether ``split_first_line`` ended its first line of ``text`` with a hyphen it
    added: the line's text is then the text up to ``length`` and the hyphenate-character."""
    return layout.text == text.encode()[:length].decode() + style["hyphenate_character"]


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
