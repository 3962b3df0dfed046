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
#: The PDF variants a briefing can be written as (``--pdf-variant``), and WeasyPrint's
#: name for each.
PDF_VARIANTS: dict[str, str | None] = {
    "pdf/ua-1": "pdf/ua-1",
    "pdf/a-3b": "pdf/a-3b",
    "plain": None,
}
#: Wall-clock seconds one rendering job (a briefing's HTML, or its PDF) may take.
DEFAULT_RENDER_SECONDS = 120.0
#: Memory, in bytes, a rendering worker process may use (its data limit, RLIMIT_DATA).
DEFAULT_RENDER_MEMORY = 2 * 1024**3


@dataclass(frozen=True)
class Settings:
    """Paths and limits of one project."""

    root: Path
    output_dir: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    formats: tuple[str, ...] = ("html", "pdf")
    pdf_variant: str = DEFAULT_PDF_VARIANT
    render_seconds: float = DEFAULT_RENDER_SECONDS
    render_memory: int | None = DEFAULT_RENDER_MEMORY
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

    def with_limits(self, seconds: float | None, memory: int | None) -> Settings:
        """The same settings with other rendering limits (None keeps a limit as it is;
        a memory limit of 0 means none)."""
        return replace(
            self,
            render_seconds=self.render_seconds if seconds is None else seconds,
            render_memory=self.render_memory if memory is None else (memory or None),
        )


def default_settings(root: Path | None = None) -> Settings:
    """Settings for the project at ``root`` (the current folder by default)."""
    base = (root or Path.cwd()).resolve()
    return Settings(root=base, output_dir=base / "output")


def format_size(size: int) -> str:
    """A size as every message writes it: ``2 MiB``, ``1.95 KiB``, ``512 bytes``."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"
