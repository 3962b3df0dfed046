"""Run the real ``brief`` command as if its disk were slow: a test harness, not a mock.

Files opened for binary writing in the project's ``output/`` folder are written a small
chunk at a time with a pause after each, so that a SIGKILL sent at a random moment often
lands in the middle of writing an output. Nothing else about the command changes (fonts
WeasyPrint copies to a temporary folder are written at full speed). Used as::

    python -c "from tests.security.slow_disk import main; main()" build ...
"""

from __future__ import annotations

import builtins
import io
import os
import sys
import time
from typing import Any

#: Bytes written between two pauses, and the pause.
CHUNK = 1024
PAUSE = 0.005


class SlowFile:
    """A binary file whose ``write`` trickles the data out; everything else is the file's."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            self._raw.write(view[start : start + CHUNK])
            self._raw.flush()
            time.sleep(PAUSE)
        return len(view)

    def __enter__(self) -> SlowFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def install(folder: str = "output") -> None:
    """Make ``open``/``io.open`` for binary writing under ``folder`` return a :class:`SlowFile`."""
    real_open = io.open
    slow = os.path.abspath(folder)

    def slow_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        writing = "b" in mode and ("w" in mode or "x" in mode)
        inside = (
            isinstance(file, (str, os.PathLike)) and os.path.dirname(os.path.abspath(file)) == slow
        )
        return SlowFile(handle) if writing and inside else handle

    builtins.open = slow_open  # type: ignore[assignment]
    io.open = slow_open  # type: ignore[assignment]


def main() -> None:
    """``brief`` with a slow disk; arguments as for ``brief``."""
    install()
    from generator.cli.app import main as brief

    brief(sys.argv[1:])
