"""matplotlib's SVG of a chart, made plain: the same picture in fewer, simpler nodes.

WeasyPrint draws an SVG node by node, and for each it parses the ``style`` attribute as
CSS, matches the document's ``<style>`` rules and cascades the attributes down; a
chart's cost in the PDF is mostly that walk. matplotlib writes each tick as five nested
groups, most of them empty, a style attribute on every element, a universal ``<style>``
rule, and a clip path on every bar and grid line. What :func:`plain_svg` keeps draws the
same (the plot's artists lie inside the axes, whose limits matplotlib fits to the data,
so clipping to them cuts nothing), and a browser shows it the same:

- ``style`` declarations become presentation attributes (an attribute already there
  stays: there is none in matplotlib's output);
- the ``*{stroke-linejoin; stroke-linecap}`` rule becomes attributes of the root, which
  every element inherits;
- groups without attributes are unwrapped, empty ones dropped, and so are the clip paths
  and the ids of matplotlib's groups (``figure_1``..., which would repeat on a page of
  charts);
- ``rotate(-0 ...)`` of every upright text goes, and coordinates keep two decimals (a
  hundredth of a point).
"""

from __future__ import annotations

import re
from typing import Any

_SVG = "{http://www.w3.org/2000/svg}"
_UPRIGHT = re.compile(r"rotate\(-0 [-\d. ]+\)")
_DIGITS = re.compile(r"(?<![\w#.-])(-?\d+\.\d{3,})(?![\w.])")
_GEOMETRY = frozenset({"d", "x", "y", "width", "height", "transform", "viewBox"})
_RULE = re.compile(r"\*\s*\{([^}]*)\}")


def plain_svg(svg: str) -> str:
    """``svg`` (one ``<svg>`` element as matplotlib writes it) made plain, as above."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    for style in root.iter(f"{_SVG}style"):
        for rule in _RULE.findall(style.text or ""):
            _set_declarations(root, rule)
        _remove(style)
    for element in root.iter("*"):
        _plain_element(element)
    for clip in list(root.iter(f"{_SVG}clipPath")):
        _remove(clip)
    for defs in list(root.iter(f"{_SVG}defs")):
        if len(defs) == 0:
            _remove(defs)
    _unwrap_groups(root)
    return etree.tostring(root, encoding="unicode").strip()


def _plain_element(element: Any) -> None:
    style = element.attrib.pop("style", None)
    if style:
        _set_declarations(element, style)
    element.attrib.pop("clip-path", None)
    if element.tag == f"{_SVG}g":
        element.attrib.pop("id", None)
    transform = element.get("transform")
    if transform is not None and _UPRIGHT.fullmatch(transform.strip()):
        del element.attrib["transform"]
    # Geometry only: a text's words ("2.500" in German) are never touched.
    for name in _GEOMETRY.intersection(element.attrib):
        element.set(name, _DIGITS.sub(_rounded, element.get(name)))


def _set_declarations(element: Any, declarations: str) -> None:
    for declaration in declarations.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if colon and name and name not in element.attrib:
            element.set(name, value)


def _unwrap_groups(root: Any) -> None:
    """Move the children of every attribute-less ``<g>`` into its place; drop empty ones.
    Deepest first, so a group emptied by its children's removal goes too."""
    for group in reversed(list(root.iter(f"{_SVG}g"))):
        if group.attrib:
            if len(group) == 0:
                _remove(group)
            continue
        parent = group.getparent()
        index = parent.index(group)
        for offset, child in enumerate(list(group)):
            parent.insert(index + offset, child)
        _remove(group)


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _rounded(match: re.Match[str]) -> str:
    text = f"{float(match.group(1)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
