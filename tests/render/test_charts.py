"""Charts in the outputs: the PDF's tagged figures and fonts, the HTML's figures and
tables, and SVG that is the same bytes from build to build, whatever the host's fonts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import html as lxml_html

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from generator.render.pdf import render_pdf
from tests.support.figure_samples import figures_data, four_charts_data
from tests.support.pdf_samples import TEMPLATES, Briefing, weasyprint_warnings

ALTS = [
    "Line chart: Output by line, 2026 to 2030, values from 0 to 60 GWh.",
    "Column chart: Capacity by year, 2026 to 2028, values from 40 to 100 GWh.",
    "Bar chart: Jobs by phase, Phase 1 to Phase 2, values from 4,000 to 5,000 jobs.",
    "Stacked column chart: Output, both lines, 2026 to 2030, values from 0 to 60 GWh.",
]
#: Prints every chart's SVG of the four-chart sample, as the PDF shows them.
PRINT_SVG = (
    "import base64, re\n"
    "from generator.factsheet.model import FactSheet\n"
    "from generator.render.html import render_html\n"
    "from tests.support.figure_samples import figures_data, four_charts_data\n"
    "from tests.support.pdf_samples import TEMPLATES\n"
    "sheet = FactSheet.model_validate(four_charts_data())\n"
    "for uri in render_html(sheet, 'x', TEMPLATES, target='pdf').images:\n"
    "    print(base64.b64decode(uri.split(',', 1)[1]).decode())\n"
)


@pytest.fixture(scope="module")
def charted() -> Briefing:
    """The four-chart sample as a PDF, the charts' images passed as the build does."""
    data = four_charts_data()
    with weasyprint_warnings() as logged:
        html = render_html(FactSheet.model_validate(data), "x", TEMPLATES, target="pdf")
        pdf = render_pdf(html.html, TEMPLATES, images=html.images)
    return Briefing(data, html.html, pdf.pdf, pdf.files_read, tuple(logged))


def figures_of(structure: object) -> list[object]:
    """The ``Alt`` of every ``/Figure`` of a structure tree, in order."""
    found: list[object] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(node.get("/Alt"))
            if "/K" in node:
                walk(node["/K"])

    walk(structure)
    return found


def test_each_chart_is_a_tagged_figure_with_its_alt(charted: Briefing) -> None:
    tree = charted.reader.trailer["/Root"]["/StructTreeRoot"]
    # The charts' figures; the locator map of the sample's site is a figure too.
    assert [alt for alt in figures_of(tree) if not alt.startswith("Locator map")] == ALTS
    assert not charted.logged


