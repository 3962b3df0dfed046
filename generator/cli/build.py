"""The ``brief build`` and ``brief clean`` commands: thin adapters over the builder.

Registered on the ``brief`` group by :mod:`generator.cli.app`. The builder and the
progress bar are imported inside the commands, so that ``brief --help`` and a build
with nothing to do stay quick.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    FORMATS_OPTION,
    OUT_OPTION,
    echo_rebuild,
    interrupt_on_signals,
    parse_formats,
    parse_size,
    rebuild_on_changes,
    report_result,
    today,
    with_out,
)
from generator.settings import PDF_VARIANTS, Settings

if TYPE_CHECKING:
    from generator.builder import Shard


class ShardType(click.ParamType):
    """``--shard I/N``: a usage error (exit 2) unless 1 <= I <= N."""

    name = "I/N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        from generator.builder import parse_shard

        try:
            return parse_shard(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command()
@click.argument("ids", nargs=-1)
@FORMATS_OPTION
@OUT_OPTION
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
@click.option(
    "--keep-intermediate",
    is_flag=True,
    help="Also write output/<id>.print.html, the HTML the PDF was laid out from.",
)
@click.option(
    "--shard",
    type=ShardType(),
    default=None,
    metavar="I/N",
    help="Build only shard I of N (a stable share by brief id) into output/shard-I-of-N "
    "(or --out), without the index; `brief merge` joins the shards.",
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
    keep_intermediate: bool,
    shard: Shard | None,
) -> None:
    """Bring briefings (all, or IDS) up to date: rebuild only what changed.

    A briefing is rebuilt when its fact sheet, a template, stylesheet or font it uses,
    the generator or an option changed, or its output is missing or was changed. A fact
    sheet with errors is reported and skipped; the others still build, and the exit
    status is 1 at the end. With --watch, it then rebuilds on every change until
    interrupted (Ctrl-C), and exits 0. With --shard I/N, only shard I's share is built,
    each briefing always in the same shard for one N (docs/distributed-builds.md).
    """
    chosen = parse_formats(formats)
    _check_page_template(settings, template)
    if shard is not None and out is None:
        out = settings.output_dir / shard.folder_name
    settings = with_out(settings, out).with_limits(time_limit, parse_size(memory_limit))
    options = {
        "formats": chosen,
        "template": template,
        "strict": strict,
        "force": force,
        "pdf_variant": pdf_variant,
        "keep_intermediate": keep_intermediate,
        "shard": shard,
    }
    if dry_run:
        _print_preview(settings, ids, options)
        sys.exit(EXIT_OK)
    failed = _build_once(settings, ids, jobs, options)
    if watch:
        _keep_building(settings, ids, jobs, options)
        sys.exit(EXIT_OK)
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


def _check_page_template(settings: Settings, template: str | None) -> None:
    """``--template`` must name a page template of the project; else a usage error."""
    if template is None:
        return
    from generator.factsheet import not_a_page, page_templates

    problem = not_a_page(template, page_templates(settings.templates_dir) or ())
    if problem is not None:
        message, suggestion = problem
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        raise click.BadParameter(message + hint, param_hint="--template")


def _build_once(
    settings: Settings, ids: tuple[str, ...], jobs: int | None, options: dict[str, Any]
) -> bool:
    """Build once, with a bar on a terminal; print the summary. True if anything failed."""
    from generator import builder
    from generator.cli.progress import Reporter

    strict = options["strict"]
    with interrupt_on_signals(), Reporter(settings, strict, bar=sys.stderr.isatty()) as reporter:
        report = builder.build(
            settings,
            ids,
            today=today(),
            jobs=jobs,
            on_result=reporter.result,
            on_progress=reporter.progress,
            **options,
        )
    click.echo(report.summary())
    return bool(report.failed)


def _keep_building(
    settings: Settings, ids: tuple[str, ...], jobs: int | None, options: dict[str, Any]
) -> None:
    """``--watch``: rebuild on every change, reporting in plain lines, until Ctrl-C."""
    watched = {k: v for k, v in options.items() if k != "formats"}
    on_result = report_result(settings, options["strict"])
    rebuild_on_changes(
        settings, ids, options["formats"], echo_rebuild, jobs=jobs, on_result=on_result, **watched
    )


def _print_preview(settings: Settings, ids: tuple[str, ...], options: dict[str, Any]) -> None:
    """``--dry-run``: what would be removed, built and written, and why."""
    from generator import builder

    preview = builder.preview(settings, ids, today=today(), **options)
    plan = preview.plan
    for removal in plan.removals:
        shown = ", ".join(settings.display(settings.output_dir / n) for n in removal.outputs)
        click.echo(f"would remove {shown or removal.display}: {removal.display} deleted")
    for work in plan.work:
        targets = ", ".join(work.targets)
        if work.brief_id in preview.editions:
            names = ", ".join(preview.editions[work.brief_id])
            targets += f" as internal and external editions: {names}"
        click.echo(f"would build {work.display} ({targets}): {'; '.join(work.reasons)}")
    if preview.index_reasons:
        index = settings.display(settings.output_dir / "index.html")
        click.echo(f"would write {index}: {'; '.join(preview.index_reasons)}")
    click.echo(
        f"{len(plan.work)} to build, {len(plan.fresh)} up to date, {len(plan.removals)} to remove"
    )


@click.command()
@OUT_OPTION
@click.pass_obj
def clean(settings: Settings, out: Path | None) -> None:
    """Remove built briefings, the index, the build state and leftovers from the output
    folder."""
    from generator.builder import clean as clean_outputs

    removed = clean_outputs(with_out(settings, out))
    click.echo(f"removed {len(removed)} file(s)")


@click.command()
@click.argument(
    "folders",
    nargs=-1,
    required=True,
    metavar="DIR...",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@OUT_OPTION
@click.pass_obj
def merge(settings: Settings, folders: tuple[Path, ...], out: Path | None) -> None:
    """Join the folders of `brief build --shard I/N` into one output folder with its index
    and build state, as one build of the whole project would have left it.

    Every shard 1 to N must be given, built from this project's fact sheets and templates
    with the same options; otherwise nothing is written and the exit status is 1.
    """
    from generator.builder import merge_shards

    settings = with_out(settings, out)
    target = settings.output_dir.resolve()
    if any(folder.resolve() == target for folder in folders):
        shown = settings.display(target)
        raise click.BadParameter(
            f"{shown} is the output folder: merge into another (--out)", param_hint="DIR"
        )
    with interrupt_on_signals():
        report = merge_shards(settings, [folder.resolve() for folder in folders])
    for name in report.removed:
        click.echo(f"removed {settings.display(settings.output_dir / name)}", err=True)
    click.echo(report.summary() + f" into {settings.display(settings.output_dir)}")
