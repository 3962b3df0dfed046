"""The fact-sheet stage's entry: find the project's fact sheets, load and check each one.

``check_file`` never raises for bad input: a sheet that does not load comes back with its
diagnostics, so one broken file never stops the others. Loading imports the validation
stack (pydantic, PyYAML), so it happens inside :func:`check_file`, not at import: listing
the fact sheets, as a build with nothing to do does, stays cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def discover(settings: Settings) -> list[Path]:
    """Every fact sheet of the project, sorted by file name."""
    if not settings.briefs_dir.is_dir():
        return []
    return sorted(settings.briefs_dir.glob("*.yaml"))


def select(settings: Settings, ids: Sequence[str] = ()) -> list[Path]:
    """The fact sheets named by ``ids`` (all of them when empty).

    An id may be given as ``x``, ``x.yaml`` or ``briefs/x.yaml``; one that names no fact
    sheet raises :class:`GeneratorError`.
    """
    if not ids:
        return discover(settings)
    chosen: list[Path] = []
    for given in ids:
        brief_id = brief_id_of(given)
        path = settings.briefs_dir / f"{brief_id}.yaml"
        if not path.is_file():
            raise GeneratorError(f"no fact sheet '{given}' (looked for {settings.display(path)})")
        if path not in chosen:
            chosen.append(path)
    return chosen


def check_file(path: Path, settings: Settings, today: dt.date) -> Checked:
    """Load one fact sheet and run every rule on it; never raises for bad input."""
    from generator.factsheet import loader, rules

    display = settings.display(path)
    try:
        loaded = loader.load(path, display, max_bytes=settings.max_bytes)
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    findings = [*loaded.warnings, *rules.check(loaded, today)]
    findings.sort(key=lambda d: (d.line or 0, d.col or 0, d.path))
    return Checked(path, display, loaded, tuple(findings))


def check_all(settings: Settings, ids: Sequence[str], today: dt.date) -> list[Checked]:
    """Load and check every selected fact sheet."""
    return [check_file(path, settings, today) for path in select(settings, ids)]
