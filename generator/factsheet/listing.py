"""Which fact sheets a project has, and which of them a command names.

One directory scan, no stat per file and no heavy import: a build with nothing to do
starts here, so this module stays light (the loading and checking are in check.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from generator.errors import GeneratorError
from generator.factsheet.files import confine


def brief_id_of(given: str) -> str:
    """The brief id a user means by ``x``, ``x.yaml`` or ``briefs/x.yaml``: ``x``."""
    return Path(given).name.removesuffix(".yaml")


class SheetFolder(NamedTuple):
    """The fact sheets of a ``briefs/`` folder as one directory scan sees them."""

    path: Path
    #: Brief id -> file name, in id order.
    names: dict[str, str]
    #: The brief ids whose entry is a symbolic link (known from the scan, without a stat).
    links: frozenset[str]


def scan_sheets(briefs_dir: Path) -> SheetFolder | None:
    """Every ``*.yaml`` in ``briefs_dir``, and which are links; None if it is no folder.

    One directory scan and no stat per file: a build with nothing to do starts here.
    """
    try:
        with os.scandir(briefs_dir) as entries:
            found = {e.name: e.is_symlink() for e in entries if e.name.endswith(".yaml")}
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise GeneratorError(f"cannot list {briefs_dir}: {exc.strerror}") from None
    names = {name[: -len(".yaml")]: name for name in sorted(found)}
    links = frozenset(brief_id for brief_id, name in names.items() if found[name])
    return SheetFolder(briefs_dir, names, links)


def list_sheets(briefs_dir: Path) -> dict[str, str] | None:
    """Brief id -> file name of every ``*.yaml`` in ``briefs_dir``; None if it is no folder."""
    folder = scan_sheets(briefs_dir)
    return None if folder is None else folder.names


def outside_sheets(folder: SheetFolder, root: Path) -> dict[str, str]:
    """Brief id -> what is wrong (``is a link to a file outside the project``) for every
    sheet of ``folder`` that is not a file of the project at ``root``.

    Only links are resolved, and the folder's own path once: the rest costs nothing, so
    a build with nothing to do can ask every time and a link changed since is noticed.
    """
    _, folder_out = confine(folder.path, root)
    suspects = folder.names if folder_out else folder.links
    found = {}
    for brief_id in suspects:
        _, outside = confine(folder.path / folder.names[brief_id], root)
        if outside is not None:
            found[brief_id] = outside.what
    return found


def pick(sheets: Mapping[str, str], ids: Sequence[str], briefs_shown: str) -> list[str]:
    """The brief ids named by ``ids`` (``x``, ``x.yaml`` or ``briefs/x.yaml``) in the order
    given, each once; every id of ``sheets`` when ``ids`` is empty.

    An id naming no fact sheet raises :class:`GeneratorError`.
    """
    if not ids:
        return list(sheets)
    chosen: list[str] = []
    for given in ids:
        brief_id = brief_id_of(given)
        if brief_id not in sheets:
            raise GeneratorError(
                f"no fact sheet '{given}' (looked for {briefs_shown}/{brief_id}.yaml)"
            )
        if brief_id not in chosen:
            chosen.append(brief_id)
    return chosen
