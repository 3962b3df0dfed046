"""The ``brief`` command line: thin click commands over the library.

Only this module knows about click, exit codes and logging set-up. Exit codes:
0 all good, 1 a fact sheet (or another input) has errors, 2 a usage mistake,
3 ``brief send`` could not deliver some messages, 130 interrupted (Ctrl-C), 143 and 129
stopped by SIGTERM and SIGHUP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.cli.schedule import schedule
from generator.errors import Diagnostic, GeneratorError
from generator.settings import PDF_VARIANTS, Settings, default_settings

log = logging.getLogger("generator")

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: ``brief send``: some messages were not accepted (the others were sent).
EXIT_UNDELIVERED = 3


def _today() -> dt.date:
    """Today's date for rule checks, the one place the CLI reads the calendar.

    A reproducible build sets ``SOURCE_DATE_EPOCH``: its day (UTC) is then "today".
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _print_diagnostics(diagnostics: Sequence[Diagnostic], strict: bool) -> None:
    """Print each diagnostic on stderr (warnings as errors under ``strict``)."""
    for diagnostic in diagnostics:
        shown = diagnostic.as_error() if strict else diagnostic
        click.echo(shown.format(), err=True)


def _parse_formats(value: str) -> tuple[str, ...]:
    from generator.builder import FORMATS

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


_STALE_DAYS = click.option(
    "--stale-days",
    type=click.IntRange(min=0),
    default=365,
    show_default=True,
    envvar="BRIEF_STALE_DAYS",
    help="Flag sources accessed more than this many days before as_of.",
)


@cli.command()
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

    A sourcing section follows (see `brief sources`); its warnings are advice and never
    fail the check. Changes no file. Exit status 1 when any fact sheet has errors (or
    warnings, with --strict).
    """
    from generator.authoring import findings
    from generator.factsheet import check_all

    outcome = findings.gather(
        check_all(settings, ids, _today()), strict=strict, stale_days=stale_days
    )
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
    "--pdf-variant",
    type=click.Choice(list(PDF_VARIANTS)),
    envvar="BRIEF_PDF_VARIANT",
    default=None,
    help="PDF variant: pdf/ua-1 (tagged, the default), pdf/a-3b (archives) or plain.",
)
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
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running and rebuild whenever a fact sheet or template changes.",
)
@click.pass_obj
def build(
    settings: Settings,
    ids: tuple[str, ...],
    formats: str,
    out: Path | None,
    template: str | None,
    strict: bool,
    pdf_variant: str | None,
    watch: bool,
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
    status is 1 at the end. With --watch, it then rebuilds on every change until
    interrupted (Ctrl-C), and exits 0.
    """
    from generator.builder import runner as builder
    from generator.cli.progress import Reporter

    chosen = _parse_formats(formats)
    if out is not None:
        settings = settings.with_output(out.resolve())
    settings = settings.with_limits(time_limit, _parse_size(memory_limit))
    options = {
        "formats": chosen,
        "template": template,
        "strict": strict,
        "force": force,
        "pdf_variant": pdf_variant,
    }
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
    if watch:
        watched = {k: v for k, v in options.items() if k != "formats"}
        _watch(
            settings,
            ids,
            chosen,
            _echo_rebuild,
            jobs=jobs,
            on_result=_report_result(settings, strict),
            **watched,
        )
        sys.exit(EXIT_OK)
    sys.exit(EXIT_ERRORS if report.failed else EXIT_OK)


def _report_result(settings: Settings, strict: bool) -> Callable[[Any], None]:
    """A callback printing each briefing's result as plain lines (watch and preview)."""
    from generator.cli.progress import result_lines

    def report(result: Any) -> None:
        for line in result_lines(result, settings, strict):
            click.echo(line, err=True)

    return report


def _echo_rebuild(rebuild: Any) -> None:
    if rebuild.error is not None:
        click.echo(f"Error: {rebuild.error}", err=True)
        for diagnostic in rebuild.error.diagnostics:
            click.echo(diagnostic.format(), err=True)
    else:
        click.echo(rebuild.report.summary())


