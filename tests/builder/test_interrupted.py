"""Builds stopped half-way, by Ctrl-C (SIGINT) and by SIGKILL, in a real subprocess.

Whatever the moment, every output is a complete file (the previous version or the new
one), the build state only describes files that are really there, and the next build
completes the set.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.builder.manifest import STATE_NAME, sha256_bytes
from tests.support.cli import start_brief


def _start(project: Path, *args: str) -> subprocess.Popen[str]:
    return start_brief("build", *args, cwd=project)


def _wait_for(folder: Path, pattern: str, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(list(folder.glob(pattern))) < count:
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.01)


def _assert_consistent(out: Path) -> dict[str, dict]:
    """Every output complete; every recorded output present with the recorded content."""
    for html in (p for p in out.glob("*.html") if p.is_file()):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html.name
    for pdf in out.glob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1, pdf.name
    state = json.loads((out / STATE_NAME).read_text())
    for brief_id, record in state["briefs"].items():
        for fmt, target in record["targets"].items():
            data = (out / f"{brief_id}.{fmt}").read_bytes()
            assert sha256_bytes(data) == target["output"], f"{brief_id}.{fmt}"
    return state["briefs"]


def _workers_gone(project: Path) -> bool:
    """Whether no process is left running with ``project`` on its command line."""
    mine = str(project).encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mine in (entry / "cmdline").read_bytes():
                    return False
            except OSError:
                continue
    return True


@pytest.mark.parametrize(
    ("signum", "status", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "stopped")],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stopped_build_keeps_finished_outputs_and_the_next_one_does_the_rest(
    project, write_brief, signum, status, said
):
    # Enough work (about 7 s of CPU) that the signal lands mid-build even when this test
    # is starved on a loaded machine; a build finished before it is signalled tests nothing.
    ids = [f"brief-{n:03d}" for n in range(200)]
    for brief_id in ids:
        write_brief(brief_id, title=f"Plant {brief_id}")
    out = project / "output"
    process = _start(project, "--formats", "html", "-j", "2")
    _wait_for(out, "brief-*.html", 3, process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert said in stderr and "Traceback" not in stderr
    assert not list(out.glob(".tmp-*"))
    recorded = _assert_consistent(out)
    assert 0 < len(recorded) < len(ids)

    again = _start(project, "--formats", "html")
    stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert stdout.startswith(f"{len(ids) - len(recorded)} built, {len(recorded)} up to date")
    assert len(_assert_consistent(out)) == len(ids)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"{brief_id}.html" in index for brief_id in ids)


def test_sigkill_leaves_complete_files_and_the_next_build_completes_the_set(project, write_brief):
    ids = ["alpha", "beta", "gamma", "delta"]
    for brief_id in ids:
        write_brief(brief_id, title=f"{brief_id.title()} plant")
    out = project / "output"
    process = _start(project, "--formats", "html,pdf", "-j", "2")
    _wait_for(out, "*.pdf", 1, process)
    process.kill()
    process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while not _workers_gone(project):
        assert time.monotonic() < deadline, "worker processes outlived their killed parent"
        time.sleep(0.1)
    if (out / STATE_NAME).exists():
        _assert_consistent(out)

    again = _start(project, "--formats", "html,pdf")
    _, stderr = again.communicate(timeout=180)
    assert again.returncode == 0, stderr
    assert len(_assert_consistent(out)) == len(ids)
    assert {p.name for p in out.iterdir()} == {
        STATE_NAME,
        "index.html",
        "portfolio.pdf",
        *(f"{b}.{f}" for b in ids for f in ("html", "pdf")),
    }


def test_an_output_that_cannot_be_written_stops_the_build_with_its_path(
    project, write_brief, run_brief
):
    for brief_id in ("alpha", "beta", "gamma"):
        write_brief(brief_id)
    out = project / "output"
    (out / "beta.html").mkdir(parents=True)
    result = run_brief("build", "--formats", "html", "-j", "1")
    assert result.returncode == 1
    assert f"Error: cannot write {out / 'beta.html'}: a folder is in the way" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob(".tmp-*"))
    _assert_consistent(out)
    (out / "beta.html").rmdir()
    again = run_brief("build", "--formats", "html")
    assert again.returncode == 0, again.stderr
    assert len(_assert_consistent(out)) == 3
