"""Figures in the DOCX briefing: the key-figures panel as a table, each chart's numbers as
a table under its title, in the places the HTML and PDF give them."""

from __future__ import annotations

import io
from typing import Any

import docx

from generator.render import render_docx
from tests.support.figure_samples import four_charts_data
from tests.support.render_samples import TEMPLATES, make_sheet


def rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_panel_and_every_charts_numbers_are_word_tables() -> None:
    data = render_docx(make_sheet(four_charts_data()), "f", TEMPLATES, sheet_sha="ab" * 32)
    document = docx.Document(io.BytesIO(data.docx))
    tables = [rows(t) for t in document.tables]
    assert [
        ["€7.34 billion", "Investment (2022) [1]"],
        ["100\u00a0GWh", "Planned capacity (2028) [1]"],
    ] in tables
    assert [
        ["Year", "Cells from line A (GWh)", "Cells from line B (GWh)"],
        ["2026", "10", "0"],
        ["2027", "25.5", "12"],
        ["2030", "60", "40"],
    ] in tables
    assert [["Category", "Jobs by phase (jobs)"], ["Phase 1", "4,000"], ["Phase 2", "5,000"]] in (
        tables
    )
    labels = [p.text for p in document.paragraphs if p.style.name == "Label"]
    assert labels[:6] == [
        "Key figures",
        # The locator map's sites, after "Initiative at a glance" (test_docx_graphics.py).
        "Site",
        "Output by line",
        "Capacity by year",
        "Jobs by phase",
        "Output, both lines",
    ]
    texts = [p.text for p in document.paragraphs]
    # The section's charts follow its text (the contents lists the headings first), before
    # the sources.
    last = {text: i for i, text in enumerate(texts)}
    assert last["Outlook"] < last["Jobs by phase"] < last["Output, both lines"] < last["Sources"]
    assert last["Output by line"] < last["Challenges"]


def test_the_figures_labels_are_in_the_sheets_language() -> None:
    data = four_charts_data() | {"language": "fr"}
    document = docx.Document(
        io.BytesIO(render_docx(make_sheet(data), "f", TEMPLATES, sheet_sha="ab" * 32).docx)
    )
    labels = [p.text for p in document.paragraphs if p.style.name == "Label"]
    assert labels[0] == "Chiffres clés"
    tables = [rows(t) for t in document.tables]
    assert [t[0] for t in tables if t[1][0] == "2026"][:1] == [
        ["Année", "Cells from line A (GWh)", "Cells from line B (GWh)"]
    ]
    assert [t[0][0] for t in tables if t[1][0] == "Phase 1"] == ["Catégorie"]
    firsts = {t[0][0] for t in tables}
    assert not {"Year", "Category", "Key figures"} & (firsts | set(labels))
