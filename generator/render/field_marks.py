"""The names that mark a fact-sheet field's text inside a Word document, both ways.

A DOCX briefing encloses the text of each fact-sheet field in a bookmark named after the
field's path, so that ``brief review`` can find that text again after Word has renamed,
split and merged its runs. The name is the path with ``[n]`` written ``_n`` and ``.``
written ``__`` behind a ``bf_`` prefix: ``key_facts[3].value`` is ``bf_key_facts_3__value``.
No key of the format holds two underscores or ends in ``_`` and digits, so the name reads
back to exactly one path. Word keeps bookmark names of at most 40 characters.
"""

from __future__ import annotations

import re

#: What every field bookmark's name starts with (other bookmarks are not fields).
PREFIX = "bf_"
#: The longest bookmark name Word keeps; longer names are cut by Word on save.
LONGEST_NAME = 40

_INDEX = re.compile(r"\[(\d+)\]")
_SEGMENT = re.compile(r"([a-z][a-z_]*?)((?:_\d+)*)")
_PATH = re.compile(r"[a-z][a-z_]*(?:\[\d+\])*(?:\.[a-z][a-z_]*(?:\[\d+\])*)*")


def bookmark_name(path: str) -> str:
    """The bookmark name of the field at ``path`` (``challenges[2].mitigations``).

    Raises ValueError for a path that is not a field path or whose name Word would cut.
    """
    if not _PATH.fullmatch(path) or "__" in path:
        raise ValueError(f"not a field path: {path!r}")
    name = PREFIX + _INDEX.sub(r"_\1", path).replace(".", "__")
    if len(name) > LONGEST_NAME:
        raise ValueError(f"bookmark for {path!r} is longer than {LONGEST_NAME} characters")
    return name


def field_path(name: str) -> str | None:
    """The field path a bookmark ``name`` marks, or None for a bookmark that is not a field's
    (Word's own ``_Toc...``/``_GoBack``, a user's, a malformed one)."""
    if not name.startswith(PREFIX):
        return None
    parts = []
    for segment in name[len(PREFIX) :].split("__"):
        match = _SEGMENT.fullmatch(segment)
        if not match or match.group(1).endswith("_"):
            return None
        indexes = "".join(f"[{n}]" for n in match.group(2).split("_")[1:])
        parts.append(match.group(1) + indexes)
    return ".".join(parts)
