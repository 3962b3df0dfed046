"""The header and footer of a DOCX briefing: the reference's placeholders, filled in the
briefing's language.

The reference document's header and footer (:mod:`generator.render.docx_styles`) hold
placeholders. Most are replaced by text (:data:`TEXT_PLACEHOLDERS`); ``{page_of_pages}``
is replaced at build time by the catalog's "Page %(page)s of %(pages)s" in the
briefing's language, its ``PAGE`` and ``NUMPAGES`` fields where that language puts the
numbers ("Page 2 of 6", "2 / 6 ページ", "6쪽 중 2쪽"): one message for the PDF's page
numbers and the DOCX's, so the translations are one.

Text a reference's header or footer holds besides placeholders is the house style's own
and is printed as written, in every language. One exception keeps references made from
an earlier shipped one working: its fixed English footer, ``Facts as of {as_of}`` and
``Page`` PAGE ``of`` NUMPAGES, is read as ``{facts_as_of}`` and ``{page_of_pages}``
(docs/templates.md, "The reference document of DOCX briefings").
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from generator.render.docx_xml import field_runs, xml_text

#: The placeholders replaced by text.
TEXT_PLACEHOLDERS = ("title", "jurisdiction", "status", "as_of", "facts_as_of", "brief_id")
#: The placeholder of the page numbers, written as fields.
PAGE_PLACEHOLDER = "page_of_pages"
#: Every placeholder a reference document's header and footer may hold.
PLACEHOLDERS = (*TEXT_PLACEHOLDERS, PAGE_PLACEHOLDER)
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
#: The fixed English words of the footer shipped before ``{facts_as_of}`` existed.
_LEGACY_AS_OF = re.compile(r"Facts as of \{as_of\}")
#: The message the page numbers are written with (the PDF's, ``i18n.page_label_css``).
PAGE_MESSAGE = "Page %(page)s of %(pages)s"
_PAGE_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
#: Stands for the page numbers between filling the text and writing the fields: a
#: private-use character, which no placeholder's value can hold (values are the view's).
_MARK = "\ue000"
#: What a page field shows until the word processor counts the pages.
_SHOWN = "1"


@dataclass(frozen=True)
class Furniture:
    """What a briefing puts into the reference's header and footer."""

    #: Placeholder name -> its text.
    values: Mapping[str, str]
    #: The translated :data:`PAGE_MESSAGE`.
    page_message: str = PAGE_MESSAGE
    #: Marks a ``<w:r>`` with the language of its text (East Asian fonts).
    mark: Callable[[Any, str], None] = field(default=lambda run, text: None)


def page_pieces(message: str) -> list[tuple[str, str]]:
    """The translated page message as ``("text", words)`` and ``("field", PAGE)`` pieces,
    in the message's order; a message without both numbers is taken as English."""
    parts = re.split(r"%\((pages?)\)s", message)
    if sorted(parts[1::2]) != ["page", "pages"]:
        parts = re.split(r"%\((pages?)\)s", PAGE_MESSAGE)
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            pieces.append(("field", _PAGE_FIELDS[part]))
        elif part:
            pieces.append(("text", part))
    return pieces


def fill_furniture(document: Any, furniture: Furniture) -> None:
    """Fill the placeholders of every header and footer of ``document``."""
    values = {**furniture.values, PAGE_PLACEHOLDER: _MARK}
    for paragraph in furniture_paragraphs(document):
        _upgrade_legacy_page_label(paragraph._p)
        texts = [t for t in paragraph._p.iter(qn("w:t"))]
        _replace_all(texts, _LEGACY_AS_OF, lambda match: values.get("facts_as_of", ""))
        _replace_all(texts, _PLACEHOLDER, lambda match: values.get(match.group(1), ""))
        for text in [t for t in texts if _MARK in (t.text or "")]:
            _write_page_fields(text, page_pieces(furniture.page_message))
        # Every run, the page label's new ones included, marked with its language.
        for run in paragraph._p.iter(qn("w:r")):
            words = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if words:
                furniture.mark(run, words)


