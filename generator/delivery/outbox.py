"""``brief outbox``: the send ledger as an operator (or a monitoring script) reads it.

One :class:`Entry` per ledger row, oldest first by the time shown: when a message was
accepted, or when its row last changed if it was not. The state tells a message the
server accepted (``sent``) from one a recipient received through another list
(``covered``), and each entry names its edition by the fact sheet's as-of date and the
first 12 characters of its content hash, as the edition's archive folder does, and says
which edition the recipient got (internal, external, or the only edition of a briefing
without internal content).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.delivery import editions as archive
from generator.delivery import ledger
from generator.settings import Settings
from generator.store import store_path

#: Ledger statuses of messages not (yet) accepted: what ``--failed`` shows.
NOT_SENT = ("failed", "ambiguous", "queued", "deferred")


@dataclass(frozen=True)
class Entry:
    """One message of the ledger, as ``brief outbox`` shows it."""

    time: str
    state: str
    covered_by: str
    attempts: int
    brief_id: str
    list_name: str
    recipient: str
    message_id: str
    reply: str
    as_of: str
    content_hash: str
    edition: str
    generation: int
    #: Which edition the recipient got: ``internal``, ``external``, ``only`` (a briefing
    #: without internal content); ``unknown`` for rows written before the ledger said.
    edition_kind: str = "unknown"

    @property
    def short_hash(self) -> str:
        """The content hash as the edition folder's name shows it."""
        return self.content_hash[: archive.HASH_CHARS]

    def json(self) -> dict[str, Any]:
        """The entry for ``--format json``: its fields, and the short hash too."""
        return asdict(self) | {"short_hash": self.short_hash}


def entries(
    settings: Settings, ids: Sequence[str] = (), *, failed_only: bool = False
) -> list[Entry] | None:
    """The ledger's messages, oldest first; None when nothing was ever sent (no ledger).

    The ledger is not created by reading it.
    """
    path = store_path(settings.state_dir)
    if not path.exists():
        return None
    with ledger.connect(path, settings.display(path)) as db:
        rows = ledger.history(db, ids, NOT_SENT if failed_only else ())
    as_of = cache(lambda brief_id, edition: _archived_as_of(settings, brief_id, edition))
    return [_entry(row, row.as_of or as_of(row.brief_id, row.edition)) for row in rows]


def _entry(row: ledger.Row, as_of: str) -> Entry:
    return Entry(
        time=(row.sent_at or row.updated_at),
        state="covered" if row.covered_by else row.status,
        covered_by=row.covered_by,
        attempts=row.attempts,
        brief_id=row.brief_id,
        list_name=row.list_name,
        recipient=row.address,
        message_id=row.message_id,
        reply=row.reply,
        as_of=as_of,
        content_hash=row.content_hash,
        edition=row.edition,
        generation=row.generation,
        edition_kind=row.edition_kind or "unknown",
    )


def _archived_as_of(settings: Settings, brief_id: str, edition: str) -> str:
    """The as-of date in an edition's manifest: rows written before the ledger recorded
    it have only the edition's folder. Empty when the manifest is gone or unreadable."""
    if not edition or "/" in edition or edition.startswith("."):
        return ""
    manifest: Path = (
        archive.editions_dir(settings.output_dir, brief_id) / edition / archive.MANIFEST_NAME
    )
    try:
        value = json.loads(manifest.read_text(encoding="utf-8")).get("as_of", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""
