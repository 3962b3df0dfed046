"""``brief send``: build, check everything up front, then send each message once.

:func:`send` is the entry point: it loads ``delivery.yaml`` and the SMTP settings, builds
the briefings, plans who gets what against the ledger, runs every pre-send check before
any connection is opened, and hands the plan to :class:`~generator.delivery.dispatch.Dispatcher`
(or, for a dry run, writes the messages to ``output/outbox/``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import locks
from generator.config import (
    AddressError,
    Delivery,
    Mailbox,
    SmtpSettings,
    closest,
    load_delivery,
    parse_mailbox,
    smtp_from_env,
)
from generator.delivery import ledger
from generator.delivery.dispatch import Dispatcher
from generator.delivery.faults import FaultHook
from generator.delivery.leak_guard import message_leaks
from generator.delivery.plan import plan, presend_checks
from generator.delivery.prepare import DeliveryError, prepare_editions
from generator.delivery.report import Deferral, MessageResult, SendReport
from generator.errors import ConfigError, FactSheetError
from generator.settings import Settings
from generator.store import store_path

if TYPE_CHECKING:
    from generator.factsheet import Markings

#: How long a send waits for another one of the same project (a schedule and a person
#: at once) before it gives up, naming the holder.
SEND_LOCK_WAIT = 3600.0

__all__ = ["Deferral", "DeliveryError", "MessageResult", "SendOptions", "SendReport", "send"]


@dataclass(frozen=True)
class SendOptions:
    """How ``brief send`` was asked to behave."""

    dry_run: bool = False
    #: Send again to recipients who already have the edition: continues the last resend
    #: of an edition to a list while some of its recipients lack it, else starts one.
    resend: bool = False
    allow_draft: bool = False
    #: With ``resend``: start a new resend even when the last one is unfinished.
    new_resend: bool = False


def send(
    settings: Settings,
    ids: Sequence[str],
    lists: Sequence[str],
    *,
    options: SendOptions,
    clock: Callable[[], dt.datetime],
    environ: Mapping[str, str],
    sleep: Callable[[float], None] = time.sleep,
    on_result: Callable[[MessageResult], None] | None = None,
    delivery: Delivery | None = None,
) -> SendReport:
    """Build the briefings ``ids`` and send them to ``lists``; see the module docstring.

    ``delivery``, when given, is used instead of reading ``delivery.yaml``: a scheduled
    run sends with the configuration its scheduler loaded, not the file as it is now.
    """
    if delivery is None:
        delivery = load_delivery(settings.delivery_file, settings.display(settings.delivery_file))
    _check_lists(lists, delivery)
    smtp = None if options.dry_run else smtp_from_env(environ)
    sender = _sender(smtp, delivery)
    now = clock()
    editions = prepare_editions(settings, ids, delivery.config.formats, now.astimezone().date())
    with (
        _one_run_at_a_time(settings, options.dry_run),
        _ledger(settings, create=not options.dry_run) as db,
    ):
        work = plan(
            editions,
            lists,
            delivery,
            db,
            settings,
            resend=options.resend,
            new_resend=options.new_resend,
        )
        markings = project_markings(settings)
        problems = presend_checks(
            work, delivery, sender, now, allow_draft=options.allow_draft, markings=markings
        )
        if problems:
            raise DeliveryError("nothing sent: the pre-send checks failed", problems)
        leaks = message_leaks(work, delivery, sender, now, settings)
        if leaks:
            raise DeliveryError(
                "nothing sent: internal text in a message to an external list", leaks
            )
        run = Dispatcher(settings, delivery, sender, work, clock, db, on_result)
        if options.dry_run:
            return run.write_outbox()
        assert smtp is not None
        return run.deliver(smtp, sleep, FaultHook(environ.get("BRIEF_FAULT")))


def project_markings(settings: Settings) -> Markings:
    """The project's markings; a broken ``markings.yaml`` stops the send, located."""
    from generator.factsheet import project_markings as load

    try:
        return load(settings)
    except FactSheetError as exc:
        raise DeliveryError("nothing sent: markings.yaml has errors", exc.diagnostics) from None


def _check_lists(lists: Sequence[str], delivery: Delivery) -> None:
    if not lists:
        raise ConfigError("name at least one list to send to (--to LIST)")
    for name in lists:
        if name not in delivery.config.lists:
            hint = closest(name, list(delivery.config.lists))
            known = ", ".join(delivery.config.lists) or "none"
            raise ConfigError(
                f"no list named '{name}' in delivery.yaml"
                + (f" (did you mean '{hint}'?)" if hint else f"; the lists are: {known}")
            )
        if not delivery.recipients[name]:
            raise ConfigError(f"list '{name}' has no recipients")


def _sender(smtp: SmtpSettings | None, delivery: Delivery) -> Mailbox:
    if smtp is None or not smtp.sender:
        return delivery.sender
    try:
        return parse_mailbox(smtp.sender)
    except AddressError as exc:
        raise ConfigError(f"BRIEF_SMTP_FROM: {exc}") from None


@contextmanager
def _one_run_at_a_time(settings: Settings, dry_run: bool) -> Iterator[None]:
    """Hold the project's send lock: a second ``brief send`` (a schedule and a person at
    once) waits, then plans against the ledger the first one left, and finds it done.

    The kernel releases the lock when the holder exits, however it exits.
    """
    if dry_run:
        yield
        return
    with locks.hold(
        locks.send_lock(settings),
        purpose="brief send",
        what="sending for this project",
        wait=SEND_LOCK_WAIT,
    ):
        yield


@contextmanager
def _ledger(settings: Settings, *, create: bool) -> Iterator[sqlite3.Connection]:
    path = store_path(settings.state_dir)
    if create or path.exists():
        with ledger.connect(path, settings.display(path)) as db:
            yield db
    else:
        with ledger.connect_memory() as db:
            yield db
