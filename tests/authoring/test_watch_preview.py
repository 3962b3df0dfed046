"""Which changes rebuild what, and how served pages are changed (the files never are)."""

from __future__ import annotations

from pathlib import Path

import pytest
from watchfiles import Change

from generator.authoring.preview import PreviewState, error_page, with_reload
from generator.authoring.watch import Rebuild, changed_ids
from generator.builder.runner import BriefResult, BuildReport
from generator.errors import Diagnostic, GeneratorError
from generator.settings import default_settings


@pytest.fixture
def settings(tmp_path: Path):
    return default_settings(tmp_path)


def changes(settings, *items: tuple[Change, str]) -> list[tuple[Change, str]]:
    return [(change, str(settings.root / name)) for change, name in items]


def test_a_changed_fact_sheet_rebuilds_that_briefing(settings) -> None:
    found = changes(settings, (Change.modified, "briefs/b.yaml"), (Change.added, "briefs/a.yaml"))
    assert changed_ids(found, settings) == ("b", "a")
    assert changed_ids(found, settings, ("a",)) == ("a",)
    other = changes(settings, (Change.modified, "briefs/c.yaml"))
    assert changed_ids(other, settings, ("a",)) is None


def test_a_template_change_rebuilds_the_selection(settings) -> None:
    found = changes(settings, (Change.modified, "templates/static/screen.css"))
    assert changed_ids(found, settings) == ()
    assert changed_ids(found, settings, ("a",)) == ("a",)


def test_other_files_rebuild_nothing_and_a_deletion_rebuilds_all(settings) -> None:
    ignored = changes(
        settings, (Change.modified, "briefs/notes.txt"), (Change.added, "output/a.html")
    )
    assert changed_ids(ignored, settings) is None
    assert changed_ids(changes(settings, (Change.deleted, "briefs/a.yaml")), settings) == ()


def test_reload_script_goes_before_the_last_body_end() -> None:
    page = with_reload(b"<html><body><p>x</p></BODY></html>", 7)
    text = page.decode()
    assert text.index("<script>") < text.index("</BODY>")
    assert 'var seen = "7"' in text and text.endswith("</BODY></html>")
    assert with_reload(b"plain", 1).startswith(b"plain<script>")


def test_error_page_escapes_everything() -> None:
    page = error_page("<i>t</i>", ["a <script>alert(1)</script> & 'b'"]).decode()
    assert "<script>" not in page and "<i>" not in page
    assert "a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;b&#x27;" in page


def test_state_keeps_failures_until_the_briefing_builds() -> None:
    state = PreviewState()
    problem = Diagnostic("briefs/a.yaml", 1, 1, "title", "must not be empty")
    failed = BriefResult("a", "briefs/a.yaml", "failed", (problem,))
    state.record(Rebuild((), BuildReport([failed])))
    assert state.problems("a") == (
        "briefs/a.yaml cannot be built",
        ["briefs/a.yaml:1:1: title: must not be empty"],
    )
    assert state.problems("b") is None
    state.record(Rebuild(("a",), BuildReport([BriefResult("a", "briefs/a.yaml", "built")])))
    assert state.problems("a") is None
    state.record(Rebuild(("a",), error=GeneratorError("no fact sheet 'a'")))
    assert state.problems(None) == ("The build stopped", ["no fact sheet 'a'"])
    assert state.version == 3