def furniture_paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph of every header and footer (and of their tables)."""
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            yield from part.paragraphs
            for table in part.tables:
                for row in table.rows:
                    for cell in row.cells:
                        yield from cell.paragraphs


def _replace_all(texts: list[Any], pattern: re.Pattern[str], value: Callable) -> None:
    whole = "".join(t.text or "" for t in texts)
    for match in reversed(list(pattern.finditer(whole))):
        _replace_span(texts, match.start(), match.end(), value(match))


def _replace_span(texts: list[Any], start: int, end: int, value: str) -> None:
    """Replace characters ``start:end`` of the texts' joined text with ``value``: the first
    text element touched takes it (keeping its run's look), the others lose their share."""
    at = 0
    placed = False
    for element in texts:
        text = element.text or ""
        lo, hi = at, at + len(text)
        at = hi
        if hi <= start or lo >= end:
            continue
        before = text[: max(0, start - lo)]
        after = text[max(0, end - lo) :] if end < hi else ""
        element.text = before + ("" if placed else xml_text(value)) + after
        placed = True


def _write_page_fields(text: Any, pieces: list[tuple[str, str]]) -> None:
    """Split the run holding ``text`` (a ``<w:t>`` with the page mark) at the mark and put
    the page message's words and fields there, each run with the placeholder run's look."""
    run = text.getparent()
    look = run.find(qn("w:rPr"))
    before, after = (text.text or "").split(_MARK, 1)
    text.text = before
    following = list(text.itersiblings())
    made: list[Any] = []
    for kind, value in pieces:
        if kind == "text":
            made.append(_run(look, value))
        else:
            made += field_runs(value, _SHOWN)
    for element in made:
        if look is not None and element.find(qn("w:rPr")) is None:
            element.insert(0, copy.deepcopy(look))
    if after or following:
        tail = _run(look, after) if after else _run(look, None)
        tail.extend(following)
        made.append(tail)
    anchor = run
    for element in made:
        anchor.addnext(element)
        anchor = element
    if not before:
        run.remove(text)


def _run(look: Any, words: str | None) -> Any:
    """A ``<w:r>`` with a copy of ``look`` (its ``w:rPr``) holding ``words``."""
    from docx.oxml.shared import OxmlElement

    run = OxmlElement("w:r")
    if look is not None:
        run.append(copy.deepcopy(look))
    if words:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = xml_text(words)
        run.append(element)
    return run


@dataclass
class _Segment:
    """A stretch of a paragraph: plain runs (``field`` None) or one complex field."""

    runs: list[Any]
    field: str | None = None

    @property
    def text(self) -> str:
        return "".join(t.text or "" for r in self.runs for t in r.iter(qn("w:t")))


def _segments(paragraph: Any) -> list[_Segment]:
    """The paragraph's direct runs, grouped into text stretches and whole fields."""
    segments: list[_Segment] = []
    depth = 0
    for run in paragraph.iterchildren(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else None
        if kind == "begin" and depth == 0:
            segments.append(_Segment([], ""))
        if depth or kind == "begin":
            segments[-1].runs.append(run)
            instr = run.find(qn("w:instrText"))
            if instr is not None and depth == 1:
                segments[-1].field = (segments[-1].field or "") + (instr.text or "")
            depth += (kind == "begin") - (kind == "end")
            continue
        if not segments or segments[-1].field is not None:
            segments.append(_Segment([]))
        segments[-1].runs.append(run)
    return segments


def _upgrade_legacy_page_label(paragraph: Any) -> None:
    """The earlier shipped footer's ``Page`` PAGE ``of`` NUMPAGES, in English whatever the
    briefing's language, becomes ``{page_of_pages}`` in the look of its first word."""
    segments = _segments(paragraph)
    for i in range(1, len(segments) - 2):
        words, page, between, pages = segments[i - 1 : i + 3]
        if not (
            words.field is None
            and words.text.endswith("Page ")
            and (page.field or "").split()[:1] == ["PAGE"]
            and between.field is None
            and between.text == " of "
            and (pages.field or "").split()[:1] == ["NUMPAGES"]
        ):
            continue
        texts = [t for r in words.runs for t in r.iter(qn("w:t"))]
        total = len(words.text)
        _replace_span(texts, total - len("Page "), total, "{" + PAGE_PLACEHOLDER + "}")
        for run in [*page.runs, *between.runs, *pages.runs]:
            paragraph.remove(run)
        return
