"""Before sending: who gets which edition, and every check made up front.

:func:`plan` decides per (briefing, list, recipient) whether a message is due, renders each
(briefing, list) body once, and runs the pre-send checks — attachments present and
non-empty, message and HTML body under their limits, no draft to an external list — so
that every problem is reported before any connection is opened.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeGuard

from generator.config import Delivery, Mailbox
from generator.delivery import editions as archive
from generator.delivery import ledger
from generator.delivery.changes import Change, compare
from generator.delivery.message import (
    Body,
    compose,
    email_view,
    message_id,
    render_body,
    subject_values,
)
from generator.delivery.prepare import Edition
from generator.errors import Diagnostic, FactSheetError
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.factsheet import Markings

log = logging.getLogger(__name__)

#: Webmail (Gmail first) clips an HTML body larger than about 102 KB.
HTML_LIMIT = 100 * 1024
MIB = 1024 * 1024
State = Literal["send", "already-sent", "covered"]


@dataclass(frozen=True)
class Planned:
    """One (edition, list, recipient) and what to do about it."""

    edition: Edition
    list_name: str
    recipient: Mailbox
    state: State
    generation: int
    row: ledger.Row | None = None


@dataclass
class SendPlan:
    """Everything to send, with the rendered body of each (briefing, list)."""

    items: list[Planned] = field(default_factory=list)
    bodies: dict[tuple[str, str], Body] = field(default_factory=dict)


def plan(
    editions: Sequence[Edition],
    lists: Sequence[str],
    delivery: Delivery,
    db: sqlite3.Connection,
    settings: Settings,
    *,
    resend: bool,
    new_resend: bool = False,
) -> SendPlan:
    """Who gets what: one :class:`Planned` per (edition, list, recipient), bodies rendered.

    ``resend`` sends the edition again (see :func:`resend_generation`); ``new_resend``
    starts a new resend even when the last one is unfinished.
    """
    from generator.config import load_brand

    result = SendPlan()
    # Read once, as the build read it; a brand.yaml with errors stops the send here.
    brand = load_brand(settings.root, settings.templates_dir)
    for edition in editions:
        for list_name in lists:
            if not gets(edition, delivery.external(list_name)):
                continue
            changes = _changes_since_last(edition, list_name, db, settings, delivery)
            attached = list(edition.attachments)
            view = email_view(
                edition.sheet, edition.brief_id, changes, attached, brand, settings.templates_dir
            )
            result.bodies[(edition.brief_id, list_name)] = render_body(view, settings.templates_dir)
            people = delivery.recipients[list_name]
            rows = ledger.list_rows(db, edition.content_hash, list_name)
            target = resend_generation(rows, people, new=new_resend) if resend else None
            for recipient in people:
                row = rows.get(recipient.key)
                result.items.append(_plan_one(edition, list_name, recipient, row, db, target))
    return result


def gets(edition: Edition, external: bool) -> bool:
    """Whether a list gets ``edition``: an external list the external edition, any other
    the internal one, and every list the only edition of a sheet without internal content."""
    return edition.kind == "only" or (edition.kind == "external") == external


def resend_generation(rows: dict[str, ledger.Row], people: Sequence[Mailbox], *, new: bool) -> int:
    """The generation a ``--resend`` of one edition to one list sends.

    A resend is generation 1, 2, ... of the edition's messages to the list. While the last
    one is unfinished — a recipient of the list has no accepted message of it (the run was
    interrupted, the server went away, a try failed) — ``--resend`` continues it: those who
    have the resent copy are skipped. Once every recipient has it, ``--resend`` starts the
    next generation; ``new`` starts it at once, abandoning the unfinished one.
    """
    last = max((row.generation for row in rows.values()), default=0)
    unfinished = last > 0 and any(not _has(rows.get(p.key), last) for p in people)
    return last if unfinished and not new else last + 1


def _has(row: ledger.Row | None, generation: int) -> TypeGuard[ledger.Row]:
    """Whether ``row`` records an accepted message of ``generation`` (or a later one)."""
    return row is not None and row.status == "sent" and row.generation >= generation


def _plan_one(
    edition: Edition,
    list_name: str,
    recipient: Mailbox,
    row: ledger.Row | None,
    db: sqlite3.Connection,
    resend: int | None,
) -> Planned:
    """What to do for one recipient; ``resend`` is the generation a resend sends, if any.

    A message the ledger has not seen accepted (``queued``, ``failed``, ``ambiguous``,
    ``deferred``) is due again with its recorded generation, hence its Message-ID.
    """
    if resend is not None:
        if _has(row, resend):
            return Planned(edition, list_name, recipient, "already-sent", row.generation, row)
        return Planned(edition, list_name, recipient, "send", resend, row)
    if row is not None and row.status == "sent":
        return Planned(edition, list_name, recipient, "already-sent", row.generation, row)
    if ledger.sent_to_recipient(db, edition.content_hash, recipient.key):
        return Planned(edition, list_name, recipient, "covered", 0, row)
    return Planned(edition, list_name, recipient, "send", row.generation if row else 0, row)


def _changes_since_last(
    edition: Edition, list_name: str, db: sqlite3.Connection, settings: Settings, delivery: Delivery
) -> list[Change] | None:
    """What changed since the edition ``list_name`` last received; None if it had none.

    For an external list both sides are external editions: the archived sheet is seen
    through :func:`~generator.factsheet.external_sheet` whatever edition it was, so the
    list never reads of an internal change (an internal entry dropped included).
    """
    from generator.factsheet import external_sheet, load

    last = ledger.last_sent_edition(db, edition.brief_id, list_name, edition.content_hash)
    if last is None:
        return None
    path = archive.previous_source(settings.output_dir, edition.brief_id, last.edition)
    if path is None:
        log.warning(
            "%s: the edition %s sent to %s is no longer archived; not listing changes",
            edition.display,
            last.edition,
            list_name,
        )
        return None
    try:
        previous = load(path, settings.display(path), max_bytes=settings.max_bytes)
    except FactSheetError:
        log.warning(
            "%s: the archived edition %s no longer loads; not listing changes",
            edition.display,
            last.edition,
        )
        return None
    before = external_sheet(previous.sheet) if delivery.external(list_name) else previous.sheet
    from generator.render import language_for

    return compare(
        before, edition.sheet, language_for(edition.sheet.language, settings.templates_dir)
    )


def planned_message_id(item: Planned, sender: Mailbox) -> str:
    """The Message-ID of a planned message, in the sender's domain."""
    domain = sender.address.rpartition("@")[2]
    return message_id(item.edition.content_hash, item.recipient, item.generation, domain)


