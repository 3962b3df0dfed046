"""Fixtures of the fact-sheet tests: the smallest valid sheet and a parser switch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def minimal_text() -> str:
    """The smallest valid fact sheet, as text."""
    return (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and again as if libyaml were not installed."""
    if request.param == "pure":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML is installed without libyaml")
    return request.param