def _watch(
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
            today=_today,
            formats=formats,
            on_rebuild=on_rebuild,
            on_ready=ready,
            **options,
        )
    except KeyboardInterrupt:
        click.echo("stopped watching")


def _print_preview(preview: object, settings: Settings) -> None:
    from generator.builder import Preview

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
    from generator.authoring import write_starter

    path = write_starter(settings, brief_id, _today())
    click.echo(f"wrote {settings.display(path)}")


@cli.command()
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
@click.option(
    "--formats",
    default="html,pdf",
    show_default=True,
    help="Formats to build, comma-separated: html, pdf.",
)
@click.pass_obj
def serve(settings: Settings, brief_id: str | None, port: int, host: str, formats: str) -> None:
    """Preview briefings (all, or BRIEF_ID) in a browser, rebuilt and reloaded on every change.

    A fact sheet with errors shows its errors in the page. Stop with Ctrl-C.
    """
    from generator.authoring import PreviewState, run_build, start_preview
    from generator.factsheet import select

    chosen = _parse_formats(formats)
    ids = tuple(path.stem for path in select(settings, (brief_id,))) if brief_id else ()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: other computers may read the briefings", err=True
        )
    state = PreviewState()
    server = start_preview(
        settings, state, host=host, port=port, home=f"{ids[0]}.html" if ids else "index.html"
    )
    options = {"on_result": _report_result(settings, False)}

    def on_rebuild(rebuild: Any) -> None:
        state.record(rebuild)
        _echo_rebuild(rebuild)

    try:
        on_rebuild(run_build(settings, ids, today=_today, formats=chosen, **options))
        click.echo(f"serving {server.url} (Ctrl-C to stop)")
        _watch(settings, ids, chosen, on_rebuild, **options)
    finally:
        server.shutdown()
        server.server_close()


@cli.command()
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

    checked = check_all(settings, ids, _today())
    for item in (item for item in checked if item.loaded is None):
        _print_diagnostics(item.diagnostics, False)
        click.echo(f"{item.display}: has errors; fix them first (brief check)", err=True)
    reports = [sourcing_report(i.loaded, stale_days=stale_days) for i in checked if i.loaded]
    render = findings.sourcing_json if output_format == "json" else findings.sourcing_document
    click.echo(render(reports))
    flagged = strict and any(report.findings for report in reports)
    sys.exit(EXIT_ERRORS if len(reports) < len(checked) or flagged else EXIT_OK)


@cli.command()
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
    from generator.builder import clean as clean_outputs

    if out is not None:
        settings = settings.with_output(out.resolve())
    removed = clean_outputs(settings)
    click.echo(f"removed {len(removed)} file(s)")


def _now() -> dt.datetime:
    """The current time, in UTC: the one place the CLI reads the clock for delivery."""
    return dt.datetime.now(dt.UTC)


def _split_lists(value: str | None) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in (value or "").split(",") if p.strip()))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--to", "to", metavar="LIST[,LIST...]", help="Lists in delivery.yaml to send to.")
@click.option("--dry-run", is_flag=True, help="Write the messages to output/outbox/; send nothing.")
@click.option("--resend", is_flag=True, help="Send again to recipients who already have it.")
@click.option("--allow-draft", is_flag=True, help="Send a non-final briefing to external lists.")
@click.option("--status", is_flag=True, help="Show the ledger instead of sending (= brief outbox).")
@click.pass_obj
def send(
    settings: Settings,
    ids: tuple[str, ...],
    to: str | None,
    dry_run: bool,
    resend: bool,
    allow_draft: bool,
    status: bool,
) -> None:
    """Build briefings IDS and email them to the lists named by --to.

    One message per recipient; whatever the ledger shows as already sent is skipped (unless
    --resend). Exit status 0 when every message was accepted, 3 when some were not, 1 when
    nothing could be sent (configuration, build or pre-send check errors).
    """
    import os

    from generator.delivery import sender as delivery

    if status:
        _show_outbox(settings, ids, failed_only=False)
        return
    lists = _split_lists(to)
    if not ids or not lists:
        raise click.UsageError("name the briefings and the lists: brief send IDS... --to LIST")
    options = delivery.SendOptions(dry_run=dry_run, resend=resend, allow_draft=allow_draft)
    report = delivery.send(
        settings,
        ids,
        lists,
        options=options,
        clock=_now,
        environ=os.environ,
        on_result=lambda result: _report_message(result, settings),
    )
    _summarise(report, dry_run, settings)
    sys.exit(EXIT_OK if report.ok else EXIT_ERRORS if report.fatal else EXIT_UNDELIVERED)


