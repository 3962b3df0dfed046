"""Fact sheets for the rendering tests, built with ``FactSheet.model_validate``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from generator.factsheet.model import FactSheet

RICH_SHEET = Path(__file__).parents[1] / "data" / "render" / "rich-sheet.json"
TEMPLATES = Path(__file__).parents[2] / "templates"

MINIMAL: dict[str, Any] = {
    "title": "Minimal brief",
    "jurisdiction": "Testland",
    # British English, as the sample briefing: "Labour", "20 January 2026".
    "language": "en-GB",
    "as_of": "2026-01-20",
    "authors": ["A. Writer"],
    "summary": "Short summary [@s1].",
    "initiative": {"name": "Plant", "stage": "proposed"},
    "key_facts": [{"label": "Jobs", "value": 100, "sources": ["s1"]}],
    "challenges": [
        {"category": "land_cost", "title": "Land", "severity": "low", "body": "Costly."}
    ],
    "sources": [{"id": "s1", "title": "Report", "publisher": "Office"}],
}


def rich_data() -> dict[str, Any]:
    """A fresh copy of the rich sample: CJK names, many sources, a long URL, a draft."""
    return json.loads(RICH_SHEET.read_text(encoding="utf-8"))


def minimal_data() -> dict[str, Any]:
    """A fresh copy of the smallest valid fact sheet."""
    return copy.deepcopy(MINIMAL)


def make_sheet(data: dict[str, Any]) -> FactSheet:
    """Validate ``data`` as the loader would."""
    return FactSheet.model_validate(data)
