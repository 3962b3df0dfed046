"""Subject templates filled safely, and addresses checked and normalised."""

from __future__ import annotations

import pytest

from generator.config.addresses import AddressError, Mailbox, make_mailbox, parse_mailbox
from generator.config.subject import SubjectTemplateError, header_text, render_subject

VALUES = {
    "title": "Plant",
    "as_of": "2026-01-20",
    "jurisdiction": "Hong Kong",
    "status": "final",
    "id": "hk",
    "stage": "talks",
}


def test_subject_fills_named_fields():
    assert render_subject("[Brief] {title} — as of {as_of}", VALUES) == (
        "[Brief] Plant — as of 2026-01-20"
    )


def test_subject_keeps_literal_braces():
    assert render_subject("{{x}} {id}", VALUES) == "{x} hk"


@pytest.mark.parametrize(
    "template",
    ["{title.__class__}", "{0}", "{title!r}", "{title:>40}", "{nope}", "{title", "{title[0]}"],
)
def test_subject_rejects_anything_but_bare_known_fields(template):
    with pytest.raises(SubjectTemplateError):
        render_subject(template, VALUES)


def test_value_text_is_never_read_as_a_template():
    values = VALUES | {"title": "{as_of} {title.__class__} {{"}
    assert render_subject("{title}", values) == "{as_of} {title.__class__} {{"


def test_line_breaks_in_values_become_spaces():
    values = VALUES | {"title": "Q3\r\nBcc: attacker@example.com\u2028x"}
    subject = render_subject("[Brief] {title}", values)
    assert subject == "[Brief] Q3 Bcc: attacker@example.com x"
    assert header_text("a\tb\x00c") == "a b c"


def test_named_and_bare_addresses():
    assert parse_mailbox("Ann Lee <Ann@Example.ORG>") == Mailbox("Ann@example.org", "Ann Lee")
    assert parse_mailbox('"Lee, Ann" <ann@example.org>').name == "Lee, Ann"
    assert parse_mailbox("bob@example.org") == Mailbox("bob@example.org")


def test_idn_domain_is_kept_in_ascii_form():
    assert parse_mailbox("x@bücher.example").address == "x@xn--bcher-kva.example"


def test_case_only_differences_are_the_same_mailbox():
    assert parse_mailbox("Bob@Example.org").key == parse_mailbox("bob@example.ORG").key


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("bob@", "something after the @-sign"),
        ("not an address", "not a valid email address"),
        ("Ann <ann@example.org", "not of the form"),
        ("bö@example.org", "Internationalized characters before the @-sign"),
    ],
)
def test_bad_addresses_are_explained(text, reason):
    with pytest.raises(AddressError, match=reason):
        parse_mailbox(text)


def test_display_name_with_line_break_is_refused():
    with pytest.raises(AddressError, match="line break"):
        make_mailbox("ann@example.org", "Ann\r\nBcc: x@example.com")