def pending_entry(item: Planned, sender: Mailbox) -> ledger.Pending:
    """What the ledger records for a deferred message: its row's Message-ID when the row is
    of this generation, so that the next run sends the very same message."""
    row, edition = item.row, item.edition
    same = row is not None and row.generation == item.generation
    return ledger.Pending(
        brief_id=edition.brief_id,
        content_hash=edition.content_hash,
        list_name=item.list_name,
        recipient=item.recipient.key,
        address=str(item.recipient),
        message_id=row.message_id if row and same else planned_message_id(item, sender),
        generation=item.generation,
        edition=edition.folder.name,
        as_of=edition.sheet.as_of.isoformat(),
        edition_kind=edition.kind,
    )


def build_message(
    item: Planned, body: Body, delivery: Delivery, sender: Mailbox, date: dt.datetime
) -> tuple[str, bytes]:
    """The Message-ID and the encoded bytes of one planned message."""
    msg_id = planned_message_id(item, sender)
    message = compose(
        body,
        subject_template=delivery.config.subject,
        values=subject_values(item.edition.sheet, item.edition.brief_id, body.language),
        sender=sender,
        recipient=item.recipient,
        date=date,
        msg_id=msg_id,
        attachments=item.edition.attachments,
    )
    return msg_id, message.as_bytes()


