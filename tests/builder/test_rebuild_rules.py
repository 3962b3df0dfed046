"""The rebuild rules, each on a temporary project: what a change rebuilds, and the reason."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator import __version__
from generator.builder.manifest import STATE_NAME
from tests.builder.conftest import hashes, plan, rebuilt, run


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_nothing_changed_rebuilds_nothing_and_rewrites_nothing(three: Path):
    out = three / "output"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".html"}
    report = run(three)
    assert rebuilt(report) == {}
    assert report.count("up-to-date") == 3
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".html"} == before


def test_edited_fact_sheet_rebuilds_only_it(three: Path, write_brief):
    write_brief("alpha", title="Alpha plant, revised")
    report = run(three)
    assert rebuilt(report) == {"alpha": ("briefs/alpha.yaml changed",)}
    assert "Alpha plant, revised" in (three / "output" / "index.html").read_text()


def test_touch_without_change_rebuilds_nothing(three: Path):
    sheet = three / "briefs" / "alpha.yaml"
    sheet.write_bytes(sheet.read_bytes())
    os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 10**12))
    assert rebuilt(run(three)) == {}


def test_change_with_size_and_mtime_restored_is_still_seen(three: Path):
    sheet = three / "briefs" / "gamma.yaml"
    old = sheet.stat()
    sheet.write_text(sheet.read_text().replace("Gamma plant", "Gamma plunt"))
    os.utime(sheet, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert sheet.stat().st_size == old.st_size
    assert rebuilt(run(three)) == {"gamma": ("briefs/gamma.yaml changed",)}


def test_edited_partial_rebuilds_only_the_briefings_using_it(three: Path):
    _append(three / "templates" / "partials" / "brief" / "challenges.html", "{# reworded #}\n")
    reason = ("templates/partials/brief/challenges.html changed",)
    assert rebuilt(run(three)) == {"alpha": reason, "gamma": reason}
    _append(three / "templates" / "partials" / "compact_note.html", "<p>More.</p>\n")
    assert rebuilt(run(three)) == {"beta": ("templates/partials/compact_note.html changed",)}


def test_edited_stylesheet_rebuilds_only_outputs_that_read_it(three: Path):
    # onepager.css is read by the one-pager only, which none of the three uses.
    _append(three / "templates" / "static" / "onepager.css", "/* unused here */\n")
    assert rebuilt(run(three)) == {}
    _append(three / "templates" / "static" / "screen.css", "/* tweak */\n")
    reason = ("templates/static/screen.css changed",)
    assert rebuilt(run(three)) == {"alpha": reason, "beta": reason, "gamma": reason}


def test_new_format_builds_only_it_and_a_font_change_both_formats(three: Path):
    out = three / "output"
    html_before = (out / "alpha.html").stat().st_mtime_ns
    report = run(three, "alpha", formats=("html", "pdf"))
    assert rebuilt(report) == {"alpha": ("new",)}
    assert report.results[0].outputs == ("alpha.pdf",)
    assert (out / "alpha.html").stat().st_mtime_ns == html_before
    assert (out / "alpha.pdf").read_bytes().startswith(b"%PDF-")
    fonts = three / "templates" / "static" / "fonts"
    shutil.copyfile(fonts / "NotoSerif-Bold.ttf", fonts / "NotoSerif-Regular.ttf")
    preview = plan(three, formats=("html", "pdf"))
    alpha = next(w for w in preview.plan.work if w.brief_id == "alpha")
    # The HTML inlines a subset of the same face (generator/render/webfont.py).
    assert alpha.targets == ("html", "pdf")
    assert alpha.reasons == ("templates/static/fonts/NotoSerif-Regular.ttf changed",)
    variant = plan(three, "alpha", formats=("html", "pdf"), pdf_variant="plain").plan.work
    assert variant[0].targets == ("html", "pdf")
    assert "options changed (--pdf-variant)" in variant[0].reasons
    # beta and gamma never had a PDF: it is new; their HTML inlines the changed face.
    changed = "templates/static/fonts/NotoSerif-Regular.ttf changed"
    assert {w.brief_id: w.reasons for w in preview.plan.work if w.brief_id != "alpha"} == {
        "beta": (changed, "new"),
        "gamma": (changed, "new"),
    }


def test_template_option_is_an_output_affecting_option(three: Path):
    reason = ("options changed (--template)",)
    assert rebuilt(run(three, "alpha", template="compact")) == {"alpha": reason}
    assert rebuilt(run(three, "alpha", template="compact")) == {}
    assert rebuilt(run(three, "alpha")) == {"alpha": reason}


def test_deleted_fact_sheet_removes_its_outputs_and_index_entry(three: Path):
    (three / "briefs" / "beta.yaml").unlink()
    report = run(three)
    removed = [r for r in report.results if r.status == "removed"]
    assert [(r.brief_id, r.outputs, r.reasons) for r in removed] == [
        ("beta", ("beta.html",), ("briefs/beta.yaml deleted",))
    ]
    out = three / "output"
    assert not (out / "beta.html").exists()
    index = (out / "index.html").read_text()
    assert "beta.html" not in index and "alpha.html" in index
    assert "beta" not in json.loads((out / STATE_NAME).read_text())["briefs"]


def test_missing_or_hand_edited_output_is_rebuilt(three: Path):
    out = three / "output"
    original = (out / "alpha.html").read_bytes()
    (out / "alpha.html").write_bytes(original[:100])
    (out / "beta.html").unlink()
    assert rebuilt(run(three)) == {
        "alpha": ("output changed since it was built",),
        "beta": ("output missing",),
    }
    assert (out / "alpha.html").read_bytes() == original


def test_generator_upgrade_rebuilds_everything(three: Path):
    state_file = three / "output" / STATE_NAME
    state = json.loads(state_file.read_text())
    for record in state["briefs"].values():
        for target in record["targets"].values():
            target["generator"] = "0.0.1"
    state_file.write_text(json.dumps(state))
    reason = (f"generator upgraded (0.0.1 -> {__version__})",)
    assert rebuilt(run(three)) == {"alpha": reason, "beta": reason, "gamma": reason}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: text.replace('"format":2', '"format":99'),
        lambda text: text.replace('"warnings":0', '"warnings":"many"'),
    ],
    ids=["cut-mid-object", "not-an-object", "unknown-format", "wrong-type"],
)
def test_damaged_state_means_a_full_rebuild_with_a_warning(three: Path, caplog, damage):
    state_file = three / "output" / STATE_NAME
    state_file.write_text(damage(state_file.read_text()))
    report = run(three)
    assert set(rebuilt(report)) == {"alpha", "beta", "gamma"}
    assert any("build state output/.brief-state.json" in m for m in caplog.messages)
    json.loads(state_file.read_text())
    assert rebuilt(run(three)) == {}


def test_force_rebuilds_everything(three: Path):
    report = run(three, force=True)
    assert rebuilt(report) == {b: ("forced",) for b in ("alpha", "beta", "gamma")}


def test_failed_sheet_keeps_its_last_output_and_is_retried(three: Path, write_brief):
    out = three / "output"
    before = (out / "gamma.html").read_bytes()
    write_brief("gamma", initiative={"name": "X", "stage": "dreaming"})
    for _ in range(2):
        report = run(three)
        assert [r.brief_id for r in report.failed] == ["gamma"]
        assert report.count("up-to-date") == 2
    assert (out / "gamma.html").read_bytes() == before


def test_strict_fails_a_briefing_with_warnings_even_when_up_to_date(project: Path, write_brief):
    uncited = {"id": "unused", "title": "U", "publisher": "P", "url": "https://example.org/u"}
    sources = [
        {"id": "src-a", "title": "A", "publisher": "P", "url": "https://example.org/a"},
        uncited,
    ]
    write_brief("warned", sources=sources)
    assert rebuilt(run(project)) == {"warned": ("new",)}
    report = run(project, strict=True)
    assert [r.brief_id for r in report.failed] == ["warned"]
    assert any(d.path == "sources[1].id" for d in report.failed[0].diagnostics)


def test_one_and_many_jobs_write_identical_files(project: Path, write_brief):
    for name in ("a-one", "b-two", "c-three", "d-four", "e-five"):
        write_brief(name, title=f"Plant {name}")
    run(project, out=project / "serial", jobs=1)
    run(project, out=project / "parallel", jobs=4)
    assert hashes(project / "serial") == hashes(project / "parallel")
    # Five briefings, index.html and portfolio.pdf.
    assert len(hashes(project / "serial")) == 7


def test_index_is_not_rewritten_when_its_entries_did_not_change(three: Path, write_brief):
    index = three / "output" / "index.html"
    before = index.stat().st_mtime_ns
    write_brief("alpha", title="Alpha plant", summary="Reworded bottom line [@src-a].")
    assert rebuilt(run(three)) == {"alpha": ("briefs/alpha.yaml changed",)}
    assert index.stat().st_mtime_ns == before
