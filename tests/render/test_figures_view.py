"""Golden tests of the figures' view model: the key-figures panel and every chart kind."""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

from generator.factsheet.model import FactSheet
from generator.render import build_view
from generator.render.figures import ChartView, KeyFigure, SeriesView
from generator.render.view import BriefView
from tests.support.figure_samples import figures_data, four_charts_data
from tests.support.render_samples import rich_data


def view_of(data: dict[str, Any]) -> BriefView:
    return build_view(FactSheet.model_validate(data), "figures")


def test_the_panel_holds_the_highlighted_facts_and_stands_in_for_the_investment() -> None:
    # The highlighted "Investment" fact is the initiative's investment: shown once, sourced.
    assert view_of(figures_data()).key_figures == (
        KeyFigure("Investment", "€7.34 billion", 2022, ("plant-release",)),
        KeyFigure("Planned capacity", "100\u00a0GWh", 2028, ("plant-release",)),
    )


def test_an_investment_no_fact_stands_for_comes_first_without_sources() -> None:
    data = figures_data()
    data["initiative"]["investment"] = {"amount": 1.5e9, "currency": "USD"}
    figures = view_of(data).key_figures
    assert figures[0] == KeyFigure("Investment", "US$1.5 billion", None, ())
    assert [f.label for f in figures[1:]] == ["Investment", "Planned capacity"]


def test_no_panel_without_highlight_or_investment_nor_for_format_1() -> None:
    data = figures_data()
    del data["initiative"]["investment"]
    for fact in data["key_facts"]:
        fact.pop("highlight", None)
    assert view_of(data).key_figures == ()
    old = rich_data()  # format 1, with an investment
    assert old["initiative"].get("investment") and view_of(old).key_figures == ()
    assert view_of(old).charts == ()


def test_every_chart_kind_has_its_numbers_in_order() -> None:
    charts = view_of(four_charts_data()).charts
    lines = (
        SeriesView("output-a", "Cells from line A", (10, 25.5, 60)),
        SeriesView("output-b", "Cells from line B", (0, 12, 40)),
    )
    years = ("2026", "2027", "2030"), (2026.0, 2027.0, 2030.0)
    source = ("plant-release",)
    assert charts == (
        ChartView(
            "lines-chart", "chart-lines-chart", "Output by line", "line", "GWh", None,
            "after_key_facts", "year", *years, lines, source,
        ),
        ChartView(
            "capacity-chart", "chart-capacity-chart", "Capacity by year", "column", "GWh",
            "Planned, not built.", "after_key_facts", "year", ("2026", "2028"),
            (2026.0, 2028.0), (SeriesView("capacity", "Planned capacity", (40, 100)),), source,
        ),
        ChartView(
            "jobs-chart", "chart-jobs-chart", "Jobs by phase", "bar", "jobs", None, "Outlook",
            "category", ("Phase 1", "Phase 2"), (0.0, 1.0),
            (SeriesView("jobs", "Jobs by phase", (4000, 5000)),), source,
        ),
        ChartView(
            "stack-chart", "chart-stack-chart", "Output, both lines", "stacked", "GWh", None,
            "Outlook", "year", *years, lines, source,
        ),
    )  # fmt: skip
    assert (charts[2].lowest, charts[2].highest, charts[2].first, charts[2].last) == (
        "4,000", "5,000", "Phase 1", "Phase 2",
    )  # fmt: skip
    assert charts[0].series[0].shown == ("10", "25.5", "60")


def test_dates_sort_by_time_and_a_missing_point_is_a_gap() -> None:
    data = four_charts_data()
    data["data"][2]["points"] = [{"x": "2027-07", "y": 3}, {"x": "2026-01", "y": 1}]
    data["data"][3]["points"] = [{"x": "2026-01", "y": 2}, {"x": "2028", "y": 5}]
    chart = view_of(data).charts[0]
    assert (chart.x_kind, chart.categories) == ("date", ("2026-01", "2027-07", "2028"))
    assert chart.positions == (2026.0, 2027.5, 2028.0)
    assert [s.values for s in chart.series] == [(1, 3, None), (2, None, 5)]
    assert chart.series[0].shown == ("1", "3", None)


def test_chart_sources_are_each_points_own_else_the_series_and_numbered_in_reading_order() -> None:
    data = four_charts_data()
    data["sources"] += [
        {"id": "second", "title": "B", "publisher": "P", "kind": "government"},
        {"id": "third", "title": "C", "publisher": "P", "kind": "government"},
    ]
    data["data"][2]["points"][1]["sources"] = ["third"]
    data["data"][3]["sources"] = ["second"]
    view = view_of(data)
    assert view.charts[0].sources == ("plant-release", "third", "second")
    # The line chart follows the key facts, before any section cites them.
    assert dict(view.source_numbers) == {"plant-release": 1, "third": 2, "second": 3}
    assert view.charts_at("Outlook") == view.charts[2:]


def test_a_sheet_without_charts_never_imports_the_charting_library() -> None:
    code = (
        "import sys\n"
        "from generator.factsheet.model import FactSheet\n"
        "from generator.render.html import render_html\n"
        "from tests.support.figure_samples import figures_data\n"
        "from tests.support.pdf_samples import TEMPLATES\n"
        "data = figures_data(); del data['charts']\n"
        "render_html(FactSheet.model_validate(data), 'x', TEMPLATES)\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "data['charts'] = figures_data()['charts']\n"
        "render_html(FactSheet.model_validate(data), 'x', TEMPLATES)\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_sample_is_not_changed_by_the_views() -> None:
    data = four_charts_data()
    before = copy.deepcopy(data)
    view_of(data)
    assert data == before