def presend_checks(
    work: SendPlan,
    delivery: Delivery,
    sender: Mailbox,
    date: dt.datetime,
    *,
    allow_draft: bool,
    markings: Markings | None = None,
) -> list[Diagnostic]:
    """Every reason not to send, found before any connection is opened; ``markings`` (the
    project's, default set without) rank a briefing's marking against a list's
    ``max_marking``."""
    problems: list[Diagnostic] = []
    checked: set[tuple[str, str]] = set()
    for item in work.items:
        key = (item.edition.brief_id, item.list_name)
        if item.state == "send" and key not in checked:
            checked.add(key)
            problems += _attachment_problems(item.edition)
            problems += _marking_problems(item, delivery, markings)
            problems += _list_problems(item, work.bodies[key], delivery, sender, date, allow_draft)
    return list(dict.fromkeys(problems))


def _list_problems(
    item: Planned,
    body: Body,
    delivery: Delivery,
    sender: Mailbox,
    date: dt.datetime,
    allow_draft: bool,
) -> list[Diagnostic]:
    """The checks of one briefing's message to one list."""
    edition, name, problems = item.edition, item.list_name, []
    if edition.sheet.status != "final" and delivery.external(name) and not allow_draft:
        problems.append(
            f"status is {edition.sheet.status} and list {name} is external: only final "
            "briefings go to external lists (--allow-draft sends it anyway)"
        )
    html_size = len(body.html.encode("utf-8"))
    if html_size > HTML_LIMIT:
        problems.append(
            f"the HTML body for {name} is {html_size / 1024:.0f} KB, over the "
            f"{HTML_LIMIT // 1024} KB limit past which webmail clips a message"
        )
    size = len(build_message(item, body, delivery, sender, date)[1])
    limit = delivery.config.max_message_mb
    if size > limit * MIB:
        problems.append(
            f"the message for {name} is {size / MIB:.1f} MB encoded, over the {limit:g} MB "
            "limit (max_message_mb in delivery.yaml)"
        )
    return [_problem(edition, text) for text in problems]


def _marking_problems(
    item: Planned, delivery: Delivery, markings: Markings | None
) -> list[Diagnostic]:
    """A briefing marked above the highest marking its list may receive.

    An unmarked briefing carries no protective marking and goes to any list.
    """
    from generator.factsheet import DEFAULT_MARKINGS

    ceiling = delivery.config.lists[item.list_name].max_marking
    marking = item.edition.sheet.marking
    if ceiling is None or marking is None:
        return []
    ranks = markings or DEFAULT_MARKINGS
    if ranks.rank(marking) <= ranks.rank(ceiling):
        return []
    edition, name = item.edition, item.list_name
    line, col = edition.locate("marking") if edition.locate else (None, None)
    message = (
        f"{edition.brief_id} is marked {marking}, above {ceiling}, the highest marking list "
        f"{name} may receive (lists.{name}.max_marking in delivery.yaml): not sent to {name}"
    )
    return [Diagnostic(edition.display, line, col, "marking", message, code="presend")]


def _attachment_problems(edition: Edition) -> list[Diagnostic]:
    problems = []
    for name, data in edition.attachments.items():
        if not data:
            problems.append(_problem(edition, f"attachment {name} is missing or empty"))
        elif name.endswith(".pdf") and not data.startswith(b"%PDF-"):
            problems.append(_problem(edition, f"attachment {name} is not a PDF file"))
        elif name.endswith(".docx") and not data.startswith(b"PK\x03\x04"):
            problems.append(_problem(edition, f"attachment {name} is not a DOCX file"))
    return problems


def _problem(edition: Edition, message: str) -> Diagnostic:
    return Diagnostic(edition.display, None, None, "", message, code="presend")
