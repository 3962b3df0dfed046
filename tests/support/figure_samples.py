"""A format-2 fact sheet with a chart of every kind, for the figure tests and the bench."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

FIGURES = Path(__file__).parents[1] / "data" / "valid" / "figures.yaml"

#: Two series of one unit by year, for the line and the stacked chart.
LINES = [
    {
        "id": "output-a",
        "title": "Cells from line A",
        "unit": "GWh",
        "sources": ["plant-release"],
        "points": [{"x": 2026, "y": 10}, {"x": 2027, "y": 25.5}, {"x": 2030, "y": 60}],
    },
    {
        "id": "output-b",
        "title": "Cells from line B",
        "unit": "GWh",
        "sources": ["plant-release"],
        "points": [{"x": 2026, "y": 0}, {"x": 2027, "y": 12}, {"x": 2030, "y": 40}],
    },
]
CHARTS = [
    {
        "id": "lines-chart",
        "title": "Output by line",
        "kind": "line",
        "series": ["output-a", "output-b"],
    },
    {
        "id": "stack-chart",
        "title": "Output, both lines",
        "kind": "stacked",
        "series": ["output-a", "output-b"],
        "place": "Outlook",
    },
]


def figures_data() -> dict[str, Any]:
    """``tests/data/valid/figures.yaml``: a panel, a column and a bar chart."""
    return yaml.safe_load(FIGURES.read_text(encoding="utf-8"))


def four_charts_data() -> dict[str, Any]:
    """The figures sample with a line and a stacked chart more: one chart of every kind."""
    data = figures_data()
    # Copies: a test that edits a point must not edit the next test's sample.
    data["data"] += copy.deepcopy(LINES)
    data["charts"] = copy.deepcopy(CHARTS[:1]) + data["charts"] + copy.deepcopy(CHARTS[1:])
    return data


def without_charts(data: dict[str, Any]) -> dict[str, Any]:
    """The same sheet with no chart (its data series stay: they are counted, not drawn)."""
    return {key: value for key, value in data.items() if key != "charts"}
