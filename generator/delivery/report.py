"""What one ``brief send`` did: a result per message, and why a run stopped early.

The command line prints these, and a scheduled run reads them: ``MessageResult.result``
per message, ``SendReport.fatal`` for a fault to fix before sending again and
``SendReport.deferral`` for messages left for the next run because the mail server
could not be used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Result = Literal["sent", "already-sent", "covered", "failed", "ambiguous", "deferred", "written"]
#: Results that count as delivered for the exit status.
DELIVERED: frozenset[str] = frozenset({"sent", "already-sent", "covered", "written"})


@dataclass(frozen=True)
class MessageResult:
    """What became of one (briefing, list, recipient)."""

    brief_id: str
    list_name: str
    recipient: str
    result: Result
    attempts: int = 0
    reply: str = ""
    message_id: str = ""
    path: Path | None = None

    @property
    def target(self) -> str:
        """``hk -> team``: the briefing and the list, as every report line names them."""
        return f"{self.brief_id} -> {self.list_name}"


@dataclass(frozen=True)
class Deferral:
    """A run that stopped sending because the server could not be used.

    ``reason`` names the server and the fault; ``targets`` counts the deferred messages
    per (briefing, list), in the order they were planned.
    """

    reason: str
    targets: tuple[tuple[str, int], ...]

    @property
    def count(self) -> int:
        """How many messages were deferred."""
        return sum(n for _, n in self.targets)

    def line(self) -> str:
        """The one line that reports the deferral: server, fault, how many, for what."""
        where = ", ".join(f"{target} ({n})" for target, n in self.targets)
        return f"{self.reason}; deferred {self.count} message(s) to the next run: {where}"


def deferral(reason: str, results: Iterable[MessageResult]) -> Deferral:
    """The :class:`Deferral` of the deferred ``results``."""
    counts = Counter(r.target for r in results)
    return Deferral(reason, tuple(counts.items()))


@dataclass
class SendReport:
    """The outcome of one ``brief send``: a result per message, and a fatal fault if any.

    ``fatal`` is a fault no retry can cure (the login refused, TLS not trusted): fix it,
    then send again. ``deferral`` is set when the run stopped because the server could not
    be used (with ``fatal`` too, when that is why): the messages it names are ``deferred``
    in the ledger, and the next run sends them.
    """

    results: list[MessageResult] = field(default_factory=list)
    fatal: str = ""
    deferral: Deferral | None = None

    @property
    def ok(self) -> bool:
        """True when every message was accepted (or already had been)."""
        return (
            not self.fatal
            and self.deferral is None
            and all(r.result in DELIVERED for r in self.results)
        )

    def count(self, result: Result) -> int:
        """How many messages ended with ``result``."""
        return sum(1 for r in self.results if r.result == result)

    def targets(self) -> list[str]:
        """Each ``briefing -> list`` of the run, in the order they were planned."""
        return list(dict.fromkeys(r.target for r in self.results))
