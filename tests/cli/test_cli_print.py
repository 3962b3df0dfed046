"""The real CLI: reproducible outputs, templates, PDF variants and the page-limit warning."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import REPO
from tests.support.cli import run_brief
from tests.support.pdf_samples import inflate_all

HK = REPO / "briefs" / "hong-kong-ev-assembly.yaml"


def checkout(root: Path) -> Path:
    """A copy of the project's templates and the Hong Kong fact sheet at ``root``."""
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(HK, root / "briefs" / HK.name)
    return root


def brief(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``brief ARGS`` in ``root`` with extra environment variables."""
    return run_brief(*args, cwd=root, env=env, timeout=120)


def digests(folder: Path) -> dict[str, str]:
    """The outputs in ``folder`` by name, with their hashes (not the build state file)."""
    outputs = (p for p in sorted(folder.iterdir()) if p.name != ".brief-state.json")
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}


def test_two_checkouts_build_byte_identical_outputs(tmp_path: Path) -> None:
    first = checkout(tmp_path / "one" / "brief")
    second = checkout(tmp_path / "elsewhere" / "other-name")
    env_first = {"TZ": "UTC"}
    env_second = {"TZ": "Asia/Hong_Kong", "SOURCE_DATE_EPOCH": "1893456000"}
    for root, env in ((first, env_first), (second, env_second)):
        result = brief(root, "build", **env)
        assert result.returncode == 0, result.stderr
    hashes = digests(first / "output")
    assert set(hashes) == {
        "hong-kong-ev-assembly.html",
        "hong-kong-ev-assembly.pdf",
        "index.html",
        "portfolio.pdf",
    }
    assert hashes == digests(second / "output")
    for root in (first, second):
        for path in (root / "output").iterdir():
            data = inflate_all(path.read_bytes()) if path.suffix == ".pdf" else path.read_bytes()
            assert str(tmp_path).encode() not in data, path.name


def test_template_key_selects_the_onepager_and_a_long_one_is_warned_about(
    project: Path, write_brief, run_brief
) -> None:
    write_brief("short", template="onepager")
    long_summary = " ".join(["The talks continue with no firm result [@src-a]."] * 400)
    write_brief("long", template="onepager", summary=long_summary)
    result = run_brief("build")
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(project / "output" / "short.pdf").pages) == 1
    assert len(PdfReader(project / "output" / "long.pdf").pages) > 1
    lines = [line for line in result.stderr.splitlines() if "page-limit" in line or "fit" in line]
    assert len(lines) == 1
    assert lines[0].startswith("briefs/long.yaml: warning: does not fit the 'onepager' template")
    assert "at most 1 allowed" in lines[0]


def test_a_page_limit_overrun_fails_under_strict(project: Path, write_brief, run_brief) -> None:
    long_summary = " ".join(["The talks continue with no firm result [@src-a]."] * 400)
    write_brief("long", summary=long_summary)
    result = run_brief("build", "--strict", "--template", "onepager")
    assert result.returncode == 1
    assert "briefs/long.yaml: does not fit the 'onepager' template" in result.stderr
    assert not (project / "output" / "long.pdf").exists()


def test_pdf_variant_option_and_setting(project: Path, write_brief, run_brief) -> None:
    write_brief("x")
    result = run_brief("build", "--formats", "pdf", "--pdf-variant", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    root = PdfReader(project / "output" / "x.pdf").trailer["/Root"]
    assert "/OutputIntents" in root and "/StructTreeRoot" not in root
    result = run_brief("build", "--formats", "pdf")
    assert result.returncode == 0, result.stderr
    assert "/StructTreeRoot" in PdfReader(project / "output" / "x.pdf").trailer["/Root"]
    bad = run_brief("build", "--pdf-variant", "pdf/x-9")
    assert bad.returncode == 2 and "pdf/x-9" in bad.stderr


def test_pdf_variant_from_the_environment(project: Path, write_brief) -> None:
    write_brief("x")
    result = brief(project, "build", "--formats", "pdf", BRIEF_PDF_VARIANT="plain")
    assert result.returncode == 0, result.stderr
    assert "/StructTreeRoot" not in PdfReader(project / "output" / "x.pdf").trailer["/Root"]


def test_source_date_epoch_is_today_for_the_rule_checks(project: Path, write_brief) -> None:
    write_brief("x")  # as_of 2026-01-20
    before = brief(project, "check", SOURCE_DATE_EPOCH="1577836800")  # 2020-01-01
    assert "as_of" in before.stderr and "later than today" in before.stderr
    after = brief(project, "check", SOURCE_DATE_EPOCH="1893456000")  # 2030-01-01
    assert "later than today" not in after.stderr
