"""The editor's JSON Schema and ``brief check`` on the spellings of numbers.

An editor's YAML language server reads YAML 1.2's core schema, where ``7.59e9``, ``1e3``,
``0x1F``, ``.5`` and ``5.`` are numbers; ``brief`` reads them as text, as the format asks
(only plain decimals are numbers). Once read, ``7.59e9`` and ``7590000000`` are the same
number, so no schema can refuse one and accept the other. What is tested:

* on the data as ``brief`` reads it, the schema ``brief schema`` prints and ``brief check``
  give the same verdict for every spelling and field;
* as an editor reads it, they agree too, except for the spellings the editor turns into
  numbers; in a number field ``brief check`` then names the plain spelling to write.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

from generator.errors import FactSheetError
from generator.factsheet.loader import load_bytes
from generator.factsheet.yamlsrc import parse
from tests.support import cli

SPELLINGS = ["7.59e9", "1e3", "7590000000", "1.5", "-2", "0x1F", "1_000", ".5", "5."]
#: Where the spelling goes, in the smallest valid sheet: a number field, a text-or-number
#: field and a text field.
FIELDS = {
    "amount": ("initiative", "investment", "amount"),
    "value": ("key_facts", 0, "value"),
    "label": ("key_facts", 0, "label"),
}
#: YAML 1.2 core schema (spec 10.3.2), as the `yaml` package of the YAML language server
#: resolves plain scalars by default: what an editor validates.
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_OCT = re.compile(r"0o[0-7]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
#: The plain decimal ``brief check`` asks for, in a number field, for each spelling an
#: editor reads as a number and ``brief`` as text.
PLAIN = {"7.59e9": "7590000000", "1e3": "1000", "0x1F": "31", ".5": "0.5", "5.": "5"}


def editor_value(text: str) -> Any:
    """A plain scalar as an editor reads it."""
    if _CORE_HEX.fullmatch(text):
        return int(text, 16)
    if _CORE_OCT.fullmatch(text):
        return int(text[2:], 8)
    if _CORE_INT.fullmatch(text):
        return int(text)
    if _CORE_FLOAT.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """The schema exactly as ``brief schema`` prints it."""
    result = cli.run_brief("schema", cwd=cli.REPO)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def sheet_text(minimal_text: str, field: str, spelling: str) -> str:
    """The smallest valid sheet with ``spelling`` written, unquoted, at ``field``."""
    data = yaml.safe_load(minimal_text)
    data["initiative"]["investment"] = {"amount": 1, "currency": "HKD"}
    *parents, last = FIELDS[field]
    node = data
    for part in parents:
        node = node[part]
    node[last] = "@@SPELLING@@"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return text.replace("'@@SPELLING@@'", spelling)


def check_verdict(text: str) -> tuple[bool, list[str]]:
    """Whether ``brief check``'s loader accepts ``text``, and its messages."""
    try:
        load_bytes(text.encode("utf-8"), "briefs/x.yaml", "x")
    except FactSheetError as exc:
        return False, [d.format() for d in exc.diagnostics]
    return True, []


def brief_instance(text: str) -> Any:
    value, _ = parse(text.encode("utf-8"), "x", max_bytes=2**21)
    return value


def editor_instance(text: str, field: str, spelling: str) -> Any:
    value = copy.deepcopy(brief_instance(text))
    *parents, last = FIELDS[field]
    node = value
    for part in parents:
        node = node[part]
    node[last] = editor_value(spelling)
    return value


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_schema_and_check_agree_on_the_data_as_brief_reads_it(
    minimal_text: str, validator, field: str, spelling: str
) -> None:
    text = sheet_text(minimal_text, field, spelling)
    accepted, messages = check_verdict(text)
    assert validator.is_valid(brief_instance(text)) == accepted, messages


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_schema_in_an_editor_and_check_agree_but_where_the_spelling_is_lost(
    minimal_text: str, validator, field: str, spelling: str
) -> None:
    text = sheet_text(minimal_text, field, spelling)
    accepted, messages = check_verdict(text)
    in_editor = validator.is_valid(editor_instance(text, field, spelling))
    if spelling not in PLAIN or field == "value":
        assert in_editor == accepted, messages
        return
    # The editor sees the number 7590000000 however it was written: it cannot tell.
    assert in_editor != accepted
    if field == "amount":
        [message] = messages
        assert message.endswith(
            f"amount: expected a number, got the text '{spelling}'"
            f" (write {PLAIN[spelling]}: only plain decimals are numbers)"
        )


@pytest.mark.parametrize(
    ("spelling", "plain"),
    [
        ("2.5e9", "2500000000"),
        ("-1.5E-3", "-0.0015"),
        ("+5", "5"),
        ("012345", "12345"),
        ("0o17", "15"),
        ("1.50e1", "15"),
        ("'7.59e9'", "7590000000"),  # quoted: text to both, and a number is still wanted
    ],
)
def test_a_number_field_names_the_plain_spelling(
    minimal_text: str, spelling: str, plain: str
) -> None:
    accepted, [message] = check_verdict(sheet_text(minimal_text, "amount", spelling))
    assert not accepted
    assert message.endswith(f"(write {plain}: only plain decimals are numbers)")


@pytest.mark.parametrize("spelling", ["1_000", "seven", "1e400", "0x", "1e"])
def test_text_that_no_editor_reads_as_a_plain_number_gets_no_spelling(
    minimal_text: str, spelling: str
) -> None:
    accepted, [message] = check_verdict(sheet_text(minimal_text, "amount", spelling))
    assert not accepted
    assert "only plain decimals" not in message
