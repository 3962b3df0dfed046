"""Child processes that never outlive their parent, and a stop that always ends them.

The build's render workers and a scheduled run's time-limited child both use these. A
child watches its parent and ends itself (and its process group, when it leads one) once
the parent is gone: a parent killed with SIGKILL cannot stop its children, so each child
must notice on its own. A parent stops a child with signals of increasing force, waiting
a grace period after each.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Sequence
from typing import Any

#: How often a child checks that its parent is still there.
WATCH_SECONDS = 0.5


def watch_parent(parent_pid: int, *, group: bool = False) -> None:
    """End this process within ``WATCH_SECONDS`` of ``parent_pid`` ceasing to be its parent.

    With ``group``, the whole process group this process leads is killed with it.
    """
    threading.Thread(target=_watch, args=(parent_pid, group), daemon=True).start()


def _watch(parent_pid: int, group: bool) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    if group:
        with contextlib.suppress(OSError):
            os.killpg(0, signal.SIGKILL)
    os._exit(1)


def stop(
    process: Any,
    *,
    grace: float,
    signals: Sequence[signal.Signals] = (signal.SIGKILL,),
    group: bool = False,
) -> None:
    """Send ``process`` each of ``signals`` in turn until it has exited, ``grace`` s apart.

    ``process`` is a :mod:`multiprocessing` process; with ``group`` its process group
    (which it leads) gets each signal too, so whatever it started stops with it.
    """
    for sig in signals:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if process.pid is None or not process.is_alive():
                return
            if group:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, sig)
            process.join(grace)
