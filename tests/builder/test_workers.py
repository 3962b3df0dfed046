"""The worker pool: results and failures come back as values; limits stop a job alone."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from generator.builder.workers import JobOutcome, Limits, Pool
from generator.errors import Diagnostic, RenderError


def double(value: int) -> int:
    return value * 2


def refuse(_: object) -> None:
    diagnostic = Diagnostic("x.css", 1, None, "", "refused", code="resource")
    raise RenderError("refused a resource", [diagnostic])


def blunder(_: object) -> None:
    raise ValueError("a bug")


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def die(_: object) -> None:
    os._exit(3)


def hog(size: int) -> int:
    return len(b"x" * size)


def fail_holding(size: int) -> None:
    """Fail as C code whose allocation failed sometimes does, holding ``size`` bytes."""
    held = b"x" * size
    raise SystemError(f"error return without exception set ({len(held)} bytes held)")


def pid(_: object) -> int:
    return os.getpid()


def chatter(text: str) -> str:
    print(text, file=sys.stderr)
    return text


def run_one(pool: Pool, fn, arg, ticket: object = "job") -> JobOutcome:
    """Submit ``fn(arg)`` to the first idle worker and wait for its outcome."""
    pool.submit(pool.idle()[0], ticket, fn, arg)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for outcome in pool.wait(0.1):
            return outcome
    raise AssertionError("no outcome")


@pytest.fixture
def pool():
    with Pool(2, Limits(seconds=30, memory=None)) as running:
        yield running


def test_values_failures_and_bugs_come_back_as_outcomes(pool: Pool):
    assert run_one(pool, double, 21) == JobOutcome("job", "ok", 42)
    failed = run_one(pool, refuse, None)
    assert (failed.kind, failed.message) == ("failed", "refused a resource")
    assert failed.value[0].message == "refused"
    bug = run_one(pool, blunder, None)
    assert bug.kind == "bug" and "ValueError: a bug" in bug.message


def test_jobs_run_in_parallel_and_workers_stay_alive(pool: Pool):
    first = {run_one(pool, pid, None).value for _ in range(3)}
    started = time.monotonic()
    for worker in pool.idle():
        pool.submit(worker, worker, sleep, 1.0)
    outcomes = []
    while len(outcomes) < 2:
        outcomes += pool.wait(0.1)
    assert time.monotonic() - started < 1.9
    assert first <= {w.process.pid for w in pool.workers}


def test_a_job_over_the_time_limit_is_stopped_and_its_worker_replaced():
    with Pool(1, Limits(seconds=0.5, memory=None)) as pool:
        before = run_one(pool, pid, None).value
        started = time.monotonic()
        outcome = run_one(pool, sleep, 30)
        assert outcome.kind == "timeout" and outcome.message == "over 0.5 s"
        assert time.monotonic() - started < 5
        assert run_one(pool, pid, None).value != before


def test_a_dead_worker_is_reported_and_replaced(pool: Pool):
    outcome = run_one(pool, die, None)
    assert outcome.kind == "crashed"
    assert outcome.message == "the worker process exited unexpectedly (status 3)"
    assert run_one(pool, double, 1).value == 2


def address_space(_: object) -> int:
    """The calling process's data (VmData, what RLIMIT_DATA counts), in bytes."""
    status = Path("/proc/self/status").read_text()
    size = next(line.split()[1] for line in status.splitlines() if line.startswith("VmData:"))
    return int(size) * 1024


def test_the_memory_limit_stops_a_job_and_its_worker_is_replaced():
    # The limit counts a worker's data (RLIMIT_DATA), and what a worker holds when it starts
    # depends on what the suite loaded before (a fixed 512 MiB once left a 10 MiB job no
    # room): half a GiB above a worker's own starting size leaves it room and still stops
    # the 1 GiB job.
    with Pool(1, Limits(seconds=30, memory=None)) as pool:
        limit = run_one(pool, address_space, None).value + 512 * 1024**2
    with Pool(1, Limits(seconds=30, memory=limit)) as pool:
        assert run_one(pool, hog, 10 * 1024**2).value == 10 * 1024**2
        assert run_one(pool, hog, 1024**3).kind == "memory"
        assert run_one(pool, hog, 10 * 1024**2).kind == "ok"


def test_an_error_raised_close_to_the_memory_limit_is_the_limit_s():
    # Pango and cairo, failing an allocation, may raise SystemError and not MemoryError: a
    # worker past three quarters of its limit reports any error as the limit's.
    with Pool(1, Limits(seconds=30, memory=None)) as pool:
        limit = run_one(pool, address_space, None).value + 512 * 1024**2
    with Pool(1, Limits(seconds=30, memory=limit)) as pool:
        near = run_one(pool, fail_holding, 450 * 1024**2)
        assert (near.kind, near.message) == (
            "memory",
            f"SystemError: error return without exception set ({450 * 1024**2} bytes held)",
        )
        far = run_one(pool, fail_holding, 1024)
        assert far.kind == "bug" and "SystemError" in far.message


def test_workers_ignore_ctrl_c(pool: Pool):
    worker_pid = run_one(pool, pid, None).value
    os.kill(worker_pid, signal.SIGINT)
    time.sleep(0.2)
    assert worker_pid in {w.process.pid for w in pool.workers}
    assert all(w.process.is_alive() for w in pool.workers)


def test_what_a_worker_prints_is_returned_not_shown(pool: Pool, capfd):
    outcome = run_one(pool, chatter, "WeasyPrint says hello")
    assert outcome.log == "WeasyPrint says hello\n"
    assert "hello" not in capfd.readouterr().err


def open_paths(_: object) -> list[str]:
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{name}"))
        except OSError:
            continue
    return found


def test_workers_let_go_of_the_paths_they_must_release(tmp_path):
    lock, other = tmp_path / "held.lock", tmp_path / "other.txt"
    with open(lock, "w"), open(other, "w"):
        release = (str(lock.resolve()),)
        with Pool(1, Limits(seconds=30, memory=None), release=release) as pool:
            seen = run_one(pool, open_paths, None).value
    assert str(lock.resolve()) not in seen
    assert str(other.resolve()) in seen
