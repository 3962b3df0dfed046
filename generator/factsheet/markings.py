"""Protective markings: the values a sheet's ``marking`` may take, and their wording.

Governments name their markings differently, so a project may list its own in
``markings.yaml`` at the project root, in rank order (lowest first)::

    markings:
      - code: OFFICIAL
        wording: OFFICIAL
      - code: OFFICIAL-SENSITIVE
        wording: OFFICIAL–SENSITIVE

``code`` is what a fact sheet writes; ``wording`` is what every page and the metadata
show. Without the file the default set applies (:data:`DEFAULT_MARKINGS`). The file is
read here, in the fact-sheet stage, because checking a sheet's ``marking`` needs it and
this stage is below ``config``; it is read through the fact sheets' YAML reader, so its
errors are located the same way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from generator.errors import Diagnostic, FactSheetError
from generator.factsheet.model import MARKING_PATTERN, Text, _Model, quoted

#: The project file, relative to the project root; also the build's input key.
MARKINGS_FILE = "markings.yaml"
#: Larger than any list of markings needs; a bigger file is refused unread.
MAX_BYTES = 64 * 1024


class MarkingEntry(_Model):
    """One marking: the code a sheet writes and the wording shown."""

    code: str = Field(
        pattern=MARKING_PATTERN, description="What a fact sheet's `marking` writes, e.g. OFFICIAL."
    )
    wording: Text = Field(description="What every page and the metadata show.")


class MarkingsFile(_Model):
    """``markings.yaml``: the project's markings, lowest rank first."""

    markings: list[MarkingEntry] = Field(min_length=1, description="In rank order.")


@dataclass(frozen=True)
class Markings:
    """A project's markings in rank order (lowest first)."""

    entries: tuple[MarkingEntry, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, lowest rank first."""
        return tuple(entry.code for entry in self.entries)

    def wording(self, code: str) -> str:
        """What is shown for ``code`` (the code itself when it is not one of these)."""
        return next((e.wording for e in self.entries if e.code == code), code)

    def rank(self, code: str) -> int:
        """0 for the lowest marking, and up; -1 for a code that is not one of these."""
        return self.codes.index(code) if code in self.codes else -1

    def problem(self, code: str) -> tuple[str, str | None] | None:
        """Why ``code`` is not one of these, with the nearest code; None when it is."""
        if code in self.codes:
            return None
        # Matched as spelled loosely: "Official sensitive" means OFFICIAL-SENSITIVE.
        loose = {_loose(c): c for c in self.codes}
        close = difflib.get_close_matches(_loose(code), list(loose), n=1, cutoff=0.6)
        close = [loose[c] for c in close]
        message = f"{quoted(code)} is not one of the project's markings: {', '.join(self.codes)}"
        return message, close[0] if close else None


def _loose(code: str) -> str:
    return " ".join(code.casefold().replace("-", " ").replace("_", " ").split())


DEFAULT_MARKINGS = Markings(
    tuple(
        MarkingEntry(code=code, wording=code)
        for code in ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")
    )
)


def load_markings(root: Path) -> Markings:
    """The markings of the project at ``root``: its ``markings.yaml``, or the defaults.

    Raises :class:`FactSheetError` with every located problem of the file.
    """
    from generator.factsheet.loader import validate_model
    from generator.factsheet.yamlsrc import parse

    path = root / MARKINGS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DEFAULT_MARKINGS
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        diagnostic = Diagnostic(MARKINGS_FILE, None, None, "", message, code="io")
        raise FactSheetError(f"{MARKINGS_FILE}: 1 error", [diagnostic]) from None
    value, source_map = parse(data, MARKINGS_FILE, max_bytes=MAX_BYTES)
    parsed = validate_model(MarkingsFile, value, source_map, MARKINGS_FILE)
    seen: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(parsed.markings):
        if entry.code in seen:
            line, col = source_map.position(("markings", index, "code"))
            message = f"code {quoted(entry.code)} is already used by markings[{seen[entry.code]}]"
            where = f"markings[{index}].code"
            problems.append(Diagnostic(MARKINGS_FILE, line, col, where, message, code="duplicate"))
        seen.setdefault(entry.code, index)
    if problems:
        raise FactSheetError(f"{MARKINGS_FILE}: {len(problems)} errors", problems)
    return Markings(tuple(parsed.markings))
