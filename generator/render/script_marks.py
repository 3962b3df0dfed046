"""Text in another script than the document's, marked with its language.

A Korean name in an English briefing must be read (by a screen reader), shaped and given
glyphs (by the browser, WeasyPrint, Word) as Korean. The script of each character comes
from the Unicode Character Database (``fontTools.unicodedata``, the script and script
extension properties), never from hand-written ranges; the language from the script:

- Hangul -> ``ko``; hiragana or katakana -> ``ja`` (a run mixing kanji and kana is
  Japanese); Greek -> ``el``; Cyrillic -> the document's language if it is written in
  Cyrillic, else the jurisdiction's (Ukraine ``uk``, Bulgaria ``bg``...), else ``ru``.
- Han alone (no kana, no Hangul) cannot tell Chinese from Japanese or Korean. In order:
  the language the sheet states for a name holding that text (below); the document's
  language when it is Japanese; the characters' own forms when only one Chinese
  script has them (``hanzidentifier``: ``宁德时代`` is ``zh-Hans``, ``中國`` is
  ``zh-Hant``); the document's language when it is Chinese; else the jurisdiction's:
  Traditional Chinese (``zh-Hant``) for Hong Kong, Macau and Taiwan, Japanese for Japan,
  Korean for Korea, Simplified Chinese (``zh-Hans``) for mainland China and Singapore;
  else plain ``zh``. A fact sheet states it where that guess is wrong
  (``players[].local_name_lang: ja`` for a Japanese name written only in kanji, which
  would otherwise pass for Traditional Chinese).

Latin text is never marked: its language cannot be told from its script. A run is the
longest stretch of one language, spaces and punctuation between its letters included,
so ``현대자동차 그룹`` is one run (a space ends a run of Han, kana or bopomofo: Chinese and
Japanese put none between words); punctuation at its ends stays outside.

:func:`mark_languages` applies this to a whole HTML page (every text node, so titles,
names, labels and Markdown output alike), wrapping runs in ``<span lang="..">``; an
element that already has a ``lang`` is judged against that language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: The scripts whose runs are marked, and the group each belongs to: Han, kana and
#: bopomofo form one run (kanji with kana is Japanese), Hangul its own.
_GROUPS = {
    "Hang": "Hang",
    "Hira": "Hani",
    "Kana": "Hani",
    "Hani": "Hani",
    "Bopo": "Hani",
    "Cyrl": "Cyrl",
    "Grek": "Grek",
}
#: Unicode's "Common" and "Inherited" scripts: punctuation, digits, spaces, marks.
_NEUTRAL = {"Zyyy", "Zinh"}
#: Languages written in Cyrillic, and jurisdictions that say which one.
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"})
_CYRILLIC_PLACES = (
    ("ukrain", "uk"),
    ("bulgaria", "bg"),
    ("serbia", "sr"),
    ("macedonia", "mk"),
    ("belarus", "be"),
    ("kazakh", "kk"),
    ("kyrgyz", "ky"),
    ("mongolia", "mn"),
)
#: Jurisdictions that decide Han characters, checked in order ("Hong Kong SAR, China"
#: is Hong Kong before it is China).
_HAN_PLACES = (
    ("hong kong", "zh-Hant"),
    ("macau", "zh-Hant"),
    ("macao", "zh-Hant"),
    ("taiwan", "zh-Hant"),
    ("japan", "ja"),
    ("korea", "ko"),
    ("singapore", "zh-Hans"),
    ("china", "zh-Hans"),
)
#: Language tags whose region or script says the Chinese script.
_TRADITIONAL = frozenset({"hant", "hk", "tw", "mo"})
_SIMPLIFIED = frozenset({"hans", "cn", "sg"})
#: A character that might be marked: anything beyond Latin (quick test before the UCD).
_BEYOND_LATIN = re.compile(r"[\u0370-\U0010ffff]")


@dataclass(frozen=True)
class Run:
    """A stretch of ``text``; ``lang`` is None where it is in the document's language."""

    text: str
    lang: str | None


def is_cjk(char: str) -> bool:
    """Whether ``char`` is Han, kana, Hangul or bopomofo, punctuation of those scripts, or
    a wide (fullwidth) character, as CJK punctuation such as ``，`` is."""
    import unicodedata as ucd

    from fontTools import unicodedata

    if ucd.east_asian_width(char) in ("W", "F"):
        return True
    scripts = {unicodedata.script(char), *unicodedata.script_extension(char)}
    return any(_GROUPS.get(s) in ("Hani", "Hang") for s in scripts)


