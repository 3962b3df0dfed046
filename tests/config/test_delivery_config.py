"""delivery.yaml: every problem located like a fact sheet's, lists resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config.addresses import Mailbox
from generator.config.loader import load_delivery
from generator.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def load(tmp_path, text):
    path = tmp_path / "delivery.yaml"
    path.write_text(text, encoding="utf-8")
    return load_delivery(path, "delivery.yaml")


def errors(tmp_path, text):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return [d.format() for d in caught.value.diagnostics]


def test_the_example_in_the_repository_is_valid():
    delivery = load_delivery(REPO / "delivery.yaml", "delivery.yaml")
    assert {"ministers-office", "trade-desk"} <= set(delivery.recipients)
    assert delivery.external("trade-desk") and not delivery.external("ministers-office")
    everyone = {m.address for m in delivery.recipients["trade-desk"]}
    assert {m.address for m in delivery.recipients["ministers-office"]} <= everyone


def test_bad_address_is_located(tmp_path):
    text = """\
sender: desk@example.org
lists:
  trade-desk:
    recipients:
      - ann@example.org
      - Bob <bob@example.org>
      - bob@
"""
    assert errors(tmp_path, text) == [
        "delivery.yaml:7:9: lists.trade-desk.recipients[2]: 'bob@' is not a valid email "
        "address (There must be something after the @-sign.)"
    ]


def test_mapping_recipient_address_and_name_are_checked(tmp_path):
    text = """\
sender: desk@example.org
lists:
  desk:
    recipients:
      - {address: "not-an-address", name: Ann}
      - address: ann@example.org
        name: "Ann\\r\\nBcc: eve@example.org"
"""
    found = errors(tmp_path, text)
    assert found[0].startswith("delivery.yaml:5:19: lists.desk.recipients[0].address: ")
    assert found[1].startswith("delivery.yaml:7:15: lists.desk.recipients[1].name: display name")


def test_unknown_key_gets_a_suggestion(tmp_path):
    text = "sender: desk@example.org\nlists:\n  desk:\n    recipient: [a@example.org]\n"
    assert errors(tmp_path, text) == [
        "delivery.yaml:4:5: lists.desk.recipient: unknown key (did you mean 'recipients'?)"
    ]


def test_duplicate_key_is_an_error(tmp_path):
    text = "sender: desk@example.org\nsender: other@example.org\n"
    [found] = errors(tmp_path, text)
    assert found.startswith("delivery.yaml:2:1: sender: ")


def test_include_of_unknown_list_and_cycles(tmp_path):
    text = """\
sender: desk@example.org
lists:
  a:
    include: [b]
  b:
    include: [c, a]
  c:
    include: [ministers]
"""
    assert errors(tmp_path, text) == [
        "delivery.yaml:4:15: lists.a.include[0]: including 'b' makes a cycle: a → b → a",
        "delivery.yaml:6:18: lists.b.include[1]: including 'a' makes a cycle: b → a → b",
        "delivery.yaml:8:15: lists.c.include[0]: no list named 'ministers'",
    ]


def test_subject_with_unknown_or_unsafe_field(tmp_path):
    found = errors(tmp_path, "sender: desk@example.org\nsubject: '{titel} as of {as_of}'\n")
    assert found[0].startswith("delivery.yaml:2:10: subject: unknown field '{titel}'")
    assert found[0].endswith("(did you mean 'title'?)")
    found = errors(tmp_path, "sender: desk@example.org\nsubject: '{title.__class__}'\n")
    assert "unknown field '{title.__class__}'" in found[0]


def test_lists_resolve_with_includes_and_without_duplicates(tmp_path):
    text = """\
sender: "Desk <desk@example.org>"
lists:
  office:
    recipients: ["Ann <ann@example.org>", bob@example.org]
  desk:
    recipients: [ANN@example.org, cy@example.org]
    include: [office]
"""
    delivery = load(tmp_path, text)
    assert delivery.sender == Mailbox("desk@example.org", "Desk")
    assert [m.address for m in delivery.recipients["desk"]] == [
        "ANN@example.org",
        "cy@example.org",
        "bob@example.org",
    ]


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"delivery\.yaml not found"):
        load_delivery(tmp_path / "delivery.yaml", "delivery.yaml")


def test_a_schedules_pdf_variants_are_the_builds_variants() -> None:
    import typing

    from generator.config.model import PdfVariant
    from generator.settings import PDF_VARIANTS

    assert set(typing.get_args(PdfVariant)) == set(PDF_VARIANTS)
