"""A template that includes or extends itself is a located error, never a traceback."""

from __future__ import annotations

import pytest

PAGE = '{% extends "base.html" %}{% block body %}{% include "partials/a.html" %}{% endblock %}'


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"partials/a.html": '{% include "partials/a.html" %}'}, "templates/partials/a.html:1"),
        (
            {
                "partials/a.html": 'A {% include "partials/b.html" %}',
                "partials/b.html": 'B {% include "partials/a.html" %}',
            },
            "templates/partials/",
        ),
    ],
    ids=["itself", "through-another"],
)
def test_an_include_loop_fails_that_briefing_alone(project, write_brief, run_brief, files, where):
    (project / "templates" / "looping.html").write_text(PAGE, encoding="utf-8")
    for name, text in files.items():
        (project / "templates" / name).write_text(text, encoding="utf-8")
    write_brief("alpha", template="looping")
    write_brief("beta")
    result = run_brief("build", "--formats", "html")
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and failed[0].startswith("failed  briefs/alpha.yaml: " + where)
    assert "includes or extends itself, directly or through other templates" in failed[0]
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert (project / "output" / "beta.html").is_file()


def test_a_template_extending_itself_is_a_located_error(project, write_brief, run_brief):
    (project / "templates" / "looping.html").write_text(
        '{% extends "looping.html" %}', encoding="utf-8"
    )
    write_brief("alpha", template="looping")
    result = run_brief("build", "--formats", "html")
    assert result.returncode == 1
    assert "failed  briefs/alpha.yaml: templates/looping.html" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
