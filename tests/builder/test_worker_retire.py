"""A worker near its memory limit, or past its share of jobs, retires between jobs: a
fresh one takes its place and no job fails for memory earlier jobs left behind."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from generator.builder.inworker import RETIRE_FRACTION, data_size
from generator.builder.workers import Limits, Pool
from tests.builder.test_workers import pid, run_one

MiB = 1024**2
#: What each leaking job keeps for the life of its worker.
LEAK = 32 * MiB
#: Memory a forked worker may grow by, above this process's data size, before it retires.
ROOM = 256 * MiB
#: Jobs enough to leak four times ``ROOM``: several workers retire, whatever a worker
#: inherits at its start (the parent's thread arenas, up to about a quarter of ``ROOM``).
COUNT = ROOM // LEAK * 4
#: What a worker leaks in a module-level list, as a cache that is never emptied would.
_kept: list[bytes] = []


def leak(_: object) -> int:
    """Keep ``LEAK`` bytes, touched, for the rest of the worker's life; return its pid."""
    _kept.append(b"x" * LEAK)
    return os.getpid()


def _limit() -> int:
    """A memory limit whose retiring point is ``ROOM`` above what a worker forked from here
    starts with. The point is a share of the whole limit, so a limit of a fixed size above
    this process would leave less room the bigger this process has grown by then (the
    suite's tests before this one decide that), and the count of workers would vary."""
    size = data_size()
    assert size is not None, "/proc/self/statm is not readable"
    return int((size + ROOM) / RETIRE_FRACTION)


def test_a_worker_growing_towards_its_limit_is_retired_and_every_job_succeeds():
    limit = _limit()
    # Without retiring, the jobs together would leak well past the limit.
    count = COUNT
    with Pool(1, Limits(seconds=60, memory=limit, max_jobs=0)) as pool:
        outcomes = [run_one(pool, leak, None, ticket=n) for n in range(count)]
        assert [o.kind for o in outcomes] == ["ok"] * count
        assert [o.ticket for o in outcomes] == list(range(count))
        pids = [o.value for o in outcomes]
        # Each worker ran several jobs before it retired: not one per job.
        assert 3 <= len(set(pids)) <= count // 3
        assert pids == sorted(pids, key=pids.index)  # a retired worker never comes back


def test_the_same_jobs_fail_for_memory_in_a_worker_that_never_retires():
    limit = _limit()
    never = Limits(seconds=60, memory=limit, retire_fraction=2.0, max_jobs=0)
    with Pool(1, never) as pool:
        kinds = [run_one(pool, leak, None).kind for _ in range(COUNT)]
    assert "memory" in kinds


def test_a_worker_retires_after_its_share_of_jobs():
    with Pool(1, Limits(seconds=60, memory=None, max_jobs=3)) as pool:
        pids = [run_one(pool, pid, None).value for _ in range(7)]
    assert pids[0] == pids[1] == pids[2] != pids[3]
    assert pids[3] == pids[4] == pids[5] != pids[6]


# A build whose briefings each leave memory behind in the worker that prepared them. The
# leak is injected in the real worker process (forked after the patch).
_REAL_PREPARE = None


def _prepare_leaking(job):
    _kept.append(b"x" * LEAK)
    with open(os.environ["PREPARED_BY"], "a", encoding="utf-8") as seen:
        seen.write(f"{os.getpid()}\n")
    return _REAL_PREPARE(job)


def test_a_build_of_many_briefings_in_one_leaking_worker_builds_them_all(
    project, write_brief, monkeypatch
):
    global _REAL_PREPARE
    from generator.builder import build, jobs
    from generator.settings import default_settings

    _REAL_PREPARE = jobs.prepare_briefing
    seen = project / "prepared-by"
    monkeypatch.setenv("PREPARED_BY", str(seen))
    monkeypatch.setattr(jobs, "prepare_briefing", _prepare_leaking)
    count = COUNT
    for n in range(count):
        write_brief(f"brief-{n:02d}")
    settings = default_settings(project).with_limits(None, _limit())
    report = build(settings, today=dt.date(2026, 1, 20), formats=("html",), jobs=1)
    assert report.failed == []
    assert len(list((project / "output").glob("brief-*.html"))) == count
    workers = Path(seen).read_text(encoding="utf-8").split()
    assert len(workers) == count and len(set(workers)) >= 3
