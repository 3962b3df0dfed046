"""The logo of ``brand.yaml``: a file of the project, an SVG or PNG, small, checked.

The logo is never fetched: it is a path relative to the project root, with no ``..``
part, that must lead (every link resolved) to a regular file inside the project. Its
bytes are read once, here, and every output inlines them as a ``data:`` URI in an
``<img>`` (the PDF's printer is handed exactly that URI), so an SVG is never markup of
the page and no output ever requests anything.

An SVG is parsed without a document type (no entities, so no expansion bombs, no
external entities) and must draw on its own: no script, no ``foreignObject``, no
reference but to its own elements (``href="#..."``), no ``url(...)`` but ``url(#...)``,
no event handler attributes, and no text (drawn in the machine's fonts, it would make
PDFs differ between machines: convert text to paths). A PNG's header must be sound and
its size at most :data:`MAX_LOGO_PIXELS` a side, so a tiny file cannot unpack into a
huge image.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path, PurePosixPath

from generator.config.brand_values import Logo

#: The largest logo file accepted.
MAX_LOGO_BYTES = 256 * 1024
#: The widest or tallest PNG accepted, in pixels.
MAX_LOGO_PIXELS = 4096
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


class LogoProblem(ValueError):
    """Why the logo cannot be used, worded for the person who set it."""


def check_logo(text: str, root: Path) -> Logo:
    """The logo at ``text`` (relative to ``root``), read and checked; raise
    :class:`LogoProblem` otherwise."""
    relative = _relative(text)
    real = Path(os.path.realpath(root / relative))
    if not real.is_relative_to(os.path.realpath(root)):
        raise LogoProblem(f"'{text}' leads outside the project; copy the file into the project")
    suffix = relative.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise LogoProblem(f"'{text}' is not an .svg or .png file")
    data = _read(real, text)
    if suffix == ".png":
        _check_png(data, text)
    else:
        _check_svg(data, text)
    return Logo(relative.as_posix(), MEDIA_TYPES[suffix], data)


def _relative(text: str) -> PurePosixPath:
    path = PurePosixPath(text)
    if "\\" in text or "\x00" in text:
        raise LogoProblem(f"'{text}' is not a path: write it with / between folders")
    if path.is_absolute() or text.startswith("~"):
        raise LogoProblem(f"'{text}' must be a path relative to the project root")
    if ".." in path.parts:
        raise LogoProblem(f"'{text}' may not contain '..': the logo must be inside the project")
    if str(path) in ("", "."):
        raise LogoProblem("must name a file")
    return path


def _read(real: Path, text: str) -> bytes:
    try:
        with open(real, "rb") as handle:
            if not os.path.isfile(real):
                raise LogoProblem(f"'{text}' is not a regular file")
            data = handle.read(MAX_LOGO_BYTES + 1)
    except FileNotFoundError:
        raise LogoProblem(f"'{text}' does not exist") from None
    except IsADirectoryError:
        raise LogoProblem(f"'{text}' is not a regular file") from None
    except OSError as exc:
        raise LogoProblem(f"cannot read '{text}': {exc.strerror or exc}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoProblem(f"'{text}' is larger than {MAX_LOGO_BYTES // 1024} KB")
    if not data:
        raise LogoProblem(f"'{text}' is empty")
    return data


def _check_png(data: bytes, text: str) -> None:
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        raise LogoProblem(f"'{text}' is not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise LogoProblem(f"'{text}' is {width}×{height} pixels; at most {MAX_LOGO_PIXELS} a side")


def _check_svg(data: bytes, text: str) -> None:
    import xml.etree.ElementTree as ET

    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise LogoProblem(f"'{text}' has a document type; save the SVG without one")
    if b"<?XML-STYLESHEET" in upper:
        raise LogoProblem(f"'{text}' imports a stylesheet; a logo must stand alone")
    try:
        tree = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LogoProblem(f"'{text}' is not a well-formed SVG file ({exc})") from None
    if tree.tag != f"{_SVG_NS}svg":
        raise LogoProblem(f"'{text}' is not an SVG image (its root element is not <svg>)")
    for element in tree.iter():
        _check_element(element, text)


def _check_element(element: object, text: str) -> None:
    tag = str(getattr(element, "tag", "")).rsplit("}", 1)[-1]
    if tag in ("text", "tspan", "textPath"):
        # Drawn with whatever fonts the machine has: the PDF would differ from one to another.
        raise LogoProblem(f"'{text}' has text (<{tag}>); convert the text to paths")
    if tag in _FORBIDDEN:
        raise LogoProblem(f"'{text}' has a <{tag}> element; a logo must only draw")
    attributes: dict[str, str] = getattr(element, "attrib", {})
    values = [(name.rsplit("}", 1)[-1], value) for name, value in attributes.items()]
    if tag == "style":
        values.append(("style", getattr(element, "text", None) or ""))
    for name, value in values:
        if name.lower().startswith("on"):
            raise LogoProblem(f"'{text}' has an event handler ({name}); a logo must only draw")
        if name == "href" and not value.strip().startswith("#"):
            raise LogoProblem(
                f"'{text}' refers to another file ({value[:60]}); a logo must stand alone"
            )
        for url in _URL.findall(value):
            if not url.startswith("#"):
                raise LogoProblem(
                    f"'{text}' refers to another file ({url[:60]}); a logo must stand alone"
                )
        if "@import" in value:
            raise LogoProblem(f"'{text}' imports a stylesheet; a logo must stand alone")
