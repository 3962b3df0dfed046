"""The analyst's commands: ``brief new``, ``check``, ``sources``, ``schema`` and ``serve``.

Registered on the ``brief`` group by :mod:`generator.cli.app`; thin adapters over
:mod:`generator.authoring` and :mod:`generator.factsheet`, imported inside each command
so that ``brief --help`` and ``brief check`` load only what they use.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    FORMATS_OPTION,
    echo_rebuild,
    parse_formats,
    print_diagnostics,
    rebuild_on_changes,
    report_result,
    today,
)
from generator.errors import Diagnostic
from generator.settings import Settings

#: Addresses only this computer can reach; ``brief serve`` warns about any other.
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

_STALE_DAYS = click.option(
    "--stale-days",
    type=click.IntRange(min=0),
    default=365,
    show_default=True,
    envvar="BRIEF_STALE_DAYS",
    help="Flag sources accessed more than this many days before as_of.",
)


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for CI annotations.",
)
@_STALE_DAYS
@click.pass_obj
def check(
    settings: Settings, ids: tuple[str, ...], strict: bool, output_format: str, stale_days: int
) -> None:
    """Validate fact sheets (all, or IDS) and print every error and warning.

    Without IDS, brand.yaml and portfolio.yaml are checked too. A sourcing section
    follows (see `brief sources`); its warnings are advice and never fail the check.
    Changes no file. Exit status 1 when any file has errors (or warnings, with
    --strict).
    """
    from generator.authoring import findings
    from generator.factsheet import check_all

    sheets = check_all(settings, ids, today())
    project = () if ids else _settings_problems(settings)
    outcome = findings.gather(sheets, project=project, strict=strict, stale_days=stale_days)
    if output_format == "json":
        click.echo(findings.json_document(outcome))
    elif output_format == "github":
        for line in findings.github_lines(outcome):
            click.echo(line)
    else:
        for line in findings.text_lines(outcome):
            click.echo(line, err=True)
        click.echo(findings.summary_line(outcome))
    sys.exit(EXIT_ERRORS if outcome.failed else EXIT_OK)


def _settings_problems(settings: Settings) -> list[Diagnostic]:
    """What a build would refuse in the project's settings files: ``brand.yaml`` (the
    house style) and ``portfolio.yaml`` (the tracker's rates), read as the build reads
    them; absent files are fine."""
    from generator.config import load_brand, load_portfolio
    from generator.errors import ConfigError

    found: list[Diagnostic] = []
    loaders = (
        lambda: load_brand(settings.root, settings.templates_dir),
        lambda: load_portfolio(settings.root),
    )
    for load in loaders:
        try:
            load()
        except ConfigError as exc:
            found += exc.diagnostics
    return found


@click.command()
@click.argument("brief_id")
@click.pass_obj
def new(settings: Settings, brief_id: str) -> None:
    """Write a starter fact sheet briefs/BRIEF_ID.yaml that passes `brief check`."""
    from generator.authoring import write_starter

    _check_new_id(brief_id)
    path = write_starter(settings, brief_id, today())
    click.echo(f"wrote {settings.display(path)}")


def _check_new_id(brief_id: str) -> None:
    """A usage error (exit 2) for an id no fact sheet can have: a mistyped argument.

    The loader's own rules: the same limit and pattern as a fact sheet's file name."""
    from generator.factsheet import MAX_BRIEF_ID, SLUG_PATTERN

    if len(brief_id) > MAX_BRIEF_ID:
        problem = f"the brief id is {len(brief_id)} characters long; at most {MAX_BRIEF_ID}"
    elif not re.fullmatch(SLUG_PATTERN, brief_id):
        problem = f"'{brief_id}' is not a valid brief id: use lower-case letters, digits and '-'"
    else:
        return
    raise click.UsageError(problem, click.get_current_context())


@click.command()
@click.argument("brief_id", required=False)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Only this computer can connect unless you change it.",
)
@FORMATS_OPTION
@click.pass_obj
def serve(settings: Settings, brief_id: str | None, port: int, host: str, formats: str) -> None:
    """Preview briefings (all, or BRIEF_ID) in a browser, rebuilt and reloaded on every change.

    A fact sheet with errors shows its errors in the page. Stop with Ctrl-C.
    """
    from generator.authoring import PreviewState, run_build, start_preview
    from generator.factsheet import select

    chosen = parse_formats(formats)
    ids = tuple(path.stem for path in select(settings, (brief_id,))) if brief_id else ()
    _warn_if_reachable(host)
    state = PreviewState()
    server = start_preview(
        settings, state, host=host, port=port, home=f"{ids[0]}.html" if ids else "index.html"
    )
    options = {"on_result": report_result(settings, False)}

    def on_rebuild(rebuild: Any) -> None:
        state.record(rebuild)
        echo_rebuild(rebuild)

    try:
        on_rebuild(run_build(settings, ids, today=today, formats=chosen, **options))
        click.echo(f"serving {server.url} (Ctrl-C to stop)")
        rebuild_on_changes(settings, ids, chosen, on_rebuild, **options)
    finally:
        server.shutdown()
        server.server_close()


def _warn_if_reachable(host: str) -> None:
    """Warn when ``host`` lets other computers read the briefings being previewed."""
    if host not in _LOCAL_HOSTS:
        click.echo(
            f"warning: listening on {host}: other computers may read the briefings", err=True
        )


@click.command()
@click.argument("ids", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@_STALE_DAYS
@click.option("--strict", is_flag=True, help="Exit with status 1 when anything is flagged.")
@click.pass_obj
def sources(
    settings: Settings, ids: tuple[str, ...], output_format: str, stale_days: int, strict: bool
) -> None:
    """Report each source of fact sheets (all, or IDS): citations, where, and flags.

    Flags the same URL under two ids, sources accessed long before as_of, key facts
    resting on a single source and paragraphs of the summary or a challenge without a
    citation. Exit status 1 when a fact sheet has errors (or, with --strict, flags).
    """
    from generator.authoring import findings, sourcing_report
    from generator.factsheet import check_all

    checked = check_all(settings, ids, today())
    for item in (item for item in checked if item.loaded is None):
        print_diagnostics(item.diagnostics, False)
        click.echo(f"{item.display}: has errors; fix them first (brief check)", err=True)
    reports = [sourcing_report(i.loaded, stale_days=stale_days) for i in checked if i.loaded]
    render = findings.sourcing_json if output_format == "json" else findings.sourcing_document
    click.echo(render(reports))
    flagged = strict and any(report.findings for report in reports)
    sys.exit(EXIT_ERRORS if len(reports) < len(checked) or flagged else EXIT_OK)


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file (only if it changed) instead of printing it.",
)
@click.pass_obj
def schema(settings: Settings, output: Path | None) -> None:
    """Print the fact-sheet format as JSON Schema, for editors and other tools."""
    from generator.factsheet import schema_text, write_schema

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    path = output if output.is_absolute() else Path.cwd() / output
    written = write_schema(path)
    click.echo(f"{'wrote' if written else 'up to date:'} {settings.display(path)}")
