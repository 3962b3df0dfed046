"""``brief build`` as people and scripts see it: dry runs, logs, the bar, the summary, imports."""

from __future__ import annotations

import os
import pty
import re
from pathlib import Path

from tests.builder.conftest import hashes
from tests.support.cli import run_brief, start_brief

SUMMARY = re.compile(r"^(\d+) built, (\d+) up to date, (\d+) failed in \d+\.\d\d s$", re.M)


def test_second_build_does_nothing_and_says_so(project: Path, write_brief, run_brief):
    write_brief("alpha")
    write_brief("beta")
    first = run_brief("build", "--formats", "html")
    assert first.returncode == 0, first.stderr
    assert SUMMARY.search(first.stdout).groups()[:3] == ("2", "0", "0")
    assert "built   briefs/alpha.yaml -> output/alpha.html (new)" in first.stderr.splitlines()
    second = run_brief("build", "--formats", "html")
    assert second.returncode == 0
    assert SUMMARY.search(second.stdout).groups()[:3] == ("0", "2", "0")
    assert second.stderr == ""


def test_dry_run_lists_reasons_and_writes_nothing(project: Path, write_brief, run_brief):
    write_brief("alpha")
    write_brief("beta")
    write_brief("gamma")
    assert run_brief("build", "--formats", "html").returncode == 0
    write_brief("alpha", title="Changed")
    (project / "briefs" / "gamma.yaml").unlink()
    (project / "output" / "beta.html").unlink()
    before = hashes(project / "output", skip=())
    result = run_brief("build", "-n", "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "would remove output/gamma.html: briefs/gamma.yaml deleted",
        "would build briefs/alpha.yaml (html): briefs/alpha.yaml changed",
        "would build briefs/beta.yaml (html): output missing",
        "would write output/index.html: briefings changed",
        "2 to build, 0 up to date, 1 to remove",
    ]
    assert hashes(project / "output", skip=()) == before
    forced = run_brief("build", "--dry-run", "--force", "--formats", "html", "alpha")
    assert "would build briefs/alpha.yaml (html): forced" in forced.stdout


def test_failures_are_reported_in_id_order_and_exit_one(project: Path, write_brief, run_brief):
    for name in ("a-good", "b-bad", "c-good", "d-bad", "e-good"):
        stage = "dreaming" if name.endswith("bad") else "talks"
        write_brief(name, initiative={"name": "X", "stage": stage})
    result = run_brief("build", "--formats", "html", "-j", "3")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    reports = [line.split()[:2] for line in lines if line.startswith(("built", "failed"))]
    assert reports == [
        ["built", "briefs/a-good.yaml"],
        ["failed", "briefs/b-bad.yaml:"],
        ["built", "briefs/c-good.yaml"],
        ["failed", "briefs/d-bad.yaml:"],
        ["built", "briefs/e-good.yaml"],
    ]
    assert SUMMARY.search(result.stdout).groups()[:3] == ("3", "0", "2")


def test_progress_bar_on_a_terminal(project: Path, write_brief):
    for name in ("alpha", "beta", "gamma"):
        write_brief(name)
    controller, terminal = pty.openpty()
    process = start_brief(
        *("build", "--formats", "html"),
        cwd=project,
        env={"COLUMNS": "100", "TERM": "xterm"},
        stderr=terminal,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    out, _ = process.communicate(timeout=60)
    os.close(controller)
    assert process.returncode == 0
    screen = shown.decode("utf-8", "replace")
    assert "building" in screen and "3/3" in screen
    assert "built   briefs/beta.yaml -> output/beta.html (new)" in screen
    assert SUMMARY.search(out).groups()[:3] == ("3", "0", "0")


def test_help_check_and_a_no_op_build_never_import_weasyprint(project: Path, write_brief):
    write_brief("alpha")
    assert _imports(project, "build", "--formats", "html")[0] == 0
    for args in (["--help"], ["check", "alpha"], ["build", "--formats", "html"]):
        status, imported = _imports(project, *args)
        assert status == 0, args
        assert "generator.cli.app" in imported
        assert not any(name.startswith("weasyprint") for name in imported), args
    _, noop = _imports(project, "build", "--formats", "html")
    assert not noop & {"pydantic", "yaml", "jinja2", "rich", "multiprocessing"}


#: Runs ``brief`` and prints, at exit, every module the process imported.
_LIST_MODULES = """
import atexit, sys
atexit.register(lambda: print("MODULES", *sorted(sys.modules), file=sys.stderr))
sys.argv = ["brief", *sys.argv[1:]]
from generator.cli import main
main()
"""


def _imports(project: Path, *args: str) -> tuple[int, set[str]]:
    """Run ``brief ARGS``: exit status, and every module the process imported."""
    result = run_brief(*args, cwd=project, timeout=60, entry=("-c", _LIST_MODULES))
    line = next(line for line in result.stderr.splitlines() if line.startswith("MODULES "))
    return result.returncode, set(line.split()[1:])


def test_clean_removes_outputs_and_build_state(project: Path, write_brief, run_brief):
    write_brief("alpha")
    assert run_brief("build", "--formats", "html").returncode == 0
    cleaned = run_brief("clean")
    assert cleaned.returncode == 0 and cleaned.stdout == "removed 4 file(s)\n"
    assert sorted(p.name for p in (project / "output").iterdir()) == []
    again = run_brief("build", "--formats", "html")
    assert SUMMARY.search(again.stdout).groups()[:3] == ("1", "0", "0")
