"""Rendering limits: a briefing over the time or memory limit fails alone, with a clear
message, and the others still build."""

from __future__ import annotations

import copy
import datetime as dt
import os
import time
from pathlib import Path

import yaml
from pypdf import PdfReader

from bench.synthetic import sheet_data

HOG = """{% extends "base.html" %}
{% block body %}{{ "x" * 4000000000 }}{% endblock %}
"""


def _slow_sheet(path: Path) -> None:
    """A valid fact sheet of some 1,700 pages (1.7 MB, under the size limit): about a
    minute of WeasyPrint here, far over the test's time limit on a much faster machine,
    while its HTML takes under a second."""
    data = sheet_data(0, "large")
    sections = data["sections"]
    data["sections"] = [
        {**copy.deepcopy(section), "heading": f"{section['heading']} ({round_})"}
        for round_ in range(40)
        for section in sections
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=88), encoding="utf-8")


def test_a_render_over_the_time_limit_fails_and_the_others_build(project, write_brief, run_brief):
    _slow_sheet(project / "briefs" / "slow.yaml")
    write_brief("quick", title="Quick plant")
    started = time.monotonic()
    # 15 s: the quick briefing takes about a second, several on a loaded 2-core machine.
    result = run_brief("build", "--formats", "pdf", "--time-limit", "15", timeout=180)
    assert result.returncode == 1
    assert time.monotonic() - started < 120
    assert (
        "failed  briefs/slow.yaml: rendering the PDF exceeded the time limit of 15 s"
        in result.stderr.splitlines()
    )
    assert "Traceback" not in result.stderr
    out = project / "output"
    assert len(PdfReader(out / "quick.pdf").pages) >= 1
    assert not (out / "slow.pdf").exists()
    assert not list(out.glob(".tmp-*"))
    assert result.stdout.startswith("1 built, 0 up to date, 1 failed")


def test_a_render_over_the_memory_limit_fails_and_the_others_build(
    project, write_brief, run_brief, monkeypatch
):
    (project / "templates" / "hog.html").write_text(HOG, encoding="utf-8")
    write_brief("hog", template="hog")
    write_brief("fine-one")
    write_brief("fine-two")
    monkeypatch.setitem(os.environ, "BRIEF_MEMORY_LIMIT", "1G")
    result = run_brief("build", "--formats", "html", "-j", "1")
    assert result.returncode == 1
    assert (
        "failed  briefs/hog.yaml: checking and rendering the HTML ran out of memory "
        "(limit 1 GiB)" in result.stderr.splitlines()
    )
    assert "Traceback" not in result.stderr
    out = project / "output"
    assert {p.name for p in out.glob("*.html")} == {"fine-one.html", "fine-two.html", "index.html"}
    assert result.stdout.startswith("2 built, 0 up to date, 1 failed")


# A worker that dies once, for no fault of the briefing: the job is tried again on a new
# worker. The fault is injected in the real worker process (forked after the patch).
_REAL_PRINT_PDF = None


def _print_pdf_dying_once(job):
    marker = Path(os.environ["CRASH_ONCE_MARKER"])
    if not marker.exists():
        marker.write_text("crashed", encoding="utf-8")
        os.kill(os.getpid(), 9)
    return _REAL_PRINT_PDF(job)


def test_a_crashed_render_is_tried_once_more_on_a_new_worker(project, write_brief, monkeypatch):
    global _REAL_PRINT_PDF
    from generator.builder import build, jobs
    from generator.settings import default_settings

    _REAL_PRINT_PDF = jobs.print_pdf
    marker = project / "crashed-once"
    monkeypatch.setenv("CRASH_ONCE_MARKER", str(marker))
    monkeypatch.setattr(jobs, "print_pdf", _print_pdf_dying_once)
    write_brief("alpha")
    report = build(default_settings(project), today=dt.date(2026, 1, 20), formats=("pdf",), jobs=1)
    assert marker.read_text(encoding="utf-8") == "crashed"
    assert not report.failed
    assert len(PdfReader(project / "output" / "alpha.pdf").pages) >= 1


def _print_pdf_always_dying(job):
    os.kill(os.getpid(), 9)


def test_a_render_that_crashes_twice_fails_alone(project, write_brief, monkeypatch):
    from generator.builder import build, jobs
    from generator.settings import default_settings

    monkeypatch.setattr(jobs, "print_pdf", _print_pdf_always_dying)
    write_brief("alpha")
    write_brief("beta")
    report = build(default_settings(project), today=dt.date(2026, 1, 20), formats=("pdf",), jobs=2)
    assert [r.brief_id for r in report.failed] == ["alpha", "beta"]
    assert all("killed by SIGKILL" in r.error for r in report.failed)
