"""Dated copies of built PDFs: ``output/archive/YYYY-MM-DD/<schedule>/<id>.pdf``, never
overwritten.

A sheet with internal content has two editions and no ``<id>.pdf``: both
``<id>.internal.pdf`` and ``<id>.external.pdf`` are archived, under their own names, since
the archive is the record of what each audience could be sent.

Each schedule archives into a folder of its own under the day's, so two schedules that
archive one briefing on one day (a morning and an evening edition, or one plain and one
PDF/A) leave two copies that say which schedule made them. A second edition of the same
schedule on the same day gets a suffix (``<id>-2.pdf``, ``<id>-3.pdf`` …). The copy is
written to a temporary file and then hard-linked to its final name, which fails instead
of replacing when the name is taken, so even two archivers racing cannot overwrite an
earlier edition or leave a half-written one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from generator.builder import built_from, recorded_files
from generator.errors import OutputError
from generator.writer import TEMP_PREFIX, output_path

ARCHIVE = "archive"


def archive_dir(output_dir: Path, day: dt.date, schedule: str) -> Path:
    """``output/archive/YYYY-MM-DD/<schedule>``.

    Schedule names are slugs (``config.model.ListName``), so the name is one plain path
    segment.
    """
    return output_dir / ARCHIVE / day.isoformat() / schedule


def archive_pdfs(
    output_dir: Path, brief_ids: Sequence[str], day: dt.date, schedule: str
) -> list[Path]:
    """Copy the PDF of each brief (each edition's) from ``output_dir`` into ``schedule``'s
    archive of ``day``.

    Returns the paths written, in the order of ``brief_ids``; raises :class:`OutputError`
    for a PDF that is missing or cannot be copied.
    """
    folder = archive_dir(output_dir, day, schedule)
    return [
        _write_new(folder, stem, data)
        for brief_id in brief_ids
        for stem, data in _pdfs(output_dir, brief_id)
    ]


def not_yet_archived(
    output_dir: Path, brief_ids: Sequence[str], day: dt.date, schedule: str
) -> list[str]:
    """The briefs whose current PDF (one of whose editions' PDFs) has no identical copy in
    ``schedule``'s archive of ``day`` yet.

    For a resumed run: the interrupted attempt may have archived its PDFs already, and
    the same edition should be there once, not once per attempt. Another schedule's copy
    does not count: each schedule's folder is complete on its own.
    """
    folder = archive_dir(output_dir, day, schedule)
    missing = []
    for brief_id in brief_ids:
        try:
            pdfs = _pdfs(output_dir, brief_id)
        except OutputError:
            missing.append(brief_id)  # archive_pdfs reports it
            continue
        if not all(any(_same(p, data) for p in _copies(folder, stem)) for stem, data in pdfs):
            missing.append(brief_id)
    return missing


def _pdfs(output_dir: Path, brief_id: str) -> list[tuple[str, bytes]]:
    """``(stem, bytes)`` of each PDF of ``brief_id``: ``x``, or ``x.internal`` and
    ``x.external``, as the build state records them (``x.pdf`` when it records none)."""
    names = list(recorded_files(brief_id, built_from(output_dir, brief_id), "pdf").values())
    found = []
    for name in names or [f"{brief_id}.pdf"]:
        source = output_path(output_dir, name)
        try:
            found.append((name.removesuffix(".pdf"), source.read_bytes()))
        except OSError as exc:
            raise OutputError(f"cannot archive {source.name}: {exc.strerror or exc}") from None
    return found


def _copies(folder: Path, stem: str) -> list[Path]:
    """``<stem>.pdf``, ``<stem>-2.pdf`` … in ``folder`` (not ``<stem>-other.pdf`` of another
    brief, nor ``<stem>.internal.pdf`` of an edition)."""
    name = re.compile(re.escape(stem) + r"(-[0-9]+)?\.pdf")
    try:
        return [path for path in folder.iterdir() if name.fullmatch(path.name)]
    except OSError:
        return []


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_new(folder: Path, stem: str, data: bytes) -> Path:
    """Write ``data`` under the first free name ``<stem>.pdf``, ``<stem>-2.pdf``, …"""
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{stem}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        number = 1
        while True:
            target = folder / (f"{stem}.pdf" if number == 1 else f"{stem}-{number}.pdf")
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                number += 1
    except OSError as exc:
        raise OutputError(f"cannot archive {stem}.pdf in {folder}: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
