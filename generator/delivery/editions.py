"""The archive of sent editions: ``output/editions/<id>/<date>-<hash>/``.

An edition folder holds the exact attachments sent, the fact sheet they were built from
(``factsheet.yaml``, what the next edition's "what changed" list compares against), one
``.eml`` per message under ``messages/`` and a ``manifest.json`` (recipients, Message-IDs,
server replies, content hash). Once an edition folder exists its attachments are the
edition: a re-run after an interruption sends those very bytes again. Every file is
written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.writer import write_atomic

EDITIONS = "editions"
SOURCE_NAME = "factsheet.yaml"
MANIFEST_NAME = "manifest.json"
HASH_CHARS = 12

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


@dataclass(frozen=True)
class EditionFolder:
    """Where one edition of one briefing is archived."""

    path: Path
    brief_id: str
    content_hash: str

    @property
    def name(self) -> str:
        """``<date>-<hash>``: the folder's name, kept in the ledger."""
        return self.path.name


def editions_dir(output_dir: Path, brief_id: str) -> Path:
    """``output/editions/<id>``."""
    return output_dir / EDITIONS / brief_id


def edition_folder(
    output_dir: Path, brief_id: str, content_hash: str, today: dt.date
) -> EditionFolder:
    """The folder of this edition: the existing one, or a new name dated ``today``."""
    short = content_hash[:HASH_CHARS]
    parent = editions_dir(output_dir, brief_id)
    existing = sorted(parent.glob(f"*-{short}")) if parent.is_dir() else []
    path = existing[0] if existing else parent / f"{today.isoformat()}-{short}"
    return EditionFolder(path, brief_id, content_hash)


def archived_attachments(folder: EditionFolder, names: Iterable[str]) -> dict[str, bytes] | None:
    """The attachments archived with this edition, when all of them are there."""
    found = {}
    for name in names:
        path = folder.path / name
        if not path.is_file():
            return None
        found[name] = path.read_bytes()
    return found


def store_edition(folder: EditionFolder, attachments: Mapping[str, bytes], source: bytes) -> None:
    """Archive the attachments and the fact sheet, unless this edition already has them."""
    for name, data in {**attachments, SOURCE_NAME: source}.items():
        path = folder.path / name
        if not path.is_file():
            write_atomic(path, data)


def eml_name(list_name: str, address: str) -> str:
    """``<list>--<address>.eml``, with anything unusual in the address replaced."""
    return f"{list_name}--{_UNSAFE.sub('_', address)}.eml"


def eml_path(folder: EditionFolder, list_name: str, address: str) -> Path:
    """``messages/<list>--<address>.eml`` inside the edition folder."""
    return folder.path / "messages" / eml_name(list_name, address)


def write_eml(path: Path, message: bytes) -> None:
    """Write one message's exact bytes."""
    write_atomic(path, message)


def previous_source(output_dir: Path, brief_id: str, edition: str) -> Path | None:
    """The archived fact sheet of an earlier edition (by folder name), if it is still there."""
    if not edition or "/" in edition or edition.startswith("."):
        return None
    path = editions_dir(output_dir, brief_id) / edition / SOURCE_NAME
    return path if path.is_file() else None


def write_manifest(
    folder: EditionFolder,
    *,
    sheet_facts: Mapping[str, Any],
    attachments: Mapping[str, bytes],
    messages: list[dict[str, Any]],
) -> Path:
    """Write ``manifest.json``: the edition, its attachments and every message's outcome."""
    manifest = {
        "brief_id": folder.brief_id,
        "content_hash": folder.content_hash,
        "edition": folder.name,
        **sheet_facts,
        "attachments": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in attachments.items()
        ],
        "messages": messages,
    }
    path = folder.path / MANIFEST_NAME
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path
