"""Faults around a build, each with the real command in a subprocess.

A build killed at random moments, a full disk, a read-only output folder, broken
templates and stylesheets, and two builds of one output folder at once: outputs are the
previous or the new complete version, errors name the path or the template and line,
and the next build completes the set.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.locks import OUTPUT_LOCK
from generator.writer import TEMP_PREFIX
from tests.security.projects import build_help, cli, make_project, write_sheet
from tests.support.cli import start_brief
from tests.support.render_samples import minimal_data

IDS = ("alpha",)
SLOW_DISK = "from tests.security.slow_disk import main; main()"


def write_edition(root: Path, edition: int, ids: tuple[str, ...] = IDS) -> None:
    """Fact sheets whose titles say which edition they are."""
    for brief_id in ids:
        write_sheet(root, brief_id, minimal_data() | {"title": f"Edition {edition} of {brief_id}"})


#: The tracker's files, beside the briefings in every output folder a build wrote.
TRACKER = {"index.html", "portfolio.pdf"}


def slow_build(root: Path) -> subprocess.Popen[str]:
    """``brief build`` on a slow disk, so a kill often lands in the middle of a write."""
    return start_brief("build", cwd=root, entry=("-c", SLOW_DISK))


def edition_of(path: Path) -> int:
    """The edition a complete output holds; fails on a truncated or unreadable file. The
    tracker (index.html, portfolio.pdf) holds no edition: -1, once it is complete."""
    if path.name == "portfolio.pdf":
        PdfReader(io.BytesIO(path.read_bytes())).metadata  # noqa: B018 (a complete PDF)
        return -1
    if path.suffix == ".pdf":
        title = PdfReader(io.BytesIO(path.read_bytes())).metadata.title
    else:
        html = path.read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>"), f"{path.name} is truncated"
        if path.name == "index.html":
            return -1
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    return int(title.split()[1])


def outputs(root: Path) -> dict[str, int]:
    """Each briefing and index of the project's output folder and the edition it holds."""
    found = sorted((root / "output").glob("*.html")) + sorted((root / "output").glob("*.pdf"))
    return {p.name: edition_of(p) for p in found if not p.name.startswith(TEMP_PREFIX)}


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    """Wait for ``process``: its exit status, stdout and stderr."""
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of ``folder`` but the lock, with its modification time and size.

    A file the build removes between the listing and its stat (its writability probe, a
    temporary file renamed into place) is left out: it is not there any more.
    """
    state: dict[str, tuple[int, int]] = {}
    for path in folder.iterdir():
        if path.name == OUTPUT_LOCK:
            continue
        try:
            found = path.stat()
        except FileNotFoundError:
            continue
        state[path.name] = (found.st_mtime_ns, found.st_size)
    return state


def kill_while_writing(process: subprocess.Popen[str], folder: Path, delay: float) -> None:
    """SIGKILL ``process`` ``delay`` seconds after it starts changing ``folder``.

    Outputs are written at the end of a build, after seconds of rendering: waiting for
    the first change makes the random moment fall where a kill can do harm.
    """
    before = folder_state(folder)
    # A file new or changed; files disappearing are the sweep of an earlier kill's leftovers.
    while process.poll() is None and folder_state(folder).items() <= before.items():
        time.sleep(0.005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)


@pytest.mark.slow
def test_a_build_killed_at_random_moments_leaves_only_complete_files(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    write_edition(root, 0)
    code, _, err = finish(cli("build", cwd=root))
    assert code == 0, err
    expected = {f"{i}.{ext}" for i in IDS for ext in ("html", "pdf")} | TRACKER
    assert set(outputs(root)) == expected
    rng = random.Random(6)
    for edition in range(1, 6):
        before = outputs(root)
        write_edition(root, edition)
        process = slow_build(root)
        kill_while_writing(process, root / "output", rng.uniform(0, 0.35))
        finish(process)
        after = outputs(root)
        assert set(after) == expected
        for name, held in after.items():
            assert held in (before[name], edition), (name, before[name], held, edition)
    code, _, err = finish(cli("build", cwd=root))
    assert code == 0, err
    assert outputs(root) == dict.fromkeys(expected, 5) | dict.fromkeys(TRACKER, -1)
    assert not list((root / "output").glob(f"{TEMP_PREFIX}*"))


# Disk full and a read-only folder: the build fails naming the path, the outputs stay
# the previous complete version, and once the fault is gone the next build completes.


@dataclass
class Fault:
    """What the error must say, and what the failing child needs (a resource limit)."""

    reason: str
    children: dict[str, object] = field(default_factory=dict)


def _run(*command: str) -> bool:
    """Whether ``command`` ran and succeeded (False when the tool is not there)."""
    try:
        return subprocess.run(command, capture_output=True).returncode == 0
    except OSError:
        return False


def _fill(folder: Path) -> None:
    """Fill the file system holding ``folder`` until it has no space left."""
    # Unbuffered: a write cut short leaves nothing for close() to flush (and fail on).
    with open(folder / "filler", "wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def _file_size_limit() -> None:
    # Runs in the child before exec: writes past 4 KiB fail with EFBIG instead of
    # killing the process with SIGXFSZ (an ignored signal stays ignored across exec).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@contextlib.contextmanager
def small_tmpfs(folder: Path, kind: str) -> Iterator[None]:
    """For the ``tmpfs`` case, ``folder`` on a 512 KiB tmpfs of its own."""
    if kind != "tmpfs":
        yield
        return
    mounted = os.geteuid() == 0 and _run(
        "mount", "-t", "tmpfs", "-o", "size=512k", "x", str(folder)
    )
    if not mounted:
        pytest.skip("mounting a small tmpfs needs root (the file-size limit case still runs)")
    try:
        yield
    finally:
        _run("umount", "-l", str(folder))


@contextlib.contextmanager
def unwritable(folder: Path, kind: str) -> Iterator[Fault]:
    """``folder`` full, limited or read-only for the ``with`` block."""
    if kind == "tmpfs":
        _fill(folder)
        try:
            yield Fault("no space left on the device")
        finally:
            (folder / "filler").unlink()
    elif kind == "fsize":
        yield Fault("file too large", {"preexec_fn": _file_size_limit})
    else:
        with read_only(folder) as fault:
            yield fault


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Fault]:
    """``folder`` made read-only in a way root cannot write through either."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield Fault("permission denied")
        finally:
            folder.chmod(0o755)
    elif _run("mount", "--bind", str(folder), str(folder)):
        try:
            if not _run("mount", "-o", "remount,bind,ro", str(folder)):
                pytest.skip("cannot remount the output folder read-only")
            yield Fault("the file system is read-only")
        finally:
            _run("umount", "-l", str(folder))
    elif _run("chattr", "+i", str(folder)):
        try:
            yield Fault("permission denied")
        finally:
            _run("chattr", "-i", str(folder))
    else:
        pytest.skip("as root, a read-only folder needs a bind mount or chattr +i: neither works")


