"""Archive naming: dated folders, never overwriting an earlier edition."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import OutputError
from generator.schedule.archive import archive_pdfs

DAY = dt.date(2026, 3, 30)


def test_archive_copies_into_a_dated_folder_and_never_overwrites(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"edition one")
    (tmp_path / "b.pdf").write_bytes(b"bee")
    first = archive_pdfs(tmp_path, ["a", "b"], DAY)
    assert first == [tmp_path / "archive/2026-03-30/a.pdf", tmp_path / "archive/2026-03-30/b.pdf"]
    (tmp_path / "a.pdf").write_bytes(b"edition two")
    second = archive_pdfs(tmp_path, ["a"], DAY)
    third = archive_pdfs(tmp_path, ["a"], DAY)
    assert second == [tmp_path / "archive/2026-03-30/a-2.pdf"]
    assert third == [tmp_path / "archive/2026-03-30/a-3.pdf"]
    assert (tmp_path / "archive/2026-03-30/a.pdf").read_bytes() == b"edition one"
    assert (tmp_path / "archive/2026-03-30/a-2.pdf").read_bytes() == b"edition two"
    assert sorted(p.name for p in (tmp_path / "archive/2026-03-30").iterdir()) == [
        "a-2.pdf",
        "a-3.pdf",
        "a.pdf",
        "b.pdf",
    ]
    next_day = archive_pdfs(tmp_path, ["a"], DAY + dt.timedelta(days=1))
    assert next_day == [tmp_path / "archive/2026-03-31/a.pdf"]


def test_missing_pdf_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match=r"cannot archive nope\.pdf"):
        archive_pdfs(tmp_path, ["nope"], DAY)