def is_unspaced(char: str) -> bool:
    """Whether ``char`` belongs to writing that puts no space between words: Han, kana,
    bopomofo and their wide punctuation (not Hangul, whose words are spaced)."""
    from fontTools import unicodedata

    return unicodedata.script(char) != "Hang" and is_cjk(char)


def han_language(language: str, jurisdiction: str = "") -> str:
    """The language of Han characters (with no kana or Hangul) in a document in
    ``language`` about ``jurisdiction``."""
    parts = language.lower().split("-")
    if parts[0] == "zh":
        if _TRADITIONAL & set(parts[1:]):
            return "zh-Hant"
        return "zh-Hans" if _SIMPLIFIED & set(parts[1:]) else language
    if parts[0] == "ja":
        return language
    where = jurisdiction.lower()
    return next((lang for place, lang in _HAN_PLACES if place in where), "zh")


def cyrillic_language(language: str, jurisdiction: str = "") -> str:
    """The language of Cyrillic text in a document in ``language`` about ``jurisdiction``."""
    if language.lower().split("-")[0] in _CYRILLIC_LANGUAGES:
        return language
    where = jurisdiction.lower()
    return next((lang for place, lang in _CYRILLIC_PLACES if place in where), "ru")


def same_language(a: str, b: str) -> bool:
    """Whether tags ``a`` and ``b`` name one language for marking (``zh-HK`` and
    ``zh-Hant`` do; ``zh-Hans`` and ``zh-Hant`` do not)."""
    if a.lower() == b.lower():
        return True
    first, second = a.lower().split("-"), b.lower().split("-")
    if first[0] != second[0]:
        return False
    if first[0] != "zh":
        return True
    return _chinese_script(a) == _chinese_script(b)


def _chinese_script(tag: str) -> str:
    parts = set(tag.lower().split("-")[1:])
    if parts & _TRADITIONAL:
        return "hant"
    return "hans"


#: Names whose language the sheet states, ``(text, lang)``: Han text inside one of them
#: (or holding one) takes its language (``本田技研工業`` in a summary, when the player's
#: ``local_name`` ``本田技研工業株式会社`` is stated to be ``ja``).
Names = tuple[tuple[str, str], ...]


def runs(text: str, language: str, jurisdiction: str = "", names: Names = ()) -> list[Run]:
    """``text`` cut into runs, each with its language if that is not ``language``.

    Joining the texts of the runs gives ``text`` back.
    """
    if not _BEYOND_LATIN.search(text):
        return [Run(text, None)]
    result: list[Run] = []
    plain_from = 0
    for start, end, scripts in _script_stretches(text):
        if scripts <= {"Hani", "Bopo"}:
            lang = _named(text[start:end], names) or _han_run(text[start:end], language)
            lang = lang or han_language(language, jurisdiction)
        else:
            lang = _stretch_language(scripts, language, jurisdiction)
        if lang is None or same_language(lang, language):
            continue
        if start > plain_from:
            result.append(Run(text[plain_from:start], None))
        result.append(Run(text[start:end], lang))
        plain_from = end
    if plain_from < len(text):
        result.append(Run(text[plain_from:], None))
    return result


def text_language(
    text: str, language: str, jurisdiction: str = "", names: Names = ()
) -> str | None:
    """The language of the first run of ``text`` not in ``language``; None if none."""
    found = runs(text, language, jurisdiction, names)
    return next((run.lang for run in found if run.lang), None)


def stated_names(sheet: Any) -> Names:
    """The local names of ``sheet``'s players whose language the sheet states."""
    players = sheet.players or ()
    return tuple((p.local_name, p.local_name_lang) for p in players if p.local_name_lang)


def _han_run(piece: str, language: str) -> str | None:
    """The Chinese script of Han-only ``piece`` when its forms say it (never in a Japanese
    document, whose kanji are its own)."""
    if language.lower().split("-")[0] == "ja":
        return None
    import hanzidentifier

    forms = hanzidentifier.identify(piece)
    if forms == hanzidentifier.SIMPLIFIED:
        return "zh-Hans"
    return "zh-Hant" if forms == hanzidentifier.TRADITIONAL else None


