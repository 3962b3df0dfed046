"""The fact-sheet format as JSON Schema (draft 2020-12), for editors and other tools.

The schema is generated from :class:`generator.factsheet.model.FactSheet`, the very models the
loader validates with, so the two cannot disagree on keys, types, enumerations or
defaults. What JSON Schema cannot say (YAML-level rules such as anchors and duplicate
keys, and the cross-field rules of :mod:`generator.factsheet.rules`) is left to ``brief check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from generator.factsheet.model import FORMAT_VERSION, LATEST_FORMAT, FactSheet, introduced_in
from generator.factsheet.shapes import is_model, members
from generator.writer import write_atomic

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where ``make`` writes the schema, relative to the project root; the starter fact
#: sheet's ``yaml-language-server`` line points here.
SCHEMA_PATH = Path("schema") / "factsheet.schema.json"


def factsheet_schema() -> dict[str, Any]:
    """The JSON Schema of a fact sheet, with descriptions, defaults and enumerations."""
    generated = FactSheet.model_json_schema(mode="validation")
    _drop_field_titles(generated)
    header = {
        "$schema": DIALECT,
        "title": f"brief fact sheet, formats {FORMAT_VERSION} to {LATEST_FORMAT}",
        "description": (
            "One EV investment initiative, written in YAML under briefs/<id>.yaml. "
            "Run `brief check` for the rules a schema cannot express."
        ),
    }
    body = {key: value for key, value in generated.items() if key not in ("title", "description")}
    return {**header, **body, **_format_gate()}


def _format_gate() -> dict[str, Any]:
    """The keys of later formats refused unless ``format`` is 2 or more, as the loader
    refuses them (``formats.py``): an editor flags them as the analyst types."""
    later = {"properties": {"format": {"minimum": LATEST_FORMAT}}, "required": ["format"]}
    return {"if": later, "else": _refusals(FactSheet)}


def _refusals(model: type[BaseModel]) -> dict[str, Any]:
    """``{"properties": ...}`` refusing every key of ``model`` (and of the models it
    holds) that a format after 1 introduced."""
    properties: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if introduced_in(info) > FORMAT_VERSION:
            properties[name] = False
            continue
        for member in members(info.annotation):
            inner = get_args(member)[0] if get_origin(member) is list else member
            for item in members(inner):
                if is_model(item) and (nested := _refusals(item))["properties"]:
                    rule = nested if inner is member else {"items": nested}
                    properties[name] = rule
    return {"properties": properties}


def schema_text() -> str:
    """The schema as stable, readable JSON text ending in a newline."""
    return json.dumps(factsheet_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path) -> bool:
    """Write the schema to ``path`` unless it already holds it; True if it was written."""
    text = schema_text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass  # missing or unreadable: write it afresh
    write_atomic(path, text.encode("utf-8"))
    return True


def _drop_field_titles(node: Any) -> None:
    """Remove the titles pydantic derives from field names ("As Of"); the description
    says more, and editors show the title in its place when there is one."""
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            if isinstance(prop, dict):
                prop.pop("title", None)
        for value in node.values():
            _drop_field_titles(value)
    elif isinstance(node, list):
        for item in node:
            _drop_field_titles(item)
