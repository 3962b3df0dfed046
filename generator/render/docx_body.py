"""The body of a DOCX briefing: the full briefing's sections, in the format's order.

Every value shown comes from the view model (:func:`generator.render.view.build_view`),
as in the HTML and the PDF; the fact sheet itself only tells which YAML list item each
entry is, for the field bookmarks (the view keeps the order a reader meets them in, the
bookmarks name the index in the file). Headings are Word's Heading 1-3 under a Title, so
Word's navigation pane shows the sections; the contents is a TOC field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from gettext import NullTranslations
from typing import Any

from generator.factsheet import FactSheet
from generator.render.docx_figures import write_charts_at, write_panel
from generator.render.docx_graphics import (
    card_anchor,
    scheduled_note,
    write_risk_matrix,
    write_sites,
)
from generator.render.docx_text import TextWriter, new_table, source_anchor
from generator.render.docx_xml import internal_link, toc_begin, toc_end
from generator.render.i18n import Language
from generator.render.order import ordered_challenges, partial_date_key
from generator.render.script_marks import stated_names
from generator.render.templating import long_date, partial_date, sentence
from generator.render.view import BriefView

#: The initiative rows whose value is one field, by the field the view's row shows.
INITIATIVE_FIELDS = {
    "name": "initiative.name",
    "sponsor": "initiative.sponsor",
    "framework": "initiative.framework",
}
#: The rows listing several fields, one per item of the list.
INITIATIVE_LISTS = {"locations": "locations", "target_markets": "target_markets"}
#: The share of the text width each column of a table takes.
GLANCE_COLUMNS = (0.3, 0.7)
KEY_FACT_COLUMNS = (0.22, 0.24, 0.42, 0.12)
PLAYER_COLUMNS = (0.3, 0.16, 0.54)
TIMELINE_COLUMNS = (0.2, 0.8)


@dataclass(frozen=True)
class Indexes:
    """For each list the view reorders, the YAML index of each entry in the view's order."""

    timeline: tuple[int, ...]
    challenges: tuple[int, ...]
    sources: dict[int, int]


def indexes(sheet: FactSheet, numbers: dict[str, int]) -> Indexes:
    """The YAML indexes behind the view's order (same sort keys as the view's)."""
    events = sheet.timeline or []
    timeline = sorted(range(len(events)), key=lambda i: partial_date_key(events[i].date))
    position = {id(c): i for i, c in enumerate(sheet.challenges)}
    challenges = tuple(position[id(c)] for c in ordered_challenges(sheet.challenges))
    sources = {numbers[s.id]: i for i, s in enumerate(sheet.sources) if s.id in numbers}
    return Indexes(tuple(timeline), challenges, sources)


def toc_anchor(anchor: str) -> str:
    """The bookmark of a section's heading (the view's anchor), which the contents links."""
    return "_Toc_" + anchor.replace("-", "_")


