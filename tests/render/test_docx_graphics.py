"""The graphics of the PDF and HTML, reachable in the DOCX as Word text: the risk matrix
as a table whose titles link to their cards, the locator map's sites as a table, the
timeline strip's scheduled events marked in the Timeline table; in the sheet's language."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.oxml.ns import qn

from generator.render import build_view, language_for, render_docx
from tests.support.figure_samples import figures_data
from tests.support.render_samples import TEMPLATES, make_sheet, rich_data

SHA = "ef" * 32


def document(data: dict[str, Any]) -> Any:
    return docx.Document(
        io.BytesIO(render_docx(make_sheet(data), "g", TEMPLATES, sheet_sha=SHA).docx)
    )


def rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_after(doc: Any, first_cell: str) -> Any:
    return next(t for t in doc.tables if t.rows[0].cells[0].text == first_cell)


def test_the_risk_matrix_is_a_table_in_the_language_its_titles_linked_to_their_cards():
    data = rich_data() | {"language": "fr"}
    doc = document(data)
    matrix = table_after(doc, "Catégorie")
    view = build_view(make_sheet(data), "g", language=language_for("fr", TEMPLATES))
    expected = [["Catégorie", "Élevée", "Moyenne", "Faible"]]
    for row in view.risk_matrix.rows:
        cells = ["\n".join(link.title for link in cell) or "Aucun" for cell in row.cells]
        expected.append([row.label, *cells])
    assert rows(matrix) == expected
    assert len(expected) == 5  # overcapacity, labour, land cost, geopolitics
    # Every title is a link to a bookmark on the Heading 3 of its card.
    headings = {}
    for paragraph in doc.paragraphs:
        for mark in paragraph._p.iter(qn("w:bookmarkStart")):
            headings[mark.get(qn("w:name"))] = paragraph
    links = list(matrix._tbl.iter(qn("w:hyperlink")))
    assert len(links) == 6
    for link in links:
        title = "".join(t.text for t in link.iter(qn("w:t")))
        card = headings[link.get(qn("w:anchor"))]
        assert card.style.name == "Heading 3" and card.text == title
    caption = matrix._tbl.getprevious()
    assert "".join(caption.itertext()).startswith("Matrice des risques\u00a0: 6 défis")


def test_the_sites_are_a_table_of_names_and_coordinates_in_the_locales_digits():
    doc = document(figures_data() | {"language": "fr"})
    labels = [p.text for p in doc.paragraphs if p.style.name == "Label"]
    assert "Site" in labels
    assert rows(table_after(doc, "Nom")) == [
        ["Nom", "Latitude", "Longitude"],
        ["Debrecen", "47,53", "21,63"],
    ]
    english = document(figures_data())
    assert rows(table_after(english, "Name"))[1] == ["Debrecen", "47.53", "21.63"]


def test_a_sheet_without_sites_has_no_sites_table():
    doc = document(rich_data())
    assert not [p for p in doc.paragraphs if p.style.name == "Label" and p.text == "Sites"]
    assert not [t for t in doc.tables if t.rows[0].cells[-1].text == "Longitude"]


def test_events_after_the_facts_as_of_date_are_marked_scheduled_as_the_strip_draws_them():
    data = rich_data() | {"language": "de"}
    data["timeline"].append({"date": "2027", "event": "Plant opens.", "sources": ["gov-blueprint"]})
    timeline = table_after(document(data), "Datum")
    dates = [row[0] for row in rows(timeline)[1:]]
    assert dates[-1] == "2027 (geplant)"
    assert all("geplant" not in date for date in dates[:-1])
