"""The delivery commands: ``brief send``, ``brief outbox`` and ``brief doctor``.

Registered on the ``brief`` group by :mod:`generator.cli.app`; thin adapters over
:mod:`generator.delivery`, imported inside each command (it loads the models and the
mail libraries, which the other commands never need). The clock and the environment
the delivery reads are passed in from here.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence

import click

from generator.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNDELIVERED
from generator.settings import Settings


def _now() -> dt.datetime:
    """The current time, in UTC: the one place the CLI reads the clock for delivery."""
    return dt.datetime.now(dt.UTC)


def _split_lists(value: str | None) -> list[str]:
    """``--to a, b,a`` -> ``["a", "b"]``: the named lists, in order, once each."""
    return list(dict.fromkeys(p.strip() for p in (value or "").split(",") if p.strip()))


@click.command()
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
    """Print one message's outcome on stderr, as it happens."""
    from generator.delivery import MessageResult

    assert isinstance(result, MessageResult)
    where = f"{result.brief_id} -> {result.list_name}: {result.recipient}"
    detail = settings.display(result.path) if result.path else result.reply
    label = result.result.replace("-", " ")
    click.echo(f"{label:<12} {where}" + (f" ({detail})" if detail else ""), err=True)


def _summarise(report: object, dry_run: bool, settings: Settings) -> None:
    """Print the fatal error, if any, and how many messages ended which way."""
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
    """Print the ledger's rows, newest first, without creating the ledger."""
    from generator.delivery import ledger
    from generator.store import store_path

    path = store_path(settings.state_dir)
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


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--failed", is_flag=True, help="Only messages not (yet) accepted.")
@click.pass_obj
def outbox(settings: Settings, ids: tuple[str, ...], failed: bool) -> None:
    """Show the send ledger: what went to whom and when, and what failed (newest first)."""
    _show_outbox(settings, ids, failed_only=failed)


@click.command()
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Check what delivery needs: SMTP settings and server, delivery.yaml, fonts, HarfBuzz.

    Connects and logs in to the server but sends nothing. Exit status 1 when any check fails.
    """
    from generator.delivery import run_checks

    checks = run_checks(settings, os.environ)
    for check in checks:
        click.echo(f"{'ok' if check.ok else 'FAIL':<5} {check.name}: {check.detail}")
        if check.fix:
            click.echo(f"      fix: {check.fix}")
    failed = sum(not c.ok for c in checks)
    click.echo(f"{len(checks) - failed} of {len(checks)} checks passed")
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)
