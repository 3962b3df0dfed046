"""The build state file and the stat cache behind its hashes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator.builder.manifest import (
    STATE_NAME,
    Probe,
    State,
    load_state,
    save_state,
    sha256_bytes,
)


def probe_of(folder: Path, cache: dict | None = None) -> Probe:
    return Probe(lambda key: os.path.join(folder, key), {} if cache is None else cache)


def settle(path: Path) -> None:
    """Give ``path`` a change time safely in the past, as an old file has."""
    time.sleep(0.06)


def test_hash_is_the_content_hash_and_missing_files_have_none(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"alpha")
    probe = probe_of(tmp_path)
    assert probe.sha("a.txt") == sha256_bytes(b"alpha")
    assert probe.sha("missing.txt") is None
    assert probe.exists("a.txt") and not probe.exists("missing.txt")


def test_an_unchanged_stat_reuses_the_cached_hash(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"alpha")
    settle(tmp_path / "a.txt")
    cache: dict = {}
    probe_of(tmp_path, cache).sha("a.txt")
    assert len(cache["a.txt"]) == 5
    cache["a.txt"][0] = "remembered"
    # Same stat: the file is not read again, so the (doctored) cached hash comes back.
    assert probe_of(tmp_path, cache).sha("a.txt") == "remembered"


def test_a_freshly_changed_file_is_not_trusted_by_its_stat(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"alpha")
    cache: dict = {}
    probe_of(tmp_path, cache).sha("a.txt")
    assert cache["a.txt"] == [sha256_bytes(b"alpha")]


def test_a_file_dated_in_the_future_is_never_trusted(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"alpha")
    future = time.time_ns() + 3600 * 10**9
    os.utime(path, ns=(future, future))
    settle(path)
    cache: dict = {}
    probe_of(tmp_path, cache).sha("a.txt")
    assert len(cache["a.txt"]) == 1


def test_any_change_shows_even_with_size_and_mtime_restored(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"alpha")
    settle(path)
    cache: dict = {}
    probe_of(tmp_path, cache).sha("a.txt")
    old = path.stat()
    path.write_bytes(b"omega")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert probe_of(tmp_path, cache).sha("a.txt") == sha256_bytes(b"omega")


def test_state_round_trip_drops_unused_dependency_sets(tmp_path: Path):
    state = State()
    used = state.intern_deps({"templates/base.html": "1" * 64})
    state.intern_deps({"templates/old.html": "2" * 64})
    assert state.intern_deps({"templates/base.html": "1" * 64}) == used
    state.briefs["a"] = {
        "targets": {
            "html": {"sheet": "s", "deps": used, "options": "{}", "generator": "0", "output": "o"}
        },
        "index": {"title": "A"},
        "warnings": 0,
    }
    save_state(tmp_path, state)
    loaded, problem = load_state(tmp_path, "output/.brief-state.json")
    assert problem == ""
    assert loaded.briefs == state.briefs
    assert list(loaded.depsets) == [used]


def test_no_state_file_is_an_empty_state(tmp_path: Path):
    state, problem = load_state(tmp_path, "x")
    assert (state.briefs, problem) == ({}, "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"format": 1, "inputs": {', "is damaged"),
        ("\x00\x01garbage", "is damaged"),
        ('{"format": 7}', "has an unknown format (7)"),
        ('{"format": 1, "briefs": {}}', "was written by an earlier version (format 1)"),
        (
            '{"format": 2, "inputs": {}, "outputs": {}, "depsets": {}, "tools": {}, '
            '"briefs": {"a": {"targets": {"html": {"deps": "nope"}}}}, "index": null}',
            "is damaged",
        ),
        ('{"format": 2, "inputs": {"k": "v"}}', "is damaged"),
    ],
)
def test_an_unusable_state_file_is_reported_and_treated_as_empty(tmp_path, text, problem):
    (tmp_path / STATE_NAME).write_text(text)
    state, said = load_state(tmp_path, "output/.brief-state.json")
    assert said.startswith(f"build state output/.brief-state.json {problem}")
    assert state.briefs == {}


def test_saved_state_is_canonical_json(tmp_path: Path):
    save_state(tmp_path, State())
    text = (tmp_path / STATE_NAME).read_text()
    assert json.loads(text)["format"] == 2
    assert " " not in text
