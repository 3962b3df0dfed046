"""The briefing's graphics in the email: the risk matrix as an HTML table.

Mail clients drop SVG (and any script or style sheet), so the email shows no drawing;
the risk matrix, which the briefing prints as a table anyway, is the one graphic whose
whole content fits a message: the challenges by category and severity, in the
briefing's words. The timeline strip and the locator map stay in the attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Card:
    """A challenge as the matrix reads it; no anchor: a message has nothing to link to."""

    title: str
    severity: str
    anchor: str = ""


@dataclass(frozen=True)
class _Group:
    category: str
    label: str
    challenges: tuple[_Card, ...]


def email_matrix(challenges: Sequence[Any], translate: Callable[[str], str]) -> Any:
    """The risk matrix (``render.RiskMatrix``) of the email's challenge lines, which are in
    the briefing's order (by category, most severe first); None without challenges."""
    from generator.render import risk_matrix

    groups: dict[str, list[_Card]] = {}
    for line in challenges:
        groups.setdefault(line.category, []).append(_Card(line.title, line.severity))
    return risk_matrix(
        [_Group(label, label, tuple(cards)) for label, cards in groups.items()], translate
    )
