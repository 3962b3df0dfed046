"""The house style as plain values: today's look, and :class:`Brand`, what a render takes.

Free of pydantic and YAML, so that the build's planner can tell what today's look is
(the fingerprints a build state recorded before ``brand.yaml`` existed stand for it)
without the libraries a build with nothing to do never loads. ``brand_model.py`` reads
the file into these values.

:class:`Brand` is plain values, the logo's bytes read and checked, picklable for the
build's workers. The renderer reads it by attribute, without importing this package
(``render`` and ``config`` sit on one layer; see docs/architecture.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field

#: The palette's roles, each a CSS custom property of the stylesheets, with today's value.
DEFAULT_PALETTE: dict[str, str] = {
    "text": "#1f2328",
    "muted": "#56606b",
    "primary": "#16365c",
    "link": "#0b4f8a",
    "rule": "#c8d0da",
    "tint": "#edf1f6",
    "panel": "#f2f5f9",
}
#: The font families shipped in ``templates/static/fonts/`` that may set headings or
#: text, and their files there. The symbol and CJK faces are not: they back every family
#: up (``generator/render/branding.py`` FONT_STACKS).
SHIPPED_FONTS: dict[str, tuple[str, ...]] = {
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Noto Serif": (
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-Italic.ttf",
        "NotoSerif-BoldItalic.ttf",
    ),
}
DEFAULT_HEADING_FONT = "Noto Sans"
DEFAULT_BODY_FONT = "Noto Serif"
#: The fields of ``document_number``: the year, month and day of the sheet's ``as_of``,
#: and the brief id (``ID``: upper-case). No running number: see docs/brand.md.
NUMBER_FIELDS: tuple[str, ...] = ("year", "month", "day", "id", "ID")
#: The fields of ``citation``.
CITATION_FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "year",
    "date",
    "organisation",
    "document_number",
    "id",
)
#: The brand's parts as the build fingerprints them (docs/brand.md, "What rebuilds").
PARTS: tuple[str, ...] = (
    "organisation",
    "logo",
    "contact",
    "palette",
    "fonts",
    "document_number",
    "citation",
    "colophon",
)


@dataclass(frozen=True)
class Logo:
    """The logo's project-relative path, media type and bytes (checked)."""

    path: str
    mime: str
    data: bytes = field(repr=False)

    @property
    def data_uri(self) -> str:
        """The logo as a ``data:`` URI, for an ``<img>`` (never inlined as markup)."""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes shown."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Brand:
    """The resolved house style: what a render takes (see the module docstring)."""

    organisation: str | None = None
    logo: Logo | None = None
    palette: tuple[tuple[str, str], ...] = tuple(DEFAULT_PALETTE.items())
    heading_font: str = DEFAULT_HEADING_FONT
    body_font: str = DEFAULT_BODY_FONT
    contact: str | None = None
    document_number: str | None = None
    citation: str | None = None
    colophon: str | None = None

    @property
    def palette_changes(self) -> tuple[tuple[str, str], ...]:
        """The roles whose colour is not today's: the only ones a render writes out."""
        return tuple((role, hex_) for role, hex_ in self.palette if DEFAULT_PALETTE[role] != hex_)

    def fingerprints(self) -> dict[str, str]:
        """A hash of each of :data:`PARTS`: an output records those of the parts it shows."""
        # The logo's bytes are an input of their own (its path): see builder/inputs.py.
        logo = None if self.logo is None else [self.logo.path, self.logo.mime]
        values = {
            "organisation": self.organisation,
            "logo": logo,
            "contact": self.contact,
            "palette": list(self.palette),
            "fonts": [self.heading_font, self.body_font],
            "document_number": self.document_number,
            "citation": self.citation,
            "colophon": self.colophon,
        }
        return {part: _digest(values[part]) for part in PARTS}


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
