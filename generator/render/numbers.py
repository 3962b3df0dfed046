"""How numbers are written, in the briefing and in everything said about it.

The one number formatter: the PDF, the HTML, the email and the "what changed" text write a
key fact's value and an investment's amount through these functions, so one fact never
has two spellings.
"""

from __future__ import annotations

import re
from typing import Any

#: A unit that is an ISO 4217 currency code: written as money.
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def format_number(value: Any) -> str:
    """A key-fact value as written: text unchanged, numbers without a spurious ``.0``,
    a format-2 ``{amount, unit}`` as money (``USD 7,590,000,000``) or as the amount and
    its unit (``100 GWh``)."""
    unit = getattr(value, "unit", None)
    if isinstance(unit, str):
        if _CURRENCY.match(unit):
            return format_money(value.amount, unit)
        return f"{format_amount(value.amount)} {unit}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_amount(amount: int | float) -> str:
    """A money amount with thousands separators: ``1,500,000,000``."""
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    return f"{amount:,}"


def format_money(amount: int | float, currency: str) -> str:
    """An investment as the briefing writes it: ``HKD 1,500,000,000``."""
    return f"{currency} {format_amount(amount)}"
