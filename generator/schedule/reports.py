"""What a run-due says about each slot: one report per run, or per span of skipped slots.

Log lines name what a run did, not only how much: the briefings built, the lists sent
to (with how many messages each), so an operator reading the journal sees which
edition went where without opening the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from generator.schedule.job import JobResult
from generator.schedule.slots import iso

#: Briefings named in a log line before the rest are counted ("and 12 more").
NAMED = 5


@dataclass(frozen=True)
class RunReport:
    """What happened to one slot of one schedule (or to ``count`` skipped slots).

    ``expired`` marks a skip because the slot was older than the grace period (what the
    ``slot-missed`` alert reports); ``deferred`` lists the messages the run left for a
    later one; ``resumable`` a run whose child died, left for the next run-due to resume;
    ``errors`` are the run's problems one by one (what ``detail`` joins).
    """

    schedule: str
    slot: dt.datetime
    result: str
    detail: str = ""
    first: dt.datetime | None = None
    count: int = 1
    expired: bool = False
    deferred: tuple[str, ...] = ()
    resumable: bool = False
    errors: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether this counts against the exit status."""
        return self.result == "failed"

    @property
    def succeeded(self) -> bool:
        """Whether the run did its work (on time or late)."""
        return self.result in ("ok", "late")

    def line(self) -> str:
        """``weekly-ev 2026-03-30T07:00:00Z ok: built alpha; sent to desk (4) in 3.1 s``, or
        ``skipped 8,640 slots of 'often' between … and …: why`` for a span."""
        if self.count > 1 and self.first is not None:
            span = f"between {iso(self.first)} and {iso(self.slot)}"
            text = f"skipped {self.count:,} slots of '{self.schedule}' {span}"
        else:
            text = f"{self.schedule} {iso(self.slot)} {self.result}"
        return f"{text}: {self.detail}" if self.detail else text


def skip_line(reports: Sequence[RunReport]) -> str:
    """One line for consecutive skipped reports of one schedule: the report's own line
    for one, else the whole stretch with how many slots each reason covers."""
    if len(reports) == 1:
        return reports[0].line()
    first, last = reports[0], reports[-1]
    total = sum(r.count for r in reports)
    span = f"between {iso(first.first or first.slot)} and {iso(last.slot)}"
    reasons = "; ".join(f"{r.count:,} {r.detail}" for r in reports)
    return f"skipped {total:,} slots of '{first.schedule}' {span}: {reasons}"


def describe(result: JobResult) -> str:
    """``built alpha, gamma; archived 2; sent to trade-desk (4); 3 already had it``."""
    parts = [f"built {_names(result.built)}" if result.built else "built nothing"]
    if result.archived:
        parts.append(f"archived {len(result.archived)}")
    if result.sent:
        parts.append(f"sent to {per_list(result.sent)}")
    if result.already:
        parts.append(f"{len(result.already)} already had it")
    if result.deferred:
        parts.append(f"deferred {len(result.deferred)}")
    return "; ".join(parts)


def per_list(lines: Sequence[str]) -> str:
    """``trade-desk (4), ev-desk (1)`` from ``brief -> list: recipient`` lines, in order."""
    counts: dict[str, int] = {}
    for line in lines:
        _, _, rest = line.partition(" -> ")
        name = rest.partition(":")[0] or "?"
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{name} ({count})" for name, count in counts.items())


def _names(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:NAMED])
    return shown + (f" and {len(ids) - NAMED} more" if len(ids) > NAMED else "")
