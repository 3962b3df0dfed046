"""``brand.yaml`` as typed models, resolved into the :class:`Brand` every output takes.

The model is the file's format: keys, types and defaults. The defaults are today's look
(the colours of ``templates/static/screen.css``, Noto Sans headings over Noto Serif
text, and no organisation, logo, contact, document number, citation or colophon), so a
project without ``brand.yaml`` builds exactly what it built before.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.config.brand_values import (
    DEFAULT_BODY_FONT,
    DEFAULT_HEADING_FONT,
    DEFAULT_PALETTE,
    Brand,
    Logo,
)

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _colour(value: str) -> str:
    # Only a hex colour can reach a stylesheet: nothing else of brand.yaml is CSS.
    if not _HEX.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour: write #rgb or #rrggbb, e.g. #16365c")
    return value.lower()


def _one_line(value: str) -> str:
    if "\n" in value or _CONTROL.search(value):
        raise ValueError("must be one line of text, without control characters")
    if not value.strip():
        raise ValueError("must not be empty (leave the key out instead)")
    return value.strip()


def _lines(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be text without control characters")
    if not value.strip():
        raise ValueError("must not be empty (leave the key out instead)")
    return value.strip()


Colour = Annotated[str, AfterValidator(_colour)]
OneLine = Annotated[str, AfterValidator(_one_line)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Palette(_Model):
    """The colours, each ``#rgb`` or ``#rrggbb``."""

    text: Colour = DEFAULT_PALETTE["text"]
    muted: Colour = DEFAULT_PALETTE["muted"]
    primary: Colour = DEFAULT_PALETTE["primary"]
    link: Colour = DEFAULT_PALETTE["link"]
    rule: Colour = DEFAULT_PALETTE["rule"]
    tint: Colour = DEFAULT_PALETTE["tint"]
    panel: Colour = DEFAULT_PALETTE["panel"]


class Fonts(_Model):
    """The shipped families of headings and of running text."""

    heading: str = DEFAULT_HEADING_FONT
    body: str = DEFAULT_BODY_FONT


class BrandConfig(_Model):
    """The whole of ``brand.yaml``."""

    organisation: Annotated[OneLine, Field(max_length=120)] | None = None
    logo: str | None = None
    palette: Palette = Palette()
    fonts: Fonts = Fonts()
    contact: Annotated[OneLine, Field(max_length=200)] | None = None
    document_number: Annotated[OneLine, Field(max_length=80)] | None = None
    citation: Annotated[OneLine, Field(max_length=300)] | None = None
    colophon: Annotated[str, AfterValidator(_lines), Field(max_length=1000)] | None = None


def from_config(config: BrandConfig, logo: Logo | None) -> Brand:
    """The :class:`Brand` of a checked configuration and its logo."""
    palette = config.palette
    return Brand(
        organisation=config.organisation,
        logo=logo,
        palette=tuple((role, getattr(palette, role)) for role in DEFAULT_PALETTE),
        heading_font=config.fonts.heading,
        body_font=config.fonts.body,
        contact=config.contact,
        document_number=config.document_number,
        citation=config.citation,
        colophon=config.colophon,
    )
