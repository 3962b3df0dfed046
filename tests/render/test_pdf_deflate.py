"""The PDF's streams are deflated at zlib's default level (render/pdf_deflate.py)."""

from __future__ import annotations

import re
import zlib

from generator.render.pdf_deflate import LEVEL


def _deflated_streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """(stored bytes, inflated bytes) of every deflated stream of ``pdf``."""
    found = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(pdf[start:])
        except zlib.error:
            continue  # not deflated (or the "endstream" keyword)
        stored = pdf[start : len(pdf) - len(inflater.unused_data)]
        found.append((stored, inflated))
    return found


def test_every_stream_is_deflated_at_the_default_level(rich) -> None:
    streams = _deflated_streams(rich.pdf)
    # Page contents, font files, the object streams: a briefing has dozens.
    assert len(streams) > 10
    for stored, inflated in streams:
        assert stored == zlib.compress(inflated, LEVEL)
    # Level 9, pydyf's own, gives other bytes for the larger streams.
    assert any(zlib.compress(inflated, 9) != stored for stored, inflated in streams)
