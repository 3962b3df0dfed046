"""The only way files are written under the output folder: atomically, and inside it.

Every output is first written to a temporary file in the same folder and then moved over
the old one with ``os.replace``, so a reader (or an interrupted build) only ever sees the
previous complete file or the new complete file, never a truncated one.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from generator.errors import OutputError

#: Prefix of temporary files; a build sweeps leftovers of a crashed build by this prefix.
TEMP_PREFIX = ".tmp-"


def output_path(output_dir: Path, name: str) -> Path:
    """``output_dir / name``, refusing any name that would land outside ``output_dir``."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise OutputError(f"refusing to write '{name}': not a plain file name")
    return output_dir / name


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never seen half-written."""
    tmp = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {path}: {describe_os_error(exc)}") from None
    except BaseException:
        # Ctrl-C or SIGTERM (raised by the CLI's handler) in the middle of a write, most
        # often during fsync: the temporary file must not outlive the stopped build.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def check_writable(folder: Path) -> None:
    """Raise :class:`OutputError` naming ``folder`` unless a file can be created in it."""
    probe = folder / f"{TEMP_PREFIX}{os.getpid()}-probe"
    try:
        with open(probe, "wb"):
            pass
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {describe_os_error(exc)}") from None


def sweep_temporaries(output_dir: Path) -> list[Path]:
    """Remove temporary files left by an interrupted build; return what was removed."""
    removed = []
    if output_dir.is_dir():
        for leftover in output_dir.glob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


def prepare_output_dir(output_dir: Path) -> None:
    """Create the output folder and sweep temporaries left by an interrupted build."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {output_dir}: {exc.strerror}") from None
    sweep_temporaries(output_dir)


def describe_os_error(exc: OSError) -> str:
    """A short reason for an OS error, worded for people: ``no space left on the device``."""
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "a folder is in the way",
        errno.EFBIG: "file too large",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))
