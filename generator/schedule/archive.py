"""Dated copies of built PDFs: ``output/archive/YYYY-MM-DD/<schedule>/<id>.pdf``, never
overwritten.

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
    """Copy ``<id>.pdf`` of each brief from ``output_dir`` into ``schedule``'s archive of
    ``day``.

    Returns the paths written, in the order of ``brief_ids``; raises :class:`OutputError`
    for a PDF that is missing or cannot be copied.
    """
    folder = archive_dir(output_dir, day, schedule)
    written = []
    for brief_id in brief_ids:
        source = output_path(output_dir, f"{brief_id}.pdf")
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot archive {source.name}: {exc.strerror or exc}") from None
        written.append(_write_new(folder, brief_id, data))
    return written


def not_yet_archived(
    output_dir: Path, brief_ids: Sequence[str], day: dt.date, schedule: str
) -> list[str]:
    """The briefs whose current PDF has no identical copy in ``schedule``'s archive of
    ``day`` yet.

    For a resumed run: the interrupted attempt may have archived its PDFs already, and
    the same edition should be there once, not once per attempt. Another schedule's copy
    does not count: each schedule's folder is complete on its own.
    """
    folder = archive_dir(output_dir, day, schedule)
    missing = []
    for brief_id in brief_ids:
        try:
            data = output_path(output_dir, f"{brief_id}.pdf").read_bytes()
        except OSError:
            missing.append(brief_id)  # archive_pdfs reports it
            continue
        if not any(_same(path, data) for path in _copies(folder, brief_id)):
            missing.append(brief_id)
    return missing


def _copies(folder: Path, brief_id: str) -> list[Path]:
    """``<id>.pdf``, ``<id>-2.pdf`` … in ``folder`` (not ``<id>-other.pdf`` of another brief)."""
    name = re.compile(re.escape(brief_id) + r"(-[0-9]+)?\.pdf")
    try:
        return [path for path in folder.iterdir() if name.fullmatch(path.name)]
    except OSError:
        return []


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_new(folder: Path, brief_id: str, data: bytes) -> Path:
    """Write ``data`` under the first free name ``<id>.pdf``, ``<id>-2.pdf``, …"""
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{brief_id}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        number = 1
        while True:
            target = folder / (f"{brief_id}.pdf" if number == 1 else f"{brief_id}-{number}.pdf")
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                number += 1
    except OSError as exc:
        raise OutputError(f"cannot archive {brief_id}.pdf in {folder}: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
