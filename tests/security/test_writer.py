"""Outputs land only inside the output folder, whatever a name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.writer import output_path, write_atomic


@pytest.mark.parametrize(
    "name", ["", ".", "..", "../x.html", "a/b.html", "/etc/cron.d/x", "..\\x.html", "x\0.html"]
)
def test_a_name_that_would_leave_the_output_folder_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="not a plain file name"):
        output_path(tmp_path, name)


def test_a_failed_write_names_the_path_and_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    target.write_bytes(b"old")
    (tmp_path / "blocker").mkdir()
    with pytest.raises(OutputError, match=r"cannot write .*blocker: a folder is in the way"):
        write_atomic(tmp_path / "blocker", b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "x.html"]
