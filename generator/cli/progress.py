"""How ``brief build`` tells what it does: a progress bar on a terminal, plain lines otherwise.

On a terminal, a bar with counts and elapsed time, with one line per briefing built,
failed or removed printed above it. Elsewhere (cron, CI, a pipe) only the lines, one per
briefing, so logs stay greppable. The bar's library is imported only when a bar is
shown, so a build with nothing to do never loads it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import click

from generator.builder import BriefResult
from generator.errors import Diagnostic
from generator.settings import Settings


def result_lines(result: BriefResult, settings: Settings, strict: bool) -> list[str]:
    """The lines that report ``result``: its diagnostics, then what happened and why."""
    lines = [_diagnostic(d, strict) for d in result.diagnostics]
    why = f" ({'; '.join(result.reasons)})" if result.reasons else ""
    shown = ", ".join(settings.display(settings.output_dir / n) for n in result.outputs)
    if result.status == "failed":
        lines.append(f"failed  {result.display}: {result.error or 'fact sheet has errors'}")
    elif result.status == "removed":
        lines.append(f"removed {shown or result.display}{why}")
    else:
        lines.append(f"{result.status:<7} {result.display} -> {shown}{why}")
    return lines


def _diagnostic(diagnostic: Diagnostic, strict: bool) -> str:
    return (diagnostic.as_error() if strict else diagnostic).format()


class Reporter:
    """Receives a build's results and progress; shows a bar only if ``bar`` is true."""

    def __init__(self, settings: Settings, strict: bool, bar: bool) -> None:
        self.settings = settings
        self.strict = strict
        self.bar = bar
        self._progress: Any = None
        self._task: Any = None
        self._handler: logging.Handler | None = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self, result: BriefResult) -> None:
        """Report one briefing."""
        self._echo(result_lines(result, self.settings, self.strict))

    def progress(self, done: int, total: int) -> None:
        """Move the bar (started on first use, only when there is work and a terminal)."""
        if not self.bar or total == 0:
            return
        if self._progress is None:
            self._start(total)
        self._progress.update(self._task, completed=done, total=total)
        self._progress.refresh()

    def close(self) -> None:
        """Take the bar down and give logging back its usual output."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self._handler is not None:
            logger = logging.getLogger("generator")
            logger.removeHandler(self._handler)
            logger.propagate = True
            self._handler = None

    def _echo(self, lines: Sequence[str]) -> None:
        for line in lines:
            if self._progress is not None:
                self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
            else:
                click.echo(line, err=True)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        # No refresh thread (auto_refresh=False): workers are forked from this process.
        self._progress = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
            transient=True,
        )
        self._task = self._progress.add_task("build", total=total)
        self._progress.start()
        self._handler = _ConsoleHandler(self)
        logger = logging.getLogger("generator")
        logger.addHandler(self._handler)
        logger.propagate = False


class _ConsoleHandler(logging.Handler):
    """Log records printed above the bar instead of through it."""

    def __init__(self, reporter: Reporter) -> None:
        super().__init__()
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        """Print the record's message as a line of the report."""
        self.reporter._echo([record.getMessage()])
