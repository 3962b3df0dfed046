"""The language of a run of a Word document, from its script or as the sheet states it.

Word keeps two languages per run: ``w:eastAsia`` for Chinese, Japanese and Korean
characters (with the East Asian font it shows them in) and ``w:val`` for the rest; a run
of Greek or Cyrillic text gets the latter. The language itself is the one
:mod:`generator.render.script_marks` tells from the script (as the HTML's ``lang``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.render.docx_xml import east_asian, other_language
from generator.render.script_marks import Names, han_language, text_language
from generator.render.webfont import cjk_characters

#: The East Asian font Word shows each language in (sans-serif, as in the PDF).
EAST_ASIAN_FONTS: Mapping[str, str] = {
    "zh-CN": "Microsoft YaHei",
    "zh-SG": "Microsoft YaHei",
    "zh-TW": "Microsoft JhengHei",
    "zh-HK": "Microsoft JhengHei",
    "zh-MO": "Microsoft JhengHei",
    "ja-JP": "Yu Gothic",
    "ko-KR": "Malgun Gothic",
}
#: Word's tags (language and country) for the languages :mod:`script_marks` tells apart.
_WORD_LANGUAGE = {"zh": "zh-CN", "zh-hans": "zh-CN", "zh-hant": "zh-TW", "ja": "ja-JP"}
_WORD_LANGUAGE |= {"ko": "ko-KR", "el": "el-GR", "ru": "ru-RU", "uk": "uk-UA", "bg": "bg-BG"}
_WORD_LANGUAGE |= {"zh-hant-hk": "zh-HK", "zh-hant-mo": "zh-MO"}


def mark_run_language(
    run: Any, text: str, lang: str | None, language: str, jurisdiction: str, names: Names
) -> None:
    """Mark the ``<w:r>`` ``run`` holding ``text`` with its language: ``lang`` if given,
    else the one its script says when that is not the sheet's ``language``."""
    if cjk_characters(text):
        tag = word_language(lang, jurisdiction) if lang else None
        tag = tag or east_asian_language(text, language, jurisdiction, names)
        east_asian(run, EAST_ASIAN_FONTS.get(tag, "Microsoft YaHei"), tag)
        return
    lang = lang or text_language(text, language, jurisdiction, names)
    if lang is not None:
        other_language(run, word_language(lang, jurisdiction))


def east_asian_language(
    text: str, sheet_language: str, jurisdiction: str = "", names: Names = ()
) -> str:
    """The Word language tag East Asian characters of ``text`` are marked with: the
    language :mod:`generator.render.script_marks` tells from their script, else the
    sheet's own (a Chinese, Japanese or Korean sheet), else Simplified Chinese."""
    lang = text_language(text, sheet_language, jurisdiction, names)
    if lang is None and sheet_language.lower().split("-")[0] in {"zh", "ja", "ko"}:
        lang = sheet_language
    return word_language(lang or "zh-Hans", jurisdiction)


def word_language(lang: str, jurisdiction: str = "") -> str:
    """``lang`` as Word writes it (``ko`` -> ``ko-KR``); Traditional Chinese of Hong Kong
    or Macau keeps its region."""
    tag = lang.lower()
    if tag == "zh-hant" and han_language("en", jurisdiction) == "zh-Hant":
        where = jurisdiction.lower()
        tag += "-hk" if "hong kong" in where else "-mo" if "maca" in where else ""
    for candidate in (tag, "-".join(tag.split("-")[:2]), tag.split("-")[0]):
        if candidate in _WORD_LANGUAGE:
            return _WORD_LANGUAGE[candidate]
    return lang
