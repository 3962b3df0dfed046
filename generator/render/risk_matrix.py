"""The risk matrix: the challenges by category (rows) and severity (columns).

Printed as a real table (``partials/brief/risk_matrix.html``) whose cells link to the
challenge cards, so a screen reader reads it as a table and a copy-paste keeps it. Rows
are the categories that have challenges, in the format's category order (the order of the
challenge groups beneath); columns are every severity, most severe first, so an empty
column still says "nothing is high". Within a cell, challenges keep the cards' order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from generator.factsheet import SEVERITY_ORDER
from generator.render.labels import SEVERITY_LABELS


class _Card(Protocol):
    """A challenge card of the view (view.ChallengeEntry)."""

    title: str
    severity: str
    anchor: str


class _Group(Protocol):
    """A category's challenges in the view (view.ChallengeGroup)."""

    category: str
    label: str
    challenges: Sequence[_Card]


@dataclass(frozen=True)
class MatrixLink:
    """A challenge in a cell: its title and the id of its card."""

    title: str
    anchor: str


@dataclass(frozen=True)
class MatrixRow:
    """One category: its label and, per severity column, the challenges in it."""

    category: str
    label: str
    cells: tuple[tuple[MatrixLink, ...], ...]


@dataclass(frozen=True)
class RiskMatrix:
    """The columns (severity and its label) and the rows of the matrix."""

    severities: tuple[tuple[str, str], ...]
    rows: tuple[MatrixRow, ...]

    @property
    def count(self) -> int:
        """How many challenges the matrix places."""
        return sum(len(cell) for row in self.rows for cell in row.cells)


def risk_matrix(
    groups: Sequence[_Group], translate: Callable[[str], str] = str
) -> RiskMatrix | None:
    """The matrix of the view's challenge groups; None when there are no challenges. The
    columns' words are the severity labels through ``translate`` (the briefing's language:
    the groups' labels already are)."""
    rows = tuple(
        MatrixRow(
            group.category,
            group.label,
            tuple(
                tuple(
                    MatrixLink(c.title, c.anchor)
                    for c in group.challenges
                    if c.severity == severity
                )
                for severity in SEVERITY_ORDER
            ),
        )
        for group in groups
    )
    if not rows:
        return None
    return RiskMatrix(tuple((s, translate(SEVERITY_LABELS[s])) for s in SEVERITY_ORDER), rows)
