"""Every character a fact sheet prints must be in a font the project ships.

A character no bundled font has would print as an empty box (the PDF stage's fontconfig
knows no host font to fall back on: :mod:`generator.render.fonts`), with a green build.
So it is an error found before rendering, located at the character in the file:
``briefs/x.yaml:12:17: players[2].local_name: no shipped font has '현' (U+D604)``.

The fonts are the files under ``templates/static/fonts/`` (``.ttf``, ``.otf``; the CJK
faces in ``fonts/cjk/``, extracted by ``make fonts``). Their character maps are read
with fontTools once and cached, per file size and modification time, in the project's
``.brief/font-cmaps.json`` and in the process (``make fonts`` leaves the maps of every
font in ``fonts/cjk/font-cmaps.json`` too, which copies of the templates carry along),
so ``brief check`` reads a small JSON file rather than 80 MB of fonts. Characters that
print nothing (controls, format characters such as joiners and bidirectional marks,
variation selectors) are not checked: the text-hazard warnings speak of those.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Diagnostic
from generator.factsheet.fields import iter_texts
from generator.factsheet.locations import format_path

if TYPE_CHECKING:
    from generator.factsheet.loader import LoadedSheet

#: The font folder under ``templates/``, and its CJK subfolder.
FONTS_DIR = "static/fonts"
CJK_DIR = "cjk"
FONT_SUFFIXES = (".ttf", ".otf")
CACHE_FILE = "font-cmaps.json"
#: General categories that draw no glyph of their own.
_UNPRINTED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CJK_HINT = " (the CJK fonts are not installed: run `make fonts`)"
_MEMO: dict[tuple[str, int, int], frozenset[int]] = {}


def prints_nothing(char: str) -> bool:
    """Whether ``char`` needs no glyph: a control, a format character, a selector."""
    point = ord(char)
    if 0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF:
        return True
    return unicodedata.category(char) in _UNPRINTED


def font_files(templates_dir: Path) -> list[Path]:
    """The shipped font files, sorted by their path under the fonts folder."""
    folder = templates_dir / FONTS_DIR
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file()]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def font_maps(templates_dir: Path, cache_dir: Path | None = None) -> dict[str, frozenset[int]]:
    """Each shipped font file (path under the fonts folder) -> the code points it maps."""
    folder = templates_dir / FONTS_DIR
    # The maps `make fonts` wrote beside the CJK faces, then the project's own cache.
    cache = {**_read_cache(folder / CJK_DIR), **_read_cache(cache_dir)}
    maps: dict[str, frozenset[int]] = {}
    changed = False
    for path in font_files(templates_dir):
        name = path.relative_to(folder).as_posix()
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        entry = cache.get(name)
        if key not in _MEMO and entry and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            _MEMO[key] = frozenset(_expand(entry[2]))
        if key not in _MEMO:
            _MEMO[key] = _read_cmap(path)
        if not entry or entry[:2] != [stat.st_size, stat.st_mtime_ns]:
            cache[name] = [stat.st_size, stat.st_mtime_ns, _ranges(_MEMO[key])]
            changed = True
        maps[name] = _MEMO[key]
    if changed and cache_dir is not None:
        _write_cache(cache_dir, {k: v for k, v in cache.items() if k in maps})
    return maps


def covered(maps: Mapping[str, frozenset[int]], cjk: bool | None = None) -> frozenset[int]:
    """The code points of every font in ``maps``; ``cjk`` True/False: only the CJK faces
    (under ``cjk/``) or only the others."""
    chosen = [m for n, m in maps.items() if cjk is None or n.startswith(CJK_DIR + "/") == cjk]
    return frozenset().union(*chosen)


def check(loaded: LoadedSheet, templates_dir: Path, cache_dir: Path | None) -> list[Diagnostic]:
    """An error per field of ``loaded`` with a character no shipped font has, at the first
    such character, counting the others; none when the project ships no fonts folder
    (nothing to check against)."""
    maps = font_maps(templates_dir, cache_dir)
    if not maps:
        return []
    have = covered(maps)
    cjk_missing = not any(n.startswith(CJK_DIR + "/") for n in maps)
    found: list[Diagnostic] = []
    for path, value, _markdown in iter_texts(loaded.sheet):
        missing = [c for c in dict.fromkeys(value) if ord(c) not in have and not prints_nothing(c)]
        if not missing:
            continue
        char = missing[0]
        line, col = loaded.source_map.locate(path, re.compile(re.escape(char)))
        message = f"no shipped font has '{char}' (U+{ord(char):04X})"
        if len(missing) > 1:
            others = len(missing) - 1
            message += f", nor {others} other character{'s' if others > 1 else ''} of this field"
        if cjk_missing and ord(char) >= 0x2E80:
            message += _CJK_HINT
        found.append(
            Diagnostic(loaded.display, line, col, format_path(path), message, code="missing-glyph")
        )
    return found


def _read_cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _ranges(points: Iterable[int]) -> list[list[int]]:
    spans: list[list[int]] = []
    for point in sorted(points):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return spans


def _expand(spans: list[list[int]]) -> Iterable[int]:
    for start, end in spans:
        yield from range(start, end + 1)


def _read_cache(cache_dir: Path | None) -> dict[str, list]:
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache_dir: Path, data: dict[str, list]) -> None:
    """Write the cache atomically; a folder that cannot be written only costs time."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_dir / f".{CACHE_FILE}.{os.getpid()}"
        partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        partial.replace(cache_dir / CACHE_FILE)
    except OSError:
        pass
