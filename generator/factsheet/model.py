"""The fact-sheet format, versions 1 and 2, as typed models.

This module mirrors ``factsheet-format.md`` table by table. It is the single source of
truth for keys, types, enumerations and defaults: the loader validates against it and
``brief schema`` exports it as JSON Schema, so the two can never disagree.

Values arrive here already converted by :mod:`generator.factsheet.yamlsrc` under YAML 1.2 core
rules (``NO`` is text, ``012345`` is text), and validation is strict: text is never
coerced from numbers or booleans.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

# The building blocks, re-exported: the rest of the package names them from here.
from generator.factsheet.model_types import (
    FORMAT_KEYWORD,
    MARKDOWN_KEYWORD,
    MARKING_PATTERN,
    SLUG_PATTERN,
    SOURCE_ID_PATTERN,
    UNIT_PATTERN,
    Currency,
    IsoDate,
    LanguageTag,
    Markdown,
    PartialDate,
    Slug,
    SourceId,
    Text,
    Unit,
    Url,
    _internal,
    _Model,
    introduced_in,
    is_markdown,
    quoted,
    since,
    type_name,
)

__all__ = [
    "FORMAT_KEYWORD",
    "MARKDOWN_KEYWORD",
    "MARKING_PATTERN",
    "SLUG_PATTERN",
    "SOURCE_ID_PATTERN",
    "UNIT_PATTERN",
    "IsoDate",
    "Markdown",
    "PartialDate",
    "SourceId",
    "Text",
    "introduced_in",
    "is_markdown",
    "quoted",
    "since",
    "type_name",
]

FORMAT_VERSION = 1
#: The newest format; its keys are declared with :func:`since` (see ``formats.py``).
LATEST_FORMAT = 2

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
ChartKind = Literal["bar", "column", "line", "stacked"]
#: Where a chart goes when its ``place`` names no section: after the key facts.
AFTER_KEY_FACTS = "after_key_facts"


class Author(_Model):
    """An author with an affiliation."""

    name: Text = Field(description="The author's name.")
    affiliation: Text | None = Field(None, description="Office or organisation.")


class Investment(_Model):
    """The money committed or discussed."""

    amount: float | int = Field(description="Amount, a plain number.", allow_inf_nan=False)
    currency: Currency = Field(description="ISO 4217 code, e.g. HKD, CNY, USD.")
    note: Text | None = Field(None, description="What the amount covers, how firm it is.")


class Site(_Model):
    """A place of the initiative, for the locator map (format 2)."""

    name: Text = since(2, ..., "Format 2: the site's name.")
    lat: float = since(2, ..., "Format 2: latitude in degrees.", ge=-90, le=90)
    lon: float = since(2, ..., "Format 2: longitude in degrees.", ge=-180, le=180)


class Initiative(_Model):
    """The initiative the brief is about."""

    name: Text = Field(description="Name of the initiative.")
    sponsor: Text | None = Field(None, description="Who drives it.")
    framework: Text | None = Field(None, description="The policy it falls under.")
    stage: Stage = Field(description="Where it stands.")
    locations: list[Text] | None = Field(None, description="Places involved.")
    target_markets: list[Text] | None = Field(None, description="Markets it aims to serve.")
    investment: Investment | None = Field(None, description="The money involved.")
    sites: list[Site] | None = since(2, None, "Format 2: places for the locator map.")


class Quantity(_Model):
    """A number with its unit (format 2): ``{amount: 7.59e9, unit: USD}``."""

    amount: float | int = since(2, ..., "Format 2: the number.")
    unit: Unit = since(2, ..., "Format 2: ISO 4217 code, or a unit such as GWh or jobs.")


class KeyFact(_Model):
    """One fact, always sourced."""

    label: Text = Field(description="What the fact is about.")
    value: Text | int | float | Quantity = Field(
        description="The fact itself: text, a number, or (format 2) {amount, unit}."
    )
    year: int | None = since(2, None, "Format 2: the year the figure refers to.")
    highlight: bool = since(2, False, "Format 2: shown in the key-figures panel.")
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


class DataPoint(_Model):
    """One point of a data series (format 2)."""

    x: Annotated[int, Field(ge=1000, le=9999)] | Text = since(
        2, ..., "Format 2: a year, a partial date YYYY-MM(-DD), or a category."
    )
    y: float | int = since(2, ..., "Format 2: the value, in the series' unit.")
    sources: list[SourceId] | None = since(
        2, None, "Format 2: ids of the sources of this point (else the series')."
    )


class DataSeries(_Model):
    """A named, sourced series of numbers that charts draw (format 2)."""

    id: Slug = since(2, ..., "Format 2: slug unique in the file; charts name it.")
    title: Text = since(2, ..., "Format 2: what the series measures.")
    unit: Unit = since(2, ..., "Format 2: ISO 4217 code, or a unit such as GWh or jobs.")
    points: list[DataPoint] = since(
        2,
        ...,
        "Format 2: the points, x all of one kind (years, dates or categories).",
        min_length=1,
    )
    sources: list[SourceId] | None = since(
        2, None, "Format 2: ids of the sources of every point that names none."
    )


class Chart(_Model):
    """A chart drawn from data series (format 2)."""

    id: Slug = since(2, ..., "Format 2: slug unique in the file.")
    title: Text = since(2, ..., "Format 2: the chart's title.")
    kind: ChartKind = since(2, ..., "Format 2: bar, column, line or stacked.")
    series: list[Slug] = since(
        2, ..., "Format 2: ids of data series, all of one unit.", min_length=1
    )
    note: Text | None = since(2, None, "Format 2: a line under the chart.")
    place: Text = since(
        2, AFTER_KEY_FACTS, "Format 2: after_key_facts, or the heading of a section."
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
    data: list[DataSeries] | None = since(2, None, "Format 2: sourced data series.")
    charts: list[Chart] | None = since(2, None, "Format 2: charts drawn from data.")
    sources: list[Source] = Field(min_length=1, description="Every source cited.")


def author_names(sheet: FactSheet) -> list[str]:
    """The authors' names, whichever of the two forms each was written in."""
    return [a if isinstance(a, str) else a.name for a in sheet.authors]
