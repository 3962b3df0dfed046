"""Text into a Word document: runs, links, citations, Markdown, and field bookmarks.

:class:`TextWriter` writes every piece of text of a DOCX briefing. Markdown goes through
the project's one parser (:func:`generator.render.markdown.make_markdown`), so a field
reads in Word as in the HTML: bold and italic runs, lists as list paragraphs on Word's
list styles (each numbered list counting from its own start), links as hyperlinks,
headings demoted below the briefing's, tables as Word tables, images as their alt text.
A citation group is a run of the ``Citation`` style per bracket and comma around one
internal hyperlink per number, to the source's bookmark ``source_<n>``.

:meth:`TextWriter.field` encloses the text of one fact-sheet field in its bookmark
(:func:`generator.render.field_marks.bookmark_name`): the start goes just before the
field's first run, the end just after its last one, whatever paragraphs lie between.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from generator.render.docx_lang import mark_run_language
from generator.render.docx_styles import style_ids
from generator.render.docx_xml import (
    Ids,
    bookmark_end,
    bookmark_start,
    external_link,
    internal_link,
    keep_row_whole,
    paragraph_numbering,
    repeat_header,
    restart_numbering,
    xml_text,
)
from generator.render.field_marks import bookmark_name
from generator.render.markdown import make_markdown
from generator.render.script_marks import Names

_SOURCE_LINK = re.compile(r"#source-([0-9]+)")
#: What a Markdown link may lead to from a Word document. A link without a scheme, which
#: the HTML allows, would open a file beside the document in Word: it stays plain text.
_EXTERNAL_LINK = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
#: Word's deepest heading style.
DEEPEST_HEADING = 9


def source_anchor(number: int) -> str:
    """The bookmark of source ``number`` in Sources, which citations link to."""
    return f"source_{number}"


@dataclass
class _Inline:
    """Where inline Markdown stands: the look of the next run and the open link."""

    bold: bool = False
    italic: bool = False
    link: Any = None
    styles: list[str] = field(default_factory=list)


class TextWriter:
    """Writes text into ``document``; ``numbers`` numbers the sources cited."""

    def __init__(
        self,
        document: Any,
        numbers: Mapping[str, int],
        language: str,
        *,
        fields: bool = True,
        jurisdiction: str = "",
        names: Names = (),
    ) -> None:
        self.document = document
        self.fields = fields
        self.numbers = numbers
        self.language = language
        self.jurisdiction = jurisdiction
        self.names = names
        self.ids = Ids()
        self._pending: Any = None
        self._last: Any = None
        self._md = make_markdown()
        self._style_ids = style_ids(document)

    # -- styles -------------------------------------------------------------------------

    def style_id(self, name: str) -> str:
        """The id of the style ``name`` (:func:`~generator.render.docx_styles.style_ids`)."""
        return self._style_ids[name]

    def paragraph(self, container: Any, style: str) -> Any:
        """A new paragraph of ``style`` at the end of ``container`` (the body, a cell)."""
        paragraph = container.add_paragraph()
        self.restyle(paragraph, style)
        return paragraph

    def restyle(self, paragraph: Any, style: str) -> None:
        """Give ``paragraph`` the style ``style``."""
        paragraph._p.style = self.style_id(style)

    # -- runs ---------------------------------------------------------------------------

    def run(
        self,
        paragraph: Any,
        text: str,
        style: str | None = None,
        *,
        into: Any = None,
        lang: str | None = None,
    ) -> Any:
        """Add a run of ``text`` to ``paragraph`` (inside the hyperlink ``into``, if any),
        marked with its language when that is not the sheet's: ``lang`` if given, else
        the one its script says."""
        run = paragraph.add_run(xml_text(text))
        if style:
            run._r.style = self.style_id(style)
        self._mark_language(run._r, text, lang)
        if into is not None:
            into.append(run._r)
        else:
            self._placed(paragraph, run._r)
        self._last = paragraph._p
        return run

    def _mark_language(self, run: Any, text: str, lang: str | None) -> None:
        mark_run_language(run, text, lang, self.language, self.jurisdiction, self.names)

    def link(self, paragraph: Any, text: str, url: str) -> None:
        """``text`` as a hyperlink to ``url`` (an external relationship of the document)."""
        element = external_link(self.document.part, url)
        self._placed(paragraph, element)
        self.run(paragraph, text, "Hyperlink", into=element)

    def citation(self, paragraph: Any, ids: Sequence[str], *, into: Any = None) -> None:
        """One citation group, ``[1, 3]``: each known number links to its source."""
        known = sorted({self.numbers[i] for i in ids if i in self.numbers})
        unknown = list(dict.fromkeys(i for i in ids if i not in self.numbers))
        self.run(paragraph, "[", "Citation", into=into)
        for position, number in enumerate(known):
            if position:
                self.run(paragraph, ", ", "Citation", into=into)
            if into is not None:
                self.run(paragraph, str(number), "Citation", into=into)
                continue
            element = internal_link(source_anchor(number))
            self._placed(paragraph, element)
            self.run(paragraph, str(number), "Citation", into=element)
        for position, source_id in enumerate(unknown):
            separator = ", " if known or position else ""
            self.run(paragraph, f"{separator}?{source_id}", "Citation", into=into)
        self.run(paragraph, "]", "Citation", into=into)

    def anchor(self, paragraph: Any, name: str) -> None:
        """A bookmark ``name`` over the whole of ``paragraph`` (a heading, a source)."""
        bookmark_id = self.ids.next_bookmark()
        p = paragraph._p
        p_pr = p.pPr
        if p_pr is not None:
            p_pr.addnext(bookmark_start(bookmark_id, name))
        else:
            p.insert(0, bookmark_start(bookmark_id, name))
        p.append(bookmark_end(bookmark_id))

    @contextlib.contextmanager
    def field(self, path: str) -> Iterator[None]:
        """Enclose the runs written inside the block in the bookmark of field ``path``
        (unless this document marks no fields)."""
        if not self.fields:
            yield
            return
        bookmark_id = self.ids.next_bookmark()
        self._pending = bookmark_start(bookmark_id, bookmark_name(path))
        self._last = None
        yield
        if self._pending is not None or self._last is None:
            # Nothing was written: no bookmark rather than one around nothing.
            self._pending = None
            return
        self._last.append(bookmark_end(bookmark_id))

    def _placed(self, paragraph: Any, element: Any) -> None:
        """``element`` is being added at the end of ``paragraph``: open a pending bookmark."""
        if element.getparent() is None:
            paragraph._p.append(element)
        if self._pending is not None:
            element.addprevious(self._pending)
            self._pending = None
        self._last = paragraph._p

    # -- Markdown -----------------------------------------------------------------------

    def markdown(
        self, container: Any, text: str, *, heading_level: int, style: str = "Normal"
    ) -> None:
        """Write the Markdown ``text`` into ``container`` (the body, a table cell).

        ``heading_level`` is the Word heading level a ``#`` heading in ``text`` becomes;
        paragraphs take ``style``.
        """
        env = {"source_numbers": self.numbers, "heading_level": heading_level + 1}
        tokens = self._md.parse(text, env)
        _Blocks(self, container, style).write(tokens)

    def inline(self, paragraph: Any, tokens: Sequence[Token]) -> None:
        """Write inline Markdown ``tokens`` (an ``inline`` token's children) as runs."""
        state = _Inline()
        for token in tokens:
            self._inline_token(paragraph, token, state)

    def _inline_token(self, paragraph: Any, token: Token, state: _Inline) -> None:
        kind = token.type
        if kind in ("strong_open", "strong_close"):
            state.bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            state.italic = kind == "em_open"
        elif kind == "link_open":
            state.link = self._open_link(paragraph, str(token.attrs.get("href", "")))
        elif kind == "link_close":
            state.link = None
        elif kind == "citation":
            self.citation(paragraph, token.meta["ids"], into=state.link)
        elif kind == "hardbreak":
            self._styled(paragraph, "", state).add_break()
        else:
            text = _inline_text(token)
            if text:
                run = self._styled(paragraph, text, state, code=kind == "code_inline")
                run.bold, run.italic = state.bold or None, state.italic or None

    def _styled(self, paragraph: Any, text: str, state: _Inline, *, code: bool = False) -> Any:
        if state.link is not None:
            return self.run(paragraph, text, "Hyperlink", into=state.link)
        return self.run(paragraph, text, "Code" if code else None)

    def _open_link(self, paragraph: Any, href: str) -> Any:
        """The hyperlink element runs of a Markdown link go into, or None (plain text)."""
        found = _SOURCE_LINK.fullmatch(href)
        if found:
            element = internal_link(source_anchor(int(found.group(1))))
        elif not _EXTERNAL_LINK.match(href):
            return None
        else:
            element = external_link(self.document.part, href)
        self._placed(paragraph, element)
        return element


def _inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type == "softbreak":
        return " "
    if token.type == "image":
        return "".join(child.content for child in token.children or ())
    return ""


class _Blocks:
    """The block tokens of one Markdown field, written into one container."""

    def __init__(self, writer: TextWriter, container: Any, style: str) -> None:
        self.writer = writer
        self.container = container
        self.style = style
        self.lists: list[dict[str, Any]] = []
        self.quote = 0

    def write(self, tokens: Sequence[Token]) -> None:
        at = 0
        while at < len(tokens):
            at = self._block(tokens, at)

    def _block(self, tokens: Sequence[Token], at: int) -> int:
        token = tokens[at]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self._open_list(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.lists[-1]["fresh"] = True
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind in ("paragraph_open", "heading_open"):
            paragraph = self._paragraph(token)
            self.writer.inline(paragraph, tokens[at + 1].children or ())
            return at + 3
        elif kind in ("fence", "code_block"):
            paragraph = self.writer.paragraph(self.container, "Source Code")
            self.writer.run(paragraph, token.content.rstrip("\n"))
        elif kind == "table_open":
            return self._table(tokens, at)
        return at + 1

    def _paragraph(self, token: Token) -> Any:
        new = self.writer.paragraph
        if token.type == "heading_open":
            level = min(DEEPEST_HEADING, int(token.tag[1:]) - 1)
            return new(self.container, f"Heading {level}")
        if not self.lists:
            return new(self.container, "Quote" if self.quote else self.style)
        current = self.lists[-1]
        depth = min(3, len(self.lists))
        suffix = "" if depth == 1 else f" {depth}"
        if not current["fresh"]:
            return new(self.container, f"List Continue{suffix}")
        current["fresh"] = False
        name = ("List Number" if current["ordered"] else "List Bullet") + suffix
        paragraph = new(self.container, name)
        if current["num"] is not None:
            paragraph_numbering(paragraph._p, current["num"], current["ilvl"])
        return paragraph

    def _open_list(self, token: Token) -> None:
        ordered = token.type == "ordered_list_open"
        entry: dict[str, Any] = {"ordered": ordered, "fresh": False, "num": None, "ilvl": 0}
        if ordered:
            depth = min(3, len(self.lists) + 1)
            name = "List Number" + ("" if depth == 1 else f" {depth}")
            entry["num"], entry["ilvl"] = self._restarted(name, int(token.attrs.get("start", 1)))
        self.lists.append(entry)

    def _restarted(self, style_name: str, start: int) -> tuple[int | None, int]:
        """A fresh list instance of ``style_name``'s numbering, from ``start``."""
        document = self.writer.document
        style = document.styles.element.get_by_id(self.writer.style_id(style_name))
        p_pr = style.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None, 0
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        num_id = restart_numbering(document.part.numbering_part, num_pr.numId.val)
        if start != 1:
            numbering = document.part.numbering_part.element
            override = numbering.num_having_numId(num_id).lvlOverride_lst[0]
            override.startOverride.val = start
        return num_id, ilvl

    def _table(self, tokens: Sequence[Token], at: int) -> int:
        rows: list[list[Token]] = []
        header_rows = 0
        while tokens[at].type != "table_close":
            token = tokens[at]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(token)
            elif token.type == "th_open" and len(rows) > header_rows:
                header_rows = len(rows)
            at += 1
        columns = max((len(row) for row in rows), default=0)
        table = new_table(self.writer.document, self.container, len(rows), columns, header_rows)
        for r, row in enumerate(rows):
            for c, cell_token in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self.writer.restyle(paragraph, "Table Heading" if r < header_rows else "Table Text")
                self.writer.inline(paragraph, cell_token.children or ())
        return at + 1


def new_table(document: Any, container: Any, rows: int, columns: int, header_rows: int) -> Any:
    """A table of the ``Brief Table`` style whose first ``header_rows`` repeat atop pages,
    its rows kept whole."""
    if hasattr(container, "add_table") and container is not document:
        table = container.add_table(rows, columns)
    else:
        table = document.add_table(rows, columns)
    table.style = document.styles["Brief Table"]
    for position, row in enumerate(table.rows):
        if position < header_rows:
            repeat_header(row._tr)
        keep_row_whole(row._tr)
    return table
