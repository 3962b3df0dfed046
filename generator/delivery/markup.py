"""Markdown fields in the email: plain text for the text part, HTML without anchors.

Both renderings start from the project's one Markdown recipe (``render.make_markdown``:
CommonMark, raw HTML off, safe links only, images as their alt text, the briefing's
language's typographic quotes) and change only what a mail client needs changed:

- Citations are numbers against the Sources list at the end of the body, ``[1, 3]``,
  never links to ``#source-1``: mail clients drop in-message anchors, or resolve them
  against the webmail page.
- A link without a scheme (``#fragment``, ``page.html``) means nothing in a message, so it
  becomes its text; ``http:``, ``https:`` and ``mailto:`` links stay.

The plain text is rendered from markdown-it's tokens, never by stripping syntax with
patterns: emphasis and code lose their markers, a link becomes ``text <url>``, lists keep
``-`` or ``1.`` markers with their items indented under them, tables become aligned
columns. :func:`wrap_text` then wraps every line of the finished text part at 72 columns
(wide East Asian characters count two), breaking only at spaces, so a URL is never split
and a citation group stays whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from generator.render import make_markdown

#: Longest line of the plain-text part, the convention of plain-text mail.
WIDTH = 72
#: Schemes whose links still lead somewhere from inside a message.
_ABSOLUTE = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)
#: What a wrapped line's continuation lines are indented under: leading spaces and a
#: list marker (``- ``, ``1. ``) or a source number (``[1] ``).
_HANGING = re.compile(r"^ *(?:(?:[-*•]|\d{1,3}[.)]|\[\d{1,4}\]) +)?")
#: One unbreakable piece of a line: a word, or a citation group with what it is glued to.
_PIECE = re.compile(r"\S*?\[[^\s\[\]]+(?:, [^\s\[\]]+)*\]\S*|\S+")
#: Headings of a Markdown field sit under the email's own ``<h2>`` sections.
HEADING_LEVEL = 3


def citation_text(ids: Sequence[str], numbers: Mapping[str, int]) -> str:
    """``[1, 3]``: the sources' numbers, sorted, repeats dropped; an unknown id as ``?id``."""
    known = sorted({numbers[i] for i in ids if i in numbers})
    unknown = list(dict.fromkeys(i for i in ids if i not in numbers))
    return "[" + ", ".join([*map(str, known), *(f"?{i}" for i in unknown)]) + "]"


