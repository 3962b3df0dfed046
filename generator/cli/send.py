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
from typing import TYPE_CHECKING

import click

from generator.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNDELIVERED
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.delivery import MessageResult


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
@click.option(
    "--resend",
    is_flag=True,
    help="Send again to recipients who already have it (continues an unfinished resend).",
)
@click.option("--new", "new_resend", is_flag=True, help="With --resend: start a new resend.")
@click.option("--allow-draft", is_flag=True, help="Send a non-final briefing to external lists.")
@click.option("--status", is_flag=True, help="Show the ledger instead of sending (= brief outbox).")
@click.pass_obj
def send(
    settings: Settings,
    ids: tuple[str, ...],
    to: str | None,
    dry_run: bool,
    resend: bool,
    new_resend: bool,
    allow_draft: bool,
    status: bool,
) -> None:
    """Build briefings IDS and email them to the lists named by --to.

    One message per recipient; whatever the ledger shows as already sent is skipped (unless
    --resend). Exit status 0 when every message was accepted, 3 when some were not (or were
    deferred because the mail server could not be used), 1 when nothing could be sent
    (configuration, build or pre-send check errors, login or TLS refused).
    """
    from generator.delivery import sender as delivery

    if status:
        _show_outbox(settings, ids, failed_only=False, as_json=False)
        return
    lists = _split_lists(to)
    if not ids or not lists:
        raise click.UsageError("name the briefings and the lists: brief send IDS... --to LIST")
    if new_resend and not resend:
        raise click.UsageError("--new starts a new resend: give it with --resend")
    options = delivery.SendOptions(
        dry_run=dry_run, resend=resend, allow_draft=allow_draft, new_resend=new_resend
    )
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
    """Print one message's outcome on stderr, as it happens; deferred messages are
    reported together, in one line, at the end."""
    from generator.delivery import MessageResult

    assert isinstance(result, MessageResult)
    if result.result == "deferred":
        return
    where = f"{result.target}: {result.recipient}"
    detail = settings.display(result.path) if result.path else result.reply
    label = result.result.replace("-", " ")
    click.echo(f"{label:<12} {where}" + (f" ({detail})" if detail else ""), err=True)


#: The results a summary counts, in the order it names them.
_KINDS = ("sent", "already-sent", "covered", "failed", "ambiguous", "deferred")


def _summarise(report: object, dry_run: bool, settings: Settings) -> None:
    """Print the fatal error or the deferral, if any, and how many messages ended which
    way for each briefing and list (and in all, when there were several)."""
    from generator.delivery import SendReport

    assert isinstance(report, SendReport)
    if report.deferral is not None:
        prefix = "Error: " if report.fatal else "Not sent: "
        click.echo(prefix + report.deferral.line(), err=True)
    elif report.fatal:
        click.echo(f"Error: {report.fatal}", err=True)
    if dry_run:
        outbox = settings.display(settings.output_dir / "outbox")
        click.echo(f"wrote {report.count('written')} message(s) under {outbox}/; nothing sent")
        return
    targets = report.targets()
    for target in targets:
        results = [r for r in report.results if r.target == target]
        click.echo(f"{target}: {_counts(results)}")
    if len(targets) != 1:
        click.echo(f"in all: {_counts(report.results)}")


def _counts(results: Sequence[MessageResult]) -> str:
    """``3 message(s): 2 sent, 1 already sent``."""
    kinds: list[str] = [r.result for r in results]
    counts = [
        f"{kinds.count(kind)} {kind.replace('-', ' ')}"
        for kind in _KINDS
        if kinds.count(kind) or kind == "sent"
    ]
    return f"{len(kinds)} message(s): " + ", ".join(counts)


def _show_outbox(
    settings: Settings, ids: Sequence[str], *, failed_only: bool, as_json: bool
) -> None:
    """Print the ledger's rows, oldest first, without creating the ledger."""
    import json

    from generator.delivery import outbox as ledger_view

    found = ledger_view.entries(settings, ids, failed_only=failed_only)
    if as_json:
        click.echo(json.dumps([e.json() for e in found or []], indent=2, ensure_ascii=False))
        return
    if found is None:
        click.echo("nothing has been sent yet")
        return
    for entry in found:
        when = entry.time[:19].replace("T", " ")
        edition = f"{entry.edition_kind} edition as of {entry.as_of or '?'} #{entry.short_hash}"
        click.echo(
            f"{when}  {entry.state:<9} {entry.attempts:>2}x  {entry.brief_id} -> "
            f"{entry.list_name}: {entry.recipient}  {edition}  {entry.message_id}  "
            f"{entry.reply}".rstrip()
        )
    click.echo(f"{len(found)} message(s) in the ledger" + (" not sent" if failed_only else ""))


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--failed", is_flag=True, help="Only messages not (yet) accepted.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text, or json: a list of objects, one per message.",
)
@click.pass_obj
def outbox(settings: Settings, ids: tuple[str, ...], failed: bool, output_format: str) -> None:
    """Show the send ledger: what went to whom and when, and what was not sent (oldest
    first)."""
    _show_outbox(settings, ids, failed_only=failed, as_json=output_format == "json")


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
