"""The analysts' documentation cannot drift from the code, the fixtures or the example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import click
import pytest
from pydantic import BaseModel

from generator.cli.app import cli
from generator.factsheet import model

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
_CONTEXT = click.Context(cli)
COMMANDS = cli.list_commands(_CONTEXT)
EXPECTED = [
    *sorted((REPO / "tests" / "data" / "invalid").glob("*.expected")),
    *sorted((REPO / "tests" / "data" / "sourcing").glob("*.expected")),
    *sorted((REPO / "tests" / "data" / "brand").glob("*.expected")),
    *sorted((REPO / "tests" / "data" / "portfolio").glob("*.expected")),
]
#: ``briefs/x.yaml:12:3: `` (or ``brand.yaml:12:3: ``, ``portfolio.yaml``) before a message.
_LOCATION = re.compile(r"^(?:briefs/[^:]+\.yaml|brand\.yaml|portfolio\.yaml)(?::\d+)?(?::\d+)?: ")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_section_in_the_commands_page(name: str) -> None:
    command = cli.get_command(_CONTEXT, name)
    assert command is not None, name
    assert command.help and command.short_help != "", name
    assert f"### `brief {name}`" in (DOCS / "commands.md").read_text(encoding="utf-8")
    if isinstance(command, click.Group):
        for sub in command.commands:
            assert f"brief {name} {sub}" in (DOCS / "commands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_every_message_is_in_troubleshooting(path: Path) -> None:
    page = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    for line in path.read_text(encoding="utf-8").splitlines():
        assert _LOCATION.sub("", line) in page, line


def test_the_worked_example_is_the_hong_kong_fact_sheet_in_full() -> None:
    page = (DOCS / "writing-fact-sheets.md").read_text(encoding="utf-8")
    sheet = (REPO / "briefs" / "hong-kong-ev-assembly.yaml").read_text(encoding="utf-8")
    assert page.endswith(f"```yaml\n{sheet}```\n")


def test_every_key_of_the_format_is_in_the_writing_guide() -> None:
    page = (DOCS / "writing-fact-sheets.md").read_text(encoding="utf-8")
    models = [v for v in vars(model).values() if isinstance(v, type) and issubclass(v, BaseModel)]
    keys = {name for m in models if m.__module__ == model.__name__ for name in m.model_fields}
    assert "stage" in keys and "mitigations" in keys
    missing = sorted(key for key in keys if f"| `{key}` |" not in page)
    assert missing == []
    choices = [model.Status, model.Stage, model.PlayerKind, model.Category, model.ChallengeSeverity]
    values = {value for choice in [*choices, model.SourceKind] for value in get_args(choice)}
    assert sorted(value for value in values if f"`{value}`" not in page) == []
