"""The parts of a briefing's view: the rows, entries and blocks its templates print.

:mod:`generator.render.view` works them out; they live apart so that the view's module
holds the decisions and this one the shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """An author as shown in the title block."""

    name: str
    affiliation: str | None


@dataclass(frozen=True)
class TitleBlock:
    """The head of the briefing: title, subtitle and the facts about the brief itself."""

    title: str
    short_title: str
    subtitle: str | None
    jurisdiction: str
    short_jurisdiction: str
    sector: str
    as_of: dt.date
    status: str
    status_label: str
    status_mark: str | None
    authors: tuple[Person, ...]
    audience: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One line of "initiative at a glance"."""

    label: str
    value: str
    note: str | None = None
    #: The field the row shows (``INITIATIVE_LABELS``' key: ``sponsor``), whatever its label.
    field: str = ""


@dataclass(frozen=True)
class KeyFactRow:
    """One row of the key-facts table; ``note`` is Markdown."""

    label: str
    value: str
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PlayerEntry:
    """A company or body; ``role`` is Markdown."""

    name: str
    local_name: str | None
    kind: str
    role: str
    sources: tuple[str, ...]
    #: The language of ``local_name`` when it is not the briefing's: as the sheet states
    #: it, else told from its script (:mod:`generator.render.script_marks`).
    local_name_lang: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event; ``date`` is a partial date, ``event`` Markdown."""

    date: str
    event: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ChallengeEntry:
    """A challenge; ``body`` and ``mitigations`` are Markdown."""

    title: str
    severity: str
    severity_label: str
    body: str
    mitigations: str | None
    sources: tuple[str, ...]
    #: The card's element id, ``challenge-<n>`` in reading order (the risk matrix links it).
    anchor: str = ""


@dataclass(frozen=True)
class ChallengeGroup:
    """The challenges of one category, most severe first."""

    category: str
    label: str
    challenges: tuple[ChallengeEntry, ...]


@dataclass(frozen=True)
class HeadlineChallenge:
    """A challenge reduced to one line: its category, title and severity."""

    category: str
    title: str
    severity: str
    severity_label: str


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents list: a section heading and the id it links to."""

    anchor: str
    heading: str


@dataclass(frozen=True)
class SectionEntry:
    """A further section; ``anchor`` is a generated id, never taken from user text."""

    anchor: str
    heading: str
    body: str


@dataclass(frozen=True)
class SourceEntry:
    """A numbered source; ``anchor`` is the element id citations link to."""

    number: int
    anchor: str
    title: str
    publisher: str
    published: str | None
    kind: str
    url: str | None
    note: str | None
    accessed: dt.date | None
