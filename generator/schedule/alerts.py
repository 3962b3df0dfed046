"""Alerts for unattended runs: one email per incident, kept in the state store.

An *incident* is a schedule in trouble of one kind (``run-failed``, ``send-deferred``,
``slot-missed``), keyed by schedule, kind and the slot it started at. While one is open,
further trouble of the same kind only counts occurrences: a schedule failing every five
minutes sends one alert, not one per run. A ``run-failed`` incident closes at the
schedule's next successful run, a ``send-deferred`` one at its next run that deferred
nothing; each then sends one "recovered" message. A ``slot-missed`` incident is a gap
that is over when it is noticed, so it opens closed and sends no recovery.

Sending goes through the delivery package's SMTP transport with the ``BRIEF_SMTP_*``
settings. An alert that cannot be sent is logged as an error and stays pending for the
next run-due; it never fails the runs it reports.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import TYPE_CHECKING

from generator import locks
from generator.config import Delivery, DeliveryConfig, Mailbox
from generator.errors import GeneratorError
from generator.schedule.reports import RunReport
from generator.schedule.slots import iso, stamp
from generator.settings import Settings
from generator.store import ensure_schema

if TYPE_CHECKING:
    from generator.delivery import SmtpTransport

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS schedule_alerts (
    id INTEGER PRIMARY KEY,
    schedule TEXT NOT NULL,
    kind TEXT NOT NULL,
    since_slot TEXT NOT NULL,
    last_slot TEXT NOT NULL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    detail TEXT NOT NULL DEFAULT '',
    opened_at TEXT NOT NULL,
    sent_at TEXT,
    closed_at TEXT,
    closed_by TEXT NOT NULL DEFAULT '',
    recovery_due INTEGER NOT NULL DEFAULT 0,
    recovery_sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (schedule, kind, since_slot)
);
"""

#: What each kind of incident is called in a subject line.
TITLES = {
    "run-failed": "a scheduled run failed",
    "send-deferred": "messages were deferred",
    "slot-missed": "slots were missed",
}


@dataclass(frozen=True)
class Incident:
    """One row of ``schedule_alerts``."""

    id: int
    schedule: str
    kind: str
    since_slot: str
    last_slot: str
    occurrences: int
    detail: str
    sent_at: str | None
    closed_at: str | None
    closed_by: str
    recovery_due: bool


def ensure_table(db: sqlite3.Connection) -> None:
    """Create the alerts table if needed."""
    ensure_schema(db, SCHEMA)


def notice(
    db: sqlite3.Connection,
    config: DeliveryConfig,
    reports: Sequence[RunReport],
    now: dt.datetime,
) -> None:
    """Open, count and close incidents for what a run-due reported (alerts configured)."""
    if config.alerts is None:
        return
    ensure_table(db)
    wanted = set(config.alerts.on)
    for report in reports:
        for kind in incident_kinds(report):
            if kind in wanted:
                _open(db, report, kind, now)
        if report.succeeded:
            _close(db, report, "run-failed", now)
        if report.succeeded and not report.deferred:
            _close(db, report, "send-deferred", now)


def incident_kinds(report: RunReport) -> list[str]:
    """The kinds of trouble a report shows (none, one or two).

    A failure whose only errors say that messages were deferred (the mail server could
    not be used) is ``send-deferred`` alone: one cause, one email. Any other error of
    a failed run makes it ``run-failed`` too.
    """
    if report.result == "skipped":
        return ["slot-missed"] if report.expired else []
    said = [e for e in report.errors if "deferred" in e]
    kinds = ["send-deferred"] if report.deferred or said else []
    others = [e for e in report.errors if "deferred" not in e]
    if report.failed and (others or not report.errors):
        kinds.append("run-failed")
    return kinds


