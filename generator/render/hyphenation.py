"""The project's English hyphenation: where WeasyPrint may break an English word.

WeasyPrint hyphenates with Pyphen's dictionary for the element's language, and for
``en`` Pyphen picks the British patterns, which break by etymology ("repor-ted",
"logist-ics", "automot-ive", "consorti-um"). A briefing's reader expects the breaks of a
modern publisher, so English text of any region hyphenates with :data:`LANGUAGE`:
the US patterns (pronunciation: "re-port-ed", "lo-gis-tics"), corrected by
:data:`EXCEPTIONS`, and never inside a capitalised word, which in a briefing is nearly
always a name (a company, a place, a person, an agency), as TeX does with ``\\uchyph=0``.
print.css maps ``:lang(en)`` to :data:`LANGUAGE` for WeasyPrint only; the document's
``lang`` (and the PDF's) stays what the fact sheet says. The minimum word and fragment
lengths are print.css's ``hyphenate-limit-chars``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The private-use language tag print.css gives English text for WeasyPrint's hyphenation.
LANGUAGE = "en-x-brief"
#: Pyphen's name for it (lower case, underscores).
_PYPHEN_NAME = "en_x_brief"
#: Where the dictionary is registered in Pyphen's cache: a name, never read as a file.
_PSEUDO_PATH = Path("brief-english-hyphenation.dic")

#: Words whose US-pattern breaks read badly, with the only places they may break (``-``);
#: a word written without ``-`` never breaks. Checked against the words of the briefings
#: (tests/render/test_hyphenation.py prints the breaks of the corpus's common words).
EXCEPTIONS: tuple[str, ...] = (
    "analy-sis",
    "analy-ses",
    "auto-maker",
    "auto-makers",
    "auto-mo-tive",
    "con-sor-tium",
    "con-sor-tia",
    "unrelated",
    "utili-sa-tion",
    "utili-za-tion",
)


def exception_pattern(word: str) -> tuple[str, tuple[int, ...]]:
    """The Liang pattern that fixes every break of ``word``: the dotted word as Pyphen
    stores it, and a value per gap, 9 (odd: a break, above any pattern's value) where the
    word shows ``-`` and 8 (even: no break) elsewhere."""
    letters = word.replace("-", "")
    breaks = {len(part) for part in _prefixes(word)}
    inside = [9 if k in breaks else 8 for k in range(1, len(letters))]
    # One value per gap of ".word.": before the first dot, before each letter, before
    # and after the last dot.
    return f".{letters.lower()}.", (8, 8, *inside, 8, 8)


def _prefixes(word: str) -> list[str]:
    """The letters before each ``-`` of ``word``."""
    parts = word.split("-")
    return ["".join(parts[: i + 1]) for i in range(len(parts) - 1)]


def register() -> None:
    """Make :data:`LANGUAGE` known to Pyphen in this process (once; a second call does
    nothing). WeasyPrint then asks Pyphen for it like any other language."""
    import pyphen

    if _PYPHEN_NAME in pyphen.LANGUAGES:
        return
    english = _english_patterns(pyphen)
    pyphen.hdcache[_PSEUDO_PATH] = english
    pyphen.LANGUAGES[_PYPHEN_NAME] = _PSEUDO_PATH
    pyphen.LANGUAGES_LOWERCASE[_PYPHEN_NAME] = _PYPHEN_NAME


def _english_patterns(pyphen: Any) -> Any:
    """Pyphen's US patterns with :data:`EXCEPTIONS` added, blind to capitalised words."""

    class EnglishPatterns(pyphen.HyphDict):
        def positions(self, word: str) -> list[Any]:
            if word[:1].isupper():
                return []
            return super().positions(word)

    english = EnglishPatterns(pyphen.LANGUAGES["en_US"])
    for word in EXCEPTIONS:
        key, values = exception_pattern(word)
        # Pyphen stores a pattern as its letters, the offset of its first non-zero value
        # and the values from there: every value here is non-zero, so the offset is 0.
        english.patterns[key] = (0, values)
        english.maxlen = max(english.maxlen, len(key))
    return english
