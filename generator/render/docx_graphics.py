"""The graphics of the PDF and the HTML, reachable in a DOCX briefing as Word text.

A Word document gets no drawing of them (as for the charts, :mod:`docx_figures`): what
each graphic tells is written where a reader of the document meets it, in the
briefing's language.

- **Risk matrix** (head of Challenges): a table, one row per category, one column per
  severity (High to Low, always all three, "None" in an empty cell), each challenge's
  title a link to its card's heading (bookmark ``challenge_<n>``, as the HTML's
  ``#challenge-<n>``).
- **Locator map** (after "Initiative at a glance"): the sites as a table of name,
  latitude and longitude, in the locale's digits. No outline is drawn: the map locates
  the sites for the eye, and the coordinates are what a Word reader copies.
- **Timeline strip**: its numbered events are the Timeline table itself; what the strip
  adds, which events are scheduled after the facts-as-of date, is the "(scheduled)"
  after the date (:func:`scheduled_note`), as the HTML's list writes it.
"""

from __future__ import annotations

from typing import Any

from generator.render.docx_xml import internal_link

#: The share of the text width of the matrix's category column (the severities share
#: the rest equally) and of the sites table's columns.
CATEGORY_SHARE = 0.25
SITE_COLUMNS = (0.5, 0.25, 0.25)


def card_anchor(anchor: str) -> str:
    """The bookmark of a challenge card's heading (the view's ``challenge-<n>``)."""
    return anchor.replace("-", "_")


def write_risk_matrix(body: Any) -> None:
    """The risk matrix as a Word table under its caption, when there are challenges."""
    matrix = body.view.risk_matrix
    if matrix is None:
        return
    caption = body.words.ngettext(
        "Risk matrix: %(num)d challenge by category and severity; it links to its card below.",
        "Risk matrix: %(num)d challenges by category and severity; each links to its card below.",
        matrix.count,
    )
    paragraph = body.paragraph("Entry Sources", caption % {"num": matrix.count})
    # The caption stays with the table it describes.
    paragraph.paragraph_format.keep_with_next = True
    headings = (body._("Category"), *(label for _severity, label in matrix.severities))
    share = (1 - CATEGORY_SHARE) / len(matrix.severities)
    shares = (CATEGORY_SHARE, *([share] * len(matrix.severities)))
    table = body._data_table(headings, len(matrix.rows), shares)
    for row, entry in zip(table.rows[1:], matrix.rows, strict=True):
        label = row.cells[0].paragraphs[0]
        body.text.restyle(label, "Table Heading")
        body.text.run(label, entry.label)
        for cell, links in zip(row.cells[1:], entry.cells, strict=True):
            _matrix_cell(body, cell, links)


def _matrix_cell(body: Any, cell: Any, links: Any) -> None:
    """One cell: each challenge's title on its own line, linked to its card; else None."""
    if not links:
        body.text.run(cell.paragraphs[0], body._("None"))
        return
    for position, link in enumerate(links):
        paragraph = cell.paragraphs[0] if position == 0 else body.text.paragraph(cell, "Table Text")
        element = internal_link(card_anchor(link.anchor))
        paragraph._p.append(element)
        body.text.run(paragraph, link.title, "Hyperlink", into=element)


def write_sites(body: Any) -> None:
    """The initiative's sites (format 2) as a table of name, latitude and longitude."""
    sites = body.sheet.initiative.sites or ()
    if not sites:
        return
    from babel.numbers import format_decimal

    body.paragraph("Label", body.words.ngettext("Site", "Sites", len(sites)))
    headings = (body._("Name"), body._("Latitude"), body._("Longitude"))
    table = body._data_table(headings, len(sites), SITE_COLUMNS)
    for row, site in zip(table.rows[1:], sites, strict=True):
        body.text.run(row.cells[0].paragraphs[0], site.name)
        for cell, value in zip(row.cells[1:], (site.lat, site.lon), strict=True):
            body.text.run(cell.paragraphs[0], format_decimal(value, "0.0###", body.locale))


def scheduled_note(body: Any, index: int) -> str:
    """`` (scheduled)`` when the timeline's ``index``-th event (in the view's order) falls
    after the facts-as-of date, as the strip draws it hollow; else nothing."""
    strip = body.view.timeline_strip
    if strip is None or not strip.marks[index].scheduled:
        return ""
    return " " + body._("(scheduled)")
