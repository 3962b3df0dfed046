"""The ``brief`` command line: thin click commands over the library.

Only this module knows about click, exit codes and logging set-up. Exit codes:
0 all good, 1 a fact sheet (or another input) has errors, 2 a usage mistake,
130 interrupted (Ctrl-C), 143 and 129 stopped by SIGTERM and SIGHUP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

from generator import __version__
from generator.config import Settings, default_settings
from generator.errors import Diagnostic, GeneratorError

log = logging.getLogger("generator")

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _today() -> dt.date:
    """Today's date, the one place the CLI reads the calendar for rule checks."""
    return dt.date.today()


def _print_diagnostics(diagnostics: Sequence[Diagnostic], strict: bool) -> None:
    """Print each diagnostic on stderr (warnings as errors under ``strict``)."""
    for diagnostic in diagnostics:
        shown = diagnostic.as_error() if strict else diagnostic
        click.echo(shown.format(), err=True)


def _parse_formats(value: str) -> tuple[str, ...]:
    from generator.build import FORMATS

    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"'{value}': choose from {', '.join(FORMATS)} (comma-separated)", param_hint="--formats"
        )
    return chosen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option(
    "-C",
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder holding briefs/ and templates/ (default: the current folder).",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Turn YAML fact sheets into sourced PDF and HTML policy briefings."""
    # Our own loggers speak at INFO; libraries (WeasyPrint's progress log among them) only
    # when something is wrong.
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    log.setLevel(logging.INFO)
    ctx.obj = default_settings(project)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def check(settings: Settings, ids: tuple[str, ...], strict: bool) -> None:
    """Validate fact sheets (all, or IDS) and print every error and warning.

    Changes no file. Exit status 1 when any fact sheet has errors (or warnings, with
    --strict).
    """
    from generator.build import check_all

    checked = check_all(settings, ids, _today())
    failed = 0
    for item in checked:
        _print_diagnostics(item.diagnostics, strict)
        failed += item.has_errors(strict)
    errors = sum(d.is_error for item in checked for d in item.diagnostics)
    warnings = sum(not d.is_error for item in checked for d in item.diagnostics)
    click.echo(
        f"checked {len(checked)} fact sheet(s): {errors} error(s), {warnings} warning(s)"
        + (" (warnings are errors under --strict)" if strict and warnings else "")
    )
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option(
    "--formats",
    default="html,pdf",
    show_default=True,
    help="Formats to build, comma-separated: html, pdf.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: output/ in the project).",
)
@click.option("--template", default=None, help="Render with this template instead of the sheet's.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (no output for them).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Render this many briefings at once (default: the number of CPUs).",
)
@click.option(
    "-n", "--dry-run", is_flag=True, help="List what would be rebuilt and why; write nothing."
)
@click.option("--force", is_flag=True, help="Rebuild everything selected, even if up to date.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    envvar="BRIEF_TIME_LIMIT",
    help="Seconds one briefing's HTML or PDF may take to render [default: 120; "
    "env BRIEF_TIME_LIMIT].",
)
@click.option(
    "--memory-limit",
    default=None,
    envvar="BRIEF_MEMORY_LIMIT",
    metavar="SIZE",
    help="Memory a rendering process may use, e.g. 2G, 512M; 0 for no limit [default: 2G; "
    "env BRIEF_MEMORY_LIMIT].",
)
@click.pass_obj
def build(
    settings: Settings,
    ids: tuple[str, ...],
    formats: str,
    out: Path | None,
    template: str | None,
    strict: bool,
    jobs: int | None,
    dry_run: bool,
    force: bool,
    time_limit: float | None,
    memory_limit: str | None,
) -> None:
    """Bring briefings (all, or IDS) up to date: rebuild only what changed.

    A briefing is rebuilt when its fact sheet, a template, stylesheet or font it uses,
    the generator or an option changed, or its output is missing or was changed. A fact
    sheet with errors is reported and skipped; the others still build, and the exit
    status is 1 at the end.
    """
    from generator import build as builder
    from generator.cli_progress import Reporter

    chosen = _parse_formats(formats)
    if out is not None:
        settings = settings.with_output(out.resolve())
    settings = settings.with_limits(time_limit, _parse_size(memory_limit))
    options = {"formats": chosen, "template": template, "strict": strict, "force": force}
    if dry_run:
        _print_preview(builder.preview(settings, ids, today=_today(), **options), settings)
        sys.exit(EXIT_OK)
    with _stop_on_signals(), Reporter(settings, strict, bar=sys.stderr.isatty()) as reporter:
        report = builder.build(
            settings,
            ids,
            today=_today(),
            jobs=jobs,
            on_result=reporter.result,
            on_progress=reporter.progress,
            **options,
        )
    click.echo(report.summary())
    sys.exit(EXIT_ERRORS if report.failed else EXIT_OK)


def _print_preview(preview: object, settings: Settings) -> None:
    from generator.build import Preview

    assert isinstance(preview, Preview)
    plan = preview.plan
    for removal in plan.removals:
        shown = ", ".join(settings.display(settings.output_dir / n) for n in removal.outputs)
        click.echo(f"would remove {shown or removal.display}: {removal.display} deleted")
    for work in plan.work:
        targets = ", ".join(work.targets)
        click.echo(f"would build {work.display} ({targets}): {'; '.join(work.reasons)}")
    if preview.index_reasons:
        index = settings.display(settings.output_dir / "index.html")
        click.echo(f"would write {index}: {'; '.join(preview.index_reasons)}")
    click.echo(
        f"{len(plan.work)} to build, {len(plan.fresh)} up to date, {len(plan.removals)} to remove"
    )


def _parse_size(value: str | None) -> int | None:
    """``2G`` -> 2 GiB in bytes, ``512M``, ``1.5G``, ``0`` (no limit); None stays None."""
    if value is None:
        return None
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    factors = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    factor = factors.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in factors else text
    try:
        size = float(number) * factor
    except ValueError:
        size = -1
    if size < 0 or size != size:
        raise click.BadParameter(
            f"'{value}' is not a size such as 2G, 512M or 0", param_hint="--memory-limit"
        )
    return int(size)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C; the exit status is 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into a clean stop (like Ctrl-C) while the block runs."""

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    wanted = [s for s in (signal.SIGTERM, signal.SIGHUP) if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@cli.command()
@click.argument("brief_id")
@click.pass_obj
def new(settings: Settings, brief_id: str) -> None:
    """Write a starter fact sheet briefs/BRIEF_ID.yaml that passes `brief check`."""
    from generator.starter import write_starter

    path = write_starter(settings, brief_id, _today())
    click.echo(f"wrote {settings.display(path)}")


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: output/ in the project).",
)
@click.pass_obj
def clean(settings: Settings, out: Path | None) -> None:
    """Remove built briefings, the index, the build state and leftovers from the output
    folder."""
    from generator.build import clean as clean_outputs

    if out is not None:
        settings = settings.with_output(out.resolve())
    removed = clean_outputs(settings)
    click.echo(f"removed {len(removed)} file(s)")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``brief`` command."""
    try:
        cli.main(args=argv, prog_name="brief", standalone_mode=False)
    except click.UsageError as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERRORS)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except _Stopped as exc:
        click.echo("stopped", err=True)
        sys.exit(128 + exc.signum)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except GeneratorError as exc:
        click.echo(f"Error: {exc}", err=True)
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(EXIT_ERRORS)
    sys.exit(EXIT_OK)
