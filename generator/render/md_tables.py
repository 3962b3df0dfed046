"""How a Markdown table is printed in HTML: scoped header cells in a scrolling region.

Only the HTML renderer changes; the tokens stay what markdown-it makes, so the DOCX
writer, which reads the same tokens, sees the same tables.

- Every header cell gets ``scope="col"``.
- A table whose top-left header cell is empty has row headers: the first cell of each
  body row is printed as ``<th scope="row">``. That is the one convention a writer can
  use to say so in Markdown, and it is documented in docs/factsheet-format.md.
- The table sits in ``<div class="table-scroll" role="region" tabindex="0">``, labelled
  by its column headings: on a narrow screen the table keeps its columns and scrolls
  sideways inside its region (a keyboard user scrolls it once focused) instead of
  breaking words and figures to fit; the page itself never scrolls sideways.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

#: The class of the element that scrolls a Markdown table sideways (screen.css).
SCROLL_CLASS = "table-scroll"


def table_plugin(md: MarkdownIt) -> None:
    """Render tables with scoped headers inside a labelled, focusable scrolling region."""
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("th_open", _th_open)
    md.add_render_rule("th_close", _th_close)
    md.add_render_rule("td_open", _td_open)
    md.add_render_rule("td_close", _td_close)


def _table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    label = escapeHtml(_table_label(self, tokens, idx, options, env))
    return (
        f'<div class="{SCROLL_CLASS}" role="region" tabindex="0" aria-label="{label}">\n'
        + self.renderToken(tokens, idx, options, env)
    )


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _th_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    # The empty corner above the row headers heads nothing: a plain cell, as WAI's
    # two-header tables have it, rather than an empty header a checker flags.
    if _is_corner(tokens, idx):
        return _cell(tokens[idx], "td", None)
    return _cell(tokens[idx], "th", "col")


def _th_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    return "</td>\n" if _is_corner(tokens, idx - 2) else "</th>\n"


def _td_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    if _is_row_header(tokens, idx):
        return _cell(tokens[idx], "th", "row")
    return _cell(tokens[idx], "td", None)


def _td_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    return "</th>\n" if _is_row_header(tokens, _before(tokens, idx, "td_open")) else "</td>\n"


def _cell(token: Token, tag: str, scope: str | None) -> str:
    """The start tag of a cell: its scope, then markdown-it's own attributes (alignment)."""
    attrs = {"scope": scope} if scope else {}
    attrs.update({name: str(value) for name, value in token.attrs.items()})
    text = "".join(f' {name}="{escapeHtml(value)}"' for name, value in attrs.items())
    return f"<{tag}{text}>"


def _is_corner(tokens: Sequence[Token], idx: int) -> bool:
    """True for the empty first heading of a row: the corner above the row headers."""
    return (
        tokens[idx].type == "th_open"
        and tokens[idx - 1].type == "tr_open"
        and tokens[idx + 1].content.strip() == ""
    )


def _is_row_header(tokens: Sequence[Token], idx: int) -> bool:
    """True for the first cell of a body row in a table whose top-left heading is empty."""
    if tokens[idx - 1].type != "tr_open":
        return False
    # A GFM table always has its heading row first, right after <table><thead>.
    return _is_corner(tokens, _before(tokens, idx, "table_open") + 3)


def _before(tokens: Sequence[Token], idx: int, kind: str) -> int:
    """The index of the nearest token of type ``kind`` before ``idx``."""
    return next(i for i in range(idx - 1, -1, -1) if tokens[i].type == kind)


def _table_label(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    """The table's column headings as plain text, which name its region for a screen
    reader; a table with no heading text is named by its first row."""
    rows: list[list[str]] = [[]]
    for token in tokens[idx + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_close":
            if any(rows[-1]):
                break
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(self.renderInlineAsText(token.children or [], options, env).strip())
    return ", ".join(text for text in rows[-1] if text)
