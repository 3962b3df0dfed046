"""``brief new``: a starter fact sheet that passes ``brief check`` as written.

The starter shows every section of the format once, with a citation, so that an analyst
can fill it in by example. It is written with the same atomic writer as the outputs and
never overwrites an existing fact sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.errors import GeneratorError
from generator.settings import Settings
from generator.writer import write_atomic

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

STARTER = """\
# yaml-language-server: $schema=../schema/factsheet.schema.json
# Fact sheet, format 1. Replace every value; `brief check {brief_id}` tells you what is wrong.
format: 1
# Format 2 adds a protective marking and internal content: write `format: 2` above, then
# e.g. `marking: OFFICIAL-SENSITIVE` here, and `internal: true` on any key fact, player,
# timeline entry, challenge, section or source (`mitigations_internal: true` on a
# challenge) to keep it out of the external edition. See docs/writing-fact-sheets.md.
title: "Title of the initiative brief"
subtitle: "One line that says why it matters"
jurisdiction: "Jurisdiction, e.g. Hong Kong SAR, China"
as_of: {today}
status: draft
authors:
  - name: "Your name"
    affiliation: "Your office"
audience: "Who the brief is for"
language: en
tags: [ev]

summary: |
  The bottom line in two or three sentences, each claim cited [@example-source].

initiative:
  name: "Name of the initiative"
  sponsor: "Who drives it"
  framework: "The policy it falls under"
  stage: proposed
  locations: ["Where"]
  target_markets: ["Which markets"]

key_facts:
  - label: "What the fact is about"
    value: "The fact"
    sources: [example-source]

challenges:
  - category: land_cost
    title: "The obstacle in one line"
    severity: medium
    body: |
      Why it matters [@example-source].
    mitigations: |
      What could reduce it.

sources:
  - id: example-source
    title: "Title of the article or document"
    publisher: "Who published it"
    url: "https://www.example.org/article"
    published: {year}
    accessed: {today}
    kind: news
"""


def starter_text(brief_id: str, today: dt.date) -> str:
    """The starter fact sheet for ``brief_id``, dated ``today``."""
    return STARTER.format(brief_id=brief_id, today=today.isoformat(), year=today.year)


def write_starter(settings: Settings, brief_id: str, today: dt.date) -> Path:
    """Write ``briefs/<brief_id>.yaml``; refuse a bad id or an existing file."""
    if not _SLUG.match(brief_id):
        raise GeneratorError(
            f"'{brief_id}' is not a valid brief id: use lower-case letters, digits and '-'"
        )
    path = settings.briefs_dir / f"{brief_id}.yaml"
    if path.exists():
        raise GeneratorError(f"{settings.display(path)} already exists; not overwriting it")
    write_atomic(path, starter_text(brief_id, today).encode("utf-8"))
    return path
