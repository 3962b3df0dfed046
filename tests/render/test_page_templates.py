"""Only page templates are selectable, and each page template's partials have a folder.

A page template is an ``.html`` file directly in ``templates/`` other than ``base.html``
(the layout) and ``index.html`` (the index page); a project adds one by writing the file.
Everything here runs the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, minimal_sheet

CHOOSE = "choose brief or onepager"
COMPACT = """{% extends "base.html" %}
{% block body %}<main id="content"><h1 class="compact">{{ brief.title_block.title }}</h1>
</main>{% endblock %}
"""


def write_with_template(project: Path, brief_id: str, template: str) -> tuple[int, int]:
    """Write ``briefs/<brief_id>.yaml`` naming ``template``; the value's line and column."""
    text = yaml.safe_dump(minimal_sheet(template=template), sort_keys=False)
    (project / "briefs" / f"{brief_id}.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"template: {template}") + 1
    return line, len("template: ") + 1


@pytest.mark.parametrize("name", ["base", "index"])
def test_a_layout_or_the_index_page_is_a_located_error_in_check(project, run_brief, name):
    line, col = write_with_template(project, "x", name)
    result = run_brief("check")
    assert result.returncode == 1
    expected = f"briefs/x.yaml:{line}:{col}: template: '{name}' is not a page template; {CHOOSE}"
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("typed", "meant"), [("breif", "brief"), ("one-pager", "onepager")])
def test_a_near_miss_gets_a_suggestion(project, run_brief, typed, meant):
    write_with_template(project, "x", typed)
    result = run_brief("check")
    assert result.returncode == 1
    assert f"'{typed}' is not a page template; {CHOOSE} (did you mean '{meant}'?)" in result.stderr


@pytest.mark.parametrize("name", ["brief", "onepager"])
def test_the_shipped_page_templates_pass(project, run_brief, name):
    write_with_template(project, "x", name)
    result = run_brief("check")
    assert result.returncode == 0, result.stderr
    assert "page template" not in result.stderr


def test_build_skips_a_sheet_naming_a_layout_and_builds_the_others(project, run_brief):
    write_with_template(project, "bad", "base")
    write_with_template(project, "good", "brief")
    result = run_brief("build", "--formats", "html")
    assert result.returncode == 1
    assert f"template: 'base' is not a page template; {CHOOSE}" in result.stderr
    assert not (project / "output" / "bad.html").exists()
    assert (project / "output" / "good.html").is_file()


def test_a_page_template_the_project_adds_is_selectable_and_listed(project, run_brief):
    (project / "templates" / "compact.html").write_text(COMPACT, encoding="utf-8")
    write_with_template(project, "x", "compact")
    built = run_brief("build", "--formats", "html")
    assert built.returncode == 0, built.stderr
    html = (project / "output" / "x.html").read_text(encoding="utf-8")
    assert '<h1 class="compact">Test initiative</h1>' in html
    write_with_template(project, "x", "base")
    checked = run_brief("check")
    assert "'base' is not a page template; choose brief, compact or onepager" in checked.stderr


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("base", f"'base' is not a page template; {CHOOSE}"),
        ("index", f"'index' is not a page template; {CHOOSE}"),
        ("onepagr", f"'onepagr' is not a page template; {CHOOSE} (did you mean 'onepager'?)"),
        ("brief.html", f"'brief.html' is not a page template; {CHOOSE} (did you mean 'brief'?)"),
    ],
)
def test_the_template_option_refuses_anything_else_as_a_usage_error(
    project, write_brief, run_brief, given, message
):
    write_brief("x")
    result = run_brief("build", "--template", given)
    assert result.returncode == 2
    assert f"Error: Invalid value for --template: {message}" in result.stderr
    assert not (project / "output").exists()


def test_the_template_option_takes_a_page_template(project, write_brief, run_brief):
    write_brief("x")
    result = run_brief("build", "--formats", "html", "--template", "onepager")
    assert result.returncode == 0, result.stderr
    assert 'class="onepager-page' in (project / "output" / "x.html").read_text(encoding="utf-8")


def test_partials_are_grouped_by_the_page_templates_using_them() -> None:
    partials = REPO / "templates" / "partials"
    assert sorted(p.name for p in partials.iterdir()) == ["brief", "common", "onepager"]
    assert not list((REPO / "templates").glob("partials/*.html"))


def test_a_full_briefing_partial_shows_only_in_the_briefing_a_common_one_in_both(
    project, run_brief
):
    partials = project / "templates" / "partials"
    _append(partials / "brief" / "summary.html", '<p class="only-brief">B</p>\n')
    _append(partials / "common" / "sources.html", '<p class="in-both">C</p>\n')
    write_with_template(project, "full", "brief")
    write_with_template(project, "one", "onepager")
    result = run_brief("build", "--formats", "html")
    assert result.returncode == 0, result.stderr
    full = (project / "output" / "full.html").read_text(encoding="utf-8")
    one = (project / "output" / "one.html").read_text(encoding="utf-8")
    assert "only-brief" in full and "only-brief" not in one
    assert "in-both" in full and "in-both" in one


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_finding_has_its_own_code_for_tools(project, run_brief):
    line, col = write_with_template(project, "x", "base")
    result = run_brief("check", "--format", "json")
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "template"]
    assert (finding["line"], finding["col"], finding["code"]) == (line, col, "unknown-template")
