"""What a build reports: one result per briefing, the totals, and a stable reporting order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from generator.errors import Diagnostic

Status = Literal["built", "up-to-date", "failed", "removed"]


@dataclass(frozen=True)
class BriefResult:
    """What happened to one briefing in a build, and why it was rebuilt (``reasons``)."""

    brief_id: str
    display: str
    status: Status
    diagnostics: tuple[Diagnostic, ...] = ()
    outputs: tuple[str, ...] = ()
    error: str = ""
    reasons: tuple[str, ...] = ()


@dataclass
class BuildReport:
    """The outcome of a build, one result per briefing, in brief-id order."""

    results: list[BriefResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[BriefResult]:
        """Results of briefings that could not be built."""
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: Status) -> int:
        """How many briefings ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    def summary(self) -> str:
        """``3 built, 997 up to date, 0 failed in 0.04 s``."""
        return (
            f"{self.count('built')} built, {self.count('up-to-date')} up to date, "
            f"{len(self.failed)} failed in {self.seconds:.2f} s"
        )


class InOrder:
    """Passes results on in the order of ``ids``, each as soon as those before it are in.

    Parallel jobs finish in any order; reports in a fixed order read the same at ``-j 1``
    and ``-j 8``.
    """

    def __init__(self, ids: Sequence[str], listener: Callable[[BriefResult], None] | None) -> None:
        self._ids = list(ids)
        self._next = 0
        self._waiting: dict[str, BriefResult] = {}
        self._listener = listener

    def add(self, result: BriefResult) -> None:
        """Take ``result``; hand on every result now at the head of the order."""
        self._waiting[result.brief_id] = result
        while self._next < len(self._ids) and self._ids[self._next] in self._waiting:
            ready = self._waiting.pop(self._ids[self._next])
            self._next += 1
            if self._listener:
                self._listener(ready)
