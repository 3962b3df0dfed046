"""``templates/email/email.css`` is read and checked like the briefing's stylesheets.

A mail client drops a CSS rule it cannot parse without a word, so a broken email.css is
a located error before anything is sent. The email's templates share the briefing's
Jinja recipe, so their mistakes are located the same way. Runs the real CLI against a
real SMTP server.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
import yaml

from generator.render.stylesheets import check_css
from tests.conftest import REPO

DECLARATION = "a declaration is not of the form 'property: value'"


@pytest.fixture
def ready(project, write_brief, smtp_server, monkeypatch):
    """A project with one final briefing ``hk``, a list ``team`` and the server's settings."""
    write_brief("hk", title="Assembly <plant> & talks")
    data = {"sender": "desk@example.org", "lists": {"team": {"recipients": ["ann@example.org"]}}}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    for name, value in smtp_server.env().items():
        monkeypatch.setenv(name, value)
    return project


def email_css(project):
    return project / "templates" / "email" / "email.css"


def break_stylesheet(project) -> int:
    """Append a rule missing its colon to email.css; the line of the broken declaration."""
    css = email_css(project)
    text = css.read_text(encoding="utf-8")
    css.write_text(text + "\n.broken {\n  color red;\n}\n", encoding="utf-8")
    return text.count("\n") + 3


def test_the_shipped_email_stylesheet_is_clean() -> None:
    css = REPO / "templates" / "email" / "email.css"
    assert check_css(css.read_text(encoding="utf-8")) == []


def test_a_syntax_error_stops_the_send_naming_file_line_and_column(ready, run_brief, smtp_server):
    line = break_stylesheet(ready)
    result = run_brief("send", "hk", "--to", "team")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "Error: the email of hk cannot be rendered" in lines
    assert f"templates/email/email.css:{line}:9: CSS syntax error: {DECLARATION}" in lines
    assert "Traceback" not in result.stderr
    assert smtp_server.handler.data_calls == 0 and smtp_server.handler.received == []


def test_a_syntax_error_writes_nothing_on_a_dry_run(ready, run_brief):
    line = break_stylesheet(ready)
    result = run_brief("send", "hk", "--to", "team", "--dry-run")
    assert result.returncode == 1
    assert f"templates/email/email.css:{line}:9: CSS syntax error" in result.stderr
    assert not list((ready / "output").glob("outbox/**/*.eml"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p { color: red }\n</style><script>x()</script>\n", "templates/email/email.css:1: '</'"),
        (None, "templates/email/email.css: template 'email/email.css' not found"),
    ],
    ids=["closes-its-style-element", "missing"],
)
def test_a_stylesheet_that_cannot_be_inlined_is_refused(
    ready, run_brief, smtp_server, text, expected
):
    if text is None:
        email_css(ready).unlink()
    else:
        email_css(ready).write_text(text, encoding="utf-8")
    result = run_brief("send", "hk", "--to", "team")
    assert result.returncode == 1
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr
    assert smtp_server.handler.received == []


def test_a_mistake_in_the_text_part_names_its_file_and_line(ready, run_brief, smtp_server):
    text_part = ready / "templates" / "email" / "brief.txt"
    source = text_part.read_text(encoding="utf-8")
    text_part.write_text(source + "{{ view.no_such_field }}\n", encoding="utf-8")
    result = run_brief("send", "hk", "--to", "team")
    assert result.returncode == 1
    where = f"templates/email/brief.txt:{source.count(chr(10)) + 1}: "
    assert any(line.startswith(where) for line in result.stderr.splitlines()), result.stderr
    assert "no_such_field" in result.stderr
    assert smtp_server.handler.received == []


def test_the_stylesheet_is_inlined_and_only_the_html_part_is_escaped(ready, run_brief):
    result = run_brief("send", "hk", "--to", "team", "--dry-run")
    assert result.returncode == 0, result.stderr
    (eml,) = (ready / "output" / "outbox" / "hk").glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Assembly <plant> & talks" in text
    assert "Assembly &lt;plant&gt; &amp; talks" in html and "<plant>" not in html
    assert "style=" in html
    assert text.endswith("\n")
