"""Archive naming: dated folders, one per schedule, never overwriting an earlier edition."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import OutputError
from generator.schedule.archive import archive_pdfs, not_yet_archived

DAY = dt.date(2026, 3, 30)


def test_archive_copies_into_a_dated_folder_and_never_overwrites(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"edition one")
    (tmp_path / "b.pdf").write_bytes(b"bee")
    folder = tmp_path / "archive/2026-03-30/weekly"
    first = archive_pdfs(tmp_path, ["a", "b"], DAY, "weekly")
    assert first == [folder / "a.pdf", folder / "b.pdf"]
    (tmp_path / "a.pdf").write_bytes(b"edition two")
    second = archive_pdfs(tmp_path, ["a"], DAY, "weekly")
    third = archive_pdfs(tmp_path, ["a"], DAY, "weekly")
    assert second == [folder / "a-2.pdf"]
    assert third == [folder / "a-3.pdf"]
    assert (folder / "a.pdf").read_bytes() == b"edition one"
    assert (folder / "a-2.pdf").read_bytes() == b"edition two"
    assert sorted(p.name for p in folder.iterdir()) == ["a-2.pdf", "a-3.pdf", "a.pdf", "b.pdf"]
    next_day = archive_pdfs(tmp_path, ["a"], DAY + dt.timedelta(days=1), "weekly")
    assert next_day == [tmp_path / "archive/2026-03-31/weekly/a.pdf"]


def test_two_schedules_on_one_day_each_keep_their_own_copy(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"morning edition")
    (morning,) = archive_pdfs(tmp_path, ["a"], DAY, "morning")
    (tmp_path / "a.pdf").write_bytes(b"evening edition")
    (evening,) = archive_pdfs(tmp_path, ["a"], DAY, "evening")
    day = tmp_path / "archive/2026-03-30"
    assert (morning, evening) == (day / "morning/a.pdf", day / "evening/a.pdf")
    assert morning.read_bytes() == b"morning edition"
    assert evening.read_bytes() == b"evening edition"
    assert sorted(p.name for p in day.iterdir()) == ["evening", "morning"]


def test_resume_counts_only_the_schedules_own_copies(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"edition")
    (tmp_path / "b.pdf").write_bytes(b"bee")
    archive_pdfs(tmp_path, ["a"], DAY, "morning")
    # The same bytes archived by another schedule do not make this one's copy.
    assert not_yet_archived(tmp_path, ["a", "b"], DAY, "evening") == ["a", "b"]
    assert not_yet_archived(tmp_path, ["a", "b"], DAY, "morning") == ["b"]
    (tmp_path / "a.pdf").write_bytes(b"a new edition")
    assert not_yet_archived(tmp_path, ["a", "b"], DAY, "morning") == ["a", "b"]


def test_missing_pdf_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match=r"cannot archive nope\.pdf"):
        archive_pdfs(tmp_path, ["nope"], DAY, "weekly")
