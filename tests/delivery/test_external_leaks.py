"""A deliberate leak is caught before anything is sent: a template in a copy of the
project's templates prints an internal text, and the real SMTP server on 127.0.0.1
receives nothing, for any list."""

from __future__ import annotations

import os
import re

import pytest

from generator.delivery.sender import DeliveryError
from tests.delivery.external_support import send_hk, sheet_text, write_delivery
from tests.support.cli import run_brief

LEAK_TEXT = "Quokka industrial estate"  # key_facts[1].value, internal


@pytest.fixture
def ready(project, write_brief):
    write_brief("hk", sheet_text())
    write_delivery(project)
    return project


def _insert(path, before, line):
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, line + before, 1), encoding="utf-8")


def _value_line(project):
    """``line:col`` of the internal value in the sheet as written."""
    lines = (project / "briefs" / "hk.yaml").read_text(encoding="utf-8").splitlines()
    return next(
        f"{n}:{t.index(LEAK_TEXT) + 1}"
        for n, t in enumerate(lines, 1)
        if t.strip() == f"value: {LEAK_TEXT}"
    )


def test_an_email_template_printing_an_internal_text_stops_the_send(ready, smtp_server):
    _insert(ready / "templates" / "email" / "brief.txt", "{{ view.title }}", LEAK_TEXT + "\n")
    with pytest.raises(DeliveryError) as caught:
        send_hk(ready, smtp_server.env())
    assert str(caught.value) == "nothing sent: internal text in a message to an external list"
    (problem,) = caught.value.diagnostics
    text = problem.format()
    line = _value_line(ready)
    assert re.fullmatch(
        rf"briefs/hk\.yaml:{line}: key_facts\[1\]\.value: internal text found in "
        r"output/editions/hk/2026-01-21-[0-9a-f]{12}/messages/partners--pat@example\.org-"
        rf'[0-9a-f]{{8}}\.eml, plain-text part: "{LEAK_TEXT}"',
        text,
    ), text
    # Nobody got anything, the internal list included: no connection was opened.
    assert smtp_server.handler.received == []
    assert smtp_server.handler.ehlo_calls == 0
    assert not list((ready / "output").glob("editions/hk/*/messages/*.eml"))


def test_the_html_part_is_checked_too_and_a_dry_run_writes_nothing(ready, smtp_server):
    html = ready / "templates" / "email" / "brief.html"
    _insert(html, "</body>", f'<p title="{LEAK_TEXT}">Note</p>\n')
    with pytest.raises(DeliveryError) as caught:
        send_hk(ready, smtp_server.env(), dry_run=True)
    places = {d.message.split(", ", 1)[1].split(":", 1)[0] for d in caught.value.diagnostics}
    assert any(p.startswith("HTML part, ") and p.endswith("p[title]") for p in places), places
    assert not (ready / "output" / "outbox").exists()


def test_a_page_template_printing_an_internal_text_fails_the_build_and_sends_nothing(
    ready, smtp_server
):
    _insert(ready / "templates" / "base.html", "{% block body %}", f"<p>{LEAK_TEXT}</p>\n")
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}
    result = run_brief(
        "send",
        "hk",
        "--to",
        "team,partners",
        cwd=ready,
        env=smtp_server.env(),
        base_env=base,
        timeout=180,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing sent: these briefings did not build: briefs/hk.yaml" in result.stderr
    line = _value_line(ready)
    assert (
        f"briefs/hk.yaml:{line}: key_facts[1].value: internal text found in "
        f'output/hk.external.pdf, page 1: "{LEAK_TEXT}"'
    ) in result.stderr
    assert (
        f"key_facts[1].value: internal text found in output/hk.external.html, "
        f'html > body > p: "{LEAK_TEXT}"'
    ) in result.stderr
    assert smtp_server.handler.received == []
    assert not (ready / "output" / "hk.external.pdf").exists()
    assert not (ready / "output" / "hk.external.html").exists()
