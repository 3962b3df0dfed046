"""The PDF stage's own fontconfig: it knows no font but those the project ships.

WeasyPrint finds fonts through fontconfig, whose default configuration lists the host's
font folders (``/usr/share/fonts``, ``~/.fonts``, ``$XDG_DATA_HOME/fonts``...). A
character that no ``@font-face`` of the document covers would then be drawn with
whatever the host has (DejaVu on a Debian server), and a font the host installs under a
family name a stylesheet asks for could stand in for the bundled one: the PDF's look and
bytes would depend on the machine. So before fontconfig first loads (WeasyPrint's import
loads it) and whenever WeasyPrint makes a configuration, ``FONTCONFIG_FILE`` names a
generated ``fonts.conf`` that includes nothing and lists one font folder, of links to
the shipped fonts, with its own cache folder: the only fonts are the project's, the
``@font-face`` files the confined fetcher serves from ``templates/static/fonts/``. A
character none of them has prints as the font's empty box, which the fact-sheet check
reports before rendering (:mod:`generator.factsheet.glyphs`).

The variable is set only around those calls and restored after, so a program this
process starts (LibreOffice in the tests, a mail client) still sees the host's fonts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: A configuration with one font folder (links to the shipped fonts), no <include> and
#: its own cache.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <config><rescan><int>0</int></rescan></config>
</fontconfig>
"""
#: The variables through which fontconfig could read another configuration.
_FONTCONFIG_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
#: This process's configuration files: templates root -> path.
_CONFIG: dict[Path | None, Path] = {}


def shipped_font_files(root: Path | None) -> list[Path]:
    """The font files directly under ``root/static/fonts/`` (not the CJK subfolder)."""
    folder = root / "static" / "fonts" if root is not None else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".otf"))


def config_file(root: Path | None = None) -> Path:
    """The generated ``fonts.conf`` for the templates under ``root``, written on first use
    in a private temporary folder, removed when the process that made it exits.

    Its one font folder holds links to the shipped Latin and symbol fonts: the CSS names
    them by their ``@font-face`` families, and fontconfig (and Pango, which cannot lay
    out text with no font at all) has a font even for a page that declares none. A
    forked worker uses its parent's (the same text; the parent outlives it).
    """
    if root in _CONFIG and _CONFIG[root].is_file():
        return _CONFIG[root]
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="brief-fontconfig-"))
    (folder / "cache").mkdir()
    (folder / "fonts").mkdir()
    for font in shipped_font_files(root):
        (folder / "fonts" / font.name).symlink_to(font)
    path = folder / "fonts.conf"
    text = FONTS_CONF.format(
        fonts=(folder / "fonts").as_posix(), cache=(folder / "cache").as_posix()
    )
    path.write_text(text, encoding="utf-8")
    pid = os.getpid()
    atexit.register(lambda: os.getpid() == pid and shutil.rmtree(folder, ignore_errors=True))
    _CONFIG[root] = path
    return path


@contextmanager
def confined_fontconfig(root: Path | None = None) -> Iterator[Path]:
    """Within the block, fontconfig reads only :func:`config_file` (see the module doc).

    WeasyPrint's import checks that fontconfig has fonts and warns when it has none:
    that is the point here, so the warning is silenced within the block.
    """
    import warnings

    saved = {name: os.environ.get(name) for name in _FONTCONFIG_VARIABLES}
    path = config_file(root)
    os.environ["FONTCONFIG_FILE"] = str(path)
    os.environ.pop("FONTCONFIG_PATH", None)
    os.environ.pop("FONTCONFIG_SYSROOT", None)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
            yield path
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