def _render_citation(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    text = citation_text(tokens[idx].meta["ids"], env.get("source_numbers", {}))
    return f'<span class="cite">{escapeHtml(text)}</span>'


def _unlink_local(state: StateCore) -> None:
    """Drop the link markup (not the text) of every link that is not absolute."""
    for block in state.tokens:
        if not block.children:
            continue
        kept: list[Token] = []
        dropped: list[bool] = []
        for token in block.children:
            if token.type == "link_open":
                drop = not _ABSOLUTE.match(str(token.attrGet("href") or ""))
                dropped.append(drop)
                if drop:
                    continue
            elif token.type == "link_close" and dropped.pop():
                continue
            kept.append(token)
        block.children = kept


def email_markdown(language: str | None = None) -> MarkdownIt:
    """The project's Markdown recipe, with citations as numbers and local links as text;
    straight quotes become ``language``'s typographic ones, as in the briefing (None:
    kept as written)."""
    md = make_markdown(language)
    md.add_render_rule("citation", _render_citation)
    md.core.ruler.push("email_links", _unlink_local)
    return md


def markdown_html(
    text: str,
    numbers: Mapping[str, int],
    *,
    inline: bool = False,
    heading_level: int = HEADING_LEVEL,
    language: str | None = None,
) -> Markup:
    """A Markdown field as HTML for the email: no anchors, citations as ``[n]``, quotes
    in ``language``."""
    env: dict[str, Any] = {"source_numbers": numbers, "heading_level": heading_level}
    md = email_markdown(language)
    return Markup(md.renderInline(text, env) if inline else md.render(text, env))


def markdown_text(text: str, numbers: Mapping[str, int], language: str | None = None) -> str:
    """A Markdown field as plain text: paragraphs apart, lists marked, no Markdown syntax,
    quotes in ``language``."""
    tokens = email_markdown(language).parse(text, {"source_numbers": numbers})
    writer = _TextWriter(numbers)
    for token in tokens:
        writer.block(token)
    return writer.text()


def inline_text(children: Sequence[Token], numbers: Mapping[str, int]) -> str:
    """The words of one inline run: markers dropped, ``text <url>``, citations ``[n]``."""
    parts: list[str] = []
    links: list[tuple[str, int]] = []
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "citation":
            parts.append(citation_text(token.meta["ids"], numbers))
        elif kind == "image":
            parts.append(inline_text(token.children or [], numbers))
        elif kind == "link_open":
            links.append((str(token.attrGet("href") or ""), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            parts.append(_link_target(href, "".join(parts[start:])))
    return "".join(parts)


def _link_target(href: str, words: str) -> str:
    """What follows a link's words: `` <url>``, unless the words are the address itself."""
    shown = href[len("mailto:") :] if href.lower().startswith("mailto:") else href
    if words.strip() in (href, shown):
        return ""
    return f" <{shown}>"


@dataclass
class _Level:
    """One open container: a list (with its marker and next number) or a block quote."""

    kind: str
    number: int = 1
    marker: str = ""
    pending: bool = False


@dataclass
class _TextWriter:
    """Lines of plain text from markdown-it's block tokens."""

    numbers: Mapping[str, int]
    lines: list[str] = field(default_factory=list)
    levels: list[_Level] = field(default_factory=list)
    table: list[list[str]] | None = None

    def block(self, token: Token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            self.levels.append(_Level("bullet" if kind[0] == "b" else "ordered", start))
        elif kind == "blockquote_open":
            self.levels.append(_Level("quote"))
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            self.levels.pop()
            self.gap()
        elif kind == "list_item_open":
            self.open_item()
        elif kind == "inline":
            self.inline(token)
        elif kind in ("paragraph_close", "heading_close") and not token.hidden:
            self.gap()
        elif kind in ("code_block", "fence"):
            self.emit(
                ["    " + line for line in token.content.rstrip("\n").split("\n")], strip=False
            )
            self.gap()
        elif kind == "hr":
            self.gap()
        elif kind in ("table_open", "tr_open", "tr_close", "table_close"):
            self.table_token(kind)

    def open_item(self) -> None:
        level = self.levels[-1]
        level.marker = "- " if level.kind == "bullet" else f"{level.number}. "
        level.number += 1
        level.pending = True

    def inline(self, token: Token) -> None:
        words = inline_text(token.children or [], self.numbers)
        if self.table is not None:
            self.table[-1].append(" ".join(words.split()))
        else:
            self.emit(words.split("\n"))

    def emit(self, lines: Sequence[str], *, strip: bool = True) -> None:
        for line in lines:
            if line.strip():
                self.lines.append(self.prefix() + (line.strip(" ") if strip else line.rstrip()))
            else:
                self.lines.append("")

    def prefix(self) -> str:
        parts = []
        for level in self.levels:
            if level.kind == "quote":
                parts.append("    ")
            elif level.pending:
                parts.append(level.marker)
                level.pending = False
            else:
                parts.append(" " * len(level.marker))
        return "".join(parts)

    def gap(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def table_token(self, kind: str) -> None:
        if kind == "table_open":
            self.table = []
        elif kind == "tr_open" and self.table is not None:
            self.table.append([])
        elif kind == "table_close" and self.table is not None:
            rows, self.table = self.table, None
            indent = sum(4 if lv.kind == "quote" else len(lv.marker) for lv in self.levels)
            self.emit(table_lines(rows, WIDTH - indent))
            self.gap()

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n")


def table_lines(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """A table as aligned columns when it fits ``width``, else one ``Head: cell`` line a row."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    cells = [[*row, *[""] * (columns - len(row))] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(columns)]
    if sum(widths) + 2 * (columns - 1) <= width:
        return [
            "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells
        ]
    head, *body = cells
    return [
        "; ".join(f"{h}: {c}" if h else c for h, c in zip(head, row, strict=True)) for row in body
    ]


def _pad(cell: str, width: int) -> str:
    return cell + " " * (width - display_width(cell))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font: wide East Asian characters take two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def wrap_text(text: str, width: int = WIDTH) -> str:
    """Every line of ``text`` wrapped at ``width`` columns, continuations hung under it.

    A line breaks only at spaces, so a piece longer than the line (a URL) stands alone on
    a line of its own, whole. A list item's or numbered source's continuation lines are
    indented under its text. Lines already short enough are left exactly as they are.
    """
    wrapped: list[str] = []
    for line in text.split("\n"):
        wrapped += wrap_line(line, width)
    return "\n".join(wrapped)


def wrap_line(line: str, width: int = WIDTH) -> list[str]:
    """One line as lines of at most ``width`` columns (see :func:`wrap_text`)."""
    if display_width(line) <= width:
        return [line]
    lead = _HANGING.match(line)
    prefix = lead.group(0) if lead else ""
    indent = " " * display_width(prefix)
    lines: list[str] = []
    current, used, empty = prefix, display_width(prefix), True
    for piece in _PIECE.findall(line[len(prefix) :]):
        size = display_width(piece)
        if not empty and used + 1 + size > width:
            lines.append(current)
            current, used = indent + piece, len(indent) + size
        else:
            gap = "" if empty else " "
            current, used = current + gap + piece, used + len(gap) + size
        empty = False
    lines.append(current)
    return lines
