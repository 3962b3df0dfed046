"""matplotlib as an input of the briefings that have charts: an upgrade rebuilds those
(their HTML and PDF, the drawings' formats) and no other."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

from tests.builder.conftest import plan, rebuilt, run
from tests.support.figure_samples import FIGURES

BOTH = ("html", "pdf")


def test_another_matplotlib_rebuilds_the_briefings_with_charts_only(
    project: Path, write_brief, tmp_path: Path
) -> None:
    write_brief("plain", title="Plain plant")
    write_brief("charted", FIGURES.read_text(encoding="utf-8"))
    assert set(rebuilt(run(project, formats=BOTH))) == {"plain", "charted"}
    state_file = project / "output" / ".brief-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["tools"]["matplotlib"] == str(Path(matplotlib.__file__).with_name("_version.py"))
    assert plan(project, formats=BOTH).plan.work == []
    # The build state names the file it hashed: point it at other bytes, as an upgrade would.
    other = tmp_path / "_version.py"
    other.write_text("version = '0.0.0'\n", encoding="utf-8")
    state["tools"]["matplotlib"] = str(other)
    state_file.write_text(json.dumps(state), encoding="utf-8")
    work = plan(project, formats=BOTH).plan.work
    assert {w.brief_id: (w.targets, w.reasons) for w in work} == {
        "charted": (BOTH, ("matplotlib changed",))
    }
    report = run(project, formats=BOTH)
    assert rebuilt(report) == {"charted": ("matplotlib changed",)}
    assert rebuilt(run(project, formats=BOTH)) == {}


def test_a_docx_does_not_depend_on_matplotlib(project: Path, write_brief) -> None:
    write_brief("charted", FIGURES.read_text(encoding="utf-8"))
    run(project, formats=("docx",))
    state = json.loads((project / "output" / ".brief-state.json").read_text(encoding="utf-8"))
    assert "matplotlib" not in state["tools"]
    keys = {key for deps in state["depsets"].values() for key, _ in deps}
    assert "tool:matplotlib" not in keys and "tool:python-docx" in keys
