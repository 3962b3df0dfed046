"""The figures of a DOCX briefing (format 2): the key-figures panel and each chart's numbers.

Word gets the panel as a table (the large figure, then what it is, its year and its
sources) and each chart as its caption and the table of the numbers behind it, as the
PDF prints after the chart. The drawing itself is not embedded: a DOCX is for editing
and reuse, where the numbers are what a reader copies, and a picture would be a second,
unsourced copy of them. Every word written here is a catalog message in the briefing's
language (``body._``), the same as the HTML's and the PDF's.
"""

from __future__ import annotations

from typing import Any

from generator.render.figures import ChartView
from generator.render.i18n import N_

#: The share of the text width each column of the panel takes.
PANEL_COLUMNS = (0.35, 0.65)
#: What a chart's first column names, by the kind of its x values (translated where
#: written: the same messages as the HTML's and PDF's tables of a chart's numbers).
X_NAMES = {"year": N_("Year"), "date": N_("Date"), "category": N_("Category")}


def write_panel(body: Any) -> None:
    """The key-figures panel, when the view has one: a label, then a two-column table."""
    figures = body.view.key_figures
    if not figures:
        return
    body.paragraph("Label", body._("Key figures"))
    table = body._glance_table(len(figures))
    body._widths(table, PANEL_COLUMNS)
    for row, figure in zip(table.rows, figures, strict=True):
        body.text.run(row.cells[0].paragraphs[0], figure.value)
        paragraph = row.cells[1].paragraphs[0]
        year = f" ({figure.year})" if figure.year else ""
        body.text.run(paragraph, f"{figure.label}{year}")
        if figure.sources:
            body.text.run(paragraph, " ")
            body.text.citation(paragraph, figure.sources)


def write_chart(body: Any, chart: ChartView) -> None:
    """A chart's title, note and sources, then the table of its numbers."""
    body.paragraph("Label", chart.title)
    if chart.note:
        body.paragraph("Entry Sources", chart.note)
    headings = (body._(X_NAMES[chart.x_kind]), *(f"{s.title} ({chart.unit})" for s in chart.series))
    shares = (0.3, *([0.7 / len(chart.series)] * len(chart.series)))
    table = body._data_table(headings, len(chart.categories), shares)
    for r, category in enumerate(chart.categories):
        cells = table.rows[r + 1].cells
        body.text.run(cells[0].paragraphs[0], category)
        for cell, series in zip(cells[1:], chart.series, strict=True):
            body.text.run(cell.paragraphs[0], series.shown[r] or "–")
    body._sources_line(body.document, chart.sources)


def write_charts_at(body: Any, place: str) -> None:
    """Every chart placed at ``place`` (``after_key_facts`` or a section's heading)."""
    for chart in body.view.charts_at(place):
        write_chart(body, chart)
