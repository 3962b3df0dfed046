"""The view model of a briefing: what the templates print, worked out in Python.

Templates only loop and print. Everything that needs a decision lives here and is
tested here: the order of the timeline, the grouping and ordering of challenges,
the numbering of sources by first citation in reading order, the labels shown for
enumerations (severity as text, never as colour alone), which optional sections exist,
and the document metadata PDF readers show.

Markdown fields stay Markdown in the view; the template's ``markdown`` filter renders
them, so the only place Markdown becomes markup is
:func:`generator.render.markdown.render_markdown`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.factsheet import (
    SEVERITY_ORDER,
    Challenge,
    FactSheet,
    Initiative,
    Source,
    author_names,
    number_sources,
)
from generator.render.branding import BrandView, brand_view
from generator.render.graphic_style import graphic_colours, graphic_font
from generator.render.labels import (
    CATEGORY_LABELS,
    PLAYER_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_KIND_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    STATUS_MARKS,
)
from generator.render.locator_map import LocatorMap, locator_map
from generator.render.marking import Banner
from generator.render.metadata import MetaTag, head_meta, shorten
from generator.render.numbers import format_amount, format_number
from generator.render.order import ordered_challenges, partial_date_key, reading_order
from generator.render.risk_matrix import RiskMatrix, risk_matrix
from generator.render.timeline_strip import TimelineStrip, timeline_strip

#: Longest running-header title before it is shortened.
SHORT_TITLE_LENGTH = 60
#: Longest running-header jurisdiction before it is shortened.
SHORT_JURISDICTION_LENGTH = 40
#: How many key facts count as the most important. The format has no importance marker,
#: so the first ones in the file are taken: analysts list key facts most important first.
LEADING_FACTS = 5


@dataclass(frozen=True)
class Person:
    """An author as shown in the title block."""

    name: str
    affiliation: str | None


@dataclass(frozen=True)
class TitleBlock:
    """The head of the briefing: title, subtitle and the facts about the brief itself."""

    title: str
    short_title: str
    subtitle: str | None
    jurisdiction: str
    short_jurisdiction: str
    sector: str
    as_of: dt.date
    status: str
    status_label: str
    status_mark: str | None
    authors: tuple[Person, ...]
    audience: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One line of "initiative at a glance"."""

    label: str
    value: str
    note: str | None = None


@dataclass(frozen=True)
class KeyFactRow:
    """One row of the key-facts table; ``note`` is Markdown."""

    label: str
    value: str
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PlayerEntry:
    """A company or body; ``role`` is Markdown."""

    name: str
    local_name: str | None
    kind: str
    role: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event; ``date`` is a partial date, ``event`` Markdown."""

    date: str
    event: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ChallengeEntry:
    """A challenge; ``body`` and ``mitigations`` are Markdown."""

    title: str
    severity: str
    severity_label: str
    body: str
    mitigations: str | None
    sources: tuple[str, ...]
    #: The card's element id, ``challenge-<n>`` in reading order (the risk matrix links it).
    anchor: str = ""


@dataclass(frozen=True)
class ChallengeGroup:
    """The challenges of one category, most severe first."""

    category: str
    label: str
    challenges: tuple[ChallengeEntry, ...]


@dataclass(frozen=True)
class HeadlineChallenge:
    """A challenge reduced to one line: its category, title and severity."""

    category: str
    title: str
    severity: str
    severity_label: str


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents list: a section heading and the id it links to."""

    anchor: str
    heading: str


@dataclass(frozen=True)
class SectionEntry:
    """A further section; ``anchor`` is a generated id, never taken from user text."""

    anchor: str
    heading: str
    body: str


@dataclass(frozen=True)
class SourceEntry:
    """A numbered source; ``anchor`` is the element id citations link to."""

    number: int
    anchor: str
    title: str
    publisher: str
    published: str | None
    kind: str
    url: str | None
    note: str | None
    accessed: dt.date | None


