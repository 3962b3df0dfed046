"""Sending the planned messages: one try after another, each recorded in the ledger.

The order of a message's life is what makes re-runs safe: the ledger row is committed as
``queued`` and its ``.eml`` archived before the first try; each try is counted in the
ledger before the connection is used; the server's answer is committed right after. A
re-run therefore skips every message the ledger knows was accepted and tries the others
again with the same Message-ID — from the archived ``.eml``, so byte for byte the same.
Temporary answers on an open connection are retried with exponential backoff a bounded
number of times; permanent ones are recorded and the next recipient is served. A
connection that breaks is opened again at once, for the same message. When no connection
can be opened — the first time or on reconnecting — the run stops: every message still
to send is recorded ``deferred`` in one transaction and reported once, since each further
recipient would only wait out the same timeout (and its backoff) against the same server.

Before a message is handed over, its bytes are checked to be that message: addressed to
that one recipient, with the Message-ID the ledger records. A file that is some other
message (a name shared by two addresses under the old naming, a hand-edited archive) is
refused for that recipient, never sent to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config import Delivery, Mailbox, SmtpSettings
from generator.delivery import editions as archive
from generator.delivery import ledger
from generator.delivery.faults import FaultHook
from generator.delivery.plan import (
    Planned,
    SendPlan,
    build_message,
    pending_entry,
    planned_message_id,
)
from generator.delivery.prepare import Edition
from generator.delivery.report import MessageResult, Result, SendReport, deferral
from generator.delivery.transport import (
    SmtpOutcome,
    SmtpSetupError,
    SmtpTransport,
    SmtpUnreachable,
    backoff_delay,
)
from generator.settings import Settings
from generator.writer import write_atomic

log = logging.getLogger(__name__)

OUTBOX = "outbox"
#: The ledger status and the result of a message after its last try, by outcome.
_STATUSES: dict[str, ledger.Status] = {"sent": "sent", "ambiguous": "ambiguous"}
_RESULTS: dict[str, Result] = {"sent": "sent", "ambiguous": "ambiguous"}


@dataclass(frozen=True)
class _Link:
    """The connection of one run and how to use it."""

    transport: SmtpTransport
    smtp: SmtpSettings
    sleep: Callable[[float], None]
    faults: FaultHook


class _WrongMessage(Exception):
    """The bytes about to be sent are not the planned message; the text says why."""


class Dispatcher:
    """The sending loop of one ``brief send``, with what it needs at hand."""

    def __init__(
        self,
        settings: Settings,
        delivery: Delivery,
        sender: Mailbox,
        work: SendPlan,
        clock: Callable[[], dt.datetime],
        db: sqlite3.Connection,
        on_result: Callable[[MessageResult], None] | None,
    ) -> None:
        self.settings, self.delivery, self.sender, self.work = settings, delivery, sender, work
        self.clock, self.db, self.on_result = clock, db, on_result
        self.report = SendReport()

    def _record(self, result: MessageResult) -> None:
        self.report.results.append(result)
        if self.on_result:
            self.on_result(result)

    def _message(self, item: Planned) -> tuple[str, bytes]:
        body = self.work.bodies[(item.edition.brief_id, item.list_name)]
        return build_message(item, body, self.delivery, self.sender, self.clock())

    def write_outbox(self) -> SendReport:
        """``--dry-run``: write each due message to ``output/outbox/<id>/``, one file each."""
        for item in self.work.items:
            if item.state != "send":
                self._record(_skipped(item, item.state))
                continue
            msg_id, data = self._message(item)
            folder = self.settings.output_dir / OUTBOX / item.edition.brief_id
            path = folder / archive.eml_name(item.list_name, item.recipient.key)
            write_atomic(path, data)
            self._record(
                MessageResult(
                    item.edition.brief_id,
                    item.list_name,
                    item.recipient.address,
                    "written",
                    message_id=msg_id,
                    path=path,
                )
            )
        return self.report

    def deliver(
        self, smtp: SmtpSettings, sleep: Callable[[float], None], faults: FaultHook
    ) -> SendReport:
        """Send every due message, one try after another, recording each in the ledger."""
        editions: dict[str, Edition] = {}
        try:
            with SmtpTransport(smtp) as transport:
                link = _Link(transport, smtp, sleep, faults)
                for index, item in enumerate(self.work.items):
                    editions[item.edition.content_hash] = item.edition
                    try:
                        self._record(self._one(item, link))
                    except (SmtpUnreachable, SmtpSetupError) as exc:
                        self._defer(exc, self.work.items[index:])
                        break
        finally:
            # Also after Ctrl-C: the manifest then shows what the ledger knows so far.
            for edition in editions.values():
                self._write_manifest(edition)
        return self.report

    def _defer(self, exc: SmtpUnreachable | SmtpSetupError, rest: Sequence[Planned]) -> None:
        """Stop sending: record every message still due as ``deferred``, in one step."""
        reason = exc.reason if isinstance(exc, SmtpUnreachable) else str(exc)
        if isinstance(exc, SmtpSetupError):
            self.report.fatal = reason
        due = [item for item in rest if item.state == "send"]
        pending = [pending_entry(item, self.sender) for item in due]
        ledger.defer_all(self.db, pending, f"deferred: {reason}", self.clock())
        deferred = [
            MessageResult(
                item.edition.brief_id,
                item.list_name,
                item.recipient.address,
                "deferred",
                reply=reason,
                message_id=entry.message_id,
            )
            for item, entry in zip(due, pending, strict=True)
        ]
        self.report.deferral = deferral(reason, deferred)
        results = iter(deferred)
        for item in rest:
            self._record(next(results) if item.state == "send" else _skipped(item, item.state))

    def _one(self, item: Planned, link: _Link) -> MessageResult:
        edition, key = item.edition, item.recipient.key
        if item.state == "already-sent":
            return _skipped(item)
        row = self._queue(item)
        covering = ledger.sent_to_recipient(self.db, edition.content_hash, key)
        if covering is not None and covering.id != row.id and covering.generation >= row.generation:
            ledger.mark_covered(self.db, row.id, covering, self.clock())
            return _skipped(item, "covered", covering.list_name)
        archive.store_edition(edition.folder, edition.attachments, edition.source)
        try:
            row, data = self._bytes(item, row)
        except _WrongMessage as exc:
            return self._refuse(item, row, str(exc))
        return self._tries(item, row, data, link)

    def _bytes(self, item: Planned, row: ledger.Row) -> tuple[ledger.Row, bytes]:
        """The message as archived when an earlier run got this far, else a new one.

        A repeat after an interruption is then byte-identical to what the server may
        already have accepted, Date header included. A row of this generation never tried
        (deferred before its turn) has nothing a server may hold: the archived file, if
        any, is the message of an earlier generation, and the message is composed anew.
        Raises :class:`_WrongMessage`.
        """
        if item.row is not None and item.row.generation == row.generation and row.attempts:
            stored = self._archived(item, row)
            if stored is not None:
                return row, stored
        return self._compose(item, row)

    def _archived(self, item: Planned, row: ledger.Row) -> bytes | None:
        """This row's archived message, checked to be it; None when there is none to reuse.

        An edition archived before names carried a hash has the message under its old
        name. That file is used when it is this very message, and ignored (the message is
        composed again, with the same Message-ID) when it is the message of another
        address that shared the name: a mismatch there is the old naming's known flaw,
        not damage.
        """
        folder, name, address = item.edition.folder, item.list_name, item.recipient.address
        path = archive.eml_path(folder, name, row.recipient)
        if path.is_file():
            data = path.read_bytes()
            self._check_archived(data, row, address, path)
            return data
        legacy = archive.legacy_eml_path(folder, name, row.recipient)
        if not legacy.is_file():
            return None
        data = legacy.read_bytes()
        if archive.eml_mismatch(data, address, row.message_id):
            log.info(
                "%s -> %s: %s: %s is another message; composing it again",
                item.edition.brief_id,
                name,
                address,
                legacy.name,
            )
            return None
        archive.write_eml(path, data)  # under its own name too, which the manifest lists
        return data

    def _compose(self, item: Planned, row: ledger.Row) -> tuple[ledger.Row, bytes]:
        """A new message for ``row``, archived before it is tried."""
        msg_id, data = self._message(item)
        if msg_id != row.message_id:
            # Queued with another Message-ID (another sender domain) and no archived file
            # left to repeat: the ledger must name the message actually handed over.
            log.warning(
                "%s -> %s: %s: Message-ID %s replaces %s",
                item.edition.brief_id,
                item.list_name,
                item.recipient,
                msg_id,
                row.message_id,
            )
            ledger.set_message_id(self.db, row.id, msg_id, self.clock())
            row = dataclasses.replace(row, message_id=msg_id)
        problem = archive.eml_mismatch(data, item.recipient.address, row.message_id)
        if problem:  # only if composing itself went wrong; even then, no wrong send
            raise _WrongMessage(f"not sent: the message composed for it {problem}")
        archive.write_eml(
            archive.eml_path(item.edition.folder, item.list_name, row.recipient), data
        )
        return row, data

    def _check_archived(self, data: bytes, row: ledger.Row, address: str, path: Path) -> None:
        """Raise :class:`_WrongMessage` unless the archived ``data`` is the message of ``row``."""
        problem = archive.eml_mismatch(data, address, row.message_id)
        if problem:
            raise _WrongMessage(
                f"not sent: the archived message {self.settings.display(path)} {problem}; "
                "move the file aside and run brief send again to compose the message anew"
            )

    def _refuse(self, item: Planned, row: ledger.Row, reason: str) -> MessageResult:
        """Nothing sent: the reason goes to the ledger, so ``brief outbox --failed`` shows it."""
        ledger.refuse(self.db, row.id, reason, self.clock())
        return MessageResult(
            item.edition.brief_id,
            item.list_name,
            item.recipient.address,
            "failed",
            row.attempts,
            reason,
            row.message_id,
        )

    def _queue(self, item: Planned) -> ledger.Row:
        """The ledger row of a message: the unsent one of this generation, or a new one."""
        existing, edition = item.row, item.edition
        if existing and existing.generation == item.generation and existing.status != "sent":
            return existing
        return ledger.enqueue(
            self.db,
            brief_id=edition.brief_id,
            content_hash=edition.content_hash,
            list_name=item.list_name,
            recipient=item.recipient.key,
            address=str(item.recipient),
            message_id=planned_message_id(item, self.sender),
            generation=item.generation,
            edition=edition.folder.name,
            now=self.clock(),
            as_of=edition.sheet.as_of.isoformat(),
            edition_kind=edition.kind,
        )

    def _tries(self, item: Planned, row: ledger.Row, data: bytes, link: _Link) -> MessageResult:
        """Try until accepted, refused for good, or out of tries; back off in between.

        A broken connection is opened again at once, without backing off: if it cannot
        be, :class:`SmtpUnreachable` stops the run (see :meth:`deliver`).
        """
        attempt, outcome = row.attempts, SmtpOutcome("temporary", "not tried")
        where = f"{item.edition.brief_id} -> {item.list_name}: {item.recipient.address}"
        for number in range(1, link.smtp.tries + 1):
            attempt, outcome = self._try_once(row, item.recipient.address, data, link)
            if outcome.kind in ("sent", "permanent"):
                break
            if number < link.smtp.tries and outcome.broken:
                log.info("%s: %s; connecting again", where, outcome.reply)
            elif number < link.smtp.tries:
                log.info("%s: %s; trying again", where, outcome.reply)
                link.sleep(backoff_delay(number, link.smtp.backoff))
        link.faults.hit("after-record")
        result = _RESULTS.get(outcome.kind, "failed")
        return MessageResult(
            item.edition.brief_id,
            item.list_name,
            item.recipient.address,
            result,
            attempt,
            outcome.reply,
            row.message_id,
        )

    def _try_once(
        self, row: ledger.Row, address: str, data: bytes, link: _Link
    ) -> tuple[int, SmtpOutcome]:
        """One try, counted in the ledger before it is made and settled right after."""
        attempt = ledger.start_attempt(self.db, row.id, self.clock())
        link.faults.hit("before-send")
        try:
            outcome = link.transport.send(self.sender.address, address, data)
        except (SmtpUnreachable, SmtpSetupError) as exc:
            ledger.abandon_attempt(self.db, row.id, attempt, str(exc), self.clock())
            raise
        if outcome.kind == "sent":
            link.faults.hit("after-accept")
        self._settle(
            row, attempt, _STATUSES.get(outcome.kind, "failed"), outcome.kind, outcome.reply
        )
        return attempt, outcome

    def _settle(
        self, row: ledger.Row, attempt: int, status: ledger.Status, outcome: str, reply: str
    ) -> None:
        ledger.finish_attempt(
            self.db, row.id, attempt, status=status, outcome=outcome, reply=reply, now=self.clock()
        )

    def _write_manifest(self, edition: Edition) -> None:
        rows = ledger.edition_rows(self.db, edition.content_hash)
        messages = [
            {
                "list": r.list_name,
                "recipient": r.address,
                "message_id": r.message_id,
                "status": r.status,
                "attempts": r.attempts,
                "reply": r.reply,
                "sent_at": r.sent_at,
                "eml": archive.archived_eml(edition.folder, r.list_name, r.recipient, r.message_id)
                .relative_to(edition.folder.path)
                .as_posix(),
            }
            for r in rows
        ]
        sheet = edition.sheet
        archive.write_manifest(
            edition.folder,
            sheet_facts={
                "title": sheet.title,
                "as_of": sheet.as_of.isoformat(),
                "status": sheet.status,
                "edition_kind": edition.kind,
            },
            attachments=edition.attachments,
            messages=messages,
        )


def _skipped(item: Planned, result: Result = "already-sent", via: str = "") -> MessageResult:
    row = item.row
    reply = f"already received through list {via}" if via else (row.reply if row else "")
    return MessageResult(
        item.edition.brief_id,
        item.list_name,
        item.recipient.address,
        result,
        row.attempts if row else 0,
        reply,
        row.message_id if row else "",
    )
