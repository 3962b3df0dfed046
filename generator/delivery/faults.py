"""Test-only fault injection for ``brief send``: die at a chosen point of the sending loop.

The tests kill a real ``brief send`` where it hurts (between the server's acceptance and
the ledger write, say) to check that a re-run delivers every message exactly once.
"""

from __future__ import annotations

import os
import signal


class FaultHook:
    """Test-only: ``BRIEF_FAULT=<point>:<n>`` kills the process at the n-th ``point``.

    Points: ``before-send`` (try counted, nothing sent), ``after-accept`` (server accepted,
    ledger not yet written), ``after-record`` (between two recipients). Unset, it does
    nothing.
    """

    def __init__(self, spec: str | None) -> None:
        point, _, count = (spec or "").partition(":")
        self.point = point
        self.remaining = int(count) if count.isdigit() else 1

    def hit(self, point: str) -> None:
        """Kill the process with SIGKILL if this is the chosen point and occurrence."""
        if point == self.point:
            self.remaining -= 1
            if self.remaining == 0:
                os.kill(os.getpid(), signal.SIGKILL)
