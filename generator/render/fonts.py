"""The PDF stage's own fontconfig: it knows no font but those the project ships.

WeasyPrint finds fonts through fontconfig, whose default configuration lists the host's
font folders (``/usr/share/fonts``, ``~/.fonts``, ``$XDG_DATA_HOME/fonts``...). A
character that no ``@font-face`` of the document covers would then be drawn with
whatever the host has (DejaVu on a Debian server), and a font the host installs under a
family name a stylesheet asks for could stand in for the bundled one: the PDF's look and
bytes would depend on the machine. So before fontconfig first loads (WeasyPrint's import
loads it) and whenever WeasyPrint makes a configuration, ``FONTCONFIG_FILE`` names a
generated ``fonts.conf`` that lists no font folder and includes nothing, with its own
cache folder: the only fonts are the ``@font-face`` files the confined fetcher serves
from ``templates/static/fonts/``. A character none of them has prints as the font's
empty box, which the fact-sheet check reports before rendering
(:mod:`generator.factsheet.glyphs`).

The variable is set only around those calls and restored after, so a program this
process starts (LibreOffice in the tests, a mail client) still sees the host's fonts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: A configuration with no <dir>, no <include> and its own cache: no font at all.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
  <config><rescan><int>0</int></rescan></config>
</fontconfig>
"""
#: The variables through which fontconfig could read another configuration.
_FONTCONFIG_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
#: This process's configuration file: (process id, path).
_CONFIG: list[tuple[int, Path]] = []


def config_file() -> Path:
    """The generated ``fonts.conf`` of this process, written on first use in a private
    temporary folder, removed when the process that made it exits.

    A forked worker uses its parent's (the same text; the parent outlives it).
    """
    if _CONFIG and _CONFIG[0][1].is_file():
        return _CONFIG[0][1]
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="brief-fontconfig-"))
    (folder / "cache").mkdir()
    path = folder / "fonts.conf"
    path.write_text(FONTS_CONF.format(cache=(folder / "cache").as_posix()), encoding="utf-8")
    pid = os.getpid()
    atexit.register(lambda: os.getpid() == pid and shutil.rmtree(folder, ignore_errors=True))
    _CONFIG[:] = [(pid, path)]
    return path


@contextmanager
def confined_fontconfig() -> Iterator[Path]:
    """Within the block, fontconfig reads only :func:`config_file` (see the module doc).

    WeasyPrint's import checks that fontconfig has fonts and warns when it has none:
    that is the point here, so the warning is silenced within the block.
    """
    import warnings

    saved = {name: os.environ.get(name) for name in _FONTCONFIG_VARIABLES}
    path = config_file()
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