@dataclass(frozen=True)
class BriefView:
    """Everything the brief template prints, in the format's section order."""

    brief_id: str
    language: str
    title_block: TitleBlock
    summary: str
    initiative: tuple[Row, ...]
    key_facts: tuple[KeyFactRow, ...]
    players: tuple[PlayerEntry, ...]
    timeline: tuple[TimelineEntry, ...]
    challenge_groups: tuple[ChallengeGroup, ...]
    sections: tuple[SectionEntry, ...]
    sources: tuple[SourceEntry, ...]
    source_numbers: Mapping[str, int]
    meta: tuple[MetaTag, ...]
    contents: tuple[ContentsEntry, ...]
    #: The house style as this sheet shows it (``brand.yaml``; see render/branding.py).
    brand: BrandView = field(default_factory=BrandView)
    #: The marking and edition shown on every page; None for a sheet with neither.
    banner: Banner | None = None
    #: The graphics (render/timeline_strip.py, risk_matrix.py, locator_map.py); None: none.
    timeline_strip: TimelineStrip | None = None
    risk_matrix: RiskMatrix | None = None
    locator_map: LocatorMap | None = None

    @property
    def graphic_font(self) -> str:
        """The font family of the graphics' text (render/graphic_style.py)."""
        return graphic_font(self.brand.heading_font)

    @property
    def colours(self) -> Mapping[str, str]:
        """The graphics' colours, the brand's over the stylesheet's (graphic_style.py)."""
        return graphic_colours(self.brand.palette)

    @property
    def leading_facts(self) -> tuple[KeyFactRow, ...]:
        """The key facts marked most important: the first :data:`LEADING_FACTS` of them."""
        return self.key_facts[:LEADING_FACTS]

    @property
    def headline_challenges(self) -> tuple[HeadlineChallenge, ...]:
        """Every challenge of the highest severity present, in the challenges' order."""
        entries = [
            HeadlineChallenge(group.label, c.title, c.severity, c.severity_label)
            for group in self.challenge_groups
            for c in group.challenges
        ]
        top = min((SEVERITY_ORDER.index(e.severity) for e in entries), default=0)
        return tuple(e for e in entries if SEVERITY_ORDER.index(e.severity) == top)


def build_view(
    sheet: FactSheet, brief_id: str, brand: object = None, banner: Banner | None = None
) -> BriefView:
    """Work out the view of ``sheet`` (an edition's sheet, with its ``banner``): order,
    grouping, numbering, labels, metadata, and the house style ``brand`` (None: no
    brand.yaml)."""
    timeline = sorted(sheet.timeline or (), key=lambda event: partial_date_key(event.date))
    challenges = ordered_challenges(sheet.challenges)
    numbers = number_sources(
        reading_order(sheet, timeline, challenges), [s.id for s in sheet.sources]
    )
    sections = tuple(
        SectionEntry(f"section-{i}", s.heading, s.body)
        for i, s in enumerate(sheet.sections or (), start=1)
    )
    groups = _group_challenges(challenges)
    return BriefView(
        brief_id=brief_id,
        language=sheet.language,
        title_block=_title_block(sheet),
        summary=sheet.summary,
        initiative=_initiative_rows(sheet.initiative),
        key_facts=tuple(
            KeyFactRow(f.label, _fact_value(f.value, f.year), f.note, tuple(f.sources))
            for f in sheet.key_facts
        ),
        players=tuple(
            PlayerEntry(
                p.name, p.local_name, PLAYER_KIND_LABELS[p.kind], p.role, tuple(p.sources or ())
            )
            for p in sheet.players or ()
        ),
        timeline=tuple(TimelineEntry(e.date, e.event, tuple(e.sources or ())) for e in timeline),
        challenge_groups=groups,
        sections=sections,
        sources=_numbered_sources(sheet.sources, numbers),
        source_numbers=MappingProxyType(numbers),
        meta=head_meta(sheet, banner.keywords if banner else ()),
        contents=contents(sheet, sections),
        brand=brand_view(brand, brief_id=brief_id, sheet=sheet, authors=author_names(sheet)),
        banner=banner,
        timeline_strip=timeline_strip([e.date for e in timeline], sheet.as_of),
        risk_matrix=risk_matrix(groups),
        locator_map=locator_map(sheet.initiative.sites or ()),
    )


