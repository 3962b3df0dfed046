"""The building blocks of the fact-sheet models: checked scalar types, the strict base
model, and the marks a field carries into the JSON Schema (Markdown, the format that
introduced it).

:mod:`generator.factsheet.model` builds the format's tables out of these; they live apart
so that the models stay one page per table of ``factsheet-format.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.fields import FieldInfo

#: JSON Schema keyword naming the format that introduced a key; :func:`introduced_in` reads it.
FORMAT_KEYWORD = "x-format"
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
SOURCE_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$"
#: A protective marking's code: ``OFFICIAL-SENSITIVE``, ``TOP SECRET``; which codes a
#: project has is ``markings.yaml``'s to say.
MARKING_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9 _./-]*[A-Za-z0-9])?$"
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _parse_full_date(value: Any) -> Any:
    """Accept ``YYYY-MM-DD`` text and return a date; explain anything else."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a date YYYY-MM-DD, got {type_name(value)}")
    match = _FULL_DATE.match(str(value))
    if not match:
        raise ValueError(f"{quoted(value)} is not a date of the form YYYY-MM-DD")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"{quoted(value)} is not a valid date ({exc})") from None


def _parse_partial_date(value: Any) -> Any:
    """Accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (text or a bare year) as text."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {type_name(value)}")
    text = str(value)
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(f"{quoted(text)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{quoted(text)} is not a valid date ({exc})") from None
    return text


def _matching(pattern: re.Pattern[str], what: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, str) and not pattern.match(value):
            raise ValueError(f"{quoted(value)} is not {what}")
        return value

    return BeforeValidator(check)


def quoted(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, shortened so a huge value cannot flood the output."""
    text = str(value)
    return f"'{text if len(text) <= limit else text[: limit - 3] + '...'}'"


def type_name(value: Any) -> str:
    """How a YAML value's type is named in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# JSON Schema spellings of the checks above, for editors (ECMA-262 regular expressions:
# no inline flags). The month and day ranges let an editor flag 2026-13-45 as you type.
_JSON_FULL_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_JSON_PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_JSON_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#]\S*$"

IsoDate = Annotated[
    dt.date,
    BeforeValidator(_parse_full_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _JSON_FULL_DATE}),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_parse_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _JSON_PARTIAL_DATE},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    ),
]
Text = Annotated[str, Field(min_length=1)]
#: JSON Schema keyword marking Markdown fields; :func:`is_markdown` reads it back.
MARKDOWN_KEYWORD = "x-markdown"
Markdown = Annotated[str, Field(min_length=1, json_schema_extra={MARKDOWN_KEYWORD: True})]
SourceId = Annotated[str, Field(pattern=SOURCE_ID_PATTERN)]
LanguageTag = Annotated[
    str,
    _matching(_LANGUAGE_TAG, "a BCP 47 language tag such as en or zh-Hant"),
    WithJsonSchema({"type": "string", "pattern": _LANGUAGE_TAG.pattern}),
]
Currency = Annotated[
    str,
    _matching(_CURRENCY, "an ISO 4217 currency code such as HKD"),
    WithJsonSchema({"type": "string", "pattern": _CURRENCY.pattern}),
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
#: A unit of measure: an ISO 4217 currency code (``USD``) or a unit such as ``GWh``,
#: ``vehicles/year``, ``jobs``, ``hectares``. Free text, short, on one line.
UNIT_PATTERN = r"^\S(?:[^\n]*\S)?$"
Unit = Annotated[str, Field(min_length=1, max_length=40, pattern=UNIT_PATTERN)]
Url = Annotated[
    str,
    _matching(_URL, "an http or https URL"),
    WithJsonSchema({"type": "string", "pattern": _JSON_URL}),
]


def since(version: int, default: Any, description: str, **constraints: Any) -> Any:
    """A field that exists from format ``version`` on: a file of an older format that gives
    it is refused (``formats.py``), and the schema names the version. ``constraints`` are
    pydantic's (``ge``, ``min_length``...); ``...`` as ``default`` makes it required."""
    return Field(
        default,
        description=description,
        json_schema_extra={FORMAT_KEYWORD: version},
        **constraints,
    )


def introduced_in(info: FieldInfo) -> int:
    """The format that introduced a field: 1 unless it was declared with :func:`since`."""
    extra = info.json_schema_extra
    return int(extra.get(FORMAT_KEYWORD, 1)) if isinstance(extra, dict) else 1  # type: ignore[arg-type]


_INTERNAL = "Format 2: never shown in an external edition."


def _internal() -> Any:
    return since(2, False, _INTERNAL)


class _Model(BaseModel):
    """Strict, closed, immutable: unknown keys are errors and text is never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def is_markdown(info: FieldInfo) -> bool:
    """True for a field declared as :data:`Markdown` (optional or not)."""
    extras = [info.json_schema_extra]
    for member in get_args(info.annotation):
        extras += [
            m.json_schema_extra
            for m in getattr(member, "__metadata__", ())
            if isinstance(m, FieldInfo)
        ]
    return any(isinstance(extra, dict) and extra.get(MARKDOWN_KEYWORD) for extra in extras)
