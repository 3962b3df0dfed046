"""The house style of a render: ``brand.yaml``'s values resolved for one output.

A render takes a brand as plain values (``generator.config``'s ``Brand``, read here by
attribute: ``render`` and ``config`` share a layer and never import each other) and
makes a :class:`BrandView`: the organisation, the logo as a ``data:`` URI, the contact
line, the document number and suggested citation filled in for the sheet, the colophon,
and the stylesheet lines that set the palette and fonts. Templates only print it; the
DOCX writer finds the same values on ``BriefView.brand``.

No brand (``None``) and the default brand give the same view: nothing to print and no
stylesheet line, so the outputs are those of a project without ``brand.yaml``. Only
colours that differ from today's and fonts other than today's are written out, as CSS
custom properties after every stylesheet; a colour has been checked to be ``#rgb`` or
``#rrggbb`` and a font is one of :data:`FONT_STACKS`, so nothing of the file is CSS
text of its own.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from generator.render.templating import long_date

#: The CSS custom property of each palette role (``templates/static/screen.css``).
PALETTE_PROPERTIES: Mapping[str, str] = MappingProxyType(
    {
        "text": "--ink",
        "muted": "--muted",
        "primary": "--navy",
        "link": "--link",
        "rule": "--rule",
        "tint": "--tint",
        "panel": "--panel",
    }
)


@dataclass(frozen=True)
class FontStack:
    """A shipped family as each target names it: the bundled faces, with the symbol and
    CJK faces that back them up (``templates/static/fonts.css``, ``fonts-cjk.css``). The
    PDF and the HTML name the same faces (the HTML inlines them), so the two match."""

    pdf: str
    html: str


_SERIF = '"Brief Serif", "Brief Math", "Brief Symbols", "Brief Serif CJK"'
_SANS = '"Brief Sans", "Brief Math", "Brief Symbols", "Brief Sans CJK"'
#: The shipped families a brand may choose, and today's choice of each role.
FONT_STACKS: Mapping[str, FontStack] = MappingProxyType(
    {
        "Noto Serif": FontStack(_SERIF, f"{_SERIF}, serif"),
        "Noto Sans": FontStack(_SANS, f"{_SANS}, sans-serif"),
    }
)
DEFAULT_FONTS = {"heading": "Noto Sans", "body": "Noto Serif"}
_FONT_PROPERTIES = {"heading": "--font-heading", "body": "--font-body"}


@dataclass(frozen=True)
class BrandView:
    """What the templates (and the DOCX writer) print of the brand; None: not shown.

    ``palette`` is every role's colour (today's where the brand sets none), ``colophon``
    its paragraphs, ``logo_data`` and ``logo_mime`` the logo's bytes for a writer that
    embeds images itself.
    """

    organisation: str | None = None
    logo_uri: str | None = None
    logo_mime: str | None = None
    logo_data: bytes | None = field(default=None, repr=False)
    contact: str | None = None
    document_number: str | None = None
    citation: str | None = None
    colophon: tuple[str, ...] = ()
    palette: Mapping[str, str] = field(default_factory=dict)
    heading_font: str = DEFAULT_FONTS["heading"]
    body_font: str = DEFAULT_FONTS["body"]

    @property
    def logo_alt(self) -> str:
        """The logo's text alternative (a tagged PDF requires one): whose logo it is."""
        return f"{self.organisation} logo" if self.organisation else "Logo"

    @property
    def has_masthead(self) -> bool:
        """Whether there is a logo or an organisation to show above the title."""
        return bool(self.logo_uri or self.organisation)

    @property
    def has_colophon(self) -> bool:
        """Whether the document ends with a colophon (citation, contact, colophon text)."""
        return bool(self.citation or self.contact or self.colophon)


def brand_view(
    brand: Any,
    *,
    brief_id: str | None = None,
    sheet: Any = None,
    authors: Sequence[str] = (),
    locale: str = "en",
) -> BrandView:
    """The view of ``brand`` (None: no brand) for the sheet ``brief_id``, its dates in
    ``locale``; without a sheet (the index page), no document number or citation."""
    if brand is None:
        return BrandView()
    logo = brand.logo
    number = None
    citation = None
    if sheet is not None and brief_id is not None:
        as_of: dt.date = sheet.as_of
        number = _number(brand.document_number, brief_id, as_of)
        if brand.citation:
            values = {
                "title": sheet.title,
                "authors": join_names(authors),
                "year": str(as_of.year),
                "date": long_date(as_of, locale),
                "organisation": brand.organisation or "",
                "document_number": number or "",
                "id": brief_id,
            }
            citation = fill(brand.citation, values)
    return BrandView(
        organisation=brand.organisation,
        logo_uri=None if logo is None else logo.data_uri,
        logo_mime=None if logo is None else logo.mime,
        logo_data=None if logo is None else logo.data,
        contact=brand.contact,
        document_number=number,
        citation=citation,
        colophon=_paragraphs(brand.colophon),
        palette=MappingProxyType(dict(brand.palette)),
        heading_font=brand.heading_font,
        body_font=brand.body_font,
    )


def brand_css(brand: Any, target: Literal["html", "pdf"]) -> str:
    """The ``:root`` rule that sets what ``brand`` changes of today's palette and fonts
    for ``target``; empty when it changes nothing."""
    if brand is None:
        return ""
    lines = [f"  {PALETTE_PROPERTIES[role]}: {hex_};" for role, hex_ in brand.palette_changes]
    for role, family in (("heading", brand.heading_font), ("body", brand.body_font)):
        if family != DEFAULT_FONTS[role]:
            stack = FONT_STACKS[family]
            lines.append(f"  {_FONT_PROPERTIES[role]}: {getattr(stack, target)};")
    if not lines:
        return ""
    return "/* brand.yaml */\n:root {\n" + "\n".join(lines) + "\n}\n"


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``: the authors of a citation."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def fill(pattern: str, values: Mapping[str, str]) -> str:
    """``pattern`` with each bare ``{field}`` replaced by its value as plain text.

    The pattern was checked when ``brand.yaml`` was read (only known bare fields); a
    value is never read as a pattern, so sheet text cannot add fields.
    """
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return "".join(out)


def _number(pattern: str | None, brief_id: str, as_of: dt.date) -> str | None:
    if not pattern:
        return None
    values = {
        "year": f"{as_of.year:04d}",
        "month": f"{as_of.month:02d}",
        "day": f"{as_of.day:02d}",
        "id": brief_id,
        "ID": brief_id.upper(),
    }
    return fill(pattern, values)


def _paragraphs(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
