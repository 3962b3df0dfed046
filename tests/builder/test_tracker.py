"""The portfolio tracker over the real commands: index.html and portfolio.pdf from the state.

A project of five sheets in three currencies (format 1 and 2, one without an amount) is
built once; each test works on a copy. The tracker's counts and sums are read back from
the HTML (parsed) and the PDF (its text and its structure tree), and what rewrites it is
read from file times: one sheet edited, portfolio.yaml added, nothing changed.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from pypdf import PdfReader

from generator.builder.manifest import STATE_NAME
from tests.builder.test_build_cli import SUMMARY
from tests.conftest import copy_templates, minimal_sheet
from tests.render.test_charts import figures_of
from tests.support.cli import run_brief
from tests.support.pdfua import pdfua_findings

#: id -> (jurisdiction, stage, investment or None, sites or None)
SHEETS: dict[str, tuple[str, str, dict[str, Any] | None, list[dict[str, Any]] | None]] = {
    "debrecen": (
        "Hungary",
        "under_construction",
        {"amount": 7340000000, "currency": "EUR"},
        [{"name": "Debrecen", "lat": 47.53, "lon": 21.63}],
    ),
    "ohio": ("Ohio, United States", "announced", {"amount": 4.4e9, "currency": "USD"}, None),
    "georgia": (
        "Georgia, United States",
        "operating",
        {"amount": 5540000000, "currency": "USD"},
        [{"name": "Ellabell", "lat": 32.13, "lon": -81.47}],
    ),
    "kyushu": ("Japan", "talks", {"amount": 150000000000, "currency": "JPY"}, None),
    "harbour": ("Hong Kong SAR, China", "talks", None, None),
}
ROWS = ".//table[@id='tracker-table']/tbody/tr"
CHARTS = ".//section[contains(@class, 'tracker-charts')]//figure"
MONEY = ".//table[contains(@class, 'tracker-money')]"
RATES = """\
currency: USD
fx:
  - from: EUR
    to: USD
    rate: 1.08
    as_of: 2026-06-30
    source: {title: ECB euro reference rates, url: "https://www.ecb.europa.eu/stats/"}
  - from: JPY
    to: USD
    rate: 0.0064
    as_of: 2026-06-30
    source: {title: Bank of Japan, url: "https://www.boj.or.jp/en/statistics/"}
