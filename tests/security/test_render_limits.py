"""Rendering limits: a briefing that renders too long or too big fails alone.

WeasyPrint has no time or memory limit of its own. The parallel build (issue 4) renders
each briefing in a worker process with a wall-clock limit and an address-space limit;
these tests pin what a user sees once it does: the briefing over a limit fails with a
message naming it and the limit, without a traceback, no PDF of it is written, and the
other briefings still build.

They run against ``brief build --time-limit SECONDS --memory-limit SIZE``, seen from the
outside as a user would; tests/builder/test_limits.py pins the same limits from the
build's side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.projects import build_help, cli, make_project, write_sheet
from tests.support.render_samples import minimal_data

TIMEOUT = "--time-limit"
MEMORY = "--memory-limit"


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        TIMEOUT not in build_help() or MEMORY not in build_help(),
        reason="per-briefing render limits (worker processes with a wall-clock and an"
        " address-space limit, issue 4 and issue 6) are not in `brief build` yet",
    ),
]


def project_with_a_heavy_briefing(root: Path, facts: int) -> Path:
    """Two ordinary briefings and one whose key-facts table takes long and much memory."""
    make_project(root)
    write_sheet(root, "alpha", minimal_data())
    write_sheet(root, "omega", minimal_data())
    heavy = minimal_data()
    heavy["key_facts"] = [
        {"label": f"Fact {n}", "value": n, "note": "A note of a few words.", "sources": ["s1"]}
        for n in range(facts)
    ]
    write_sheet(root, "heavy", heavy)
    return root


def check_only_heavy_failed(root: Path, code: int, err: str, words: tuple[str, ...]) -> None:
    assert code == 1
    failed = [line for line in err.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "briefs/heavy.yaml" in failed[0], err
    assert any(word in failed[0] for word in words), failed[0]
    assert "Traceback" not in err and "MemoryError" not in err
    assert not (root / "output" / "heavy.pdf").exists()
    for brief_id in ("alpha", "omega"):
        assert (root / "output" / f"{brief_id}.pdf").is_file()


# Margins that hold on a loaded 2-core machine: the heavy briefing's PDF takes about 8 s and
# 400 to 600 MiB on a quiet one, an ordinary briefing's about 1 s and 100 to 130 MiB.
HEAVY_FACTS = 2500
# The time limit's own pair: an ordinary briefing under a 4 s limit failed at a load average
# of 8 to 10 (five times slower), so the limit is ten times an ordinary briefing's time and
# the heavy briefing, at 6000 facts, takes about twice the limit on a quiet machine; load
# slows both alike, so it only widens the heavy one's margin.
TIME_LIMIT_FACTS = 6000
TIME_LIMIT = "10"


def test_a_briefing_over_the_time_limit_fails_alone(tmp_path: Path) -> None:
    root = project_with_a_heavy_briefing(tmp_path / "project", facts=TIME_LIMIT_FACTS)
    process = cli("build", TIMEOUT, TIME_LIMIT, cwd=root)
    _, err = process.communicate(timeout=240)
    check_only_heavy_failed(root, process.returncode, err, ("time", f"{TIME_LIMIT} s", "seconds"))


def test_a_briefing_over_the_memory_limit_fails_alone(tmp_path: Path) -> None:
    root = project_with_a_heavy_briefing(tmp_path / "project", facts=HEAVY_FACTS)
    process = cli("build", MEMORY, "250M", TIMEOUT, "120", cwd=root)
    _, err = process.communicate(timeout=300)
    check_only_heavy_failed(root, process.returncode, err, ("memory", "250 MiB"))
