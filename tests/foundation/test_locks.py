"""File locks with real processes: one holder at a time, waiting, and a killed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.locks import LockBusy, hold, holder, output_lock, schedule_lock
from generator.settings import default_settings

REPO = Path(__file__).resolve().parents[2]

HOLDER = """
import sys, time
from pathlib import Path
from generator.locks import hold
with hold(Path(sys.argv[1]), purpose="test holder", what="the test lock"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


def start_holder(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the lock at ``path`` for ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_second_process_is_refused_with_the_holder_named(tmp_path):
    path = tmp_path / "locks" / "x.lock"
    other = start_holder(path, 30)
    try:
        with pytest.raises(LockBusy) as caught, hold(path, purpose="me", what="the test lock"):
            pytest.fail("the lock should be busy")
        assert str(caught.value).startswith(f"the test lock is in use by pid {other.pid} on ")
        assert "(test holder) since 20" in str(caught.value)
        started = time.monotonic()
        with (
            pytest.raises(LockBusy, match=r"after waiting 0\.5 s"),
            hold(path, purpose="me", what="the test lock", wait=0.5),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        other.kill()
        other.wait()


def test_second_process_waits_for_the_first_to_finish(tmp_path):
    path = tmp_path / "x.lock"
    other = start_holder(path, 0.6)
    try:
        started = time.monotonic()
        with hold(path, purpose="me", what="the test lock", wait=20):
            assert other.stdout is not None
            assert other.stdout.readline().strip() == "released"
            assert time.monotonic() - started >= 0.3
            assert f"pid {os.getpid()} " in holder(path)
    finally:
        other.wait()


def test_lock_of_a_killed_holder_is_taken_over(tmp_path):
    path = tmp_path / "x.lock"
    other = start_holder(path, 300)
    other.send_signal(signal.SIGKILL)
    other.wait()
    assert f"pid {other.pid} " in holder(path)
    with hold(path, purpose="me", what="the test lock"):
        assert f"pid {os.getpid()} " in holder(path)
    assert holder(path) == ""


def test_lock_is_released_after_an_exception(tmp_path):
    path = tmp_path / "x.lock"
    with pytest.raises(RuntimeError), hold(path, purpose="me", what="x"):
        raise RuntimeError("boom")
    with hold(path, purpose="me again", what="x"):
        pass


def test_lock_paths(tmp_path):
    settings = default_settings(tmp_path)
    assert schedule_lock(settings, "weekly-ev") == tmp_path / ".brief/locks/schedule-weekly-ev.lock"
    assert output_lock(settings) == tmp_path / "output/.build.lock"
    elsewhere = settings.with_output(tmp_path / "elsewhere")
    assert output_lock(elsewhere) == tmp_path / "elsewhere/.build.lock"


COUNTER = """
import sys
from pathlib import Path
from generator.locks import hold
lock, counter = Path(sys.argv[1]), Path(sys.argv[2])
for _ in range(50):
    with hold(lock, purpose="counter", what="the counter", wait=60):
        counter.write_text(str(int(counter.read_text()) + 1))
"""


def test_lock_file_is_removed_on_release_and_excludes_under_contention(tmp_path):
    lock, counter = tmp_path / "c.lock", tmp_path / "counter"
    counter.write_text("0")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, str(lock), str(counter)],
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        for _ in range(4)
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]
    assert counter.read_text() == "200"
    assert not lock.exists()


def test_a_descriptor_of_a_removed_lock_file_is_not_taken_for_the_lock(tmp_path):
    from generator.locks import _is_current

    path = tmp_path / "x.lock"
    with hold(path, purpose="first", what="x"):
        stale = os.open(path, os.O_RDWR)  # a waiter that opened the file just now
    try:
        assert not path.exists()
        assert not _is_current(stale, path)
        with hold(path, purpose="second", what="x"):
            assert not _is_current(stale, path)
    finally:
        os.close(stale)
