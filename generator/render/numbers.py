"""How numbers, money and dates are written, in the briefing and in everything said about it.

The one formatter: the PDF, the HTML, the DOCX, the email and the "what changed" text
write a key fact's value, an investment, a date and a page count through these functions,
in the briefing's locale (a :class:`~generator.render.i18n.Language`'s ``locale``), from
Babel's locale data (CLDR): no month or unit table is written here.

Money reads as people write it: ``US$7.59 billion``, ``R$5.5 billion``, ``€7.34 billion``,
``7,59 milliards $US``; amounts under :data:`COMPACT_FROM` in full (``US$750,000``).
The currency sign is the locale's, made unambiguous where the locale's own sign is a bare
one that other currencies' signs extend (``$`` beside ``R$`` and ``HK$``): then the ISO
4217 code's country letters go in front (``US$``, ``JP¥``), as CLDR does for the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

SOURCE_LOCALE = "en"
#: From one million up an amount is written compactly ("7.59 billion"); below, in full.
COMPACT_FROM = 1_000_000
#: Fraction digits of a compact amount: 7.59 billion, 75.9億.
COMPACT_DIGITS = 2

#: A unit that is an ISO 4217 currency code: written as money.
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _whole(value: int | float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_number(value: object, locale: str = SOURCE_LOCALE) -> str:
    """A key-fact value as written: text unchanged; a number with the locale's separators;
    a format-2 ``{amount, unit}`` as money (``US$7.59 billion``) or as the amount and its
    unit (``100 GWh``).

    A whole number below 10,000 is left ungrouped in every language, so a year given as
    a number (2030) never reads "2,030".
    """
    unit = getattr(value, "unit", None)
    if isinstance(unit, str):
        amount = value.amount  # type: ignore[attr-defined]
        if _CURRENCY.match(unit):
            return format_money(amount, unit, locale)
        return f"{format_number(amount, locale)}\u00a0{unit}"
    if isinstance(value, (bool, str)) or not isinstance(value, (int, float)):
        return str(value)
    value = _whole(value)
    if isinstance(value, int) and -10_000 < value < 10_000:
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def format_amount(amount: int | float, locale: str = SOURCE_LOCALE) -> str:
    """A money amount in full with the locale's separators: ``1,500,000,000``."""
    from babel.numbers import format_decimal

    return format_decimal(_whole(amount), locale=locale)


def format_money(amount: int | float, currency: str, locale: str = SOURCE_LOCALE) -> str:
    """An investment as people write it: ``US$7.59 billion``; ``US$750,000`` when small."""
    from babel.numbers import format_compact_decimal, format_decimal

    amount = _whole(amount)
    if abs(amount) >= COMPACT_FROM:
        number = format_compact_decimal(
            amount, format_type="long", locale=locale, fraction_digits=COMPACT_DIGITS
        )
    else:
        number = format_decimal(amount, locale=locale)
    return _place_sign(number, currency_sign(currency, locale), locale)


@functools.lru_cache(maxsize=256)
def currency_sign(currency: str, locale: str = SOURCE_LOCALE) -> str:
    """The sign of ``currency`` in ``locale``, unambiguous: ``US$`` in English, ``$US`` in
    French, ``R$``, ``€``, ``HK$``; an unknown code is its own sign."""
    from babel import Locale

    symbols = Locale.parse(locale).currency_symbols
    sign = symbols.get(currency, currency)
    if any(ch.isalpha() for ch in sign):
        return sign
    others = (s for code, s in symbols.items() if code != currency)
    if any(s != sign and sign in s for s in others):
        return currency[:2] + sign
    return sign


@functools.lru_cache(maxsize=64)
def _sign_pattern(locale: str) -> tuple[bool, str]:
    """Whether the locale writes the sign first, and the space between sign and number."""
    from babel import Locale

    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    before = pattern.index("¤") < pattern.index("0")
    gap = re.search(r"¤(\s*)[#0]" if before else r"[#0.]([\s\u00a0\u202f]*)¤", pattern)
    return before, ("\u00a0" if gap and gap.group(1) else "")


def _place_sign(number: str, sign: str, locale: str) -> str:
    before, gap = _sign_pattern(locale)
    return f"{sign}{gap}{number}" if before else f"{number}{gap or chr(0xA0)}{sign}"


def format_date(value: dt.date, locale: str = SOURCE_LOCALE) -> str:
    """A full date in the locale's long form: 20 January 2026, January 20, 2026, 2026年1月20日."""
    from babel.dates import format_date as babel_date

    return babel_date(value, "long", locale=locale)


def format_partial_date(value: str, locale: str = SOURCE_LOCALE) -> str:
    """A timeline date of any precision: ``2024``, ``March 2024``, ``5 March 2024``."""
    from babel.dates import format_skeleton

    match = _PARTIAL_DATE.match(value)
    if match is None:
        return value
    year, month, day = match.groups()
    if day:
        return format_date(dt.date(int(year), int(month), int(day)), locale)
    if month:
        return format_skeleton("yMMMM", dt.date(int(year), int(month), 1), locale=locale)
    return format_skeleton("y", dt.date(int(year), 1, 1), locale=locale)


def format_count(value: int, locale: str = SOURCE_LOCALE) -> str:
    """A count (pages, items) in the locale's digits and grouping."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)
