"""The folders given to ``brief merge``: each one's build state, and whether together they
are the shards of one build.

These are the merge's first checks, made before it looks at this project: each folder
holds the build state of a shard (not of a whole build, not damaged); all are shards of
the same build (the same N, formats, options and generator, all built for every briefing
or all for the ones named); each of shards 1 to N is there; and a shard given twice holds
the same briefings with the same bytes, so that which copy is merged does not matter.
Each check returns every problem it finds rather than stopping at the first: the merge
refuses with the whole list, and one run shows everything there is to fix.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.builder.editions import wanted_keys
from generator.builder.manifest import State, build_state_path, read_state
from generator.builder.plan import INTERMEDIATE
from generator.builder.shards import ShardRecord, record_problem
from generator.settings import Settings


@dataclass(frozen=True)
class ShardFolder:
    """One folder given to the merge, its build state and its shard record."""

    path: Path
    shown: str
    state: State
    record: ShardRecord

    @property
    def name(self) -> str:
        """``output/shard-2-of-3 (shard 2/3)``, for messages."""
        return f"{self.shown} (shard {self.record['index']}/{self.record['count']})"

    def targets(self) -> list[str]:
        """The targets each briefing of this shard must have."""
        request = self.record["request"]
        return list(request["formats"]) + ([INTERMEDIATE] if request["keep_intermediate"] else [])


def shard_folders(
    settings: Settings, folders: Sequence[Path]
) -> tuple[list[ShardFolder], list[str]]:
    """One :class:`ShardFolder` per shard, in shard order; every problem found ([] when
    the folders are the complete shards of one build)."""
    return _chosen(_read(settings, folders))


def _read(settings: Settings, folders: Sequence[Path]) -> tuple[list[ShardFolder], list[str]]:
    """Each folder's build state and shard record; what is wrong with those that lack one."""
    shards, problems = [], []
    for folder in folders:
        shown = settings.display(folder)
        if not os.path.lexists(build_state_path(folder)):
            problems.append(f"{shown} has no build state of brief (not a `brief build` folder)")
            continue
        state, problem = read_state(folder)
        if state is None:
            problems.append(f"the build state of {shown} {problem}")
        elif state.shard is None:
            problems.append(f"{shown} holds a whole build, not a shard (built without --shard)")
        elif problem := record_problem(state.shard):
            problems.append(f"the build state of {shown} {problem}")
        else:
            shards.append(ShardFolder(folder, shown, state, state.shard))  # type: ignore[arg-type]
    return shards, problems


def _chosen(found: tuple[list[ShardFolder], list[str]]) -> tuple[list[ShardFolder], list[str]]:
    """One folder per shard, once all are of one build and none is missing."""
    shards, problems = found
    if problems or not shards:
        return shards, problems or ["no shard folder given"]
    first = shards[0]
    for other in shards[1:]:
        problems += _differences(first, other)
    if problems:
        return shards, problems
    by_index: dict[int, ShardFolder] = {}
    for shard in shards:
        kept = by_index.setdefault(shard.record["index"], shard)
        if kept is not shard:
            problems += _overlap(kept, shard)
    count = first.record["count"]
    given = ", ".join(s.name for s in sorted(by_index.values(), key=lambda s: s.record["index"]))
    for index in range(1, count + 1):
        if index not in by_index:
            problems.append(f"shard {index}/{count} is missing (given: {given})")
    return [by_index[i] for i in sorted(by_index)], problems


def _differences(first: ShardFolder, other: ShardFolder) -> list[str]:
    """Why ``other`` is not a shard of the same build as ``first`` ([] when it is)."""
    a, b = first.record, other.record
    found = []
    if a["count"] != b["count"]:
        found.append(f"{first.shown} is shard {a['index']}/{a['count']}")
    if a["generator"] != b["generator"]:
        found.append(f"generator {a['generator']} built {first.shown}, {b['generator']} this one")
    if a["request"]["formats"] != b["request"]["formats"]:
        formats = ",".join(a["request"]["formats"])
        found.append(f"{first.shown} has the formats {formats}")
    elif a["request"] != b["request"]:
        found.append(
            f"{first.shown} was built with other --template, --pdf-variant or "
            "--keep-intermediate options"
        )
    if a["whole"] != b["whole"]:
        chosen = {True: "every briefing", False: "the briefings named"}
        found.append(
            f"{first.shown} was built for {chosen[a['whole']]}, this one for {chosen[b['whole']]}"
        )
    return [f"{other.name} is not a shard of the same build: {why}" for why in found]


def _overlap(kept: ShardFolder, again: ShardFolder) -> list[str]:
    """Why two folders of one shard cannot both be merged ([] when they hold the same)."""
    if kept.record["ids"] != again.record["ids"]:
        return [f"{kept.name} and {again.name} are the same shard of different briefings"]
    problems = []
    for brief_id in kept.record["ids"]:
        record = kept.state.briefs.get(brief_id)
        keys = wanted_keys(record["targets"], kept.targets()) if record else None
        for target in keys or kept.targets():
            name = f"{brief_id}.{target}"
            if file_sha(kept.path / name) != file_sha(again.path / name):
                problems.append(
                    f"{brief_id} is in both {kept.shown} and {again.shown} with different "
                    f"bytes ({name} differs): keep one of them"
                )
                break
    return problems


def file_sha(path: Path) -> str | None:
    """The SHA-256 of the file at ``path``; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
