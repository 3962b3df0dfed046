"""Build state: what every output was built from, kept in one JSON file in the output folder.

For each briefing and format (a *target*) the state records the SHA-256 of the fact
sheet it was built from, the set of template, stylesheet, font and tool files the
render actually read (with their SHA-256 at the time), the output-affecting options,
the generator's version and the SHA-256 of the output written. The index page has a
record of the same kind.

Hashes are cheap to keep current through a stat cache, as git and ninja do: a file
whose size, mtime, ctime and inode are those recorded keeps its recorded hash; any
other file is read and hashed again. A stat is only trusted when the file had not
changed for a while when it was hashed ("racy" timestamps: a second edit within the
file system's clock tick would leave the same stat), and a time in the future is never
trusted, so an edit is never missed whatever the clocks say.

The file is written with :func:`generator.writer.write_atomic`; one that cannot be read
or makes no sense is reported and treated as empty (a full rebuild), never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypedDict

from generator.writer import write_atomic

STATE_NAME = ".brief-state.json"
#: 2: a briefing's ``index`` facts gained the tracker's investment and sites, and the
#: index record the portfolio PDF; a format-1 state is rebuilt from scratch (the tracker
#: cannot be drawn from facts it never recorded).
STATE_FORMAT = 2
#: A stat is trusted only if the file last changed this long before it was hashed.
RACY_NS = 50_000_000
#: ... or this long on a file system whose times have no sub-millisecond part (FAT, NFS).
COARSE_RACY_NS = 2_000_000_000

#: ``[sha256]`` or ``[sha256, size, mtime_ns, ctime_ns, inode]`` (when the stat is trusted).
CacheEntry = list[Any]


class TargetRecord(TypedDict):
    """What one output file (a brief in one format) was built from."""

    sheet: str
    deps: str
    options: str
    generator: str
    output: str


class BriefRecord(TypedDict):
    """A briefing's targets, its index-page facts and how many warnings it had.

    ``index`` holds strings (title, jurisdiction, stage, status, as_of, language) and the
    tracker's ``investment`` (None or ``{amount, currency}``, the amount a decimal string)
    and ``sites`` (``[{name, lat, lon}]``): see :func:`generator.builder.tracker.tracker_facts`.
    """

    targets: dict[str, TargetRecord]
    index: dict[str, Any]
    warnings: int


class IndexRecord(TypedDict):
    """What ``index.html`` and ``portfolio.pdf`` (the tracker) were built from: the
    entries (hashed), templates, fonts, ``portfolio.yaml`` and version; each one's SHA-256."""

    entries: str
    deps: str
    generator: str
    output: str
    pdf: str


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def stable_json(value: Any) -> str:
    """``value`` as canonical JSON (sorted keys, no spaces): the same data, the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Probe:
    """Content hashes of files, through a stat cache; keys are names, ``locate`` gives their
    paths (plain strings: a build with nothing to do looks at thousands of them).

    ``cache`` is the stored table (updated in place); :attr:`dirty` says it changed.
    """

    def __init__(self, locate: Callable[[str], str | None], cache: dict[str, CacheEntry]) -> None:
        self._locate = locate
        self.cache = cache
        self.dirty = False
        self._seen: dict[str, str | None] = {}
        self._stats: dict[str, os.stat_result | None] = {}

    def sha(self, key: str) -> str | None:
        """The current SHA-256 of the file ``key``; None if it is missing or unreadable."""
        if key not in self._seen:
            stat = self.stat(key)
            self._seen[key] = None if stat is None else self._current(key, stat)
        return self._seen[key]

    def stat(self, key: str) -> os.stat_result | None:
        """The stat of the file ``key`` (taken once per probe); None if there is none."""
        if key not in self._stats:
            path = self._locate(key)
            try:
                self._stats[key] = None if path is None else os.stat(path)
            except OSError:
                self._stats[key] = None
        return self._stats[key]

    def exists(self, key: str) -> bool:
        """Whether ``key`` names an existing file."""
        return self.stat(key) is not None

    def note_written(self, key: str, sha: str) -> None:
        """Record that we just wrote content ``sha`` to ``key``.

        Its stat is trusted at once: the file was renamed into place under the output
        folder's lock, so nobody else changed it within the same clock tick.
        """
        self._stats.pop(key, None)
        self._store(key, sha, self.stat(key), None)

    def forget(self, key: str) -> None:
        """Drop ``key`` from the cache (its file was removed)."""
        self._seen.pop(key, None)
        self._stats.pop(key, None)
        if self.cache.pop(key, None) is not None:
            self.dirty = True

    def _current(self, key: str, stat: os.stat_result) -> str | None:
        entry = self.cache.get(key)
        if entry is not None and len(entry) == 5 and entry[1:] == _stat_key(stat):
            return str(entry[0])
        return self._hash(key)

    def _hash(self, key: str) -> str | None:
        path = self._locate(key)
        if path is None:
            return None
        started = time.time_ns()
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        self._store(key, sha, stat, started)
        return sha

    def _store(
        self, key: str, sha: str, stat: os.stat_result | None, known_at_ns: int | None
    ) -> None:
        """Cache ``sha`` for ``key``, with its stat if trusted (``known_at_ns`` None: yes)."""
        entry: CacheEntry = [sha]
        if stat is not None and (known_at_ns is None or _trusted(stat, known_at_ns)):
            entry += _stat_key(stat)
        if self.cache.get(key) != entry:
            self.cache[key] = entry
            self.dirty = True
        self._seen[key] = sha


def _stat_key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _trusted(stat: os.stat_result, known_at_ns: int) -> bool:
    """Whether a later change to the file is bound to show in its stat."""
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
    coarse = stat.st_mtime_ns % 1_000_000 == 0
    return changed < known_at_ns - (COARSE_RACY_NS if coarse else RACY_NS)


class State:
    """The build state of one output folder (see the module docstring)."""

    def __init__(self, doc: dict[str, Any] | None = None) -> None:
        doc = doc or {}
        self.inputs: dict[str, CacheEntry] = doc.get("inputs", {})
        self.outputs: dict[str, CacheEntry] = doc.get("outputs", {})
        self.depsets: dict[str, list[list[str]]] = doc.get("depsets", {})
        self.tools: dict[str, str] = doc.get("tools", {})
        self.briefs: dict[str, BriefRecord] = doc.get("briefs", {})
        self.index: IndexRecord | None = doc.get("index")
        #: Which shard this folder holds (``brief build --shard``); None for a whole build.
        #: See :class:`generator.builder.shards.ShardRecord`, checked by ``brief merge``.
        self.shard: dict[str, Any] | None = doc.get("shard")

    def intern_deps(self, deps: Mapping[str, str]) -> str:
        """The id of the dependency set ``deps`` (file key -> SHA-256), stored once."""
        pairs = sorted([key, sha] for key, sha in deps.items())
        depset_id = sha256_bytes(stable_json(pairs).encode())[:16]
        self.depsets.setdefault(depset_id, pairs)
        return depset_id

    def to_json(self) -> str:
        """The state as the text of the state file; unused dependency sets are dropped."""
        used = {t["deps"] for b in self.briefs.values() for t in b["targets"].values()}
        if self.index is not None:
            used.add(self.index["deps"])
        doc = {
            "format": STATE_FORMAT,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "depsets": {k: v for k, v in self.depsets.items() if k in used},
            "tools": self.tools,
            "briefs": self.briefs,
            "index": self.index,
        }
        if self.shard is not None:
            doc["shard"] = self.shard
        return stable_json(doc)


_TARGET_FIELDS = tuple(TargetRecord.__annotations__)


def build_state_path(output_dir: Path) -> Path:
    """Where the build state of ``output_dir`` is kept."""
    return output_dir / STATE_NAME


def load_state(output_dir: Path, shown: str) -> tuple[State, str]:
    """The stored state and ``''``, or an empty state and why the file could not be used.

    ``shown`` names the file in that message. A missing file is simply an empty state.
    """
    state, problem = read_state(output_dir)
    if state is None:
        return State(), f"build state {shown} {problem}; rebuilding everything"
    return state, ""


def read_state(output_dir: Path) -> tuple[State | None, str]:
    """The stored state and ``''`` (an empty state when there is no file), or None and what
    is wrong with the file: ``cannot be read (...)``, ``is damaged``, ``has an unknown
    format (7)``; never raises."""
    try:
        text = build_state_path(output_dir).read_bytes()
    except FileNotFoundError:
        return State(), ""
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None, "is damaged"
    problem = _shape_problem(doc)
    return (None, problem) if problem else (State(doc), "")


def save_state(output_dir: Path, state: State) -> None:
    """Write the state file atomically (raises :class:`~generator.errors.OutputError`)."""
    write_atomic(build_state_path(output_dir), state.to_json().encode("utf-8"))


def _shape_problem(doc: Any) -> str:
    """What is wrong with a parsed state document ('' when nothing is)."""
    if not isinstance(doc, dict):
        return "is damaged"
    if doc.get("format") == 1:
        return "was written by an earlier version (format 1)"
    if doc.get("format") != STATE_FORMAT:
        return f"has an unknown format ({doc.get('format')!r})"
    try:
        _check_tables(doc)
        for record in doc["briefs"].values():
            _check_brief(record, doc["depsets"])
        if doc["index"] is not None:
            _check_fields(doc["index"], IndexRecord.__annotations__)
            _require(doc["index"]["deps"] in doc["depsets"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return "is damaged"
    return ""


def _check_tables(doc: dict[str, Any]) -> None:
    # Plain loops: this runs on every build, over thousands of entries.
    for table in ("inputs", "outputs"):
        for key, entry in doc[table].items():
            if type(entry) is not list or len(entry) not in (1, 5) or type(entry[0]) is not str:
                raise ValueError(key)
            for number in entry[1:]:
                if type(number) is not int:
                    raise ValueError(key)
    for pairs in doc["depsets"].values():
        for key, sha in pairs:
            if type(key) is not str or type(sha) is not str:
                raise ValueError(key)
    _require(all(isinstance(v, str) for v in doc["tools"].values()))
    _require(isinstance(doc["briefs"], dict))


def _check_brief(record: Any, depsets: Mapping[str, Any]) -> None:
    _require(type(record["warnings"]) is int)
    for name, value in record["index"].items():
        if name == "investment":
            _require(value is None or all(type(value[k]) is str for k in ("amount", "currency")))
        elif name == "sites":
            for site in value:
                _require(type(site["name"]) is str)
                _require(all(type(site[k]) in (int, float) for k in ("lat", "lon")))
        else:
            _require(type(value) is str)
    for target in record["targets"].values():
        for name in _TARGET_FIELDS:
            _require(type(target[name]) is str)
        _require(target["deps"] in depsets)


def _check_fields(record: Any, fields: Iterable[str]) -> None:
    _require(isinstance(record, dict))
    _require(all(isinstance(record[name], str) for name in fields))


def _require(condition: bool) -> None:
    if not condition:
        raise ValueError("unexpected build state")


def built_from(output_dir: Path, brief_id: str) -> dict[str, str]:
    """Target key -> SHA-256 of the fact-sheet bytes each recorded output of ``brief_id``
    was built from ({} when nothing is recorded or the state cannot be read). The key is
    the format for a sheet with one edition (``pdf``), else ``internal.pdf`` and
    ``external.pdf`` (see :mod:`generator.builder.editions`)."""
    state, _ = read_state(output_dir)
    record = state.briefs.get(brief_id) if state is not None else None
    if record is None:
        return {}
    return {fmt: target["sheet"] for fmt, target in record["targets"].items()}
