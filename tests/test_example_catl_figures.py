"""The format-2 sample under examples/, built through the CLI as a user would build it:
copied into a project's briefs/ with the project's templates, then read back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from tests.support.cli import run_brief

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "catl-europe-figures.yaml"
NAME = SAMPLE.stem


def test_the_sample_says_it_must_be_checked_before_use():
    head = SAMPLE.read_text(encoding="utf-8").split("\nformat:")[0]
    assert "SAMPLE, NOT A BRIEFING" in head and "CHECK EVERY FACT" in head


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "templates", project / "templates")
    (project / "briefs").mkdir()
    shutil.copy(SAMPLE, project / "briefs" / SAMPLE.name)
    result = run_brief("-C", str(project), "build", NAME, cwd=None, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "output"


def test_the_sample_builds_with_every_graphic(built: Path):
    text = " ".join(p.extract_text() for p in PdfReader(built / f"{NAME}.pdf").pages)
    text = re.sub(r"\s+", " ", text)
    for words in ("Facts as of June 30, 2025", "Risk matrix:", "Arnstadt", "Debrecen"):
        assert words in text, words
    page = tinyhtml5.parse((built / f"{NAME}.html").read_text(encoding="utf-8"))
    ids = {e.get("id") for e in page.iter()}
    assert {"timeline-strip", "risk-matrix", "locator-map"} <= ids
    scheduled = [e for e in page.iter() if e.get("class") == "scheduled"]
    assert len(scheduled) == 1, "the planned 2026 start is drawn as scheduled"


def test_the_sample_s_one_pager_is_one_page_with_its_key_figures(tmp_path: Path):
    """With its chart it runs onto a second page at every type size: the build prints it
    without the chart, and --strict passes."""
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "briefs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "briefs" / SAMPLE.name)
    args = ("build", NAME, "--template", "onepager", "--formats", "pdf", "--strict")
    result = run_brief("-C", str(tmp_path), *args, cwd=None, timeout=300)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "output" / f"{NAME}.pdf")
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for words in ("KEY FIGURES", "€7.34 billion", "100 GWh", "9000 jobs", "Bottom line"):
        assert words in text, words
