"""What the ``brief`` commands share: exit codes, option parsers, the calendar, signals.

Exit codes: 0 all good, 1 a fact sheet (or another input) has errors, 2 a usage mistake,
3 ``brief send`` could not deliver some messages, 130 interrupted (Ctrl-C), 143 and 129
stopped by SIGTERM and SIGHUP. Also the pieces both ``brief build --watch`` and
``brief serve`` use to rebuild on every change and report what happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from generator.errors import Diagnostic
from generator.settings import Settings

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: ``brief send``: some messages were not accepted (the others were sent).
EXIT_UNDELIVERED = 3

#: ``--formats`` as ``brief build`` and ``brief serve`` both take it.
FORMATS_OPTION = click.option(
    "--formats",
    default="html,pdf",
    show_default=True,
    help="Formats to build, comma-separated: html, pdf, docx.",
)
#: ``--out`` as ``brief build`` and ``brief clean`` both take it.
OUT_OPTION = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: output/ in the project).",
)


def today() -> dt.date:
    """Today's date for rule checks, the one place the CLI reads the calendar.

    A reproducible build sets ``SOURCE_DATE_EPOCH``: its day (UTC) is then "today".
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def with_out(settings: Settings, out: Path | None) -> Settings:
    """``settings`` writing to ``out`` (the ``--out`` option), if one was given."""
    return settings if out is None else settings.with_output(out.resolve())


def print_diagnostics(diagnostics: Sequence[Diagnostic], strict: bool) -> None:
    """Print each diagnostic on stderr (warnings as errors under ``strict``)."""
    for diagnostic in diagnostics:
        shown = diagnostic.as_error() if strict else diagnostic
        click.echo(shown.format(), err=True)


def parse_formats(value: str) -> tuple[str, ...]:
    """``--formats html,pdf`` -> ``("html", "pdf")``; a usage error for anything unknown."""
    from generator.builder import FORMATS

    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"'{value}': choose from {', '.join(FORMATS)} (comma-separated)", param_hint="--formats"
        )
    return chosen


#: ``2G``, ``512M``, ``1.5G``, ``2GiB``, ``512``: digits, perhaps a fraction, a unit. Only
#: ASCII digits: ``float()`` would also take ``inf``, ``nan``, ``1e400`` and ``1_0``.
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([KMGT]?)(?:I?B)?\s*", re.IGNORECASE)
_SIZE_FACTORS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
#: The largest memory limit: 1024T (1 PiB). More than any machine has, and far below
#: what ``setrlimit`` overflows on (``9e30`` crashed every worker).
MAX_SIZE = 1024**5


def parse_size(value: str | None) -> int | None:
    """``2G`` -> 2 GiB in bytes, ``512M``, ``1.5G``, ``0`` (no limit); None stays None.

    Anything else, a size under one byte but not 0, or one over :data:`MAX_SIZE` is a
    usage error naming ``--memory-limit``.
    """
    if value is None:
        return None
    found = _SIZE.fullmatch(value)
    size = float(found[1]) * _SIZE_FACTORS[found[2].upper()] if found else -1.0
    if size == 0:
        return 0
    if not 1 <= size <= MAX_SIZE:
        raise click.BadParameter(f"'{value}' is {_size_problem(size)}", param_hint="--memory-limit")
    return int(size)


def _size_problem(size: float) -> str:
    """What is wrong with a memory limit of ``size`` bytes (-1: not a size at all)."""
    if size > MAX_SIZE:
        return "more than 1024T, the largest limit (0 means no limit)"
    if size > 0:
        return "less than one byte (0 means no limit)"
    return "not a size such as 2G, 512M or 0"


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C; the exit status is 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into a clean stop (like Ctrl-C) while the block runs.

    Each raises :class:`Stopped`, which ``main`` turns into exit status 128 + the signal.
    """

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    wanted = [s for s in (signal.SIGTERM, signal.SIGHUP) if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def report_result(settings: Settings, strict: bool) -> Callable[[Any], None]:
    """A callback printing each briefing's result as plain lines (watch and preview)."""
    # Deferred, like the commands' own imports: only the commands that build need it.
    from generator.cli.progress import result_lines

    def report(result: Any) -> None:
        for line in result_lines(result, settings, strict):
            click.echo(line, err=True)

    return report


def echo_rebuild(rebuild: Any) -> None:
    """Print one rebuild of the watch loop: its error and diagnostics, or its summary."""
    if rebuild.error is not None:
        click.echo(f"Error: {rebuild.error}", err=True)
        for diagnostic in rebuild.error.diagnostics:
            click.echo(diagnostic.format(), err=True)
    else:
        click.echo(rebuild.report.summary())


def rebuild_on_changes(
    settings: Settings,
    ids: Sequence[str],
    formats: Sequence[str],
    on_rebuild: Callable[[Any], None],
    **options: Any,
) -> None:
    """Rebuild on changes until Ctrl-C."""
    from generator.authoring import watch_builds

    def ready() -> None:
        click.echo("watching briefs/ and templates/ for changes (Ctrl-C to stop)")

    try:
        watch_builds(
            settings,
            ids,
            today=today,
            formats=formats,
            on_rebuild=on_rebuild,
            on_ready=ready,
            **options,
        )
    except KeyboardInterrupt:
        click.echo("stopped watching")
