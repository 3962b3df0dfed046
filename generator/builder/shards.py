"""Which share of the briefings a sharded build (``brief build --shard I/N``) renders.

A briefing's shard is a pure function of its id and the number of shards: the first
eight bytes of the SHA-256 of the id, modulo N. Not Python's ``hash``, which is salted
per process, and not a round-robin over the sorted ids: a round-robin balances to within
one briefing, but adding or removing one sheet moves every briefing sorted after it to
another shard, so a shard machine that keeps its output folder between runs would
rebuild most of its share. With a stable hash a briefing never changes shard while N
stays the same, each machine decides its share from the ids alone, and the shares are
as even as a fair draw: the spread is about sqrt(N/M) of the mean for M briefings, so
the largest of 4 shards of 1,000 briefings is typically 5 to 10 % above 250, of 4 shards
of 10,000 within 2 to 3 % (``tests/builder/test_shards.py`` checks the spread).

The build state of a shard's folder carries a :class:`ShardRecord`, so that
``brief merge`` can tell which shard a folder holds and how it was built.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

_SHAPE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
#: More shards than this is a typing mistake, not a build farm.
MAX_SHARDS = 10_000


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based: ``1/3``, ``2/3``, ``3/3``)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS:
            raise ValueError(f"the number of shards must be 1 to {MAX_SHARDS}, not {self.count}")
        if not 1 <= self.index <= self.count:
            raise ValueError(
                f"shard {self.index} does not exist: shards are numbered 1 to {self.count}"
            )

    @property
    def label(self) -> str:
        """``2/3``: as the user writes it."""
        return f"{self.index}/{self.count}"

    @property
    def folder_name(self) -> str:
        """``shard-2-of-3``: the default output folder of this shard, under ``output/``."""
        return f"shard-{self.index}-of-{self.count}"

    def holds(self, brief_id: str) -> bool:
        """Whether ``brief_id`` belongs to this shard."""
        return shard_of(brief_id, self.count) == self.index

    def share(self, ids: Iterable[str]) -> list[str]:
        """The ids of ``ids`` that belong to this shard, sorted."""
        return sorted(i for i in ids if self.holds(i))


def shard_of(brief_id: str, count: int) -> int:
    """The shard (1 to ``count``) that ``brief_id`` belongs to; the same on every machine."""
    digest = hashlib.sha256(brief_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """``'2/3'`` as a :class:`Shard`; raises ValueError saying what is wrong."""
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise ValueError(f"'{text}' is not a shard: write I/N, e.g. 2/3 for the second of three")
    return Shard(int(match.group(1)), int(match.group(2)))


class ShardRecord(TypedDict):
    """What the build state of a shard's folder says about the build that wrote it.

    ``ids`` is the shard's share of the selection, ``whole`` whether the selection was
    every fact sheet (no ids named); ``request`` the formats and output options, which
    every shard of one merge must share.
    """

    index: int
    count: int
    ids: list[str]
    whole: bool
    request: dict[str, Any]
    generator: str
    base: str


def record_problem(record: Any) -> str:
    """What is wrong with a stored :class:`ShardRecord` ('' when nothing is)."""
    if not isinstance(record, dict):
        return "has a damaged shard record"
    try:
        Shard(int(record["index"]), int(record["count"]))
        ok = (
            all(type(record[k]) is int for k in ("index", "count"))
            and isinstance(record["ids"], list)
            and all(isinstance(i, str) for i in record["ids"])
            and type(record["whole"]) is bool
            and isinstance(record["request"], dict)
            and isinstance(record["generator"], str)
            and isinstance(record["base"], str)
        )
    except (KeyError, TypeError, ValueError):
        ok = False
    return "" if ok else "has a damaged shard record"
