"""The fact-sheet format, versions 1 and 2, as typed models.

This module mirrors ``factsheet-format.md`` table by table. It is the single source of
truth for keys, types, enumerations and defaults: the loader validates against it and
``brief schema`` exports it as JSON Schema, so the two can never disagree.

Values arrive here already converted by :mod:`generator.factsheet.yamlsrc` under YAML 1.2 core
rules (``NO`` is text, ``012345`` is text), and validation is strict: text is never
coerced from numbers or booleans.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.fields import FieldInfo

FORMAT_VERSION = 1
#: The newest format; its keys are declared with :func:`since` (see ``formats.py``).
LATEST_FORMAT = 2
#: JSON Schema keyword naming the format that introduced a key; :func:`introduced_in` reads it.
FORMAT_KEYWORD = "x-format"

Status = Literal["draft", "review", "final"]
Stage = Literal[
    "proposed", "talks", "announced", "under_construction", "operating", "stalled", "cancelled"
]
PlayerKind = Literal[
    "automaker", "battery", "supplier", "technology", "government", "investor", "other"
]
Category = Literal[
    "land_cost",
    "labor",
    "overcapacity",
    "price_competition",
    "talent",
    "policy",
    "geopolitics",
    "financing",
    "other",
]
ChallengeSeverity = Literal["low", "medium", "high"]
SourceKind = Literal["news", "government", "company", "research", "dataset", "other"]

#: Categories of which at least one should be present (a warning otherwise).
CORE_CATEGORIES: tuple[str, ...] = ("land_cost", "labor", "overcapacity")
#: Display order of challenge groups: the order of the format's table.
CATEGORY_ORDER: tuple[str, ...] = get_args(Category)
#: Severities from most to least severe.
SEVERITY_ORDER: tuple[str, ...] = ("high", "medium", "low")

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
Url = Annotated[
    str,
    _matching(_URL, "an http or https URL"),
    WithJsonSchema({"type": "string", "pattern": _JSON_URL}),
]


def since(version: int, default: Any, description: str) -> Any:
    """A field that exists from format ``version`` on: a file of an older format that gives
    it is refused (``formats.py``), and the schema names the version."""
    return Field(default, description=description, json_schema_extra={FORMAT_KEYWORD: version})


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


class Author(_Model):
    """An author with an affiliation."""

    name: Text = Field(description="The author's name.")
    affiliation: Text | None = Field(None, description="Office or organisation.")


class Investment(_Model):
    """The money committed or discussed."""

    amount: float | int = Field(description="Amount, a plain number.", allow_inf_nan=False)
    currency: Currency = Field(description="ISO 4217 code, e.g. HKD, CNY, USD.")
    note: Text | None = Field(None, description="What the amount covers, how firm it is.")


class Initiative(_Model):
    """The initiative the brief is about."""

    name: Text = Field(description="Name of the initiative.")
    sponsor: Text | None = Field(None, description="Who drives it.")
    framework: Text | None = Field(None, description="The policy it falls under.")
    stage: Stage = Field(description="Where it stands.")
    locations: list[Text] | None = Field(None, description="Places involved.")
    target_markets: list[Text] | None = Field(None, description="Markets it aims to serve.")
    investment: Investment | None = Field(None, description="The money involved.")


class KeyFact(_Model):
    """One fact, always sourced."""

    label: Text = Field(description="What the fact is about.")
    value: Text | int | float = Field(description="The fact itself: text or a number.")
    note: Markdown | None = Field(None, description="Context (Markdown with citations).")
    sources: list[SourceId] = Field(min_length=1, description="Ids of the sources it rests on.")
    internal: bool = _internal()


class Player(_Model):
    """A company or body involved."""

    name: Text = Field(description="Name in English.")
    local_name: Text | None = Field(None, description="Name in the local script, e.g. 一汽.")
    local_name_lang: LanguageTag | None = since(
        2,
        None,
        "Format 2: BCP 47 tag of local_name's language (ja for a name written only in"
        " kanji); by default it is told from the script.",
    )
    kind: PlayerKind = Field(description="What sort of actor it is.")
    role: Markdown = Field(description="Its part in the initiative (Markdown).")
    sources: list[SourceId] | None = Field(None, description="Ids of supporting sources.")
    internal: bool = _internal()


class TimelineEvent(_Model):
    """A dated event."""

    date: PartialDate = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    event: Markdown = Field(description="What happened (Markdown).")
    sources: list[SourceId] | None = Field(None, description="Ids of supporting sources.")
    internal: bool = _internal()


class Challenge(_Model):
    """An obstacle to the initiative."""

    category: Category = Field(description="Kind of obstacle.")
    title: Text = Field(description="One-line headline.")
    severity: ChallengeSeverity = Field(description="How much it threatens the initiative.")
    body: Markdown = Field(description="The analysis (Markdown).")
    mitigations: Markdown | None = Field(None, description="What could reduce it (Markdown).")
    sources: list[SourceId] | None = Field(None, description="Ids of supporting sources.")
    internal: bool = _internal()
    mitigations_internal: bool = since(
        2, False, "Format 2: the mitigations are never shown in an external edition."
    )


class Section(_Model):
    """A further section such as an outlook or recommendations."""

    heading: Text = Field(description="Section heading.")
    body: Markdown = Field(description="Section text (Markdown).")
    internal: bool = _internal()


class Source(_Model):
    """A source that facts are traced to."""

    id: SourceId = Field(description="Slug unique in the file; cited as [@id].")
    title: Text = Field(description="Title of the document or article.")
    publisher: Text = Field(description="Who published it.")
    url: Url | None = Field(None, description="http or https address.")
    published: PartialDate | None = Field(None, description="Publication date, may be partial.")
    accessed: IsoDate | None = Field(None, description="When it was consulted.")
    kind: SourceKind = Field("news", description="Kind of source.")
    note: Text | None = Field(None, description="Anything a reader should know about it.")
    internal: bool = _internal()


class FactSheet(_Model):
    """One EV investment initiative: the only input an analyst writes."""

    format: Literal[1, 2] = Field(FORMAT_VERSION, description="Version of the fact-sheet format.")
    title: Text = Field(description="Headline of the brief.")
    subtitle: Text | None = Field(None, description="One line under the title.")
    jurisdiction: Text = Field(description="e.g. Hong Kong SAR, China.")
    sector: Text = Field("Electric vehicles", description="Sector covered.")
    as_of: IsoDate = Field(description="The date the facts are current to.")
    status: Status = Field("draft", description="Anything but final is marked on every page.")
    authors: list[Text | Author] = Field(min_length=1, description="Names, or {name, affiliation}.")
    audience: Text | None = Field(None, description="Who the brief is written for.")
    marking: Annotated[str, Field(pattern=MARKING_PATTERN)] | None = since(
        2,
        None,
        "Format 2: protective marking, one of the project's markings (markings.yaml; by"
        " default OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET).",
    )
    language: LanguageTag = Field("en", description="BCP 47 tag of the document language.")
    tags: list[Text] | None = Field(None, description="Used to select briefs for schedules.")
    template: Annotated[str, Field(pattern=SLUG_PATTERN)] = Field(
        "brief", description="Which template under templates/ renders it."
    )
    summary: Markdown = Field(description="Bottom line up front (Markdown).")
    initiative: Initiative = Field(description="The initiative at a glance.")
    key_facts: list[KeyFact] = Field(min_length=1, description="Sourced key facts.")
    players: list[Player] | None = Field(None, description="Companies and bodies involved.")
    timeline: list[TimelineEvent] | None = Field(None, description="Dated events.")
    challenges: list[Challenge] = Field(min_length=1, description="What stands in the way.")
    sections: list[Section] | None = Field(None, description="Further sections, in order.")
    sources: list[Source] = Field(min_length=1, description="Every source cited.")


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


def author_names(sheet: FactSheet) -> list[str]:
    """The authors' names, whichever of the two forms each was written in."""
    return [a if isinstance(a, str) else a.name for a in sheet.authors]