"""


def write_sheet(root: Path, brief_id: str, **changes: Any) -> None:
    jurisdiction, stage, investment, sites = SHEETS[brief_id]
    initiative: dict[str, Any] = {"name": f"{brief_id.title()} plant", "stage": stage}
    if investment:
        initiative["investment"] = investment
    sheet = minimal_sheet(title=f"{brief_id.title()} plant", jurisdiction=jurisdiction)
    if sites:
        initiative["sites"] = sites
        sheet["format"] = 2
    sheet["initiative"] = {**initiative, **changes}
    text = yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True)
    (root / "briefs" / f"{brief_id}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tracker") / "project"
    (root / "briefs").mkdir(parents=True)
    copy_templates(root / "templates")
    for brief_id in SHEETS:
        write_sheet(root, brief_id)
    result = run_brief("build", cwd=root, timeout=600)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project", symlinks=True))


def times(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {n for n in after if before.get(n) != after[n]} - {STATE_NAME}


def cells(page: Any, selector: str) -> list[list[str]]:
    return [
        [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]
        for row in page.xpath(selector)
    ]


def test_counts_by_stage_and_jurisdiction_and_money_per_currency(built: Path) -> None:
    page = lxml.html.fromstring((built / "output" / "index.html").read_bytes())
    stages, places, money = page.xpath(".//table[contains(@class, 'tracker-counts')]")
    assert cells(stages, "./tbody/tr") == [
        ["In talks", "2"],
        ["Announced", "1"],
        ["Under construction", "1"],
        ["Operating", "1"],
    ]
    assert cells(stages, "./tfoot/tr") == [["All", "5"]]
    assert sorted(r[0] for r in cells(places, "./tbody/tr")) == sorted(
        s[0] for s in SHEETS.values()
    )
    # Summed per currency, exactly, never converted: no rates were given.
    assert cells(money, "./tbody/tr") == [
        ["EUR", "€7.34 billion EUR 7,340,000,000", "1"],
        ["JPY", "JP¥150 billion JPY 150,000,000,000", "1"],
        ["USD", "US$9.94 billion USD 9,940,000,000", "2"],
    ]
    assert not money.xpath("./tfoot")
    assert "never converted" in page.text_content()
    # The table lists every briefing, each linking its HTML and PDF.
    rows = page.xpath(ROWS)
    # In id order: debrecen, georgia, harbour, kyushu, ohio.
    assert [r.get("data-stage") for r in rows] == [
        "under_construction",
        "operating",
        "talks",
        "talks",
        "announced",
    ]
    assert len(page.xpath(ROWS + "//a[contains(@href, '.pdf')]")) == 5


def test_one_chart_per_currency_and_one_map_of_every_site(built: Path) -> None:
    page = lxml.html.fromstring((built / "output" / "index.html").read_bytes())
    charts = page.xpath(CHARTS)
    assert [c.get("id") for c in charts] == [
        "chart-investment-eur",
        "chart-investment-jpy",
        "chart-investment-usd",
    ]
    usd = page.xpath(".//figure[@id='chart-investment-usd']/following-sibling::details[1]//table")[
        0
    ]
    assert cells(usd, "./thead/tr") == [["Category", "Announced (USD)", "Operating (USD)"]]
    assert sorted(cells(usd, "./tbody/tr")) == [
        ["Georgia, United States", "–", "5,540,000,000"],
        ["Ohio, United States", "4,400,000,000", "–"],
    ]
    caption = page.xpath(".//section[contains(@class, 'tracker-map')]//figcaption")[
        0
    ].text_content()
    assert "Debrecen (Hungary)" in caption and "Ellabell (United States" in caption


def test_the_pdf_is_the_tracker_printed_tagged_in_the_shipped_fonts(built: Path) -> None:
    data = (built / "output" / "portfolio.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in ("Portfolio tracker", "US$9.94 billion", "Harbour plant", "Debrecen"):
        assert expected in text
    assert pdfua_findings(data) == []
    # No link to a file of the folder: WeasyPrint would make it a path of this machine.
    links = [
        str(a.get_object()["/A"].get("/URI", ""))
        for p in reader.pages
        for a in p.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert all(link.startswith("https://") for link in links), links
    # Each chart and the map is a tagged Figure with its text alternative.
    alts = [str(a) for a in figures_of(reader.trailer["/Root"]["/StructTreeRoot"])]
    assert [a.split(":")[0] for a in alts] == ["Stacked column chart"] * 3 + [
        "Locator map of 2 sites"
    ]
    assert "Announced investment by jurisdiction and stage (USD)" in alts[2]
    fonts = set()
    for pdf_page in reader.pages:
        for font in pdf_page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("Brief-") for f in fonts), fonts


def test_the_pdf_runs_on_and_wraps_stage_words_whole(built: Path) -> None:
    reader = PdfReader(io.BytesIO((built / "output" / "portfolio.pdf").read_bytes()))
    pages = [page.extract_text() for page in reader.pages]
    html = lxml.html.parse(str(built / "output" / "index.html")).getroot()
    last_title = cells(html, ROWS)[-1][0]
    # The charts follow the table where the page has room, not on a page of their own.
    table_ends = next(i for i, text in enumerate(pages) if last_title in text)
    charts_start = next(i for i, t in enumerate(pages) if "Investment by jurisdiction" in t)
    assert charts_start == table_ends, pages
    # A stage wraps between its words ("Under / construction"), never inside one.
    words = set(" ".join(pages).split())
    assert "construction" in words
    assert not {w for w in words if w.startswith("constr") and w != "construction"}, words


def test_a_build_with_nothing_to_do_writes_nothing(project: Path) -> None:
    before = times(project / "output")
    again = run_brief("build", cwd=project)
    assert again.returncode == 0, again.stderr
    assert SUMMARY.search(again.stdout).groups()[:3] == ("0", "5", "0")
    # The state file too is left alone but for its stat cache (this copy's new inodes).
    assert changed(before, times(project / "output")) == set()


def test_one_sheet_edited_rebuilds_it_and_the_tracker_only(project: Path) -> None:
    before = times(project / "output")
    write_sheet(project, "ohio", investment={"amount": 4.5e9, "currency": "USD"})
    result = run_brief("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert changed(before, times(project / "output")) == {
        "ohio.html",
        "ohio.pdf",
        "index.html",
        "portfolio.pdf",
    }
    page = lxml.html.fromstring((project / "output" / "index.html").read_bytes())
    assert "US$10.04 billion" in page.xpath(MONEY)[0].text_content()


def test_rates_convert_the_total_and_name_themselves_rewriting_the_tracker_only(
    project: Path,
) -> None:
    before = times(project / "output")
    (project / "portfolio.yaml").write_text(RATES, encoding="utf-8")
    result = run_brief("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert changed(before, times(project / "output")) == {"index.html", "portfolio.pdf"}
    page = lxml.html.fromstring((project / "output" / "index.html").read_bytes())
    money = page.xpath(MONEY)[0]
    # 7.34e9 * 1.08 + 1.5e11 * 0.0064 + 9.94e9 = 18,827,200,000 USD.
    assert cells(money, "./tfoot/tr") == [
        ["All, in USD", "US$18.83 billion USD 18,827,200,000", ""]
    ]
    rates = [" ".join(li.text_content().split()) for li in page.xpath(".//ul[@class='rates']/li")]
    assert rates == [
        "1 EUR = 1.08 USD on 30 June 2026 · ECB euro reference rates",
        "1 JPY = 0.0064 USD on 30 June 2026 · Bank of Japan",
    ]
    assert [c.get("id") for c in page.xpath(CHARTS)] == ["chart-investment-usd"]
    # Sorting by investment follows the converted amounts (JPY 150 bn is USD 0.96 bn).
    keys = {
        r.xpath("./th/a")[0].text: r.xpath("./td[contains(@class, 'num')]")[0].get("data-sort")
        for r in page.xpath(ROWS)
    }
    assert keys["Kyushu plant"] == "960000000.00" and keys["Harbour plant"] == ""


def test_a_rate_missing_for_a_currency_gives_no_total_and_says_so(project: Path) -> None:
    (project / "portfolio.yaml").write_text(RATES.split("  - from: JPY")[0], encoding="utf-8")
    assert run_brief("build", cwd=project).returncode == 0
    page = lxml.html.fromstring((project / "output" / "index.html").read_bytes())
    assert not page.xpath(MONEY + "/tfoot")
    assert "No total in USD: portfolio.yaml has no rate for JPY." in page.text_content()


def test_a_broken_portfolio_yaml_is_a_located_error_and_the_tracker_stays(project: Path) -> None:
    before = (project / "output" / "index.html").read_bytes()
    broken = RATES.replace("to: USD\n    rate: 1.08", "to: GBP\n    rate: 1.08")
    (project / "portfolio.yaml").write_text(broken, encoding="utf-8")
    result = run_brief("build", cwd=project)
    assert result.returncode == 1
    assert (
        "portfolio.yaml:4:9: fx[0].to: converts to GBP, but the portfolio's currency is USD"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (project / "output" / "index.html").read_bytes() == before


def test_a_missing_portfolio_pdf_is_printed_again(project: Path) -> None:
    (project / "output" / "portfolio.pdf").unlink()
    preview = run_brief("build", "-n", cwd=project)
    assert "portfolio.pdf: output missing" in preview.stdout
    assert run_brief("build", cwd=project).returncode == 0
    assert (project / "output" / "portfolio.pdf").is_file()


def test_a_state_of_format_1_rebuilds_everything(project: Path) -> None:
    state_file = project / "output" / STATE_NAME
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["format"] = 1
    state_file.write_text(json.dumps(state), encoding="utf-8")
    result = run_brief("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "was written by an earlier version (format 1); rebuilding everything" in result.stderr
    assert SUMMARY.search(result.stdout).groups()[:3] == ("5", "0", "0")
    rebuilt = json.loads(state_file.read_text(encoding="utf-8"))
    assert rebuilt["format"] == 2
    assert rebuilt["briefs"]["ohio"]["index"]["investment"] == {
        "amount": "4400000000",
        "currency": "USD",
    }
