"""Format 2's figures in a briefing: a value with its unit, the year it refers to."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from generator.factsheet.loader import load
from generator.render import build_view, format_number
from generator.render.html import render_html
from tests.support.pdf_samples import TEMPLATES

FIGURES = Path(__file__).resolve().parents[1] / "data" / "valid" / "figures.yaml"


def test_a_value_with_a_unit_is_written_as_money_or_with_its_unit() -> None:
    sheet = load(FIGURES, "briefs/figures.yaml").sheet
    values = [row.value for row in build_view(sheet, "figures").key_facts]
    assert values == ["EUR 7,340,000,000 (2022)", "100 GWh (2028)", "9000"]
    assert format_number(sheet.key_facts[1].value) == "100 GWh"


def test_the_html_key_facts_table_shows_them() -> None:
    sheet = load(FIGURES, "briefs/figures.yaml").sheet
    page = lxml_html.fromstring(render_html(sheet, "figures", TEMPLATES).html)
    cells = [" ".join(td.text_content().split()) for td in page.xpath("//table//td")]
    assert "100 GWh (2028)" in cells and "EUR 7,340,000,000 (2022)" in cells
