"""What a running build tells people: how far it has got, and why a job did not succeed.

:class:`Progress` counts the briefings finished and is told of every tick of the
pipeline as well, so that a display stays alive (elapsed time, a spinner) while a long
PDF prints and nothing finishes. :func:`describe_outcome` puts a job that did not end
well in the terms an operator can act on: a time or memory limit is named with its
value, and a worker that died says the last line it wrote, which is usually the cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.settings import Settings, format_size

if TYPE_CHECKING:
    from generator.builder.workers import JobOutcome

ProgressFn = Callable[[int, int], None]


class Progress:
    """Counts finished briefings and tells ``on_progress`` (also on every tick)."""

    def __init__(self, total: int, on_progress: ProgressFn | None) -> None:
        self.total, self.done, self.on_progress = total, 0, on_progress

    def step(self) -> None:
        self.done += 1
        self.tick()

    def tick(self) -> None:
        if self.on_progress:
            self.on_progress(self.done, self.total)


def describe_outcome(limits: Settings, outcome: JobOutcome, stage: str) -> str:
    """Why a job that did not return a value failed, for the briefing's result."""
    if outcome.kind == "failed":
        return outcome.message
    if outcome.kind == "timeout":
        return f"{stage} exceeded the time limit of {limits.render_seconds:g} s"
    memory = format_size(limits.render_memory) if limits.render_memory else "none"
    if outcome.kind == "memory":
        said = f"; it said: {outcome.message}" if outcome.message else ""
        return f"{stage} ran out of memory (limit {memory}){said}"
    if outcome.kind == "crashed":
        said = [line.strip() for line in outcome.log.splitlines() if line.strip()]
        last = f"; it said: {said[-1]}" if said else ""
        return f"{stage} failed: {outcome.message} (memory limit {memory}){last}"
    return f"internal error while {stage}:\n{outcome.message.rstrip()}"
