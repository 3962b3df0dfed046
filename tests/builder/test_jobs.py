"""Jobs of the build workers, run here in-process."""

from __future__ import annotations

import pytest

from generator.builder import jobs


def test_missing_harfbuzz_subsetter_is_reported(monkeypatch: pytest.MonkeyPatch):
    ffi = pytest.importorskip("weasyprint.text.ffi")
    assert jobs.warm_pdf(None) == () or ffi.harfbuzz_subset is None
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    (note,) = jobs.warm_pdf(None)
    assert "libharfbuzz-subset is not installed" in note and "make system" in note


def test_page_limit_warning_names_the_brief_template_and_pages():
    warning = jobs.page_limit_warning("briefs/x.yaml", "onepager", 1, 3)
    assert warning.format() == (
        "briefs/x.yaml: warning: does not fit the 'onepager' template: 3 pages, at most 1 "
        "allowed; shorten the summary, key facts, challenges or source notes"
    )