def _open(db: sqlite3.Connection, report: RunReport, kind: str, now: dt.datetime) -> None:
    """A new incident, or one more occurrence of the open one of that kind."""
    slot = iso(report.slot)
    counted = db.execute(
        "UPDATE schedule_alerts SET occurrences = occurrences + 1, last_slot = ? "
        "WHERE schedule = ? AND kind = ? AND closed_at IS NULL",
        (slot, report.schedule, kind),
    )
    if counted.rowcount:
        return
    since = iso(report.first or report.slot)
    closed = stamp(now) if kind == "slot-missed" else None
    db.execute(
        "INSERT OR IGNORE INTO schedule_alerts (schedule, kind, since_slot, last_slot, "
        "occurrences, detail, opened_at, closed_at, recovery_due) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report.schedule,
            kind,
            since,
            slot,
            report.count if kind == "slot-missed" else 1,
            report.line(),
            stamp(now),
            closed,
            0 if closed else 1,
        ),
    )


def _close(db: sqlite3.Connection, report: RunReport, kind: str, now: dt.datetime) -> None:
    db.execute(
        "UPDATE schedule_alerts SET closed_at = ?, closed_by = ? "
        "WHERE schedule = ? AND kind = ? AND closed_at IS NULL",
        (stamp(now), report.line(), report.schedule, kind),
    )


def deliver(
    db: sqlite3.Connection,
    config: DeliveryConfig,
    delivery: Delivery | None,
    environ: Mapping[str, str],
    clock: Callable[[], dt.datetime],
    settings: Settings,
) -> int:
    """Send every pending alert and recovery message; how many were sent.

    Holds ``.brief/locks/alerts.lock`` (without waiting), so two run-dues finishing
    together do not both mail the same incident.
    """
    if config.alerts is None:
        return 0
    ensure_table(db)
    pending = _pending(db)
    if not pending:
        return 0
    if delivery is None:
        log.error(
            "cannot send %d alert(s): the lists of delivery.yaml are not loaded", len(pending)
        )
        return 0
    try:
        with locks.hold(
            settings.state_dir / locks.LOCKS / "alerts.lock", purpose="alerts", what="the alerts"
        ):
            return _send_all(db, config, delivery, environ, clock, _pending(db))
    except locks.LockBusy as exc:
        log.info("alerts left to another process: %s", exc)
        return 0


def _pending(db: sqlite3.Connection) -> list[tuple[Incident, bool]]:
    """(incident, is_recovery) pairs to send, oldest first; an incident closed before its
    alert went out sends the alert, then the recovery."""
    rows = db.execute(
        "SELECT * FROM schedule_alerts WHERE sent_at IS NULL OR (recovery_due = 1 "
        "AND closed_at IS NOT NULL AND recovery_sent_at IS NULL) ORDER BY id"
    ).fetchall()
    found = []
    for row in rows:
        incident = _incident(row)
        if incident.sent_at is None:
            found.append((incident, False))
        if incident.recovery_due and incident.closed_at is not None:
            found.append((incident, True))
    return found


def _send_all(
    db: sqlite3.Connection,
    config: DeliveryConfig,
    delivery: Delivery,
    environ: Mapping[str, str],
    clock: Callable[[], dt.datetime],
    pending: Iterable[tuple[Incident, bool]],
) -> int:
    from generator.config import smtp_from_env
    from generator.delivery import SmtpTransport

    assert config.alerts is not None
    recipients = _recipients(delivery, config.alerts.send_to)
    try:
        smtp = smtp_from_env(environ)
    except GeneratorError as exc:
        log.error("alerts not sent (will retry on the next run-due): %s", exc)
        return 0
    sender = smtp.sender or str(delivery.sender)
    sent, failed = 0, set()
    with SmtpTransport(smtp) as transport:
        for incident, recovery in pending:
            if incident.id in failed:
                continue  # its alert did not go out: the recovery waits for it
            message = compose(incident, recovery, sender, recipients, clock())
            problem = _hand_over(transport, sender, recipients, message)
            _record(db, incident, recovery, problem, clock())
            if problem:
                failed.add(incident.id)
            sent += not problem
    return sent


def _recipients(delivery: Delivery, lists: Sequence[str]) -> list[Mailbox]:
    """Everyone on the alert lists, each address once."""
    found: dict[str, Mailbox] = {}
    for name in lists:
        for mailbox in delivery.recipients.get(name, ()):
            found.setdefault(mailbox.key, mailbox)
    return list(found.values())


