"""``brief review`` over a DOCX that LibreOffice opened and saved again.

LibreOffice keeps tracked changes, comments, bookmarks and custom properties on a DOCX to
DOCX round trip, but writes them its own way: runs merged and split anew, its own ids,
and a bookmark spanning list paragraphs started a second time in the last one. The
review must read it exactly as it reads the document before the round trip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.support.cli import REPO
from tests.support.review_docx import SampleDocx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HK = "hong-kong-ev-assembly"
HK_SHEET = f"briefs/{HK}.yaml"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed; scripts/setup-system.sh installs it",
    ),
]


def resave(docx: Path, out_dir: Path, profile: Path) -> Path:
    """``docx`` opened and saved as DOCX by headless LibreOffice, in a private profile."""
    out_dir.mkdir()
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        str(out_dir),
        str(docx),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    saved = out_dir / docx.name
    assert saved.is_file(), "LibreOffice wrote no DOCX"
    return saved


def findings(done: subprocess.CompletedProcess[str]) -> list[tuple]:
    document = json.loads(done.stdout)
    return sorted(
        (f["kind"], f["path"], f.get("old"), f.get("new"), f["status"])
        for f in document["findings"]
    )


def test_a_docx_saved_again_by_libreoffice_reviews_the_same(
    project: Path, tmp_path: Path, run_brief
) -> None:
    shutil.copy(REPO / HK_SHEET, project / HK_SHEET)
    sample = SampleDocx(project / HK_SHEET)
    sample.track("key_facts[6].value", "About half", "About 50 %")
    sample.track("key_facts[1].value", " (state-owned)", "")
    sample.comment("key_facts[2].value", "border", "Which border?")
    sample.track("challenges[0].mitigations", "final assembly", "final assembly and testing")
    sample.split_runs("initiative.name", size=3)
    written = sample.save(project / "written.docx")
    saved = resave(written, tmp_path / "out", tmp_path / "profile")
    with zipfile.ZipFile(saved) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml"), "not saved by LibreOffice"
    shutil.copy(saved, project / "saved.docx")

    before = run_brief("review", HK_SHEET, "written.docx", "--json")
    after = run_brief("review", HK_SHEET, "saved.docx", "--json")
    assert (before.returncode, after.returncode) == (0, 0), after.stderr
    assert after.stderr == ""
    assert findings(after) == findings(before)
    assert ("change", "key_facts[6].value", "About half", "About 50 %", "applicable") in (
        findings(after)
    )
    statuses = {(kind, path): status for kind, path, *_, status in findings(after)}
    assert statuses == {
        ("change", "key_facts[6].value"): "applicable",
        ("change", "key_facts[1].value"): "applicable",
        ("comment", "key_facts[2].value"): "needs-person",
        ("change", "challenges[0].mitigations"): "needs-person",
    }

    original = (project / HK_SHEET).read_text(encoding="utf-8")
    applied = run_brief("review", HK_SHEET, "saved.docx", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert (project / HK_SHEET).read_text(encoding="utf-8") == original.replace(
        "value: About half", "value: About 50 %"
    ).replace("FAW Group (state-owned), among", "FAW Group, among")
