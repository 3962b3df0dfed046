"""The project's state store: one SQLite file under ``.brief/`` shared by every module.

The send ledger and the schedule history live in the same file (``state.sqlite``), each
module owning its tables and creating them idempotently when it opens the store. WAL
journaling lets readers (``brief schedule list``) work while a run writes; the busy
timeout makes two writers queue instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.errors import GeneratorError
from generator.settings import Settings
from generator.writer import TEMP_PREFIX, write_atomic

STATE_FILE = "state.sqlite"
BUSY_TIMEOUT_MS = 30_000


class StateError(GeneratorError):
    """The state store cannot be opened or written."""


class BadDestination(StateError):
    """A backup destination refused before anything was written (a usage mistake)."""


def store_path(state_dir: Path) -> Path:
    """``<state_dir>/state.sqlite``: the project's one state store."""
    return state_dir / STATE_FILE


def open_store(path: Path, shown: str | None = None) -> sqlite3.Connection:
    """Open (creating when needed) the state store at ``path``, in autocommit mode.

    The caller closes it. Transactions are explicit (``BEGIN IMMEDIATE``), so a write
    never waits half-way. Errors name the file as ``shown`` (default: the path).
    """
    shown = shown or str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open the state store {shown}: {exc}") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.row_factory = sqlite3.Row
    except sqlite3.Error as exc:
        connection.close()
        raise StateError(
            f"cannot use the state store {shown}: {exc}; restore it from a backup, or move it"
            " aside to start a new one (the send ledger and the schedule history it holds"
            " are then forgotten): `brief state check` tells what is damaged, `brief state"
            " restore BACKUP` puts a backup back (docs/operations.md)"
        ) from None
    return connection


def open_project_store(settings: Settings) -> sqlite3.Connection:
    """The project's state store (``.brief/state.sqlite``); the caller closes it."""
    path = store_path(settings.state_dir)
    return open_store(path, settings.display(path))


def ensure_schema(connection: sqlite3.Connection, script: str) -> None:
    """Create a module's tables and indexes; ``script`` uses ``IF NOT EXISTS`` throughout."""
    try:
        connection.executescript(script)
    except sqlite3.Error as exc:
        raise StateError(f"cannot prepare the state store: {exc}") from None


# -- Checking, backing up and restoring the store ------------------------------------------
#
# ``brief state check``, ``backup`` and ``restore`` (docs/operations.md). A backup is a
# folder: the store copied with SQLite's online backup API (a consistent snapshot, taken
# while runs go on writing), then the folders under ``output/`` that cannot be rebuilt, then
# a manifest of every file with its size and SHA-256, written last. A folder without the
# manifest is an interrupted backup, and every tool here says so.

#: What a backup folder holds besides the copied folders: the store, then the manifest.
BACKUP_STORE = STATE_FILE
BACKUP_MANIFEST = "brief-backup.json"
BACKUP_FORMAT = 1
#: The folders under ``output/`` that no build can make again: the sent editions
#: (``delivery/editions.py``) and the schedules' archive (``schedule/archive.py``).
KEPT_FOLDERS = ("editions", "archive")
#: Temporary files of an atomic write (``writer.TEMP_PREFIX``) are never copied.
_SKIP = shutil.ignore_patterns(f"{TEMP_PREFIX}*")
#: How many problems ``check`` lists before it says how many more there are.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class StoreCheck:
    """What ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` found in a store."""

    shown: str
    problems: tuple[str, ...] = ()
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No damage and no broken reference."""
        return not self.problems


@dataclass(frozen=True)
class Backup:
    """A complete backup: where, the store's tables and row counts, the files and bytes."""

    dest: Path
    rows: dict[str, int]
    files: int
    size: int


