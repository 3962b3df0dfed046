"""A damaged state store is a clear message with the file and what to do, never a
traceback: a file that is not a database, and one with a damaged page found by a query."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from generator.delivery import ledger
from generator.store import store_path

ADVICE = "restore it from a backup, or move it aside to start a new one"


def _store_with_a_damaged_page(project: Path) -> None:
    path = store_path(project / ".brief")
    with ledger.connect(path):
        pass
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096  # the second page: the ledger's table
    data[page : page + 1500] = b"\x55" * 1500
    path.write_bytes(bytes(data))


def test_a_damaged_page_is_named_with_what_to_do(project, run_brief):
    _store_with_a_damaged_page(project)
    result = run_brief("outbox")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: the state store .brief/state.sqlite failed: database disk image is malformed; "
        + ADVICE
    )
    assert "`brief state check` says what is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_is_named_with_what_to_do(project, run_brief):
    (project / ".brief").mkdir()
    (project / ".brief" / "state.sqlite").write_bytes(b"not a database at all " * 400)
    result = run_brief("outbox")
    assert result.returncode == 1
    assert "state store" in result.stderr and "file is not a database" in result.stderr
    assert ADVICE in result.stderr and "Traceback" not in result.stderr
