"""The JSON Schema agrees with the loader on every fact sheet and fixture we have.

Instances are read with the project's own YAML reader (YAML 1.2 core rules, as an
editor's YAML language server reads them), then validated with ``jsonschema`` under
draft 2020-12, with format assertions on as editors apply them (``format: date``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.authoring.starter import starter_text
from generator.errors import FactSheetError
from generator.factsheet.schema import (
    DIALECT,
    SCHEMA_PATH,
    factsheet_schema,
    schema_text,
    write_schema,
)
from generator.factsheet.yamlsrc import parse

REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO / "tests" / "data"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = [*sorted((REPO / "briefs").glob("*.yaml")), *sorted((DATA / "valid").glob("*.yaml"))]

#: Refused by the YAML reader before there is any data to validate: YAML-level rules
#: (anchors, aliases, merge keys, tags, duplicate keys, syntax, several documents,
#: non-finite numbers, non-text keys), an empty file and a top level that is no mapping.
YAML_LEVEL = {
    "alias",
    "alias-and-bad-enum",
    "anchor",
    "complex-key",
    "duplicate-key",
    "duplicate-key-and-citation",
    "duplicate-key-nested",
    "empty",
    "explicit-tag-python",
    "explicit-tag-str",
    "infinity",
    "local-tag",
    "merge-key",
    "nan",
    "nan-and-unknown-key",
    "syntax-error",
    "tab-indentation",
    "top-level-list",
    "two-documents",
}
#: Valid for the schema: the file name, the cross-field rules of generator.factsheet.rules
#: (citations and source ids naming sources, unique ids) and every warning.
BEYOND_SCHEMA = {
    "Bad_Name",
    "duplicate-source-id",
    "unknown-citation",
    "unknown-citation-in-group",
    "unknown-sources-entry",
    "future-accessed",
    "future-as-of",
    "news-without-url",
    "no-core-category",
    "uncited-source",
    "bidi-control",
    "lookalike",
    "zero-width",
    # The shipped fonts' character maps are brief check's.
    "missing-glyph",
    # The project's markings and the audience rules are brief check's (markings.yaml).
    "bad-marking",
    "internal-source-cited",
    "every-key-fact-internal",
    "internal-text-repeated",
    # The figure rules relate series, charts, sections and facts to one another.
    "chart-mixed-units",
    "chart-unknown-place",
    "chart-unknown-series",
    "data-mixed-x",
    "data-unknown-source",
    "data-unsourced-point",
    "duplicate-series-id",
    "figure-mismatch",
    "highlighted-text",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = factsheet_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def instance(path: Path) -> Any:
    value, _ = parse(path.read_bytes(), path.name, max_bytes=2 * 1024 * 1024)
    return value


def test_schema_is_draft_2020_12_with_descriptions_and_enums() -> None:
    schema = factsheet_schema()
    assert schema["$schema"] == DIALECT
    assert schema["properties"]["status"]["enum"] == ["draft", "review", "final"]
    severity = schema["$defs"]["Challenge"]["properties"]["severity"]
    assert severity["enum"] == ["low", "medium", "high"]
    for definition in [schema, *schema["$defs"].values()]:
        assert definition["additionalProperties"] is False
        for name, prop in definition["properties"].items():
            assert prop.get("description"), name


def test_committed_schema_file_is_current() -> None:
    committed = (REPO / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make` (or `brief schema -o schema/...`) and commit"
    assert json.loads(committed) == factsheet_schema()


def test_write_schema_writes_only_when_changed(tmp_path: Path) -> None:
    target = tmp_path / "schema" / "factsheet.schema.json"
    assert write_schema(target) is True
    assert write_schema(target) is False
    assert target.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_schema_accepts_every_valid_fact_sheet(path: Path, validator) -> None:
    assert list(validator.iter_errors(instance(path))) == []


def test_schema_accepts_the_starter(validator) -> None:
    text = starter_text("my-brief", dt.date(2026, 1, 20))
    assert text.startswith("# yaml-language-server: $schema=../schema/factsheet.schema.json\n")
    value, _ = parse(text.encode("utf-8"), "starter", max_bytes=2 * 1024 * 1024)
    assert list(validator.iter_errors(value)) == []


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_schema_rejects_every_invalid_fixture_it_can_express(path: Path, validator) -> None:
    if path.stem in YAML_LEVEL:
        with pytest.raises(FactSheetError):
            instance(path)
        return
    errors = list(validator.iter_errors(instance(path)))
    if path.stem in BEYOND_SCHEMA:
        assert errors == [], "this fixture became a schema matter: move it out of the list"
    else:
        assert errors, "the schema accepts a fact sheet the loader refuses"


def test_the_lists_name_real_fixtures() -> None:
    stems = {p.stem for p in INVALID}
    assert YAML_LEVEL.issubset(stems) and BEYOND_SCHEMA.issubset(stems)
    assert not YAML_LEVEL & BEYOND_SCHEMA