@pytest.mark.parametrize("kind", ["tmpfs", "fsize", "read-only"])
def test_an_unwritable_output_folder_is_a_clear_error_and_corrupts_nothing(
    tmp_path: Path, kind: str
) -> None:
    root = make_project(tmp_path / "project")
    output = root / "output"
    output.mkdir()
    write_edition(root, 1, ids=("alpha",))
    with small_tmpfs(output, kind):
        assert run_html_build(root)[0] == 0
        write_edition(root, 2, ids=("alpha",))
        with unwritable(output, kind) as fault:
            code, err = run_html_build(root, **fault.children)
            assert code == 1
            # Each file that could not be written is named, or the output folder's lock
            # file when the folder refuses even that.
            assert f"cannot write {output.resolve()}/" in err and fault.reason in err, err
            assert "Traceback" not in err
            assert outputs(root) == {"alpha.html": 1} | dict.fromkeys(TRACKER, -1)
            assert not list(output.glob(f"{TEMP_PREFIX}*"))
        code, err = run_html_build(root)
        assert code == 0, err
        assert outputs(root) == {"alpha.html": 2} | dict.fromkeys(TRACKER, -1)


def run_html_build(root: Path, **popen: object) -> tuple[int, str]:
    code, _, err = finish(cli("build", "--formats", "html", cwd=root, **popen))
    return code, err


