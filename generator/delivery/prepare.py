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
#: Which edition of a briefing: ``single`` when it has no internal content.
Kind = Literal["internal", "external", "single"]


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
    kind: Kind = "single"
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
    """Build the briefings named by ``ids`` and gather what each edition sends.

    An edition is a snapshot: its sheet is read once, and its attachments must have been
    built from those very bytes. A sheet saved while it was being built is built again.
    """
    from generator.factsheet import select

    todo, force = list(ids), False
    for _ in range(SNAPSHOT_TRIES):
        _build(settings, todo, formats, today, force)
        editions = [_edition(path, settings, formats, today) for path in select(settings, ids)]
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


def _edition(path: Path, settings: Settings, formats: Sequence[str], today: dt.date) -> Edition:
    """One built briefing as an edition: its archived attachments if it has any yet, else
    the outputs, but only those built from the bytes read here (none: built from others).
    """
    from generator.factsheet import load_bytes, read_sheet

    display = settings.display(path)
    try:
        source = read_sheet(path, display, settings.max_bytes)
        sheet = load_bytes(source, display, path.stem, max_bytes=settings.max_bytes).sheet
    except FactSheetError as exc:
        raise DeliveryError(f"nothing sent: {display} has errors", exc.diagnostics) from None
    brief_id, digest = path.stem, content_hash(sheet)
    folder = archive.edition_folder(settings.output_dir, brief_id, digest, today)
    names = [f"{brief_id}.{fmt}" for fmt in formats]
    attachments = archive.archived_attachments(folder, names) or _built(
        settings, brief_id, formats, hashlib.sha256(source).hexdigest()
    )
    return Edition(brief_id, display, sheet, source, digest, attachments, folder)


def _built(
    settings: Settings, brief_id: str, formats: Sequence[str], source_sha: str
) -> dict[str, bytes]:
    """The built outputs of ``brief_id``, or {} if one was not built from ``source_sha``."""
    from generator.builder import built_from

    recorded = built_from(settings.output_dir, brief_id)
    if any(recorded.get(fmt) != source_sha for fmt in formats):
        return {}
    return {
        f"{brief_id}.{fmt}": _read(settings.output_dir / f"{brief_id}.{fmt}") for fmt in formats
    }


def _read(path: Path) -> bytes:
    """A built output's bytes; empty when it is missing (the pre-send checks say so)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""
