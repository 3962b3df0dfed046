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


def list_sheets(briefs_dir: Path) -> dict[str, str] | None:
    """Brief id -> file name of every ``*.yaml`` in ``briefs_dir``; None if it is no folder.

    One directory scan and no stat per file: a build with nothing to do starts here.
    """
    try:
        with os.scandir(briefs_dir) as entries:
            names = [e.name for e in entries if e.name.endswith(".yaml")]
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise GeneratorError(f"cannot list {briefs_dir}: {exc.strerror}") from None
    return {name[: -len(".yaml")]: name for name in sorted(names)}


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


def check_file(path: Path, settings: Settings, today: dt.date) -> Checked:
    """Load one fact sheet and run every rule on it; never raises for bad input."""
    from generator.factsheet import loader, pages, rules

    display = settings.display(path)
    try:
        loaded = loader.load(path, display, max_bytes=settings.max_bytes)
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    choices = pages.page_templates(settings.templates_dir)
    findings = [*loaded.warnings, *rules.check(loaded, today, choices)]
    findings.sort(key=lambda d: (d.line or 0, d.col or 0, d.path))
    return Checked(path, display, loaded, tuple(findings))


def check_all(settings: Settings, ids: Sequence[str], today: dt.date) -> list[Checked]:
    """Load and check every selected fact sheet."""
    return [check_file(path, settings, today) for path in select(settings, ids)]