def test_chart_text_is_text_in_the_bundled_faces(charted: Briefing, tmp_path: Path) -> None:
    pdf = tmp_path / "charts.pdf"
    pdf.write_bytes(charted.pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = {line.split()[0].split("+", 1)[1] for line in fonts.stdout.splitlines()[2:]}
    assert names <= {"Brief-Sans", "Brief-Sans-Bold", "Brief-Serif", "Brief-Serif-Bold"} | {
        "Brief-Serif-Italic"
    }
    text = charted.text()
    # Legends, ticks and the unit are text, and every chart's numbers are a table.
    assert "Cells from line A" in text and "GWh" in text and "Phase 1" in text
    assert "The numbers behind “Output by line” Year Cells from line A (GWh)" in text
    assert "Sources: [1]" in text


def test_the_html_has_figures_captions_and_tables_and_no_external_request() -> None:
    sheet = FactSheet.model_validate(four_charts_data())
    page = lxml_html.fromstring(render_html(sheet, "x", TEMPLATES).html)
    figures = page.xpath("//figure[@class and contains(@class, 'chart')]")
    assert len(figures) == 4
    for figure, alt in zip(figures, ALTS, strict=True):
        svg = figure.xpath("./svg")[0]
        title = svg.xpath("./title")[0]
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == title.get("id")
        assert title.text_content() == alt
        assert figure.xpath("./figcaption")[0].text_content().endswith("Sources: [1]")
    tables = page.xpath("//details[@class='chart-numbers']/table")
    assert len(tables) == 4
    rows = [[c.text_content() for c in tr] for tr in tables[0].xpath(".//tr")]
    assert rows == [
        ["Year", "Cells from line A (GWh)", "Cells from line B (GWh)"],
        ["2026", "10", "0"],
        ["2027", "25.5", "12"],
        ["2030", "60", "40"],
    ]
    assert not page.xpath("//*[starts-with(@src, 'http') or starts-with(@href, '//')]")
    assert not page.xpath("//*[@id='figure_1']")  # matplotlib's own ids are dropped


def test_the_pdf_may_show_only_the_charts_it_was_given() -> None:
    sheet = FactSheet.model_validate(four_charts_data())
    rendered = render_html(sheet, "x", TEMPLATES, target="pdf")
    assert len(rendered.images) == 4
    assert all(uri in rendered.html for uri in rendered.images)


def planted_font(home: Path) -> None:
    """A host font that calls itself "Brief Sans" (a serif face), where a user's go."""
    font = TTFont(TEMPLATES / "static" / "fonts" / "NotoSerif-Regular.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "Brief Sans"
    for folder in (home / ".fonts", home / ".local" / "share" / "fonts"):
        folder.mkdir(parents=True)
        font.save(folder / "BriefSans-Planted.ttf")


def test_chart_svg_is_the_same_bytes_across_builds_and_hosts(tmp_path: Path) -> None:
    root = Path(__file__).parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    first = subprocess.run(
        [sys.executable, "-c", PRINT_SVG], env=env, cwd=root, capture_output=True, check=True
    ).stdout
    planted_font(tmp_path)
    env |= {"HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    env["XDG_DATA_HOME"] = str(tmp_path / ".local" / "share")
    second = subprocess.run(
        [sys.executable, "-c", PRINT_SVG], env=env, cwd=root, capture_output=True, check=True
    ).stdout
    assert first == second and first.count(b"<svg") == 4
    assert b"font-family=\"'Brief Sans'\"" in first
    assert b"<dc:date>" not in first and b"Matplotlib" not in first


def test_words_of_the_sheet_in_a_chart_are_text_never_markup() -> None:
    data = four_charts_data()
    data["data"][1]["points"][0]["x"] = "<b>Phase & 1</b>"
    data["data"][1]["title"] = "<script>alert(1)</script>"
    page = lxml_html.fromstring(render_html(FactSheet.model_validate(data), "x", TEMPLATES).html)
    assert not page.xpath("//script") and not page.xpath("//svg//b")
    texts = [" ".join(t.text_content().split()) for t in page.xpath("//svg//text")]
    assert "<b>Phase & 1</b>" in texts


def chart_texts(language: str, points: list[tuple[int, float]]) -> tuple[list[str], list[str]]:
    """The value-axis and category-axis tick labels of a column chart of ``points`` in a
    briefing in ``language``, as its HTML's SVG writes them (value ticks end their text at
    the axis, the years are centred under their columns)."""
    data = figures_data()
    data["language"] = language
    data["data"][0]["points"] = [{"x": x, "y": y} for x, y in points]
    page = lxml_html.fromstring(render_html(FactSheet.model_validate(data), "x", TEMPLATES).html)
    svg = page.xpath("//figure[@id='chart-capacity-chart']/svg")[0]
    values = [t.text_content() for t in svg.xpath(".//text[@text-anchor='end']")]
    years = [t.text_content() for t in svg.xpath(".//text[@text-anchor='middle']")]
    return values, years


@pytest.mark.parametrize(
    ("language", "thousands", "fractions"),
    [
        ("en", ["0", "2,500", "5,000", "7,500", "10,000", "12,500"], ["0", "0.5", "1", "1.5"]),
        ("de", ["0", "2.500", "5.000", "7.500", "10.000", "12.500"], ["0", "0,5", "1", "1,5"]),
        (
            "fr",
            ["0", "2\u202f500", "5\u202f000", "7\u202f500", "10\u202f000", "12\u202f500"],
            ["0", "0,5", "1", "1,5"],
        ),
    ],
)
def test_tick_numbers_are_the_briefings_and_years_stay_plain(
    language: str, thousands: list[str], fractions: list[str]
) -> None:
    values, years = chart_texts(language, [(2025, 12000), (2026, 3000)])
    assert values == thousands
    # The unit (rotated, centred) is the last centred text; the years come first, plain.
    assert years[:2] == ["2025", "2026"]
    values, _ = chart_texts(language, [(2025, 1.5), (2026, 0.25)])
    assert values == fractions


@pytest.mark.parametrize(
    ("language", "billions"),
    [
        ("en", ["0", "2.5B", "5B", "7.5B", "10B", "12.5B"]),
        ("fr", ["0", "2,5\u00a0Md", "5\u00a0Md", "7,5\u00a0Md", "10\u00a0Md", "12,5\u00a0Md"]),
        ("ja", ["0", "25億", "50億", "75億", "100億", "125億"]),
    ],
)
def test_ticks_from_a_million_are_short_so_they_never_run_together(
    language: str, billions: list[str]
) -> None:
    values, _ = chart_texts(language, [(2025, 12_000_000_000), (2026, 3_000_000_000)])
    assert values == billions


def test_the_pdf_svg_is_plain_and_keeps_every_word() -> None:
    import base64

    from lxml import etree

    sheet = FactSheet.model_validate(four_charts_data())
    rendered = render_html(sheet, "x", TEMPLATES, target="pdf")
    ns = {"s": "http://www.w3.org/2000/svg"}
    for uri in rendered.images:
        svg = etree.fromstring(base64.b64decode(uri.split(",", 1)[1]))
        assert not svg.xpath("//*[@style or @clip-path] | //s:clipPath | //s:style", namespaces=ns)
        assert not [g for g in svg.xpath("//s:g", namespaces=ns) if not g.attrib or not len(g)]
        assert svg.get("stroke-linejoin") == "round"
    # Words are never rounded like coordinates: the tick 4,000 stays as written.
    last = etree.fromstring(base64.b64decode(rendered.images[2].split(",", 1)[1]))
    texts = [t.text for t in last.xpath("//s:text", namespaces=ns)]
    assert "Phase 1" in texts and "4,000" in texts and "jobs" in texts