def _report_message(result: object, settings: Settings) -> None:
    from generator.delivery import MessageResult

    assert isinstance(result, MessageResult)
    where = f"{result.brief_id} -> {result.list_name}: {result.recipient}"
    detail = settings.display(result.path) if result.path else result.reply
    label = result.result.replace("-", " ")
    click.echo(f"{label:<12} {where}" + (f" ({detail})" if detail else ""), err=True)


def _summarise(report: object, dry_run: bool, settings: Settings) -> None:
    from generator.delivery import SendReport

    assert isinstance(report, SendReport)
    if report.fatal:
        click.echo(f"Error: {report.fatal}", err=True)
    if dry_run:
        outbox = settings.display(settings.output_dir / "outbox")
        click.echo(f"wrote {report.count('written')} message(s) under {outbox}/; nothing sent")
        return
    counts = [
        f"{report.count(kind)} {kind.replace('-', ' ')}"
        for kind in ("sent", "already-sent", "covered", "failed", "ambiguous", "not-tried")
        if report.count(kind) or kind == "sent"
    ]
    click.echo(f"{len(report.results)} message(s): " + ", ".join(counts))


def _show_outbox(settings: Settings, ids: Sequence[str], failed_only: bool) -> None:
    from generator.delivery import ledger

    path = ledger.ledger_path(settings.state_dir)
    if not path.exists():
        click.echo("nothing has been sent yet")
        return
    with ledger.connect(path) as db:
        rows = ledger.history(db, ids, ("failed", "ambiguous", "queued") if failed_only else ())
    for row in rows:
        when = (row.sent_at or row.updated_at)[:19].replace("T", " ")
        click.echo(
            f"{when}  {row.status:<9} {row.attempts:>2}x  {row.brief_id} -> {row.list_name}: "
            f"{row.address}  {row.message_id}  {row.reply}".rstrip()
        )
    click.echo(f"{len(rows)} message(s) in the ledger" + (" not sent" if failed_only else ""))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--failed", is_flag=True, help="Only messages not (yet) accepted.")
@click.pass_obj
def outbox(settings: Settings, ids: tuple[str, ...], failed: bool) -> None:
    """Show the send ledger: what went to whom and when, and what failed (newest first)."""
    _show_outbox(settings, ids, failed_only=failed)


@cli.command()
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Check what delivery needs: SMTP settings and server, delivery.yaml, fonts, HarfBuzz.

    Connects and logs in to the server but sends nothing. Exit status 1 when any check fails.
    """
    import os

    from generator.delivery import run_checks

    checks = run_checks(settings, os.environ)
    for check in checks:
        click.echo(f"{'ok' if check.ok else 'FAIL':<5} {check.name}: {check.detail}")
        if check.fix:
            click.echo(f"      fix: {check.fix}")
    failed = sum(not c.ok for c in checks)
    click.echo(f"{len(checks) - failed} of {len(checks)} checks passed")
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


cli.add_command(schedule)


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
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        # click turns Ctrl-C into Abort; SIGTERM and SIGHUP arrive as _Stopped inside it.
        stopped = exc if isinstance(exc, _Stopped) else exc.__cause__
        if isinstance(stopped, _Stopped):
            click.echo("stopped", err=True)
            sys.exit(128 + stopped.signum)
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except GeneratorError as exc:
        click.echo(f"Error: {exc}", err=True)
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(EXIT_ERRORS)
    sys.exit(EXIT_OK)
