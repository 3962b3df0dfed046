"""What changed in a fact sheet between the edition a list last received and this one.

A pure comparison of two :class:`FactSheet` values. Key facts are matched by label,
challenges by title and sources by id (all ignoring case and surrounding spaces), so a
reordering is not reported as a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from generator.factsheet import FactSheet
from generator.render import SEVERITY_LABELS, STAGE_LABELS, format_number

Kind = Literal[
    "stage",
    "status",
    "new-fact",
    "changed-fact",
    "removed-fact",
    "new-challenge",
    "changed-challenge",
    "new-source",
]
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One difference, as a kind and a short sentence for readers."""

    kind: Kind
    text: str


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _index(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    indexed: dict[str, T] = {}
    for item in items:
        indexed.setdefault(_key(key(item)), item)
    return indexed


def _stage(sheet: FactSheet) -> str:
    return STAGE_LABELS[sheet.initiative.stage]


def compare(before: FactSheet, after: FactSheet) -> list[Change]:
    """The changes from ``before`` to ``after``, most important first."""
    changes: list[Change] = []
    if before.initiative.stage != after.initiative.stage:
        changes.append(
            Change(
                "stage",
                f"Stage: {_stage(before)} → {_stage(after)}",
            )
        )
    if before.status != after.status:
        changes.append(Change("status", f"Status: {before.status} → {after.status}"))
    changes += _fact_changes(before, after)
    changes += _challenge_changes(before, after)
    old_sources = _index(before.sources, lambda s: s.id)
    for source in after.sources:
        if _key(source.id) not in old_sources:
            changes.append(Change("new-source", f"New source: {source.title} ({source.publisher})"))
    return changes


def _fact_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    old = _index(before.key_facts, lambda f: f.label)
    new = _index(after.key_facts, lambda f: f.label)
    changes = []
    for key, fact in new.items():
        previous = old.get(key)
        if previous is None:
            changes.append(
                Change("new-fact", f"New key fact: {fact.label}: {format_number(fact.value)}")
            )
        elif format_number(previous.value) != format_number(fact.value):
            changes.append(
                Change(
                    "changed-fact",
                    f"{fact.label}: {format_number(previous.value)} → {format_number(fact.value)}",
                )
            )
        elif (previous.note or "") != (fact.note or ""):
            changes.append(Change("changed-fact", f"{fact.label}: note revised"))
    for key, fact in old.items():
        if key not in new:
            changes.append(Change("removed-fact", f"Key fact dropped: {fact.label}"))
    return changes


def _challenge_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    old = _index(before.challenges, lambda c: c.title)
    changes = []
    for key, challenge in _index(after.challenges, lambda c: c.title).items():
        previous = old.get(key)
        if previous is None:
            changes.append(
                Change(
                    "new-challenge",
                    f"New challenge: {challenge.title} "
                    f"({SEVERITY_LABELS[challenge.severity]} severity)",
                )
            )
        elif previous.severity != challenge.severity:
            changes.append(
                Change(
                    "changed-challenge",
                    f"Challenge {challenge.title}: severity "
                    f"{SEVERITY_LABELS[previous.severity]} → {SEVERITY_LABELS[challenge.severity]}",
                )
            )
    return changes
