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

from generator.errors import Diagnostic, FactSheetError
from generator.factsheet.listing import list_sheets, pick
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.factsheet.loader import LoadedSheet
    from generator.factsheet.markings import Markings


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
    from generator.factsheet import glyphs, loader, pages, rules

    display = sheet_display(settings, path)
    choices = pages.page_templates(settings.templates_dir)
    try:
        loaded = loader.load(
            path, display, max_bytes=settings.max_bytes, root=settings.root, page_templates=choices
        )
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    try:
        markings = project_markings(settings) if loaded.sheet.marking is not None else None
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    findings = [*loaded.warnings, *rules.check(loaded, today, choices, markings)]
    findings += glyphs.check(loaded, settings.templates_dir, settings.state_dir)
    findings.sort(key=lambda d: (d.line or 0, d.col or 0, d.path))
    return Checked(path, display, loaded, tuple(findings))


def project_markings(settings: Settings) -> Markings:
    """The markings of the project (``markings.yaml``, or the default set); raises
    :class:`FactSheetError` with the file's located problems."""
    from generator.factsheet.markings import load_markings

    return load_markings(settings.root)


def check_all(settings: Settings, ids: Sequence[str], today: dt.date) -> list[Checked]:
    """Load and check every selected fact sheet."""
    return [check_file(path, settings, today) for path in select(settings, ids)]
