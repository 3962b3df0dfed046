"""How log records reach stderr: bare messages, timestamped text, the journal, or JSON.

Formats (``--log-format`` on the ``brief`` group, or ``BRIEF_LOG_FORMAT``):

* ``plain``: the message alone, as an interactive command's report reads best; the
  default of every command but the unattended ones.
* ``text``: ``2026-12-01T07:00:03Z INFO message``, the UTC time to the second and the
  level before the unchanged message; the default of ``brief schedule run-due`` and
  ``brief schedule serve``, which run from cron or as a service, where a line without a
  time is of little use.
* ``json``: one object per line with ``time``, ``level``, ``logger``, ``message`` and
  whatever the caller passed as ``extra=`` (``brief_id``, ``list``, ``schedule``).

When stderr is systemd's journal (``JOURNAL_STREAM`` names its device and inode, as
sd-daemon(3) says to check), ``plain`` and ``text`` lines become ``<6>message``: the
syslog priority journald reads (``<3>`` error, ``<4>`` warning, ``<6>`` info), without a
time, which the journal adds itself. ``json`` stays pure JSON there.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import IO, Any

import click

from generator.errors import Diagnostic

#: The choices of ``--log-format``.
FORMATS = ("plain", "text", "json")
ENV = "BRIEF_LOG_FORMAT"
#: The commands whose log lines carry a time and a level unless told otherwise.
UNATTENDED = (("schedule", "run-due"), ("schedule", "serve"))
#: syslog priorities of the levels (sd-daemon(3)).
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3}
#: The attributes every record has; any other was given by the caller as ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


def utc_time(created: float) -> str:
    """``2026-12-01T07:00:03Z``: ISO 8601, UTC, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created))


def priority(levelno: int) -> int:
    """The syslog priority of a logging level (anything above ERROR is critical, 2)."""
    if levelno > logging.ERROR:
        return 2
    return next(p for level, p in sorted(_PRIORITY.items(), reverse=True) if levelno >= level)


def is_journal(stream: IO[str]) -> bool:
    """Whether ``stream`` is the journal: ``JOURNAL_STREAM`` is its ``device:inode``.

    The variable alone is not enough: a service's children inherit it, and one of them
    run with stderr on a file or a terminal must not write priority prefixes there.
    """
    device, _, inode = os.environ.get("JOURNAL_STREAM", "").partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        found = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (found.st_dev, found.st_ino) == (int(device), int(inode))


def _message(record: logging.LogRecord, formatter: logging.Formatter) -> str:
    """The record's message, with its traceback if it carries one."""
    text = record.getMessage()
    if record.exc_info:
        text += "\n" + formatter.formatException(record.exc_info)
    return text


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed as ``extra=`` to the logging call."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class PlainFormatter(logging.Formatter):
    """The message alone."""

    def format(self, record: logging.LogRecord) -> str:
        """The message (and traceback)."""
        return _message(record, self)


class TextFormatter(logging.Formatter):
    """``2026-12-01T07:00:03Z WARNING message``."""

    def format(self, record: logging.LogRecord) -> str:
        """Time, level, message."""
        return f"{utc_time(record.created)} {record.levelname} {_message(record, self)}"


class JournalFormatter(logging.Formatter):
    """``<4>message``, on every line of the message, as journald takes each line apart."""

    def format(self, record: logging.LogRecord) -> str:
        """The priority in front of each line."""
        prefix = f"<{priority(record.levelno)}>"
        return "\n".join(prefix + line for line in _message(record, self).split("\n"))


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """``time``, ``level``, ``logger``, ``message``, then the extras."""
        fields: dict[str, Any] = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields.update((k, v) for k, v in extras(record).items() if k not in fields)
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return json.dumps(fields, ensure_ascii=False, default=str)


def is_unattended(command: Sequence[str]) -> bool:
    """Whether ``command`` (``("schedule", "serve")``) is one that runs unattended."""
    return tuple(command[:2]) in UNATTENDED


def formatter_for(
    chosen: str | None, stream: IO[str], *, unattended: bool = False
) -> logging.Formatter:
    """The formatter of format ``chosen`` writing to ``stream``; None: ``text`` for an
    ``unattended`` command, ``plain`` otherwise."""
    if chosen == "json":
        return JsonFormatter()
    if is_journal(stream):
        return JournalFormatter()
    if chosen == "text" or (chosen is None and unattended):
        return TextFormatter()
    return PlainFormatter()


def configure(
    chosen: str | None, stream: IO[str] | None = None, *, unattended: bool = False
) -> logging.Handler | None:
    """Send log records to ``stream`` (stderr) in format ``chosen`` (None: the default
    of the command, see :func:`formatter_for`); our loggers at INFO.

    Libraries (WeasyPrint's progress log among them) are heard only when something is
    wrong. Replaces what an earlier call set up, so it may be called again; like
    :func:`logging.basicConfig`, leaves alone a program that set up logging itself
    (``main`` called in-process) and returns None then.
    """
    logging.getLogger("generator").setLevel(logging.INFO)
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_brief", False)]
    if len(ours) < len(root.handlers):
        return None
    for old in ours:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(chosen, handler.stream, unattended=unattended))
    handler._brief = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    return handler


def report(level: int, message: str, **extra: Any) -> None:
    """Write ``message`` as a record of the ``generator`` logger, shown whatever its level
    (the command's last word: an error it stops on), in the configured format."""
    logger = logging.getLogger("generator")
    record = logger.makeRecord(logger.name, level, "", 0, message, (), None, extra=extra)
    handlers = [h for h in logging.getLogger().handlers if getattr(h, "_brief", False)]
    if not handlers:
        click.echo(message, err=True)
    for handler in handlers:
        handler.handle(record)


def report_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    """Each diagnostic as a record (an error or a warning) in the configured format, its
    place and field as extras: one JSON object per line stays true under ``json``."""
    for diagnostic in diagnostics:
        level = logging.ERROR if diagnostic.is_error else logging.WARNING
        where = {"file": diagnostic.file, "line": diagnostic.line, "col": diagnostic.col}
        report(level, diagnostic.format(), **where, field=diagnostic.path)