def contents(sheet: FactSheet, sections: Sequence[SectionEntry]) -> tuple[ContentsEntry, ...]:
    """The sections of the full briefing in the format's order, empty optional ones left out.

    The anchors are the ids the ``brief`` template's partials give their sections.
    """
    entries = [
        ContentsEntry("summary", "Summary"),
        ContentsEntry("initiative", "Initiative at a glance"),
        ContentsEntry("key-facts", "Key facts"),
    ]
    if sheet.players:
        entries.append(ContentsEntry("players", "Players"))
    if sheet.timeline:
        entries.append(ContentsEntry("timeline", "Timeline"))
    entries.append(ContentsEntry("challenges", "Challenges"))
    entries += [ContentsEntry(s.anchor, s.heading) for s in sections]
    entries.append(ContentsEntry("sources", "Sources"))
    return tuple(entries)


def _title_block(sheet: FactSheet) -> TitleBlock:
    return TitleBlock(
        title=sheet.title,
        short_title=shorten(sheet.title, SHORT_TITLE_LENGTH),
        subtitle=sheet.subtitle,
        jurisdiction=sheet.jurisdiction,
        short_jurisdiction=shorten(sheet.jurisdiction, SHORT_JURISDICTION_LENGTH),
        sector=sheet.sector,
        as_of=sheet.as_of,
        status=sheet.status,
        status_label=STATUS_LABELS[sheet.status],
        status_mark=STATUS_MARKS.get(sheet.status),
        authors=tuple(
            Person(a, None) if isinstance(a, str) else Person(a.name, a.affiliation)
            for a in sheet.authors
        ),
        audience=sheet.audience,
        tags=tuple(sheet.tags or ()),
    )


def _initiative_rows(initiative: Initiative) -> tuple[Row, ...]:
    rows = [Row("Initiative", initiative.name)]
    if initiative.sponsor:
        rows.append(Row("Sponsor", initiative.sponsor))
    if initiative.framework:
        rows.append(Row("Policy framework", initiative.framework))
    rows.append(Row("Stage", STAGE_LABELS[initiative.stage]))
    if initiative.locations:
        rows.append(Row("Locations", "; ".join(initiative.locations)))
    if initiative.target_markets:
        rows.append(Row("Target markets", "; ".join(initiative.target_markets)))
    if initiative.investment:
        money = initiative.investment
        amount = f"{money.currency} {format_amount(money.amount)}"
        rows.append(Row("Investment", amount, money.note))
    return tuple(rows)


def _group_challenges(challenges: Sequence[Challenge]) -> tuple[ChallengeGroup, ...]:
    groups: dict[str, list[ChallengeEntry]] = {}
    for number, c in enumerate(challenges, start=1):
        groups.setdefault(c.category, []).append(
            ChallengeEntry(
                c.title,
                c.severity,
                SEVERITY_LABELS[c.severity],
                c.body,
                c.mitigations,
                tuple(c.sources or ()),
                f"challenge-{number}",
            )
        )
    return tuple(
        ChallengeGroup(category, CATEGORY_LABELS[category], tuple(entries))
        for category, entries in groups.items()
    )


def _numbered_sources(
    sources: Sequence[Source], numbers: Mapping[str, int]
) -> tuple[SourceEntry, ...]:
    entries = [
        SourceEntry(
            number=numbers[s.id],
            anchor=f"source-{numbers[s.id]}",
            title=s.title,
            publisher=s.publisher,
            published=s.published,
            kind=SOURCE_KIND_LABELS[s.kind],
            url=s.url if s.url and s.url.lower().startswith(("http://", "https://")) else None,
            note=s.note,
            accessed=s.accessed,
        )
        for s in sources
    ]
    return tuple(sorted(entries, key=lambda entry: entry.number))


def _fact_value(value: object, year: int | None) -> str:
    """A key fact's value as shown, with the year it refers to (format 2) after it."""
    shown = format_number(value)
    return f"{shown} ({year})" if year is not None else shown