def _named(piece: str, names: Names) -> str | None:
    return next((lang for name, lang in names if piece in name or name in piece), None)


def _stretch_language(scripts: set[str], language: str, jurisdiction: str) -> str | None:
    if scripts & {"Hira", "Kana"}:
        return "ja"
    if "Hang" in scripts:
        return "ko"
    if scripts & {"Hani", "Bopo"}:
        return han_language(language, jurisdiction)
    if "Cyrl" in scripts:
        return cyrillic_language(language, jurisdiction)
    if "Grek" in scripts:
        return "el"
    return None


def _script_stretches(text: str) -> Iterator[tuple[int, int, set[str]]]:
    """``(start, end, scripts)`` of each stretch of one group of marked scripts: it starts
    and ends on a letter of the group; neutral characters inside it belong to it."""
    from fontTools import unicodedata

    group: str | None = None
    start = end = 0
    scripts: set[str] = set()
    for index, char in enumerate(text):
        script = unicodedata.script(char)
        if script in _NEUTRAL:
            if group is None or _joins(char, group, unicodedata.script_extension(char)):
                continue
            script = "Zzzz"
        char_group = _GROUPS.get(script)
        if group is not None and char_group == group:
            scripts.add(script)
            end = index + 1
            continue
        if group is not None:
            yield start, end, scripts
        group, start, end, scripts = char_group, index, index + 1, {script}
    if group is not None:
        yield start, end, scripts


def _joins(char: str, group: str, extensions: set[str]) -> bool:
    """Whether a neutral character may stand inside a run of ``group``: a space (not in
    Han), a mark
    of the group (CJK punctuation, the prolonged-sound mark) or any other non-ASCII
    neutral (fullwidth brackets); ASCII punctuation and digits end a run."""
    if char.isspace():
        # Chinese and Japanese put no spaces between words: a space ends a Han run.
        return group != "Hani"
    named = {_GROUPS.get(s, s) for s in extensions} - _NEUTRAL
    if named:
        return group in named
    return not char.isascii()


# -- HTML ----------------------------------------------------------------------------------

#: Comments, elements whose text is not HTML text (never marked), tags, and text.
_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style|title|textarea)\b[^>]*>.*?</\1\s*>|<[^>]*>|[^<]+",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_LANG_ATTRIBUTE = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
#: HTML's void elements: a start tag that has no end tag (also read by last_lines.py).
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def mark_languages(html: str, language: str, jurisdiction: str = "", names: Names = ()) -> str:
    """``html`` (a page made by the project's templates) with every run of text in another
    script than its element's language wrapped in ``<span lang="..">``."""
    if not _BEYOND_LATIN.search(html):
        return html
    out: list[str] = []
    stack: list[tuple[str, str]] = [("", language)]
    for match in _HTML_TOKEN.finditer(html):
        token = match.group(0)
        if token.startswith("<"):
            _follow_tag(token, stack)
            out.append(token)
        elif any(name == "svg" for name, _lang in stack):
            # An HTML <span> is no SVG element: a drawing's text (the timeline strip's,
            # the map's) stays as it is, its language the drawing's.
            out.append(token)
        else:
            out.append(_marked_text(token, stack[-1][1], jurisdiction, names))
    return "".join(out)


def _follow_tag(token: str, stack: list[tuple[str, str]]) -> None:
    tag = _TAG.match(token)
    if tag is None:
        return
    closing, name, rest = tag.group(1), tag.group(2).lower(), tag.group(3)
    if closing:
        while len(stack) > 1:
            if stack.pop()[0] == name:
                break
        return
    if name in VOID_ELEMENTS or rest.rstrip().endswith("/"):
        return
    lang = _LANG_ATTRIBUTE.search(rest)
    value = next((g for g in lang.groups() if g is not None), None) if lang else None
    stack.append((name, value or stack[-1][1]))


def _marked_text(text: str, language: str, jurisdiction: str, names: Names) -> str:
    # Text in a page is escaped already; a run starts and ends on a letter, so it never
    # cuts an entity, and the language tags come from the tables above, not the text.
    return "".join(
        f'<span lang="{run.lang}">{run.text}</span>' if run.lang else run.text
        for run in runs(text, language, jurisdiction, names)
    )
