"""``brief state check``, ``backup`` and ``restore`` in a subprocess, on a real state store.

A second process writes to the store meanwhile (committing rows in a loop, or holding a
write transaction open): the backup must neither wait for it nor copy half of it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from generator.delivery.editions import EDITIONS
from generator.schedule.archive import ARCHIVE
from generator.store import BACKUP_MANIFEST, KEPT_FOLDERS
from tests.support.cli import REPO, brief_env, run_brief

WRITER = """
import sys, time
from pathlib import Path
from generator.store import open_store

db = open_store(Path(sys.argv[1]))
db.execute("CREATE TABLE IF NOT EXISTS load (n INTEGER PRIMARY KEY, note TEXT)")
if sys.argv[2] == "hold":
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO load (note) VALUES ('uncommitted')")
    print("holding", flush=True)
    time.sleep(600)
n = 0
while True:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO load (note) VALUES (?)", ("x" * 400,))
    db.execute("COMMIT")
    n += 1
    if n == 300:
        print("300 committed", flush=True)
"""


def store(project: Path) -> Path:
    return project / ".brief/state.sqlite"


def rows(path: Path, sql: str = "SELECT count(*) FROM load") -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute(sql).fetchone()[0])


@pytest.fixture
def writer(project: Path) -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(mode: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store(project)), mode],
            cwd=REPO,
            env=brief_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None
        assert process.stdout.readline().strip() in ("holding", "300 committed")
        return process

    yield start
    for process in started:
        process.kill()
        process.wait(timeout=60)


def filled(project: Path) -> None:
    """A project with a store of some size and files in both kept folders."""
    store(project).parent.mkdir()
    with closing(sqlite3.connect(store(project))) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE load (n INTEGER PRIMARY KEY, note TEXT)")
        db.executemany("INSERT INTO load (note) VALUES (?)", [("y" * 400,)] * 500)
        db.commit()
    (project / "output/archive/2026-12-01/daily").mkdir(parents=True)
    (project / "output/archive/2026-12-01/daily/alpha.pdf").write_bytes(b"%PDF-archived")
    (project / "output/editions/alpha/2026-12-01-abc").mkdir(parents=True)
    (project / "output/editions/alpha/2026-12-01-abc/alpha.pdf").write_bytes(b"%PDF-sent")


def test_kept_folders_are_the_ones_delivery_and_the_archive_write():
    assert KEPT_FOLDERS == (EDITIONS, ARCHIVE)


def test_a_backup_taken_while_rows_are_written_is_whole_and_consistent(project, writer, tmp_path):
    filled(project)
    writer("loop")
    dest = tmp_path / "backup"
    made = run_brief("state", "backup", str(dest), cwd=project, timeout=300)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"backed up to {dest}: 3 file(s), ")
    copy = dest / "state.sqlite"
    assert rows(copy) >= 800  # the 500 made before, and at least 300 of the writer's
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (dest / "state.sqlite-wal").exists()
    assert (dest / "output/archive/2026-12-01/daily/alpha.pdf").read_bytes() == b"%PDF-archived"
    assert (dest / "output/editions/alpha/2026-12-01-abc/alpha.pdf").read_bytes() == b"%PDF-sent"
    checked = run_brief("state", "check", str(dest), cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert "a complete backup of " in checked.stdout and "3 file(s) as backed up" in checked.stdout


def test_a_backup_neither_waits_for_nor_copies_an_open_write_transaction(project, writer, tmp_path):
    filled(project)
    writer("hold")
    made = run_brief("state", "backup", str(tmp_path / "b"), cwd=project, timeout=300)
    assert made.returncode == 0, made.stderr
    assert rows(tmp_path / "b/state.sqlite") == 500
    uncommitted = "SELECT count(*) FROM load WHERE note = 'uncommitted'"
    assert rows(tmp_path / "b/state.sqlite", uncommitted) == 0


def corrupt(path: Path) -> None:
    """Overwrite the middle pages of an SQLite file with garbage (the header stays)."""
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[3 * 4096 : 6 * 4096] = b"\xa5\x5a" * (3 * 4096 // 2)
    path.write_bytes(bytes(data))


def test_check_says_a_corrupted_store_is_damaged_and_exits_1(project, tmp_path):
    filled(project)
    healthy = run_brief("state", "check", cwd=project)
    assert healthy.returncode == 0, healthy.stderr
    assert healthy.stdout.strip() == (
        ".brief/state.sqlite: ok: integrity check passed, no broken references; load 500 row(s)"
    )
    made = run_brief("state", "backup", str(tmp_path / "b"), cwd=project)
    assert made.returncode == 0, made.stderr
    copy = tmp_path / "b/state.sqlite"
    corrupt(copy)
    for target in ([str(copy)], [str(tmp_path / "b")]):
        damaged = run_brief("state", "check", *target, cwd=project)
        assert damaged.returncode == 1, damaged.stdout
        assert "Traceback" not in damaged.stderr
        assert "damaged" in damaged.stderr, damaged.stderr
    corrupt(store(project))
    damaged = run_brief("state", "check", cwd=project)
    assert damaged.returncode == 1
    assert damaged.stderr.startswith("Error: the state store .brief/state.sqlite is damaged: ")
    assert "restore the last backup (brief state restore BACKUP)" in damaged.stderr
    assert "Traceback" not in damaged.stderr


def test_a_backup_without_its_manifest_or_with_a_changed_file_is_not_complete(project, tmp_path):
    filled(project)
    dest = tmp_path / "b"
    assert run_brief("state", "backup", str(dest), cwd=project).returncode == 0
    (dest / "output/archive/2026-12-01/daily/alpha.pdf").write_bytes(b"%PDF-edited")
    changed = run_brief("state", "check", str(dest), cwd=project)
    assert changed.returncode == 1
    assert "output/archive/2026-12-01/daily/alpha.pdf is not the file that was backed up" in (
        changed.stderr
    )
    (dest / BACKUP_MANIFEST).unlink()
    unfinished = run_brief("state", "check", str(dest), cwd=project)
    assert unfinished.returncode == 1
    assert f"is not a complete backup: it has no {BACKUP_MANIFEST}" in unfinished.stderr


def test_backup_refuses_a_destination_inside_brief_or_not_empty(project, tmp_path):
    filled(project)
    inside = run_brief("state", "backup", ".brief/backup", cwd=project)
    assert inside.returncode == 2
    assert "it is inside .brief/" in inside.stderr
    assert not (project / ".brief/backup").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full/keep.txt").write_text("mine")
    full = run_brief("state", "backup", str(tmp_path / "full"), cwd=project)
    assert full.returncode == 2
    assert "the folder is not empty" in full.stderr
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["keep.txt"]


def test_restore_puts_back_the_store_and_the_missing_files_never_overwriting(project, tmp_path):
    filled(project)
    dest = tmp_path / "b"
    assert run_brief("state", "backup", str(dest), cwd=project).returncode == 0
    refused = run_brief("state", "restore", str(dest), cwd=project)
    assert refused.returncode == 1
    assert "exists: stop the scheduler, move the current state aside" in refused.stderr
    (project / ".brief").rename(tmp_path / "brief-aside")
    (project / "output/archive/2026-12-01/daily/alpha.pdf").unlink()
    (project / "output/editions/alpha/2026-12-01-abc/alpha.pdf").write_bytes(b"%PDF-newer")
    done = run_brief("state", "restore", str(dest), cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("restored the state store and 1 file(s) from ")
    assert "kept output/editions/alpha/2026-12-01-abc/alpha.pdf" in done.stderr
    assert rows(store(project)) == 500
    assert (project / "output/archive/2026-12-01/daily/alpha.pdf").read_bytes() == b"%PDF-archived"
    assert (
        project / "output/editions/alpha/2026-12-01-abc/alpha.pdf"
    ).read_bytes() == b"%PDF-newer"
    assert run_brief("state", "check", cwd=project).returncode == 0
