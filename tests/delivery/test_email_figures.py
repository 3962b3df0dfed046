"""The key-figures panel in the email: an HTML table (mail clients drop SVG) and lines of
the text part, its citations numbered against the body's Sources list."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import tinyhtml5

from generator.delivery.message import email_view, render_body
from generator.factsheet.model import FactSheet
from tests.support.figure_samples import four_charts_data
from tests.support.pdf_samples import TEMPLATES
from tests.support.render_samples import rich_data


def body_of(data: dict) -> tuple[str, ET.Element, str]:
    view = email_view(FactSheet.model_validate(data), "figures", None, ["figures.pdf"])
    body = render_body(view, TEMPLATES)
    return body.html, tinyhtml5.parse(body.html), body.text


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def tables(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if str(e.tag).endswith("table") and e.get("class") == name]


def test_the_email_shows_the_panel_as_a_table_with_sources() -> None:
    html, root, text = body_of(four_charts_data())
    (panel,) = tables(root, "key-figures")
    rows = [
        " | ".join(text_of(td) for td in tr) for tr in panel.iter() if str(tr.tag).endswith("}tr")
    ]
    assert rows == [
        "€7.34 billion | Investment (2022) [1]",
        "100 GWh | Planned capacity (2028) [1]",
    ]
    sources = [e for e in root.iter() if e.get("class") == "sources"]
    assert "[1] Plant announcement" in text_of(sources[0])
    assert "<svg" not in html and "data:image" not in html
    assert "KEY FIGURES\n\n- €7.34 billion: Investment (2022) [1]\n" in text


def test_no_panel_in_the_email_of_a_sheet_without_one() -> None:
    _html, root, text = body_of(rich_data())
    assert not tables(root, "key-figures") and "KEY FIGURES" not in text
