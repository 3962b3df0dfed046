"""Plain YAML scalars read under the format's narrowed YAML 1.2 core rules, and the
spelling to suggest for text an editor would take for a number.

The rules are listed in :mod:`generator.factsheet.yamlsrc`, which applies them to every
plain scalar it reads.
"""

from __future__ import annotations

import decimal
import math
import re
from typing import Any

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|nan)", re.IGNORECASE)
#: Numbers under YAML 1.2's full core schema (spec 10.3.2), which editors' YAML language
#: servers read by: ``1e3``, ``0x1F``, ``0o17``, ``+5``, ``012``, ``.5`` and ``5.`` too.
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_OCTAL = re.compile(r"0o[0-7]+")
_CORE_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
#: The longest plain spelling offered: ``1e400`` is a number, but not one to copy out.
_MAX_PLAIN = 30


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar under the format's rules (:mod:`.yamlsrc` lists them).

    Raises ``ValueError`` for infinities, NaN and numbers too large to hold.
    """
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INTEGER.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # beyond Python's digit limit for int()
            raise ValueError("number is too large") from None
    if _DECIMAL.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            raise ValueError("number is too large")
        return number
    if _NOT_FINITE.fullmatch(text):
        raise ValueError("numbers must be finite")
    return text


def plain_decimal(text: str) -> str | None:
    """How to write, as this format's plain decimal, text that an editor reading YAML 1.2's
    core schema takes for a number (``7.59e9`` -> ``7590000000``); None for other text.

    The format reads those spellings as text; an editor shows them as numbers, and a
    schema cannot tell ``7.59e9`` from ``7590000000`` once read. A number field that gets
    one says what to write instead.
    """
    if _CORE_HEX.fullmatch(text) or _CORE_OCTAL.fullmatch(text):
        shown = str(int(text[2:], 16 if text[1] == "x" else 8))
    elif _CORE_DECIMAL.fullmatch(text):
        number = decimal.Decimal(text)
        integral = number == number.to_integral_value()
        shown = str(int(number)) if integral else format(number.normalize(), "f")
    else:
        return None
    return shown if len(shown) <= _MAX_PLAIN else None
