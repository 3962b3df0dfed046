"""The archive of sent editions: ``output/editions/<id>/<date>-<hash>/``.

An edition folder holds the exact attachments sent, the fact sheet they were built from
(``factsheet.yaml``, what the next edition's "what changed" list compares against), one
``.eml`` per message under ``messages/`` and a ``manifest.json`` (recipients, Message-IDs,
server replies, content hash). Once an edition folder exists its attachments are the
edition: a re-run after an interruption sends those very bytes again. Every file is
written atomically.

A message's file name is a readable slug of its list and address beside a short hash of
both, exact: the slug alone maps ``a/b@x`` and ``a_b@x`` to one name. Editions archived
before the hash keep their old names; :func:`legacy_eml_path` finds them, and
:func:`eml_mismatch` tells whether a file really is the message of a recipient, since an
old name may hold the message of the other recipient it was shared with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from generator.writer import write_atomic

EDITIONS = "editions"
SOURCE_NAME = "factsheet.yaml"
MANIFEST_NAME = "manifest.json"
HASH_CHARS = 12

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")
#: Hex digits of the name's hash: what tells apart addresses with the same slug.
NAME_HASH_CHARS = 8
#: Longest readable part of a name, so that a name (and its temporary twin, which
#: ``write_atomic`` prefixes) stays well under the 255 bytes file systems allow.
SLUG_CHARS = 150


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
    """``<list>--<address>-<hash>.eml``: one name per (list, address), however alike.

    The readable part has anything unusual replaced and is cut short when long; the hash
    is of the exact list name and address (the ledger's key, already case-folded), so two
    recipients differing only in a replaced character, or in where a long name was cut,
    still get two files.
    """
    readable = f"{list_name}--{_UNSAFE.sub('_', address)}"[:SLUG_CHARS]
    exact = f"{list_name}\n{address}".encode()
    return f"{readable}-{hashlib.sha256(exact).hexdigest()[:NAME_HASH_CHARS]}.eml"


def eml_path(folder: EditionFolder, list_name: str, address: str) -> Path:
    """``messages/<list>--<address>-<hash>.eml`` inside the edition folder."""
    return folder.path / "messages" / eml_name(list_name, address)


def legacy_eml_path(folder: EditionFolder, list_name: str, address: str) -> Path:
    """The name editions archived before the hash gave a message: ``<list>--<address>.eml``.

    Addresses differing only in a replaced character shared it, so what it holds must be
    checked with :func:`eml_mismatch` before it is used.
    """
    return folder.path / "messages" / f"{list_name}--{_UNSAFE.sub('_', address)}.eml"


def eml_mismatch(data: bytes, recipient: str, message_id: str) -> str:
    """Why ``data`` is not the message with ``message_id`` to ``recipient``; "" when it is.

    Only the headers are read. ``recipient`` is compared ignoring case, as the ledger does.
    """
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(data)
        to = [a.addr_spec for a in headers["To"].addresses] if headers["To"] else []
        found_id = str(headers["Message-ID"] or "").strip()
    except (MessageError, ValueError, TypeError, AttributeError, IndexError):
        return "cannot be read as an email message"
    if [a.casefold() for a in to] != [recipient.casefold()]:
        return f"is addressed to {', '.join(to) or 'nobody'}, not {recipient}"
    if found_id != message_id:
        return f"has Message-ID {found_id or '(none)'}, but the ledger has {message_id}"
    return ""


def archived_eml(folder: EditionFolder, list_name: str, address: str, message_id: str) -> Path:
    """Where the message of a ledger row is archived: under its name, else its old name.

    The old name only when it holds that very message; otherwise (nothing archived yet)
    the name the message would be written under.
    """
    path = eml_path(folder, list_name, address)
    legacy = legacy_eml_path(folder, list_name, address)
    if path.is_file() or not legacy.is_file():
        return path
    return path if eml_mismatch(legacy.read_bytes(), address, message_id) else legacy


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
