"""Helpers of the build tests: an in-process build of a temporary project, and its outcome."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from generator.builder.report import BuildReport
from generator.builder.runner import build, preview
from generator.settings import default_settings

TODAY = dt.date(2026, 1, 21)
COMPACT = """{% extends "base.html" %}
{% block body %}<main>{% include "partials/compact_note.html" %}
<h1>{{ brief.title_block.title }}</h1></main>{% endblock %}
"""


def run(
    project: Path, *ids: str, formats: tuple[str, ...] = ("html",), **options: Any
) -> BuildReport:
    """Build ``project`` in this process (two workers unless ``jobs`` says otherwise)."""
    options.setdefault("jobs", 2)
    settings = default_settings(project)
    if "out" in options:
        settings = settings.with_output(options.pop("out"))
    return build(settings, ids, today=TODAY, formats=formats, **options)


def plan(project: Path, *ids: str, formats: tuple[str, ...] = ("html",), **options: Any):
    """What a build of ``project`` would do (``brief build --dry-run``)."""
    return preview(default_settings(project), ids, today=TODAY, formats=formats, **options)


def rebuilt(report: BuildReport) -> dict[str, tuple[str, ...]]:
    """Brief id -> reasons, for every briefing the build rendered."""
    return {r.brief_id: r.reasons for r in report.results if r.status == "built"}


def hashes(folder: Path, skip: tuple[str, ...] = (".brief-state.json",)) -> dict[str, str]:
    """File name -> SHA-256 of every file directly in ``folder`` (but ``skip``)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in skip
    }


@pytest.fixture
def three(project: Path, write_brief: Any) -> Path:
    """A built project: alpha and gamma on the standard template, beta on 'compact'."""
    (project / "templates" / "compact.html").write_text(COMPACT, encoding="utf-8")
    note = project / "templates" / "partials" / "compact_note.html"
    note.write_text("<p>Compact.</p>\n", encoding="utf-8")
    write_brief("alpha", title="Alpha plant")
    write_brief("beta", title="Beta plant", template="compact")
    write_brief("gamma", title="Gamma plant")
    assert set(rebuilt(run(project))) == {"alpha", "beta", "gamma"}
    return project
