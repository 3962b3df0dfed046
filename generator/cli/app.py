"""The ``brief`` command line: the click group, its commands and the entry point.

Only this package knows about click, exit codes and logging set-up. The commands live
in one module per family (:mod:`~generator.cli.build`, :mod:`~generator.cli.authoring`,
:mod:`~generator.cli.send`, :mod:`~generator.cli.schedule`) and are listed here; a
command's module is imported only when that command runs, or for ``--help`` (click's
lazily loading group), so ``brief build`` with nothing to do loads no other command.
``main`` turns errors, usage mistakes and signals into the exit codes of
:mod:`generator.cli.common`.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator import __version__
from generator.cli import logs
from generator.cli.common import (
    EXIT_ERRORS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Stopped,
)
from generator.errors import GeneratorError
from generator.settings import default_settings

#: Each command and the module that defines it (``brief --help`` sorts them by name).
COMMANDS = {
    "check": "authoring",
    "build": "build",
    "new": "authoring",
    "serve": "authoring",
    "sources": "authoring",
    "schema": "authoring",
    "clean": "build",
    "merge": "build",
    "send": "send",
    "outbox": "send",
    "doctor": "send",
    "schedule": "schedule",
    "state": "state",
    "review": "review",
}


#: Where :class:`LazyGroup` notes the command line's command for the group's callback.
COMMAND_KEY = "brief.command"


class LazyGroup(click.Group):
    """A group whose commands are imported from their module when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        family = COMMANDS.get(cmd_name)
        if family is None:
            return None
        command = getattr(importlib.import_module(f"generator.cli.{family}"), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Also note the command and what follows it (``schedule serve``): the default
        log format depends on it, and is set before the command's own parsing."""
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[COMMAND_KEY] = (name or "", *rest[:1])
        return name, command, rest


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option(
    "-C",
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder holding briefs/ and templates/ (default: the current folder).",
)
@click.option(
    "--log-format",
    type=click.Choice(logs.FORMATS, case_sensitive=False),
    envvar=logs.ENV,
    default=None,
    help=(
        "How log lines on stderr look: plain (the message), text (UTC time and level"
        " first) or json (one object per line). Default: text for schedule run-due and"
        " serve, plain otherwise; on systemd's journal, syslog priority prefixes."
    ),
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None, log_format: str | None) -> None:
    """Turn YAML fact sheets into sourced PDF and HTML policy briefings."""
    unattended = logs.is_unattended(ctx.meta.get(COMMAND_KEY, ()))
    logs.configure(log_format.lower() if log_format else None, unattended=unattended)
    ctx.obj = default_settings(project)


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
        _interrupted(exc)
    except GeneratorError as exc:
        logs.report(logging.ERROR, f"Error: {exc}")
        logs.report_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    except Exception as exc:
        if not _store_fault(exc):
            raise
        sys.exit(EXIT_ERRORS)
    sys.exit(EXIT_OK)


def _store_fault(exc: Exception) -> bool:
    """Say what to do about a damaged or unwritable state store; False if ``exc`` is not
    one. The store's one opener checks the file, but a page can be found damaged, or the
    disk full, at any query: this is the one place every query's error comes through."""
    sqlite3 = sys.modules.get("sqlite3")  # loaded by whoever opened the store
    if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
        return False
    store = ".brief/state.sqlite"
    if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc):
        advice = "free some space or fix its permissions, then run the command again"
    else:
        advice = (
            "restore it from a backup, or move it aside to start a new one (the send ledger"
            " and the schedule history it holds are then forgotten); `brief state check`"
            " says what is damaged, `brief state restore` puts a backup back"
        )
    logs.report(logging.ERROR, f"Error: the state store {store} failed: {exc}; {advice}")
    return True


def _interrupted(exc: BaseException) -> None:
    """Exit after Ctrl-C (130), or SIGTERM or SIGHUP (128 + the signal)."""
    # click turns Ctrl-C into Abort; SIGTERM and SIGHUP arrive as Stopped inside it.
    stopped = exc if isinstance(exc, Stopped) else exc.__cause__
    if isinstance(stopped, Stopped):
        click.echo("stopped", err=True)
        sys.exit(128 + stopped.signum)
    click.echo("interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)
