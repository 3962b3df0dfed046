"""Fixtures of the PDF tests: the rich sample is rendered once per session."""

from __future__ import annotations

import pytest

from tests.support.pdf_samples import Briefing, render_briefing, rich_data


@pytest.fixture(scope="session")
def rich() -> Briefing:
    """The rich sample (draft, CJK names, twelve sources, a long URL) as a PDF."""
    return render_briefing(rich_data())
