"""The ``delivery.yaml`` file, as typed models: recipient lists, sender, subject, schedules.

Like the fact-sheet model, this is the single source of truth for the file's keys and
defaults; it is validated with the same strictness (unknown keys are errors, text is never
coerced) and the same located diagnostics.

SMTP settings are deliberately absent: they come only from the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ListName = Annotated[str, Field(pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
Text = Annotated[str, Field(min_length=1)]
AttachFormat = Literal["pdf", "html", "docx"]
MissedPolicy = Literal["once", "skip", "all"]
PdfVariant = Literal["pdf/ua-1", "pdf/a-3b", "plain"]
AlertEvent = Literal["run-failed", "send-deferred", "slot-missed"]
ALERT_EVENTS: tuple[AlertEvent, ...] = ("run-failed", "send-deferred", "slot-missed")

#: A year (366 days): catching up on slots older than that is never what is meant, and
#: a bound keeps the grace period a length of time a date can be moved by.
MAX_GRACE_MINUTES = 366 * 1440
#: A week: no briefing run takes longer, and the child's timer must stay a finite wait.
MAX_TIME_LIMIT_MINUTES = 7 * 1440


def _at_most(limit: int, span: str) -> Callable[[int], int]:
    """A check that a number of minutes is at most ``limit``, worded for the operator."""

    def check(minutes: int) -> int:
        if minutes > limit:
            raise ValueError(f"{minutes} minutes is too long: at most {limit} ({span})")
        return minutes

    return check


GraceMinutes = Annotated[int, Field(ge=0), AfterValidator(_at_most(MAX_GRACE_MINUTES, "366 days"))]
LimitMinutes = Annotated[
    int, Field(ge=1), AfterValidator(_at_most(MAX_TIME_LIMIT_MINUTES, "7 days"))
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Recipient(_Model):
    """One address, with an optional display name."""

    address: Text = Field(description="Email address, checked for syntax.")
    name: Text | None = Field(None, description="Display name.")


class RecipientList(_Model):
    """A named distribution list."""

    description: Text | None = Field(None, description="Who is on it, what it is for.")
    external: bool = Field(
        False,
        description=(
            "Outside the office: only briefings with status final are sent, and only their "
            "external edition (no internal content)."
        ),
    )
    max_marking: Text | None = Field(
        None,
        description=(
            "Highest protective marking the list may receive, e.g. OFFICIAL; a briefing "
            "marked above it is refused before anything is sent."
        ),
    )
    recipients: list[Text | Recipient] = Field(
        default_factory=list, description="Addresses ('Name <a@b>' or {address, name})."
    )
    include: list[ListName] = Field(
        default_factory=list, description="Other lists whose recipients are added."
    )


class Selection(_Model):
    """Which briefings a schedule covers: ids and/or tags (a brief matching either)."""

    ids: list[Text] = Field(default_factory=list, description="Brief ids.")
    tags: list[Text] = Field(default_factory=list, description="Briefs carrying any of these.")


class Schedule(_Model):
    """A recurring build (and optionally delivery and archive) of a selection."""

    name: ListName = Field(description="Unique name, used by `brief schedule run NAME`.")
    cron: Text = Field(description="Five-field cron expression, e.g. '0 7 * * 1'.")
    timezone: Text = Field("UTC", description="IANA time zone, e.g. Asia/Hong_Kong.")
    select: Selection = Field(description="Which briefings.")
    formats: list[AttachFormat] = Field(default_factory=lambda: ["pdf"], min_length=1)
    send_to: list[ListName] = Field(default_factory=list, description="Lists to send to.")
    archive: bool = Field(False, description="Copy built PDFs to output/archive/DATE/.")
    on_missed: MissedPolicy = Field("once", description="What to do with missed runs.")
    grace_minutes: GraceMinutes = Field(
        1440, description="Missed slots older than this are recorded as skipped."
    )
    time_limit_minutes: LimitMinutes = Field(60, description="A run longer than this is stopped.")
    pdf_variant: PdfVariant | None = Field(
        None,
        description="PDF variant this schedule builds (archives want pdf/a-3b); default pdf/ua-1.",
    )


class Alerts(_Model):
    """Who hears about trouble in unattended runs, and about which kinds of it."""

    send_to: list[ListName] = Field(
        min_length=1, description="Lists that get one email per incident."
    )
    on: list[AlertEvent] = Field(
        default_factory=lambda: list(ALERT_EVENTS),
        min_length=1,
        description="Incidents to report: run-failed, send-deferred, slot-missed.",
    )


class History(_Model):
    """How long the schedule history is kept."""

    keep_days: Annotated[int, Field(ge=1, le=36600)] = Field(
        400,
        description="Runs ended longer ago are pruned; the last of each schedule is kept.",
    )


class DeliveryConfig(_Model):
    """The whole ``delivery.yaml``."""

    sender: Text = Field(description="From address, 'Name <a@b>' (BRIEF_SMTP_FROM overrides).")
    subject: Text = Field(
        "[Brief] {title} — as of {as_of}",
        description=(
            "Subject template; fields: {title}, {as_of}, {jurisdiction}, {status}, {id}, {stage}."
        ),
    )
    formats: list[AttachFormat] = Field(
        default_factory=lambda: ["pdf"], min_length=1, description="Formats to attach."
    )
    max_message_mb: float = Field(
        10,
        gt=0,
        allow_inf_nan=False,
        description="Largest message to send, in MiB after encoding; many servers refuse more.",
    )
    lists: dict[ListName, RecipientList] = Field(
        default_factory=dict, description="Named recipient lists."
    )
    schedules: list[Schedule] = Field(default_factory=list, description="Recurring runs.")
    alerts: Alerts | None = Field(
        None,
        description="Lists told when a scheduled run fails, a send is deferred or a slot missed.",
    )
    history: History = Field(default_factory=History, description="Schedule history retention.")
