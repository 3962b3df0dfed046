"""The colours a chart is drawn in: the stylesheet's, so a chart matches its page.

The stylesheets are the one place that defines the palette: the ``:root`` custom
properties of ``templates/static/screen.css`` (``--ink``, ``--muted``, ``--rule``...) and
of ``figures.css`` (``--chart-1`` ... for the series, which may name another colour
with ``var()``). The brand's palette
(``brand.yaml``) replaces the properties it sets, as its stylesheet lines do on the page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from generator.render.branding import PALETTE_PROPERTIES

#: The stylesheets whose ``:root`` blocks hold the palette, in cascade order.
PALETTE_STYLESHEETS = ("static/screen.css", "static/figures.css")
_SERIES = re.compile(r"^--chart-(\d+)$")
_VAR = re.compile(r"^var\(\s*(--[\w-]+)\s*\)$")


def chart_palette(templates_dir: Path, brand_palette: Mapping[str, str]) -> dict[str, object]:
    """``ink``, ``muted``, ``rule`` (colours) and ``series`` (a list of colours in order)."""
    properties: dict[str, str] = {}
    for name in PALETTE_STYLESHEETS:
        properties.update(root_properties((templates_dir / name).read_text("utf-8")))
    for role, name in PALETTE_PROPERTIES.items():
        if role in brand_palette:
            properties[name] = brand_palette[role]
    resolved = {name: _resolve(properties, name) for name in properties}
    series = sorted(
        (int(m.group(1)), value) for name, value in resolved.items() if (m := _SERIES.match(name))
    )
    return {
        "ink": resolved["--ink"],
        "muted": resolved["--muted"],
        "rule": resolved["--rule"],
        "series": [value for _, value in series],
    }


def root_properties(css: str) -> dict[str, str]:
    """The custom properties set in the ``:root`` rules of ``css``, last one winning."""
    return dict(_root_properties(css))


@functools.lru_cache(maxsize=8)
def _root_properties(css: str) -> tuple[tuple[str, str], ...]:
    # Parsed once per stylesheet text: screen.css takes some milliseconds to parse, and
    # every briefing with charts asks for the palette twice (its HTML and its PDF).
    import tinycss2

    found: dict[str, str] = {}
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
            if item.type == "declaration" and item.name.startswith("--"):
                found[item.name] = tinycss2.serialize(item.value).strip()
    return tuple(found.items())


def _resolve(properties: Mapping[str, str], name: str, depth: int = 0) -> str:
    value = properties[name]
    match = _VAR.match(value)
    if match and depth < 8 and match.group(1) in properties:
        return _resolve(properties, match.group(1), depth + 1)
    return value
