"""Project settings: where the fact sheets, templates and outputs live, and limits.

A project is a folder holding ``briefs/`` and ``templates/``; outputs go to ``output/``
unless told otherwise. Settings are plain values passed down to every stage; nothing
here reads the clock or the environment at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
#: The PDF variant built unless told otherwise: tagged for screen readers (docs/output.md).
DEFAULT_PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Settings:
    """Paths and limits of one project."""

    root: Path
    output_dir: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    formats: tuple[str, ...] = ("html", "pdf")
    pdf_variant: str = DEFAULT_PDF_VARIANT
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def briefs_dir(self) -> Path:
        """Where fact sheets live: ``<root>/briefs``."""
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        """Where templates and their static assets live: ``<root>/templates``."""
        return self.root / "templates"

    @property
    def state_dir(self) -> Path:
        """Where the send ledger and schedule history live: ``<root>/.brief``."""
        return self.root / ".brief"

    @property
    def delivery_file(self) -> Path:
        """The delivery configuration: ``<root>/delivery.yaml``."""
        return self.root / "delivery.yaml"

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def with_output(self, output_dir: Path) -> Settings:
        """The same settings writing to another output folder."""
        return replace(self, output_dir=output_dir)


def default_settings(root: Path | None = None) -> Settings:
    """Settings for the project at ``root`` (the current folder by default)."""
    base = (root or Path.cwd()).resolve()
    return Settings(root=base, output_dir=base / "output")
