"""Time-limited child processes: values, errors, crashes, time-outs and stop requests."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from generator.errors import OutputError
from generator.schedule.child import run_limited

REPO = Path(__file__).resolve().parents[2]


def add(a: int, b: int) -> int:
    return a + b


def sleep_with_grandchild(pid_file: str) -> None:
    child = subprocess.Popen(["sleep", "120"])
    Path(pid_file).write_text(str(child.pid))
    time.sleep(120)


def fail_politely() -> None:
    raise OutputError("cannot write output/x.pdf: no space left on the device")


def fail_badly() -> None:
    raise KeyError("oops")


def crash() -> None:
    os._exit(3)


def log_twice() -> None:
    logging.getLogger("generator.delivery.dispatch").info("trying the server again")
    logging.getLogger("weasyprint").info("a library's progress, not wanted")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def test_value_comes_back():
    finished = run_limited(add, (2, 3), 60)
    assert finished.value == 5
    assert not finished.error and not finished.timed_out


def test_time_limit_stops_the_child_and_what_it_started(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    started = time.monotonic()
    finished = run_limited(sleep_with_grandchild, (str(pid_file),), 2.0)
    assert finished.timed_out and finished.value is None
    assert time.monotonic() - started < 15
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)


def test_errors_come_back_as_text():
    assert run_limited(fail_politely, (), 60).error == (
        "cannot write output/x.pdf: no space left on the device"
    )
    error = run_limited(fail_badly, (), 60).error
    assert error.startswith("internal error KeyError: 'oops' at test_child.py:")


def test_crash_is_reported_with_the_exit_code():
    assert run_limited(crash, (), 60).error == "the run ended unexpectedly (exit code 3)"


def test_stop_request_interrupts_the_run(tmp_path):
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    started = time.monotonic()
    finished = run_limited(sleep_with_grandchild, (str(tmp_path / "pid"),), 60, stop=stop)
    assert finished.interrupted and not finished.timed_out
    assert time.monotonic() - started < 15


PARENT = """
import sys
sys.path.insert(0, sys.argv[2])
from test_child import sleep_with_grandchild
from generator.schedule.child import run_limited
run_limited(sleep_with_grandchild, (sys.argv[1],), 600)
"""


def test_run_does_not_outlive_a_killed_parent(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(pid_file), str(Path(__file__).parent)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(grandchild)


def test_the_child_logs_as_the_parent_was_told_to(capfd):
    """A scheduled run's records reach stderr in the service's format and levels: ours at
    INFO, libraries' only from WARNING."""
    from generator.cli.logs import configure

    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("generator").level
    root.handlers[:] = []
    try:
        configure("json", sys.stderr)
        assert run_limited(log_twice, (), 60).error == ""
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("generator").setLevel(saved[2])
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines()]
    assert [(line["level"], line["message"]) for line in lines] == [
        ("INFO", "trying the server again")
    ]