class Body:
    """Writes the view's sections into the emptied reference document."""

    def __init__(
        self, document: Any, sheet: FactSheet, view: BriefView, *, fields: bool = True
    ) -> None:
        self.document = document
        self.sheet = sheet
        self.view = view
        numbers = dict(view.source_numbers)
        words = view.i18n or Language(view.language, "en", NullTranslations())
        self._, self.words, self.locale = words.gettext, words, words.locale
        self.text = TextWriter(
            document,
            numbers,
            view.language,
            fields=fields,
            jurisdiction=view.title_block.jurisdiction,
            names=stated_names(sheet),
        )
        self.indexes = indexes(sheet, dict(view.source_numbers))

    def write(self) -> None:
        """Every section, in the format's order; empty optional ones left out."""
        self.title_block()
        self.contents()
        write_panel(self)
        self.heading(1, self._("Summary"), "summary")
        with self.text.field("summary"):
            self.text.markdown(self.document, self.view.summary, heading_level=2)
        self.initiative()
        self.key_facts()
        write_charts_at(self, "after_key_facts")
        if self.view.players:
            self.players()
        if self.view.timeline:
            self.timeline()
        self.challenges()
        for i, section in enumerate(self.view.sections):
            self.heading(1, section.heading, section.anchor, f"sections[{i}].heading")
            with self.text.field(f"sections[{i}].body"):
                self.text.markdown(self.document, section.body, heading_level=2)
            write_charts_at(self, section.heading)
        self.sources()
        self.brand_footer()

    # -- pieces ---------------------------------------------------------------------------

    def paragraph(self, style: str, text: str = "", path: str | None = None) -> Any:
        """A paragraph of ``style`` holding ``text`` (in the bookmark of field ``path``)."""
        paragraph = self.text.paragraph(self.document, style)
        if text:
            self._text(paragraph, text, path)
        return paragraph

    def heading(self, level: int, text: str, anchor: str | None, path: str | None = None) -> Any:
        """A Heading ``level`` paragraph, bookmarked for the contents when ``anchor``."""
        paragraph = self.paragraph(f"Heading {level}", text, path)
        if anchor:
            self.text.anchor(paragraph, toc_anchor(anchor))
        return paragraph

    def _text(
        self,
        paragraph: Any,
        text: str,
        path: str | None,
        style: str | None = None,
        lang: str | None = None,
    ) -> None:
        if path is None:
            self.text.run(paragraph, text, style, lang=lang)
            return
        with self.text.field(path):
            self.text.run(paragraph, text, style, lang=lang)

    def _markdown_field(self, cell: Any, path: str, text: str, heading_level: int) -> None:
        with self.text.field(path):
            self.text.markdown(cell, text, heading_level=heading_level, style="Table Text")

    def _sources_line(self, container: Any, ids: Sequence[str]) -> None:
        if ids:
            paragraph = self.text.paragraph(container, "Entry Sources")
            self.text.run(paragraph, self._("Sources:") + " ")
            self.text.citation(paragraph, ids)

    # -- sections -------------------------------------------------------------------------

    def title_block(self) -> None:
        head = self.view.title_block
        self.masthead()
        self.paragraph("Kicker", f"{self._('Policy briefing')} · {head.sector}")
        self.paragraph("Title", head.title, "title")
        if head.subtitle:
            self.paragraph("Subtitle", head.subtitle, "subtitle")
        authors = "; ".join(
            f"{a.name} ({a.affiliation})" if a.affiliation else a.name for a in head.authors
        )
        rows = [
            (self._("Jurisdiction"), head.jurisdiction),
            (self._("Facts as of"), long_date(head.as_of, self.locale)),
            (self._("Status"), head.status_label),
            (self.words.ngettext("Author", "Authors", len(head.authors)), authors),
        ]
        if head.audience:
            rows.append((self._("Audience"), head.audience))
        if self.view.brand.document_number:
            rows.append((self._("Document"), self.view.brand.document_number))
        table = self._glance_table(len(rows))
        for row, (label, value) in zip(table.rows, rows, strict=True):
            self.text.run(row.cells[0].paragraphs[0], label)
            self.text.run(row.cells[1].paragraphs[0], value)

    def masthead(self) -> None:
        """The logo and the organisation above the title, as the PDF shows them. A PNG logo
        only: Word's SVG support needs a PNG fallback beside it, which brief cannot draw."""
        brand = self.view.brand
        if brand.logo_mime == "image/png" and brand.logo_data:
            import io

            from docx.shared import Mm

            paragraph = self.paragraph("Kicker")
            paragraph.add_run().add_picture(io.BytesIO(brand.logo_data), height=Mm(12))
            for properties in paragraph._p.xpath(".//wp:docPr"):
                properties.set("descr", brand.logo_alt)
        if brand.organisation:
            self.paragraph("Kicker", brand.organisation)

    def contents(self) -> None:
        """A TOC field whose result, until Word updates it, lists the sections as links."""
        self.paragraph("TOC Heading", self._("Contents"))
        entries = self.view.contents
        for position, entry in enumerate(entries):
            paragraph = self.paragraph("toc 1")
            if position == 0:
                paragraph._p.extend(toc_begin())
            link = internal_link(toc_anchor(entry.anchor))
            paragraph._p.append(link)
            self.text.run(paragraph, entry.heading, into=link)
            if position == len(entries) - 1:
                paragraph._p.append(toc_end())

    def initiative(self) -> None:
        self.heading(1, self._("Initiative at a glance"), "initiative")
        table = self._glance_table(len(self.view.initiative))
        items = self.sheet.initiative
        for row, entry in zip(table.rows, self.view.initiative, strict=True):
            self.text.run(row.cells[0].paragraphs[0], entry.label)
            paragraph = row.cells[1].paragraphs[0]
            if entry.field in INITIATIVE_LISTS:
                key = INITIATIVE_LISTS[entry.field]
                for i, item in enumerate(getattr(items, key) or ()):
                    if i:
                        self.text.run(paragraph, "; ")
                    self._text(paragraph, item, f"initiative.{key}[{i}]")
            else:
                self._text(paragraph, entry.value, INITIATIVE_FIELDS.get(entry.field))
            if entry.note:
                # On a line of its own, as the HTML sets it under the amount.
                self.text.run(paragraph, "").add_break()
                self.text.run(paragraph, entry.note)
        write_sites(self)

    def key_facts(self) -> None:
        self.heading(1, self._("Key facts"), "key-facts")
        facts = self.view.key_facts
        headings = tuple(self._(h) for h in ("Fact", "Value", "Context", "Sources"))
        table = self._data_table(headings, len(facts), KEY_FACT_COLUMNS)
        for i, fact in enumerate(facts):
            cells = table.rows[i + 1].cells
            self._text(cells[0].paragraphs[0], fact.label, f"key_facts[{i}].label")
            # A number is shown formatted, so only a text value is the field's own text.
            is_text = isinstance(self.sheet.key_facts[i].value, str)
            value_path = f"key_facts[{i}].value" if is_text else None
            self._text(cells[1].paragraphs[0], fact.value, value_path)
            if fact.note:
                self._markdown_field(cells[2], f"key_facts[{i}].note", fact.note, 4)
            if fact.sources:
                self.text.citation(cells[3].paragraphs[0], fact.sources)
        _tidy_cells(table)

    def players(self) -> None:
        self.heading(1, self._("Players"), "players")
        players = self.view.players
        table = self._data_table(
            tuple(self._(h) for h in ("Name", "Type", "Role")), len(players), PLAYER_COLUMNS
        )
        for i, player in enumerate(players):
            cells = table.rows[i + 1].cells
            name = cells[0].paragraphs[0]
            self._text(name, player.name, f"players[{i}].name")
            if player.local_name:
                self.text.run(name, " ")
                path, lang = f"players[{i}].local_name", player.local_name_lang
                self._text(name, player.local_name, path, lang=lang)
            self.text.run(cells[1].paragraphs[0], player.kind)
            self._markdown_field(cells[2], f"players[{i}].role", player.role, 4)
            self._sources_line(cells[2], player.sources)
        _tidy_cells(table)

    def timeline(self) -> None:
        self.heading(1, self._("Timeline"), "timeline")
        entries = self.view.timeline
        table = self._data_table((self._("Date"), self._("Event")), len(entries), TIMELINE_COLUMNS)
        rows = zip(table.rows[1:], entries, self.indexes.timeline, strict=True)
        for position, (row, entry, i) in enumerate(rows):
            when = partial_date(entry.date, self.locale) + scheduled_note(self, position)
            self.text.run(row.cells[0].paragraphs[0], when)
            self._markdown_field(row.cells[1], f"timeline[{i}].event", entry.event, 4)
            self._sources_line(row.cells[1], entry.sources)
        _tidy_cells(table)

    def challenges(self) -> None:
        self.heading(1, self._("Challenges"), "challenges")
        write_risk_matrix(self)
        order = iter(self.indexes.challenges)
        for group in self.view.challenge_groups:
            self.heading(2, group.label, None)
            for challenge in group.challenges:
                i = next(order)
                card = self.heading(3, challenge.title, None, f"challenges[{i}].title")
                self.text.anchor(card, card_anchor(challenge.anchor))
                self.paragraph(
                    "Severity", self._("Severity: %(level)s") % {"level": challenge.severity_label}
                )
                with self.text.field(f"challenges[{i}].body"):
                    self.text.markdown(self.document, challenge.body, heading_level=4)
                if challenge.mitigations:
                    self.paragraph("Label", self._("Mitigations"))
                    with self.text.field(f"challenges[{i}].mitigations"):
                        self.text.markdown(self.document, challenge.mitigations, heading_level=4)
                self._sources_line(self.document, challenge.sources)

    def sources(self) -> None:
        self.heading(1, self._("Sources"), "sources")
        for source in self.view.sources:
            i = self.indexes.sources[source.number]
            paragraph = self.paragraph("Source Entry", f"{source.number}.\t")
            self._sentence(paragraph, source.title, f"sources[{i}].title")
            self.text.run(paragraph, " ")
            self._text(paragraph, source.publisher, f"sources[{i}].publisher")
            if source.published:
                self.text.run(paragraph, f", {partial_date(source.published, self.locale)}")
            self.text.run(paragraph, f". {source.kind}.")
            if source.url:
                self.text.run(paragraph, " ")
                self.text.link(paragraph, source.url, source.url)
            if source.note:
                self.text.run(paragraph, " ")
                self._sentence(paragraph, source.note, f"sources[{i}].note")
            if source.accessed:
                accessed = long_date(source.accessed, self.locale)
                self.text.run(paragraph, " " + self._("Accessed %(date)s.") % {"date": accessed})
            self.text.anchor(paragraph, source_anchor(source.number))

    def brand_footer(self) -> None:
        """The house style's closing lines, as the PDF prints them after the sources: the
        suggested citation, the contact line and the colophon."""
        brand = self.view.brand
        if brand.citation:
            self.paragraph("Label", self._("Suggested citation"))
            self.paragraph("Normal", brand.citation)
        if brand.contact:
            self.paragraph("Entry Sources", brand.contact)
        for line in brand.colophon:
            self.paragraph("Entry Sources", line)

    def _sentence(self, paragraph: Any, text: str, path: str) -> None:
        """``text`` in its field's bookmark, and the full stop the template adds outside it."""
        self._text(paragraph, text, path)
        stop = sentence(text)[len(text) :]
        if stop:
            self.text.run(paragraph, stop)

    # -- tables ---------------------------------------------------------------------------

    def _glance_table(self, rows: int) -> Any:
        """A label/value table without a header row (the title block, the initiative)."""
        table = self.document.add_table(rows, 2)
        table.style = self.document.styles["Glance Table"]
        self._widths(table, GLANCE_COLUMNS)
        for row in table.rows:
            self.text.restyle(row.cells[0].paragraphs[0], "Table Heading")
            self.text.restyle(row.cells[1].paragraphs[0], "Table Text")
        return table

    def _data_table(self, headings: Sequence[str], rows: int, shares: Sequence[float]) -> Any:
        """A table of ``rows`` entries under a header row repeated on every page."""
        table = new_table(self.document, self.document, rows + 1, len(headings), 1)
        self._widths(table, shares)
        for cell, heading in zip(table.rows[0].cells, headings, strict=True):
            self.text.restyle(cell.paragraphs[0], "Table Heading")
            self.text.run(cell.paragraphs[0], heading)
        for row in table.rows[1:]:
            for cell in row.cells:
                self.text.restyle(cell.paragraphs[0], "Table Text")
        return table

    def _widths(self, table: Any, shares: Sequence[float]) -> None:
        """Give the columns of ``table`` their ``shares`` of the reference's text width."""
        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        table.autofit = False
        for column, share in zip(table.columns, shares, strict=True):
            # Both the grid (Word's layout) and each cell (LibreOffice's) say the width.
            column.width = int(width * share)
            for cell in column.cells:
                cell.width = int(width * share)


def _tidy_cells(table: Any) -> None:
    """Drop the empty paragraph a cell starts with when Markdown wrote paragraphs after it."""
    for row in table.rows:
        for cell in row.cells:
            paragraphs = cell.paragraphs
            first = paragraphs[0]._p
            if len(paragraphs) > 1 and not first.xpath("./w:r | ./w:hyperlink | ./w:bookmarkStart"):
                first.getparent().remove(first)
