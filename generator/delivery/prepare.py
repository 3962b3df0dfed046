"""The editions a send sends: the selected briefings built, each read once as a snapshot.

:func:`prepare_editions` builds the selected briefings and gathers, per briefing, the
validated fact sheet, its content hash and the attachments (the archived ones when this
edition was already partly sent, so every recipient of an edition gets the same bytes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.delivery import editions as archive
from generator.errors import FactSheetError, GeneratorError
from generator.factsheet import FactSheet
from generator.settings import Settings

log = logging.getLogger(__name__)

#: Builds a send tries when a fact sheet keeps changing while it is built.
SNAPSHOT_TRIES = 3
#: Which edition of a briefing: ``only`` when it has no internal content.
Kind = Literal["internal", "external", "only"]


class DeliveryError(GeneratorError):
    """Nothing was sent: a briefing failed to build or a pre-send check failed."""


@dataclass(frozen=True)
class Edition:
    """One briefing as it will be sent: the sheet, its content hash and its attachments."""

    brief_id: str
    display: str
    sheet: FactSheet
    source: bytes
    content_hash: str
    attachments: dict[str, bytes]
    folder: archive.EditionFolder
    kind: Kind = "only"
    #: The internal texts of the sheet, what an external edition must never contain.
    internal: tuple[Any, ...] = ()
    #: Where each field stands in the sheet: ``(line, col)`` of a field path's text.
    locate: Callable[[str], tuple[int | None, int | None]] | None = None


def content_hash(sheet: FactSheet) -> str:
    """SHA-256 of the fact sheet's validated content: comments and layout do not count."""
    canonical = json.dumps(sheet.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def prepare_editions(
    settings: Settings, ids: Sequence[str], formats: Sequence[str], today: dt.date
) -> list[Edition]:
    """Build the briefings named by ``ids`` and gather what each edition sends: one
    edition of a sheet without internal content, else its internal and external editions.

    An edition is a snapshot: its sheet is read once, and its attachments must have been
    built from those very bytes. A sheet saved while it was being built is built again.
    """
    from generator.factsheet import select

    todo, force = list(ids), False
    for _ in range(SNAPSHOT_TRIES):
        _build(settings, todo, formats, today, force)
        editions = [
            e for p in select(settings, ids) for e in _editions(p, settings, formats, today)
        ]
        stale = [e.brief_id for e in editions if not e.attachments]
        if not stale:
            return editions
        log.info("%s changed while being built; building again", ", ".join(stale))
        todo, force = stale, True
    raise DeliveryError(
        f"nothing sent: {', '.join(stale)} kept changing while being built; send again"
    )


def _build(
    settings: Settings, ids: Sequence[str], formats: Sequence[str], today: dt.date, force: bool
) -> None:
    from generator.builder import build

    report = build(settings, ids, today=today, formats=formats, force=force)
    if report.failed:
        diagnostics = [d for r in report.failed for d in r.diagnostics]
        names = ", ".join(f"{r.display}{': ' + r.error if r.error else ''}" for r in report.failed)
        raise DeliveryError(f"nothing sent: these briefings did not build: {names}", diagnostics)


def _editions(
    path: Path, settings: Settings, formats: Sequence[str], today: dt.date
) -> list[Edition]:
    """One built briefing as the editions it is sent as: the only one, or the internal
    and the external edition of a sheet with internal content (see :func:`_one`)."""
    from generator.builder import locator
    from generator.factsheet import (
        external_sheet,
        has_internal,
        internal_texts,
        load_bytes,
        read_sheet,
    )

    display = settings.display(path)
    try:
        source = read_sheet(path, display, settings.max_bytes)
        loaded = load_bytes(source, display, path.stem, max_bytes=settings.max_bytes)
    except FactSheetError as exc:
        raise DeliveryError(f"nothing sent: {display} has errors", exc.diagnostics) from None
    sheet, locate = loaded.sheet, locator(loaded.source_map)
    snapshot = _Snapshot(path.stem, display, source, locate, has_internal(sheet))
    if not snapshot.two_editions:
        return [_one(snapshot, sheet, "only", (), settings, formats, today)]
    return [
        _one(snapshot, sheet, "internal", (), settings, formats, today),
        _one(
            snapshot,
            external_sheet(sheet),
            "external",
            internal_texts(sheet),
            settings,
            formats,
            today,
        ),
    ]


@dataclass(frozen=True)
class _Snapshot:
    """What every edition of one briefing shares: the bytes read once."""

    brief_id: str
    display: str
    source: bytes
    locate: Callable[[str], tuple[int | None, int | None]]
    two_editions: bool


def attachment_name(brief_id: str, kind: Kind, fmt: str) -> str:
    """The name an edition's file is attached under: ``<id>.pdf``, as ever, for the only
    and the external edition (an outside reader sees an ordinary briefing), and
    ``<id>.internal.pdf`` for the internal edition, a reminder not to pass it on."""
    return f"{brief_id}.internal.{fmt}" if kind == "internal" else f"{brief_id}.{fmt}"


def _one(
    snap: _Snapshot,
    sheet: FactSheet,
    kind: Kind,
    internal: tuple[Any, ...],
    settings: Settings,
    formats: Sequence[str],
    today: dt.date,
) -> Edition:
    """One edition: its archived attachments if it has any yet, else the outputs, but only
    those built from the bytes read (none: built from others).

    Its content hash is of the sheet it shows, so an external edition whose external
    content did not change is the edition its lists already have. Its archive keeps the
    whole fact sheet (what the next edition's changes are computed from, through the same
    :func:`~generator.factsheet.external_sheet`); the archive is never sent.
    """
    digest = content_hash(sheet)
    folder = archive.edition_folder(settings.output_dir, snap.brief_id, digest, today)
    names = [attachment_name(snap.brief_id, kind, fmt) for fmt in formats]
    sha = hashlib.sha256(snap.source).hexdigest()
    attachments = archive.archived_attachments(folder, names) or _built(
        settings, snap, kind, formats, sha
    )
    return Edition(
        snap.brief_id,
        snap.display,
        sheet,
        snap.source,
        digest,
        attachments,
        folder,
        kind,
        internal,
        snap.locate,
    )


def _built(
    settings: Settings, snap: _Snapshot, kind: Kind, formats: Sequence[str], source_sha: str
) -> dict[str, bytes]:
    """The built outputs of an edition, or {} if one was not built from ``source_sha``."""
    from generator.builder import built_from, edition_files

    recorded = built_from(settings.output_dir, snap.brief_id)
    found: dict[str, bytes] = {}
    for fmt in formats:
        file = edition_files(snap.brief_id, snap.two_editions, fmt)[kind]
        if recorded.get(file.removeprefix(f"{snap.brief_id}.")) != source_sha:
            return {}
        found[attachment_name(snap.brief_id, kind, fmt)] = _read(settings.output_dir / file)
    return found


def _read(path: Path) -> bytes:
    """A built output's bytes; empty when it is missing (the pre-send checks say so)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""
