"""``brief review`` over what ``brief build --formats docx`` really writes: the DOCX
writer and its reader hold to one contract (field bookmarks, custom properties, the text
of each field as shown), also after LibreOffice has saved the document again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.authoring.test_review_libreoffice import SOFFICE, resave
from tests.support.cli import REPO
from tests.support.review_docx import SampleDocx

HK = "hong-kong-ev-assembly"
HK_SHEET = f"briefs/{HK}.yaml"
BUILT = f"output/{HK}.docx"


@pytest.fixture
def built(project: Path, run_brief) -> Path:
    """The Hong Kong briefing built as a DOCX in a fresh project."""
    shutil.copy(REPO / HK_SHEET, project / HK_SHEET)
    done = run_brief("build", HK, "--formats", "docx")
    assert done.returncode == 0, done.stderr
    return project / BUILT


def edited(built: Path, target: Path) -> Path:
    sample = SampleDocx.open(built)
    sample.track("key_facts[6].value", "About half", "About 50 %", author="Ann Lee")
    sample.track("initiative.target_markets[1]", "Europe", "the European Union")
    sample.track("challenges[0].mitigations", "final assembly", "final assembly and testing")
    sample.comment("key_facts[2].value", "border", "Which border?")
    return sample.save(target)


def test_an_unedited_build_has_nothing_to_review(built: Path, run_brief) -> None:
    """Every field's text in the DOCX is the sheet's: no edit is seen where none was made."""
    done = run_brief("review", HK_SHEET, BUILT, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["findings"], document["warnings"], document["sheet_changed"]) == (
        [],
        [],
        False,
    )


def test_edits_to_a_built_docx_are_found_and_applied(built: Path, project: Path, run_brief) -> None:
    edited(built, project / "returned.docx")
    original = (project / HK_SHEET).read_text(encoding="utf-8")
    done = run_brief("review", HK_SHEET, "returned.docx", "--apply")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == (
        f"returned.docx: 3 changes, 1 comment: 2 applied to {HK_SHEET}, 2 need a person"
    )
    assert any(
        line.endswith(
            'key_facts[6].value: "About half" → "About 50 %" (tracked change by Ann Lee,'
            " 2026-12-02); applied"
        )
        for line in lines
    )
    assert (project / HK_SHEET).read_text(encoding="utf-8") == original.replace(
        "value: About half", "value: About 50 %"
    ).replace("    - Europe\n", "    - the European Union\n")


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; scripts/setup-system.sh installs it",
)
def test_a_built_docx_saved_again_by_libreoffice_reviews_the_same(
    built: Path, project: Path, tmp_path: Path, run_brief
) -> None:
    written = edited(built, tmp_path / "returned.docx")
    saved = resave(written, tmp_path / "out", tmp_path / "profile")
    shutil.copy(written, project / "written.docx")
    shutil.copy(saved, project / "saved.docx")
    before = run_brief("review", HK_SHEET, "written.docx", "--json")
    after = run_brief("review", HK_SHEET, "saved.docx", "--json")
    assert (before.returncode, after.returncode) == (0, 0), after.stderr
    assert after.stderr == "", "LibreOffice's doubled bookmark starts must read as one field"

    def shape(done) -> list[tuple]:
        return sorted(
            (f["kind"], f["path"], f.get("old"), f.get("new"), f["status"])
            for f in json.loads(done.stdout)["findings"]
        )

    assert shape(after) == shape(before)
    assert len(shape(after)) == 4
