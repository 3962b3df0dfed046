"""The docx target in the incremental build: built when asked, rebuilt when its inputs
change (the fact sheet, templates/reference.docx, the generator) and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx

from generator.builder.runner import preview
from generator.settings import default_settings
from tests.builder.conftest import TODAY, hashes, plan, rebuilt, run
from tests.support.docx_read import custom_properties

BOTH = ("html", "docx")


def _restyle_reference(project: Path) -> None:
    """What a user does in Word: change a style of the reference document and save it."""
    path = project / "templates" / "reference.docx"
    document = docx.Document(str(path))
    document.styles["Normal"].font.name = "Edited Face"
    document.save(str(path))


def test_default_build_does_not_write_a_docx(project: Path, write_brief):
    write_brief("alpha")
    work = preview(default_settings(project), (), today=TODAY).plan.work
    assert [w.targets for w in work] == [("html", "pdf")]


def test_docx_is_built_recorded_and_then_up_to_date(three: Path):
    report = run(three, formats=BOTH)
    assert rebuilt(report) == {b: ("new",) for b in ("alpha", "beta", "gamma")}
    assert all(r.outputs == (f"{r.brief_id}.docx",) for r in report.results)
    document = docx.Document(str(three / "output" / "alpha.docx"))
    sheet_bytes = (three / "briefs" / "alpha.yaml").read_bytes()
    import hashlib

    assert (
        custom_properties(document)["brief-sheet-sha256"] == hashlib.sha256(sheet_bytes).hexdigest()
    )
    assert custom_properties(document)["brief-id"] == "alpha"
    assert rebuilt(run(three, formats=BOTH)) == {}


def test_edited_reference_rebuilds_every_docx_and_nothing_else(three: Path):
    run(three, formats=BOTH)
    before = hashes(three / "output")
    _restyle_reference(three)
    report = run(three, formats=BOTH)
    reason = ("templates/reference.docx changed",)
    assert rebuilt(report) == {"alpha": reason, "beta": reason, "gamma": reason}
    assert all(r.outputs == (f"{r.brief_id}.docx",) for r in report.results)
    after = hashes(three / "output")
    assert {n for n in after if after[n] != before[n]} == {"alpha.docx", "beta.docx", "gamma.docx"}
    restyled = docx.Document(str(three / "output" / "alpha.docx"))
    assert restyled.styles["Normal"].font.name == "Edited Face"


def test_html_template_edits_and_the_template_option_leave_the_docx_alone(three: Path):
    run(three, formats=BOTH)
    challenges = three / "templates" / "partials" / "brief" / "challenges.html"
    challenges.write_text(challenges.read_text(encoding="utf-8") + "{# reworded #}\n")
    work = plan(three, formats=BOTH).plan.work
    assert {w.brief_id: w.targets for w in work} == {"alpha": ("html",), "gamma": ("html",)}
    # A DOCX is always the full briefing: --template does not apply to it.
    work = plan(three, formats=("docx",), template="compact").plan.work
    assert work == []


def test_docx_bytes_do_not_depend_on_the_project_folder_or_the_build(three: Path, tmp_path):
    run(three, formats=("docx",))
    elsewhere = tmp_path / "moved" / "deeper"
    shutil.copytree(three, elsewhere, ignore=shutil.ignore_patterns("output"))
    run(elsewhere, formats=("docx",), jobs=1)
    first, second = hashes(three / "output"), hashes(elsewhere / "output")
    assert {n: first[n] for n in first if n.endswith(".docx")} == {
        n: second[n] for n in second if n.endswith(".docx")
    }
    run(three, formats=("docx",), force=True)
    assert hashes(three / "output") == first


def test_broken_reference_fails_the_briefing_naming_the_file(project: Path, write_brief):
    write_brief("alpha")
    (project / "templates" / "reference.docx").write_bytes(b"not a word document")
    report = run(project, formats=("docx",))
    [result] = report.results
    assert result.status == "failed"
    assert "templates/reference.docx: is not a Word document" in result.error
    assert not (project / "output" / "alpha.docx").exists()


def test_cli_builds_a_docx_when_asked(project: Path, write_brief, run_brief):
    write_brief("alpha")
    result = run_brief("build", "--formats", "docx")
    assert result.returncode == 0, result.stderr
    assert "output/alpha.docx" in result.stdout + result.stderr
    document = docx.Document(str(project / "output" / "alpha.docx"))
    assert document.paragraphs[1].style.name == "Title"
    assert not (project / "output" / "alpha.pdf").exists()


def test_another_python_docx_rebuilds_every_docx(three: Path, tmp_path):
    import json

    import docx as python_docx

    run(three, formats=BOTH)
    state_file = three / "output" / ".brief-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["tools"]["python-docx"] == python_docx.__file__
    # The build state names the file it hashed: point it at other bytes, as an upgrade would.
    other = tmp_path / "__init__.py"
    other.write_text("__version__ = '0.0.0'\n", encoding="utf-8")
    state["tools"]["python-docx"] = str(other)
    state_file.write_text(json.dumps(state), encoding="utf-8")
    work = plan(three, formats=BOTH).plan.work
    assert {w.brief_id: (w.targets, w.reasons) for w in work} == {
        b: (("docx",), ("python-docx changed",)) for b in ("alpha", "beta", "gamma")
    }


def test_docx_shards_merge_into_one_build(project: Path, write_brief, run_brief):
    for brief_id in ("alpha", "beta", "gamma", "delta"):
        write_brief(brief_id, title=f"{brief_id.title()} plant")
    for k in (1, 2):
        result = run_brief("build", "--formats", "docx", "--shard", f"{k}/2")
        assert result.returncode == 0, result.stderr
    shards = [f"output/shard-{k}-of-2" for k in (1, 2)]
    merged = run_brief("merge", *shards, "--out", "merged")
    assert merged.returncode == 0, merged.stderr
    names = {p.name for p in (project / "merged").glob("*.docx")}
    assert names == {"alpha.docx", "beta.docx", "gamma.docx", "delta.docx"}
    again = run_brief("build", "--formats", "docx", "--out", "merged")
    assert again.returncode == 0, again.stderr
    assert "0 built, 4 up to date" in again.stdout + again.stderr