# Broken templates and stylesheets: an error naming the file and line, no traceback.


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "partials/brief/summary.html",
            "{% for x in %}\n",
            "templates/partials/brief/summary.html:1: Expected an expression,"
            " got 'end of statement block'",
        ),
        (
            "partials/common/sources.html",
            "{{ brief.sourcez }}\n",
            "templates/partials/common/sources.html:1:",
        ),
        ("base.html", "{% if %}", "templates/base.html:1: Expected an expression"),
        (
            "static/screen.css",
            "h1 {\n  color red;\n}\n",
            "templates/static/screen.css:2:9: CSS syntax error: a declaration is not of the form",
        ),
    ],
)
def test_a_broken_template_or_stylesheet_names_the_file_and_line(
    tmp_path: Path, file: str, text: str, expected: str
) -> None:
    root = make_project(tmp_path / "project")
    write_edition(root, 1, ids=("alpha",))
    (root / "templates" / file).write_text(text, encoding="utf-8")
    code, _, err = finish(cli("build", "--formats", "html", cwd=root))
    assert code == 1
    assert expected in err, err
    assert "Traceback" not in err
    assert not (root / "output" / "alpha.html").exists()


# Two builds of one output folder at once.


@dataclass
class Watched:
    """A running command whose stderr lines are time-stamped as they arrive."""

    process: subprocess.Popen[str]
    lines: list[tuple[float, str]] = field(default_factory=list)
    ended: float = 0.0

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
        self.process.wait()
        self.ended = time.monotonic()

    def join(self, timeout: float = 180) -> Watched:
        self._thread.join(timeout)
        return self

    def first(self, prefix: str) -> float:
        """When the first line starting with ``prefix`` came."""
        found = self.first_or_none(prefix)
        assert found is not None, self.stderr
        return found

    def first_or_none(self, prefix: str) -> float | None:
        """When the first line starting with ``prefix`` came, None if none has."""
        return min((at for at, line in list(self.lines) if line.startswith(prefix)), default=None)

    @property
    def stderr(self) -> str:
        return "\n".join(line for _, line in self.lines)


@pytest.mark.slow
def test_two_builds_of_one_output_folder_do_not_interleave(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    ids = ("alpha", "beta")
    write_edition(root, 1, ids=ids)
    first = Watched(slow_build(root))
    # The second starts once the first holds the folder (or, were there no lock, has
    # built a briefing), with seconds of rendering still ahead of the first.
    deadline = time.monotonic() + 60
    while not (root / "output" / OUTPUT_LOCK).exists() and not first.first_or_none("built"):
        assert time.monotonic() < deadline and first.process.poll() is None, first.stderr
        time.sleep(0.005)
    write_edition(root, 2, ids=ids)
    second = Watched(cli("build", cwd=root))
    first.join()
    second.join()
    assert first.process.returncode == 0, first.stderr
    assert "in use by" in second.stderr, second.stderr  # it was told to wait or refuse
    if second.process.returncode == 0:
        # It waited: it wrote nothing until the first build was over. It may find nothing
        # left to build: the first build's workers may have read the second edition
        # already, and the build state records the bytes each output was made from.
        built = second.first_or_none("built")
        assert built is None or built > first.ended, second.stderr
        assert outputs(root) == {
            f"{i}.{e}": 2 for i in ids for e in ("html", "pdf")
        } | dict.fromkeys(TRACKER, -1)
    else:
        # It refused, saying why, and left the first build's outputs alone.
        assert "Traceback" not in second.stderr
        assert outputs(root) == {
            f"{i}.{e}": 1 for i in ids for e in ("html", "pdf")
        } | dict.fromkeys(TRACKER, -1)
    again = Watched(cli("build", cwd=root)).join()
    assert again.process.returncode == 0, again.stderr
    if "--dry-run" in build_help():
        # With the incremental build's state (issue 4), a consistent state means the
        # outputs are known to be up to date: nothing is built again.
        assert again.process.stdout is not None
        assert again.process.stdout.read().startswith("0 built"), again.stderr
    assert not list((root / "output").glob(f"{TEMP_PREFIX}*"))
