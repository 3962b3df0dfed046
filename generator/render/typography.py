"""Typographic quotes and apostrophes in the fact sheet's ``language``, in every field of
the HTML and PDF briefings.

One rule for Markdown and plain text: markdown-it's *smartquotes* (its typographer)
decides which straight quote opens, which closes and which is an apostrophe;
:data:`QUOTES` says which characters each language prints. Markdown fields get it from
the parser (:func:`generator.render.markdown.make_markdown`), so code spans, link targets
and raw text are never touched; plain-text fields (titles, names, labels, notes) get the
same rule through :func:`smart_quotes`, which hands the text to smartquotes as one text
token, so nothing in it is read as Markdown. :func:`typeset` applies it to every
plain-text field a reader sees, and nothing else (ids, URLs, dates, codes stay as
written). The YAML source is never changed, and neither is the DOCX, whose text
``brief review`` compares with the sheet's and writes back as typed.

Only quotes: the typographer's other replacements (``(c)`` -> ©, ``--`` -> –, ``...``)
stay off, because an analyst who writes ``(c)`` for a list item or ``--`` in a command
expects to see it printed as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

#: Narrow no-break space: French sets it inside guillemets (« texte ») and before ; ! ?
NNBSP = "\u202f"
#: No-break space: French sets it before a colon.
NBSP = "\u00a0"
_STRAIGHT = re.compile("[\"']")
_FRENCH_SPACES = (
    (re.compile("«[ \u00a0\u202f]*"), f"«{NNBSP}"),
    (re.compile("[ \u00a0\u202f]*»"), f"{NNBSP}»"),
    (re.compile("[ \u00a0](?=[;!?])"), NNBSP),
    (re.compile(" (?=:)"), NBSP),
)

#: Primary open, primary close, secondary open, secondary close, by language tag
#: (lower case); a tag not listed is looked up by its language alone, then English.
#: Decisions where usage varies (docs/output.md, "Quotation marks"): ``en-GB`` follows the
#: UK government's style (double quotes first), ``pt`` Brazilian usage and ``pt-PT``
#: European (guillemets), ``zh-Hant`` (and Hong Kong, Taiwan, Macau) and ``ja`` corner
#: brackets.
QUOTES: Mapping[str, tuple[str, str, str, str]] = MappingProxyType(
    {
        "en": ("“", "”", "‘", "’"),
        "en-gb": ("“", "”", "‘", "’"),
        "fr": (f"«{NNBSP}", f"{NNBSP}»", "“", "”"),
        "de": ("„", "“", "‚", "‘"),
        "es": ("«", "»", "“", "”"),
        "it": ("«", "»", "“", "”"),
        "pt": ("“", "”", "‘", "’"),
        "pt-pt": ("«", "»", "“", "”"),
        "nl": ("“", "”", "‘", "’"),
        "ru": ("«", "»", "„", "“"),
        "uk": ("«", "»", "„", "“"),
        "pl": ("„", "”", "«", "»"),
        "zh": ("“", "”", "‘", "’"),
        "zh-hans": ("“", "”", "‘", "’"),
        "zh-hant": ("「", "」", "『", "』"),
        "zh-hk": ("「", "」", "『", "』"),
        "zh-tw": ("「", "」", "『", "』"),
        "zh-mo": ("「", "」", "『", "』"),
        "ja": ("「", "」", "『", "』"),
        "ko": ("“", "”", "‘", "’"),
    }
)

#: Plain-text fields a reader sees, by name, in any part of the sheet. Everything else
#: (ids, URLs, dates, enumerations, codes, tags used to select briefs) is left as written;
#: Markdown fields are typeset when they are rendered.
PLAIN_TEXT_FIELDS = frozenset(
    {
        "title",
        "subtitle",
        "jurisdiction",
        "sector",
        "audience",
        "authors",
        "name",
        "affiliation",
        "sponsor",
        "framework",
        "locations",
        "target_markets",
        "label",
        "value",
        "local_name",
        "heading",
        # A chart's place names a section's heading: typeset alike, they still match.
        "place",
        # A data point's category, shown on the chart and in its table.
        "x",
        "publisher",
        "note",
    }
)


def quotes_for(language: str) -> tuple[str, str, str, str]:
    """The quote characters of ``language`` (a BCP 47 tag): open, close, inner open, close."""
    tag = language.lower()
    parts = tag.split("-")
    for candidate in (tag, "-".join(parts[:2]), parts[0]):
        if candidate in QUOTES:
            return QUOTES[candidate]
    return QUOTES["en"]


def smart_quotes(text: str, language: str) -> str:
    """``text`` with straight quotes and apostrophes made typographic for ``language``.

    The text is never parsed as Markdown: ``*``, ``[`` or ``<`` in a title stay as they are.
    """
    if "'" not in text and '"' not in text:
        return french_spacing(text) if _is_french(language) else text
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_core.smartquotes import smartquotes
    from markdown_it.token import Token

    md = _typographer(quotes_for(language))
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    state = StateCore(text, md, {})
    state.tokens = [inline]
    smartquotes(state)
    _cjk_quotes_rule(state)
    text = "".join(child.content for child in inline.children or ())
    return french_spacing(text) if _is_french(language) else text


def french_spacing(text: str) -> str:
    """French spaces: a narrow no-break space inside guillemets (added where none was
    typed) and in place of a typed space before ``;`` ``!`` ``?``, a no-break space in
    place of a typed space before ``:``. No space is added before those four, so a URL
    or a time (``12:30``) is never split."""
    for pattern, space in _FRENCH_SPACES:
        text = pattern.sub(space, text)
    return text


def _is_french(language: str) -> bool:
    return language.lower().split("-")[0] == "fr"


def enable_typographer(md: Any, language: str) -> Any:
    """Turn on ``md``'s smart quotes (and only them) with ``language``'s characters, and
    French spacing for French (on text only: code spans and link targets are not text)."""
    md.options["typographer"] = True
    md.options["quotes"] = list(quotes_for(language))
    md.enable("smartquotes")
    md.core.ruler.after("smartquotes", "cjk_quotes", _cjk_quotes_rule)
    if _is_french(language):
        md.core.ruler.after("smartquotes", "french_spacing", _french_spacing_rule)
    return md


def _cjk_quotes_rule(state: Any) -> None:
    """Quotes smartquotes leaves straight because CJK text has no spaces to tell an
    opening quote from a closing one (``了"质疑"，``, ``"현대"는``): each straight quote
    beside a CJK character opens, the next of its kind closes, within one paragraph."""
    quotes = state.md.options["quotes"]
    for block in state.tokens:
        if block.type != "inline" or not _STRAIGHT.search(block.content):
            continue
        is_open = {'"': False, "'": False}
        for token in block.children or ():
            if token.type == "text" and _STRAIGHT.search(token.content):
                token.content = _pair_quotes(token.content, quotes, is_open)


def _pair_quotes(text: str, quotes: Any, is_open: dict[str, bool]) -> str:
    from generator.render.script_marks import is_cjk

    chars = list(text)
    for index, char in enumerate(chars):
        if char not in is_open:
            continue
        near = text[index - 1 : index] + text[index + 1 : index + 2]
        if not any(is_cjk(c) for c in near):
            continue
        first = 0 if char == '"' else 2
        chars[index] = quotes[first + 1] if is_open[char] else quotes[first]
        is_open[char] = not is_open[char]
    return "".join(chars)


def _french_spacing_rule(state: Any) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text":
                token.content = french_spacing(token.content)


@functools.lru_cache(maxsize=32)
def _typographer(quotes: tuple[str, str, str, str]) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"typographer": True, "quotes": list(quotes)})
    return md.enable("smartquotes")


def typeset(model: Any, language: str | None = None) -> Any:
    """A copy of the fact sheet ``model`` whose plain-text fields have typographic quotes.

    ``language`` defaults to the sheet's own. Lists and nested parts are followed; only
    the fields named in :data:`PLAIN_TEXT_FIELDS` change.
    """
    language = language or model.language
    return _typeset_model(model, language)


def _typeset_model(model: BaseModel, language: str) -> BaseModel:
    changes: dict[str, Any] = {}
    from generator.factsheet import is_markdown

    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        plain = name in PLAIN_TEXT_FIELDS and not is_markdown(info)
        new = _typeset_value(value, language, plain)
        if new is not value:
            changes[name] = new
    return model.model_copy(update=changes) if changes else model


def _typeset_value(value: Any, language: str, plain: bool) -> Any:
    if isinstance(value, BaseModel):
        return _typeset_model(value, language)
    if isinstance(value, list):
        items = [_typeset_value(item, language, plain) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if plain and isinstance(value, str):
        new = smart_quotes(value, language)
        return new if new != value else value
    return value


def quote_characters(language: str) -> str:
    """Every character :func:`smart_quotes` may print for ``language`` (for font subsets)."""
    return "".join(quotes_for(language)) + "’"
