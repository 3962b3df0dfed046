"""Diagnostics and the exception tree shared by every stage.

A problem is kept as facts (file, position, field path, message, suggestion) and only
turned into a sentence by :meth:`Diagnostic.format`, so the CLI can print it as text,
JSON or CI annotations alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input file, located as precisely as the input allows."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str
    severity: Severity = "error"
    suggestion: str | None = None
    code: str = "invalid"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def as_error(self) -> Diagnostic:
        """The same finding promoted to an error (what ``--strict`` does to warnings)."""
        return Diagnostic(
            self.file,
            self.line,
            self.col,
            self.path,
            self.message,
            "error",
            self.suggestion,
            self.code,
        )

    def format(self) -> str:
        """``briefs/x.yaml:41:7: challenges[2].severity: 'severe' is not one of ...``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        parts = [where]
        if self.severity == "warning":
            parts.append("warning")
        if self.path:
            parts.append(self.path)
        text = ": ".join(parts) + ": " + self.message
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


@dataclass
class GeneratorError(Exception):
    """Base of every error the library raises for a user mistake or an environment fault.

    The CLI catches this class only; anything else is a bug and keeps its traceback.
    """

    message: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


@dataclass
class FactSheetError(GeneratorError):
    """A fact sheet could not be loaded; ``diagnostics`` holds every problem found."""

    #: The file's data when it parsed but did not validate, else None: what a caller that
    #: needs one field of a broken sheet (a schedule selecting by tags) can still read,
    #: without reading or parsing the file again.
    data: Any = None


class TemplateError(GeneratorError):
    """A template is missing, does not parse or uses an undefined variable."""


class RenderError(GeneratorError):
    """Rendering failed: a forbidden or missing resource, a limit exceeded, a renderer fault."""


class OutputError(GeneratorError):
    """An output could not be written (read-only folder, disk full, path is a directory)."""


class ConfigError(GeneratorError):
    """A project setting or configuration file is invalid."""
