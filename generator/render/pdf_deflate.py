"""The PDF's streams deflated at zlib's default level, not pydyf's level 9.

pydyf (the PDF writer under WeasyPrint) compresses every stream, page contents and font
files alike, with ``zlib.compressobj(level=9)``. On the page contents WeasyPrint writes,
level 9 takes four times level 6's time for a file some 3.5 % smaller: on the large
synthetic briefing (43 pages, 3.6 MB of streams) 0.21 s against 0.05 s of a 4.5 s
build (bench/RESULTS.md). The streams inflate to the same bytes either way, so every
page looks the same; the PDF is still the same bytes for the same input.

pydyf offers no setting for the level, so the ``zlib`` its module uses is replaced by
one whose ``compressobj`` deflates at :data:`LEVEL`; everything else is zlib's own.
"""

from __future__ import annotations

import zlib
from types import SimpleNamespace
from typing import Any

#: zlib's own default: the usual balance of time and size (``zlib.Z_DEFAULT_COMPRESSION``).
LEVEL = 6


def _compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
    """``zlib.compressobj`` at :data:`LEVEL`, whatever level the caller asks for."""
    return zlib.compressobj(LEVEL, *args, **kwargs)


def use_default_level() -> None:
    """Make pydyf deflate its streams at :data:`LEVEL` (idempotent)."""
    import pydyf

    if getattr(pydyf.zlib, "compressobj", None) is _compressobj:
        return
    names = {name: getattr(zlib, name) for name in dir(zlib) if not name.startswith("__")}
    pydyf.zlib = SimpleNamespace(**{**names, "compressobj": _compressobj})
