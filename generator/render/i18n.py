"""The language of a briefing: its words from a gettext message catalog, its locale data.

Every word the project itself writes (headings, labels, the "what changed" sentences) is
an English (US) message id, translated through ``templates/locale/<tag>.po``: one catalog
per language, edited by a translator without touching a template (docs/translating.md).
The catalogs are read as ``.po`` at run time, not compiled to ``.mo``: nothing generated
is committed or can go stale, and a catalog is a template input like any other file under
``templates/``, so editing one rebuilds the briefings in that language.

A language with no catalog is written in English (labels, dates and numbers alike, so a
page never mixes two languages in what the project writes) and logged as a warning once
per process: it is never an error, not even under ``--strict``.

Babel is imported inside functions: ``brief check`` and ``brief --help`` never load it.
"""

from __future__ import annotations

import functools
import gettext
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: The language the message ids are written in; it needs no catalog.
SOURCE_LANGUAGE = "en"
#: Where the catalogs are, relative to ``templates/``; the template (.pot) is beside them.
LOCALE_DIR = "locale"
CATALOG_TEMPLATE = f"{LOCALE_DIR}/brief.pot"


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (translated where printed)."""
    return message


@dataclass(frozen=True)
class Language:
    """A briefing's language: its tag, its Babel locale, its translations."""

    #: The tag the fact sheet asked for (``zh-Hant``), as the HTML ``lang`` prints it.
    tag: str
    #: The Babel locale identifier dates and numbers use (``zh_Hant``; ``en`` on fallback).
    locale: str
    translations: gettext.NullTranslations
    #: ``locale/<tag>.po`` the words came from; None for English or a fallback.
    catalog: str | None = None
    #: True when the language has no catalog and the briefing is written in English.
    fallback: bool = False

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """``singular`` or ``plural`` for ``n``, in this language's plural rules."""
        return self.translations.ngettext(singular, plural, n)

    def words(self) -> str:
        """Every translated message, run together: the characters this language's labels
        can print (the HTML inlines the CJK glyphs a page needs from them)."""
        messages = getattr(self.translations, "messages", {})
        return " ".join(m if isinstance(m, str) else " ".join(m) for m in messages.values())

    def label(self, labels: Any, code: str) -> str:
        """The word for ``code`` in a table of :mod:`generator.render.labels`, translated."""
        return self.gettext(labels[code])


class _CatalogTranslations(gettext.NullTranslations):
    """Translations read from a Babel catalog; an empty or fuzzy entry falls back to English."""

    def __init__(self, catalog: Any) -> None:
        super().__init__()
        self.messages: dict[Any, Any] = {}
        self._plural = catalog.plural_expr
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                self.messages[message.id] = message.string

    def gettext(self, message: str) -> str:
        found = self.messages.get(message)
        return found if isinstance(found, str) and found else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self.messages.get((msgid1, msgid2)) or self.messages.get(msgid1)
        if not isinstance(found, tuple | list) or not all(found):
            return msgid1 if n == 1 else msgid2
        index = _plural_index(self._plural, n)
        return found[min(index, len(found) - 1)]


def _plural_index(expression: str, n: int) -> int:
    """The plural form for ``n`` by the catalog's ``Plural-Forms`` (gettext's C syntax)."""
    return int(gettext.c2py(expression)(n))


def catalog_candidates(tag: str) -> list[str]:
    """The catalog names to look for, most specific first: ``zh-Hant-TW``, ``zh-Hant``, ``zh``.

    The script is inferred where the tag leaves it out (``zh-TW`` is ``zh-Hant``), so a
    Taiwanese sheet finds the Traditional catalog rather than falling back to English.
    """
    from babel import Locale, UnknownLocaleError

    names = [tag]
    try:
        parsed = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return names
    if parsed.script:
        names.append(f"{parsed.language}-{parsed.script}")
    if parsed.territory:
        names.append(f"{parsed.language}-{parsed.territory}")
    names.append(parsed.language)
    return list(dict.fromkeys(names))


def language_for(tag: str, templates_dir: Path) -> Language:
    """The :class:`Language` of ``tag`` with the catalogs under ``templates_dir/locale``."""
    folder = templates_dir / LOCALE_DIR
    for name in catalog_candidates(tag):
        path = _find_catalog(folder, name)
        if path is not None:
            stat = path.stat()
            return _load(tag, path, f"{LOCALE_DIR}/{path.name}", stat.st_mtime_ns, stat.st_size)
    if _primary(tag) == SOURCE_LANGUAGE:
        return Language(tag, _babel_locale(tag), gettext.NullTranslations())
    _warn_fallback(tag)
    return Language(tag, SOURCE_LANGUAGE, gettext.NullTranslations(), fallback=True)


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def _find_catalog(folder: Path, name: str) -> Path | None:
    """``folder/<name>.po``, the name matched without regard to case (``en-gb`` finds en-GB)."""
    exact = folder / f"{name}.po"
    if exact.is_file():
        return exact
    if not folder.is_dir():
        return None
    wanted = f"{name}.po".casefold()
    return next((p for p in sorted(folder.glob("*.po")) if p.name.casefold() == wanted), None)


@functools.lru_cache(maxsize=64)
def _load(tag: str, path: Path, relative: str, _mtime: int, _size: int) -> Language:
    """The catalog at ``path`` (cached while its stat is unchanged: a watch session re-reads
    an edited catalog)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    return Language(tag, _babel_locale(tag), _CatalogTranslations(catalog), relative)


def _babel_locale(tag: str) -> str:
    """Babel's identifier for ``tag`` (``en-GB`` -> ``en_GB``), English when Babel has no data."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag, sep="-"))
    except (UnknownLocaleError, ValueError):
        return SOURCE_LANGUAGE


@functools.cache
def _warn_fallback(tag: str) -> None:
    log.warning(
        "language %r has no message catalog (templates/%s/): its briefings are written "
        "in English (labels, dates and numbers)",
        tag,
        LOCALE_DIR,
    )


def page_label_css(language: Language) -> str:
    """The page-number margin box of ``print.css`` in ``language``: "Page 2 of 6",
    "Seite 2 von 6", "第 2 頁，共 6 頁", the numbers CSS counters in the page's digits."""
    import re

    template = language.gettext("Page %(page)s of %(pages)s")
    parts = []
    for index, piece in enumerate(re.split(r"%\((pages?)\)s", template)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "@page { @bottom-right { content: " + " ".join(parts) + "; } }\n"
