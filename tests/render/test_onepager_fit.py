"""The one-pager fitted to its page: its chart kept where it fits, dropped where it does not.

The format-2 sample (examples/catl-europe-figures.yaml) runs onto a second page with its
chart at every type size, and fits without it; trimmed a little, it fits with its chart
at the tightest type, and keeps it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from generator.render.fitting import FIT_CLASSES, NO_CHART, fit_steps, render_fitted_pdf
from generator.render.html import render_html
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "catl-europe-figures.yaml"
CHART_TITLE = "CATL’s revenue, 2021-2024"


#: A source that only the chart's series cites (added to the sample by :func:`sample`).
CHART_SOURCE = "Revenue by year, restated"


def sample() -> dict[str, Any]:
    """The sample, with its revenue series citing a source nothing else on the page cites."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["sources"].append(
        {"id": "restated", "title": CHART_SOURCE, "publisher": "CATL", "kind": "company"}
    )
    data["data"][0]["sources"] = ["restated"]
    return data


def one_pager(data: dict[str, Any]) -> tuple[int, str]:
    """The one-pager's PDF as the build prints it: its page count and its text."""
    page = render_html(make_sheet(data), "x", TEMPLATES, target="pdf", template="onepager")
    rendered = render_fitted_pdf(page.html, TEMPLATES, page.page_limit, images=page.images)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_the_sample_that_cannot_fit_with_its_chart_fits_without_it():
    pages, text = one_pager(sample())
    assert pages == 1
    for words in ("KEY FIGURES", "€7.34 billion", "100 GWh", "9000 jobs", "Sources"):
        assert words in text, words
    assert CHART_TITLE not in text and "The numbers behind" not in text
    assert CHART_SOURCE not in text, "a source only the chart cites goes with it"


def test_a_sheet_that_fits_with_its_chart_keeps_it():
    """Trimmed (a sentence, a fact, one headline challenge, no subtitle or source notes),
    it fits with its chart at the tightest type, which is tried before the chart goes."""
    data = sample()
    data.pop("subtitle")
    data["summary"] = data["summary"].split(" The group")[0]
    del data["key_facts"][2]
    data["challenges"][1]["severity"] = "low"
    for source in data["sources"]:
        source.pop("note", None)
    pages, text = one_pager(data)
    assert pages == 1
    assert CHART_TITLE in text and "The numbers behind “CATL’s revenue, 2021-2024”" in text
    assert "€7.34 billion" in text
    # The chart cites [4], which the page then lists.
    assert "Sources: [4]" in text and f"4. {CHART_SOURCE}" in text


@pytest.mark.parametrize(("has_chart", "steps"), [(True, 5), (False, 2)])
def test_the_steps_that_drop_a_chart_are_tried_only_on_a_page_with_one(has_chart, steps):
    data = sample() if has_chart else minimal_data()
    page = render_html(make_sheet(data), "x", TEMPLATES, target="pdf", template="onepager")
    assert len(fit_steps(page.html)) == steps
    assert fit_steps(page.html) == FIT_CLASSES[:steps]
    assert all(NO_CHART not in step for step in FIT_CLASSES[:2])
