"""The words of the "what changed" list, in the language of the briefing being compared.

:func:`speaking` sets the language for the duration of one comparison (a context
variable: concurrent comparisons in other threads keep their own); the helpers below
translate a sentence of the catalogs (``templates/locale``) and write labels, numbers,
money and dates through the briefing's own formatter, so the list says what the
briefing says.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
from collections.abc import Iterator, Mapping

from generator.render import (
    N_,
    Language,
    format_money,
    format_number,
    format_partial_date,
)

__all__ = ["N_", "_", "_date", "_label", "_money", "_number", "_revised", "speaking"]

_LANGUAGE: contextvars.ContextVar[Language] = contextvars.ContextVar("language")
_ENGLISH = Language("en", "en", gettext.NullTranslations())


@contextlib.contextmanager
def speaking(language: Language | None) -> Iterator[None]:
    """Write the sentences made inside the block in ``language`` (None: English)."""
    token = _LANGUAGE.set(language or _ENGLISH)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def _current() -> Language:
    return _LANGUAGE.get(_ENGLISH)


def _(message: str, **values: str) -> str:
    """``message`` in the comparison's language, its ``%(name)s`` parts filled in."""
    text = _current().gettext(message)
    return text % values if values else text


def _label(labels: Mapping[str, str], code: str) -> str:
    """The word for ``code`` in a table of ``render.labels``, translated."""
    return _current().label(labels, code)


def _number(value: str | int | float) -> str:
    return format_number(value, _current().locale)


def _money(amount: int | float, currency: str) -> str:
    return format_money(amount, currency, _current().locale)


def _date(value: str) -> str:
    return format_partial_date(value, _current().locale)


def _revised(title: str, parts: list[str]) -> str:
    """``Challenge X: text, mitigations and sources revised``, the parts joined by Babel's
    list patterns for the language ("texte et sources", "Text und Quellen")."""
    from babel.lists import format_list

    listed = format_list([_(part) for part in parts], locale=_current().locale)
    return _("Challenge %(title)s: %(parts)s revised", title=title, parts=listed)