def check_store(path: Path, shown: str | None = None) -> StoreCheck:
    """Check the store at ``path`` (which must exist) page by page; never raises for damage.

    The file is opened without changing it (no journal mode set, no table created): a
    damaged store stays as it was found, for whoever looks at it next.
    """
    shown = shown or str(path)
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as db:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            found = [row[0] for row in db.execute("PRAGMA integrity_check")]
            problems = [] if found == ["ok"] else found
            problems += [_broken_reference(row) for row in db.execute("PRAGMA foreign_key_check")]
            rows = _row_counts(db) if not problems else {}
    except sqlite3.DatabaseError as exc:
        problems, rows = [f"cannot be read as an SQLite database: {exc}"], {}
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more"]
    return StoreCheck(shown, tuple(problems), rows)


def _broken_reference(row: sqlite3.Row | tuple[object, ...]) -> str:
    table, rowid, parent, _ = tuple(row)
    return f"{table} row {rowid} refers to a row of {parent} that does not exist"


def _row_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for (name,) in names}


def backup(settings: Settings, dest: Path) -> Backup:
    """Copy the state store and :data:`KEPT_FOLDERS` into the new folder ``dest``.

    The store first, then the folders: every edition the copied ledger names is then in
    the copy too (an edition written meanwhile is extra, never missing). Raises
    :class:`StateError` for a ``dest`` that is not usable, and when the copy fails its
    own integrity check.
    """
    _usable_destination(settings, dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(f"cannot create {dest}: {exc.strerror or exc}") from None
    source = store_path(settings.state_dir)
    rows: dict[str, int] = {}
    if source.exists():
        rows = _copy_store(source, dest / BACKUP_STORE, settings.display(source))
    try:
        for name in KEPT_FOLDERS:
            folder = settings.output_dir / name
            if folder.is_dir():
                shutil.copytree(folder, dest / "output" / name, ignore=_SKIP, symlinks=True)
        files = _file_table(dest)
    except (OSError, shutil.Error) as exc:
        raise StateError(f"backup to {dest} failed, so it is incomplete: {exc}") from None
    manifest = {
        "format": BACKUP_FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "project": str(settings.root),
        "store": BACKUP_STORE if source.exists() else None,
        "rows": rows,
        "files": files,
    }
    write_atomic(dest / BACKUP_MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    _fsync_dir(dest)
    return Backup(dest, rows, len(files), sum(f["size"] for f in files.values()))


def _usable_destination(settings: Settings, dest: Path) -> None:
    """Refuse a destination inside what is backed up, or one that already holds files."""
    where = dest.resolve()
    for inside, what in ((settings.state_dir, ".brief/"), (settings.output_dir, "output/")):
        if where == inside.resolve() or inside.resolve() in where.parents:
            raise BadDestination(
                f"refusing to back up into {dest}: it is inside {what}, which the backup"
                " copies or a build rewrites; choose a folder outside the project's"
                " .brief/ and output/ (better: on another disk)"
            )
    if dest.exists() and not dest.is_dir():
        raise BadDestination(f"refusing to back up into {dest}: it is a file, not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise BadDestination(
            f"refusing to back up into {dest}: the folder is not empty; give a new or an"
            " empty folder (a backup never overwrites another)"
        )


def _copy_store(source: Path, target: Path, shown: str) -> dict[str, int]:
    """The online backup: one step, so one read snapshot, while writers go on (WAL)."""
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            src.backup(dst)
            # One self-contained file: no -wal or -shm beside the copy.
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise StateError(f"cannot back up the state store {shown}: {exc}") from None
    found = check_store(target, str(target))
    if not found.ok:
        raise StateError(
            f"the copy of {shown} fails its integrity check ({'; '.join(found.problems)}):"
            " the store itself is probably damaged; run `brief state check`"
        )
    return found.rows


def _file_table(dest: Path) -> dict[str, dict[str, Any]]:
    """Every file under ``dest`` (relative path → size and SHA-256), each flushed to disk."""
    table: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in dest.rglob("*") if p.is_file() and not p.is_symlink()):
        table[path.relative_to(dest).as_posix()] = {
            "size": path.stat().st_size,
            "sha256": _sha256(path, sync=True),
        }
    return table


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def verify_backup(dest: Path) -> tuple[dict[str, Any], list[str]]:
    """A backup folder's manifest and what is wrong with the folder (nothing: complete).

    Raises :class:`StateError` when ``dest`` is no backup at all, or an unfinished one
    (no manifest: the manifest is written last).
    """
    manifest = _read_manifest(dest)
    problems = []
    for name, expected in manifest["files"].items():
        path = dest / name
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            problems.append(f"{name} is not a path inside the backup")
        elif not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            problems.append(f"{name} is not the file that was backed up (size or SHA-256)")
    if manifest.get("store") and (dest / BACKUP_STORE).is_file():
        found = check_store(dest / BACKUP_STORE)
        problems += [f"{BACKUP_STORE}: {problem}" for problem in found.problems]
    return manifest, problems


def _read_manifest(dest: Path) -> dict[str, Any]:
    path = dest / BACKUP_MANIFEST
    if not dest.is_dir():
        raise StateError(f"{dest} is not a folder")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise StateError(
            f"{dest} is not a complete backup: it has no {BACKUP_MANIFEST}, which a backup"
            " writes last (an interrupted backup, or not a backup at all)"
        ) from None
    except (OSError, ValueError) as exc:
        raise StateError(f"cannot read {path}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise StateError(f"{path} is not a backup manifest of this version of brief")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(_entry(e) for e in files.values()):
        raise StateError(f"{path} is damaged: its file list is not one a backup writes")
    return manifest


def _entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
    )


def _sha256(path: Path, *, sync: bool = False) -> str:
    """The file's SHA-256; with ``sync``, its data flushed to disk as well (before the
    manifest that vouches for it is written)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        if sync:
            os.fsync(handle.fileno())
    return digest.hexdigest()


@dataclass(frozen=True)
class Restored:
    """What a restore put back: the store (or not), files copied, files already there, and
    files that were there with other content (kept, never overwritten)."""

    store: bool
    copied: int
    present: int
    differing: tuple[str, ...]


def restore(settings: Settings, src: Path) -> Restored:
    """Put a complete, undamaged backup back into a project whose state store is gone.

    Refuses while ``.brief/state.sqlite`` exists: the operator moves the current state
    aside first, so that nothing is lost by restoring. Files under ``output/`` are copied
    only where missing; one that exists with other content is kept and named.
    """
    manifest, problems = verify_backup(src)
    if problems:
        raise StateError(f"{src} cannot be restored: " + "; ".join(problems))
    target = store_path(settings.state_dir)
    shown = settings.display(target)
    if target.exists():
        raise StateError(
            f"{shown} exists: stop the scheduler, move the current state aside"
            " (mv .brief .brief.before-restore), then restore again"
        )
    try:
        if manifest.get("store") and not _place(src / BACKUP_STORE, target):
            raise StateError(f"{shown} appeared while restoring: is the scheduler running?")
        return _restore_files(settings, src, manifest, bool(manifest.get("store")))
    except OSError as exc:
        raise StateError(f"restoring from {src} failed part-way: {exc}") from None


def _restore_files(
    settings: Settings, src: Path, manifest: dict[str, Any], store: bool
) -> Restored:
    copied = present = 0
    differing = []
    for name, expected in manifest["files"].items():
        if not name.startswith("output/"):
            continue
        target = settings.output_dir / name.removeprefix("output/")
        if _place(src / name, target):
            copied += 1
        elif target.is_file() and _sha256(target) == expected["sha256"]:
            present += 1
        else:
            differing.append(settings.display(target))
    return Restored(store, copied, present, tuple(differing))


def _place(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` whole (a temporary file, then a hard link, which fails
    instead of replacing); False when ``target`` exists."""
    temporary = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copy2(source, temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
