"""A small client of Chromium's DevTools protocol over ``--remote-debugging-pipe``.

Chromium reads commands on file descriptor 3 and writes replies and events on 4, each
message JSON ending in a NUL byte. Only the standard library is needed: no WebSocket,
no driver that brings its own browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--remote-debugging-pipe",
)
TIMEOUT = 30.0


def find_chromium() -> str | None:
    """The path of the distribution's Chromium, or None when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return None


class CdpError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


@dataclass
class Page:
    """One tab, attached in flat mode; ``events`` holds every event it sent."""

    browser: Browser
    target_id: str
    session_id: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send ``method`` to this tab and return its result."""
        return self.browser.call(method, session_id=self.session_id, **params)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Read messages until this tab sends the event ``method``; return its params."""
        return self.browser.wait_for(method, self.session_id)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        reply = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in reply:
            raise CdpError(f"{expression[:60]}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def close(self) -> None:
        """Close the tab."""
        self.browser.call("Target.closeTarget", targetId=self.target_id)


class Browser:
    """A headless Chromium with a fresh profile, driven over a pipe."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="brief-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def place_pipes() -> None:
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=place_pipes,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self._pages: dict[str, Page] = {}

    def call(self, method: str, session_id: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and return its result, keeping the events read meanwhile."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session_id:
            message["sessionId"] = session_id
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CdpError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def wait_for(self, method: str, session_id: str) -> dict[str, Any]:
        """Read until the tab ``session_id`` sends the event ``method``."""
        page = next(p for p in self._pages.values() if p.session_id == session_id)
        seen = len(page.events)
        while True:
            for event in page.events[seen:]:
                if event["method"] == method:
                    return event.get("params", {})
            seen = len(page.events)
            self._read()

    def new_page(self) -> Page:
        """Open a blank tab and attach to it."""
        target_id = self.call("Target.createTarget", url="about:blank")["targetId"]
        session_id = self.call("Target.attachToTarget", targetId=target_id, flatten=True)[
            "sessionId"
        ]
        page = Page(self, target_id, session_id)
        self._pages[session_id] = page
        return page

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        with contextlib.suppress(CdpError, OSError):
            self.call("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    def _read(self) -> dict[str, Any]:
        """The next message; events are filed with the tab that sent them."""
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise CdpError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise CdpError("the browser closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message and message.get("sessionId") in self._pages:
            self._pages[message["sessionId"]].events.append(message)
        return message


def file_url(path: Path) -> str:
    """The ``file:`` URL of ``path``."""
    return path.resolve().as_uri()
