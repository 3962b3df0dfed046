"""`brief serve` and `brief build --watch` as real processes, watched through HTTP and files.

Every wait is bounded; the processes are stopped with SIGINT, as Ctrl-C would.
"""

from __future__ import annotations

import http.client
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.cli import start_brief

WAIT = 30.0


class Running:
    """A ``brief`` process with its output lines collected in the background."""

    def __init__(self, project: Path, *args: str) -> None:
        self.process = start_brief(*args, cwd=project, stderr=subprocess.STDOUT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, pattern: str) -> re.Match[str]:
        """The first output line matching ``pattern``, waiting at most WAIT seconds."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        """Interrupt the process as Ctrl-C does; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            # Generous: stopping takes about a second, many more on a loaded 2-core machine.
            return self.process.wait(timeout=WAIT * 2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


@pytest.fixture
def start(project: Path) -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def run(*args: str) -> Running:
        started.append(Running(project, *args))
        return started[-1]

    yield run
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def get(base: str, path: str, **headers: str) -> tuple[int, str]:
    host, port = re.match(r"http://([^:/]+):(\d+)/", base).groups()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Tags(HTMLParser):
    """The tag names of an HTML document."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.names: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.append(tag)


def test_serve_answers_rebuilds_and_shows_errors(project, write_brief, start) -> None:
    write_brief("alpha", title="Alpha plant")
    server = start("serve", "alpha", "--port", "0", "--formats", "html")
    base = server.wait_line(r"serving (http://127\.0\.0\.1:\d+/)").group(1)
    server.wait_line("watching briefs/")

    status, page = get(base, "/alpha.html")
    assert status == 200 and "Alpha plant" in page
    assert "/__brief__/version" in page, "served pages carry the reload script"
    built = (project / "output" / "alpha.html").read_text(encoding="utf-8")
    assert "<script" not in built, "the built file stays script-free"
    assert get(base, "/")[0] == 302
    assert get(base, "/../briefs/alpha.yaml")[0] == 404
    assert get(base, "/alpha.html", Host="attacker.example")[0] == 421
    version = get(base, "/__brief__/version")[1]

    write_brief("alpha", title="Beta plant")
    until(lambda: "Beta plant" in get(base, "/alpha.html")[1], "the edited title")
    # The version moves once the whole rebuild is done, a moment after the page is written.
    until(lambda: get(base, "/__brief__/version")[1] != version, "the version to move")

    write_brief("alpha", status="<b>final</b>")
    until(lambda: get(base, "/alpha.html")[0] == 500, "the error page")
    status, page = get(base, "/alpha.html")
    assert "status: &#x27;&lt;b&gt;final&lt;/b&gt;&#x27; is not one of draft, review, final" in page
    assert "b" not in Tags(page).names, "the input is escaped, never markup"
    assert "Beta plant" not in page, "no stale briefing"
    assert get(base, "/alpha.pdf")[0] == 500
    assert server.stop() == 0


def test_build_watch_rebuilds_without_a_server(project, write_brief, start) -> None:
    write_brief("alpha", title="Alpha plant")
    watcher = start("build", "--watch", "--formats", "html")
    watcher.wait_line("watching briefs/")
    output = project / "output" / "alpha.html"
    assert "Alpha plant" in output.read_text(encoding="utf-8")
    write_brief("gamma", title="Gamma plant")
    watcher.wait_line(r"built\s+briefs/gamma\.yaml")
    watcher.wait_line(r"^1 built, 0 up to date, 0 failed")
    assert "Gamma plant" in (project / "output" / "index.html").read_text(encoding="utf-8")
    write_brief("alpha", title="Beta plant")
    until(lambda: "Beta plant" in output.read_text(encoding="utf-8"), "the rebuilt briefing")
    assert "<script" not in output.read_text(encoding="utf-8")
    assert watcher.stop() == 0