def compose(
    incident: Incident,
    recovery: bool,
    sender: str,
    recipients: Sequence[Mailbox],
    now: dt.datetime,
) -> EmailMessage:
    """The plain-text alert (or recovery message) for ``incident``."""
    message = EmailMessage()
    title = TITLES.get(incident.kind, incident.kind)
    if recovery:
        message["Subject"] = f"[brief] {incident.schedule}: recovered ({incident.kind})"
    else:
        message["Subject"] = f"[brief] {incident.schedule}: {title}"
    message["From"] = sender
    message["To"] = ", ".join(str(r) for r in recipients)
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid("brief-alert", domain=domain)
    message.set_content(_body(incident, recovery))
    return message


def _body(incident: Incident, recovery: bool) -> str:
    where = socket.gethostname()
    lines = [
        f"Schedule {incident.schedule} on {where}: {TITLES.get(incident.kind, incident.kind)}.",
        "",
        f"Since: {incident.since_slot}",
        f"Latest: {incident.last_slot} ({incident.occurrences} occurrence(s))",
        f"First report: {incident.detail}",
    ]
    if recovery:
        lines += ["", f"Recovered: {incident.closed_by}"]
    else:
        lines += [
            "",
            "No further alert is sent for this incident until it is over; then one message",
            "says so.",
        ]
    lines += [
        "",
        f"History: brief schedule history {incident.schedule} --failed",
        "Health:  brief schedule status",
    ]
    return "\n".join(lines) + "\n"


def _hand_over(
    transport: SmtpTransport, sender: str, recipients: Sequence[Mailbox], message: EmailMessage
) -> str:
    """Send to each recipient; '' when at least one accepted it, else why not.

    A recipient the server refuses while others accept is logged, not retried: retrying
    would mail the others again.
    """
    if not recipients:
        return "the alert lists have no recipients"
    envelope = parseaddr(sender)[1] or sender
    data = message.as_bytes()
    problems = []
    for mailbox in recipients:
        try:
            outcome = transport.send(envelope, mailbox.address, data)
        except (GeneratorError, OSError) as exc:
            return f"{transport!r}: {exc}"  # the server cannot be used at all
        if outcome.kind != "sent":
            problems.append(f"{mailbox.address}: {outcome.reply}")
    if len(problems) == len(recipients):
        return "; ".join(problems)
    for problem in problems:
        log.error("alert %r not delivered to %s", message["Subject"], problem)
    return ""


def _record(
    db: sqlite3.Connection, incident: Incident, recovery: bool, problem: str, now: dt.datetime
) -> None:
    column = "recovery_sent_at" if recovery else "sent_at"
    if problem:
        db.execute(
            "UPDATE schedule_alerts SET attempts = attempts + 1, last_error = ? WHERE id = ?",
            (problem, incident.id),
        )
        log.error("alert not sent, will retry on the next run-due: %s", problem)
    else:
        db.execute(
            f"UPDATE schedule_alerts SET {column} = ? WHERE id = ?", (stamp(now), incident.id)
        )
        what = "recovery message" if recovery else "alert"
        log.info(
            "%s sent: %s %s since %s", what, incident.schedule, incident.kind, incident.since_slot
        )


def prune(db: sqlite3.Connection, keep_days: int, now: dt.datetime) -> int:
    """Forget incidents over and mailed more than ``keep_days`` ago (as the history)."""
    ensure_table(db)
    cutoff = stamp(now - dt.timedelta(days=keep_days))
    cursor = db.execute(
        "DELETE FROM schedule_alerts WHERE closed_at IS NOT NULL AND closed_at < ? "
        "AND sent_at IS NOT NULL AND (recovery_due = 0 OR recovery_sent_at IS NOT NULL)",
        (cutoff,),
    )
    return cursor.rowcount


def _incident(row: sqlite3.Row) -> Incident:
    return Incident(
        id=row["id"],
        schedule=row["schedule"],
        kind=row["kind"],
        since_slot=row["since_slot"],
        last_slot=row["last_slot"],
        occurrences=row["occurrences"],
        detail=row["detail"],
        sent_at=row["sent_at"],
        closed_at=row["closed_at"],
        closed_by=row["closed_by"],
        recovery_due=bool(row["recovery_due"]),
    )
