"""The fact-sheet stage's entry: find the project's fact sheets, load and check each one.

``check_file`` never raises for bad input: a sheet that does not load comes back with its
diagnostics, so one broken file never stops the others. Loading imports the validation
stack (pydantic, PyYAML), so it happens inside :func:`check_file`, not at import: listing
the fact sheets, as a build with nothing to do does, stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Diagnostic, FactSheetError, GeneratorError
from generator.factsheet.files import confine
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.factsheet.loader import LoadedSheet


@dataclass(frozen=True)
class Checked:
    """A fact sheet after loading and rule checks: the sheet if it loaded, and findings."""

    path: Path
    display: str
    loaded: LoadedSheet | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def brief_id(self) -> str:
        """The brief id: the file name without ``.yaml``."""
        return self.path.stem

    def has_errors(self, strict: bool = False) -> bool:
        """Whether the sheet must not be rendered (warnings count under ``strict``)."""
        return self.loaded is None or any(d.is_error or strict for d in self.diagnostics)


def brief_id_of(given: str) -> str:
    """The brief id a user means by ``x``, ``x.yaml`` or ``briefs/x.yaml``: ``x``."""
    return Path(given).name.removesuffix(".yaml")


@dataclass(frozen=True)
class SheetFolder:
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


def discover(settings: Settings) -> list[Path]:
    """Every fact sheet of the project, sorted by file name."""
    return select(settings)


def select(settings: Settings, ids: Sequence[str] = ()) -> list[Path]:
    """The fact sheets named by ``ids`` in the order given (all of them, sorted, when empty).

    An id may be given as ``x``, ``x.yaml`` or ``briefs/x.yaml``; one that names no fact
    sheet raises :class:`GeneratorError`.
    """
    folder = settings.briefs_dir
    sheets = list_sheets(folder) or {}
    return [folder / sheets[b] for b in pick(sheets, ids, settings.display(folder))]


def sheet_display(settings: Settings, path: Path) -> str:
    """``briefs/x.yaml``: how messages name the sheet at ``path``; a link by its own name,
    where ``settings.display`` would resolve it and name its target."""
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return settings.display(path)


def check_file(path: Path, settings: Settings, today: dt.date) -> Checked:
    """Load one fact sheet and run every rule on it; never raises for bad input."""
    from generator.factsheet import loader, pages, rules

    display = sheet_display(settings, path)
    try:
        loaded = loader.load(path, display, max_bytes=settings.max_bytes, root=settings.root)
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    choices = pages.page_templates(settings.templates_dir)
    findings = [*loaded.warnings, *rules.check(loaded, today, choices)]
    findings.sort(key=lambda d: (d.line or 0, d.col or 0, d.path))
    return Checked(path, display, loaded, tuple(findings))


def check_all(settings: Settings, ids: Sequence[str], today: dt.date) -> list[Checked]:
    """Load and check every selected fact sheet."""
    return [check_file(path, settings, today) for path in select(settings, ids)]
