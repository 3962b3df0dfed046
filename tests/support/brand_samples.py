"""Logos and brand files for the brand tests: a real PNG and SVG, and a test house style."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

#: A small SVG logo that only draws (no text, no reference): a square, a ring, a bar.
LOGO_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
  <rect x="0" y="0" width="40" height="40" rx="6" fill="#2a9d8f"/>
  <circle cx="20" cy="20" r="10" fill="#ffffff"/>
  <path d="M48 12h20v4h-8v16h-4v-16h-8z" fill="#2a9d8f"/>
</svg>
"""

#: A house style other than today's: every key set.
TEST_BRAND = """\
organisation: Office of Transport Policy
logo: brand/logo.svg
palette:
  primary: "#7a1f5c"
  link: "#a0306f"
  tint: "#f6eef3"
fonts:
  heading: Noto Serif
  body: Noto Sans
contact: "Policy desk · policy@example.org"
document_number: "OTP-{year}-{ID}"
citation: "{organisation} ({year}). {title}. {authors}. {document_number}."
colophon: |
  Prepared by the policy desk from public sources.

  Not an official position of the Office.
"""


def png(width: int = 4, height: int = 2, rgb: tuple[int, int, int] = (122, 31, 92)) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def write_brand(root: Path, text: str = TEST_BRAND, logo: str | bytes = LOGO_SVG) -> Path:
    """``brand.yaml`` at ``root`` and the logo under ``brand/``; the file's path."""
    folder = root / "brand"
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(logo, bytes):
        (folder / "logo.png").write_bytes(logo)
    else:
        (folder / "logo.svg").write_text(logo, encoding="utf-8")
    path = root / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path
