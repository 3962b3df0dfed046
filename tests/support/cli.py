"""The real ``brief`` command in a subprocess: the one place the tests start it.

``run_brief`` runs it to the end and captures its output as text; ``start_brief`` starts
it and returns the process, for commands that run on (serve, watch) or that a test
interrupts or kills. Both run ``python -m generator ARGS`` with this checkout on
``PYTHONPATH``, in the environment of the test run (``base_env``) with ``env`` on top.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
#: What follows the interpreter on the command line: the ``brief`` command itself.
BRIEF = ("-m", "generator")


def brief_env(
    env: Mapping[str, str] | None = None, base_env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``base_env`` (the test run's environment) with this checkout importable, then ``env``."""
    base = os.environ if base_env is None else base_env
    return {**base, "PYTHONPATH": str(REPO), **(env or {})}


def brief_command(*args: str, entry: Sequence[str] = BRIEF) -> list[str]:
    """The command line of ``brief ARGS``; ``entry`` replaces ``-m generator`` (``-c CODE``)."""
    return [sys.executable, *entry, *args]


def run_brief(
    *args: str,
    cwd: Path | str | None,
    env: Mapping[str, str] | None = None,
    base_env: Mapping[str, str] | None = None,
    timeout: float | None = 120,
    input: str | None = None,
    entry: Sequence[str] = BRIEF,
    **popen_kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """Run ``brief ARGS`` in ``cwd`` (None: the current folder) to the end; text output."""
    return subprocess.run(
        brief_command(*args, entry=entry),
        cwd=cwd,
        env=brief_env(env, base_env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen_kwargs,
    )


def start_brief(
    *args: str,
    cwd: Path | str | None,
    env: Mapping[str, str] | None = None,
    base_env: Mapping[str, str] | None = None,
    stdout: Any = subprocess.PIPE,
    stderr: Any = subprocess.PIPE,
    entry: Sequence[str] = BRIEF,
    **popen_kwargs: Any,
) -> subprocess.Popen[str]:
    """Start ``brief ARGS`` in ``cwd``; stdout and stderr piped as text unless told otherwise."""
    return subprocess.Popen(
        brief_command(*args, entry=entry),
        cwd=cwd,
        env=brief_env(env, base_env),
        stdout=stdout,
        stderr=stderr,
        text=True,
        **popen_kwargs,
    )
