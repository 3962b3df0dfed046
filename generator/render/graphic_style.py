"""What the graphics (timeline strip, locator map) draw with: colours and font family.

They are SVG attributes, not CSS: WeasyPrint does not apply the page's stylesheet inside
an inline SVG. The HTML's stylesheet sets the reader's own font stack over the family.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from generator.render.branding import FONT_STACKS

#: The colours as ``screen.css`` sets them in ``:root``; a brand.yaml palette replaces them.
GRAPHIC_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "text": "#1f2328",
        "muted": "#56606b",
        "primary": "#16365c",
        "rule": "#c8d0da",
        "tint": "#edf1f6",
    }
)


def graphic_colours(palette: Mapping[str, str]) -> Mapping[str, str]:
    """The graphics' colours: :data:`GRAPHIC_COLOURS` with the brand's ``palette`` over them."""
    return {**GRAPHIC_COLOURS, **palette}


def graphic_font(heading_font: str) -> str:
    """The family of the graphics' text: the bundled heading face the PDF embeds."""
    return FONT_STACKS[heading_font].pdf
