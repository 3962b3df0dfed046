"""Fixtures of the browser tests: one headless Chromium per session, documents built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.cdp import Browser, find_chromium

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium with a fresh profile; skipped only when Chromium is not installed."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (scripts/setup-system.sh test installs it)")
    started = Browser(executable)
    try:
        yield started
    finally:
        started.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core checker, installed from package.json by `make test` (npm ci)."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in the project folder (make test does)")
    return AXE.read_text(encoding="utf-8")
