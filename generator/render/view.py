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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from gettext import NullTranslations
from types import MappingProxyType

from generator.factsheet import (
    SEVERITY_ORDER,
    Challenge,
    FactSheet,
    Initiative,
    Player,
    Source,
    author_names,
    cited_ids,
    number_sources,
)
from generator.render.branding import BrandView, brand_view
from generator.render.figures import ChartView, KeyFigure, chart_views, charts_at, key_figures
from generator.render.graphic_style import graphic_colours, graphic_font
from generator.render.i18n import Language
from generator.render.labels import (
    CATEGORY_LABELS,
    INITIATIVE_LABELS,
    PART_LABELS,
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
from generator.render.numbers import format_money, format_number
from generator.render.order import ordered_challenges, partial_date_key, reading_order
from generator.render.risk_matrix import RiskMatrix, risk_matrix
from generator.render.script_marks import same_language, text_language
from generator.render.timeline_strip import TimelineStrip, timeline_strip
from generator.render.view_parts import (
    ChallengeEntry,
    ChallengeGroup,
    ContentsEntry,
    HeadlineChallenge,
    KeyFactRow,
    Person,
    PlayerEntry,
    Row,
    SectionEntry,
    SourceEntry,
    TimelineEntry,
    TitleBlock,
)

#: Longest running-header title before it is shortened.
SHORT_TITLE_LENGTH = 60
#: Longest running-header jurisdiction before it is shortened.
SHORT_JURISDICTION_LENGTH = 40
#: How many key facts count as the most important. The format has no importance marker,
#: so the first ones in the file are taken: analysts list key facts most important first.
LEADING_FACTS = 5


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
    #: The words, dates and numbers of ``language`` (None: English), for writers without
    #: templates (the DOCX).
    i18n: Language | None = None
    #: The key-figures panel (format 2; render/figures.py): empty, no panel.
    key_figures: tuple[KeyFigure, ...] = ()
    #: The charts drawn from ``data`` (format 2), in file order.
    charts: tuple[ChartView, ...] = ()

    def charts_at(self, place: str) -> tuple[ChartView, ...]:
        """The charts placed at ``place``: ``after_key_facts`` or a section's heading."""
        return charts_at(self.charts, place)

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
    def leading_sources(self) -> tuple[SourceEntry, ...]:
        """The sources the one-pager cites (its summary, key figures, leading facts and
        first chart), numbered as in the full briefing so that a number means the same
        source in both."""
        ids = [*self._one_pager_text_ids(), *(i for c in self.charts[:1] for i in c.sources)]
        numbers = {self.source_numbers[i] for i in ids if i in self.source_numbers}
        return tuple(s for s in self.sources if s.number in numbers)

    @property
    def chart_only_sources(self) -> frozenset[int]:
        """The numbers of the sources the one-pager cites in its chart alone: a page
        printed without its chart (onepager.css, ``fit-no-chart``) leaves them out."""
        text = {self.source_numbers.get(i) for i in self._one_pager_text_ids()}
        return frozenset(s.number for s in self.leading_sources if s.number not in text)

    def _one_pager_text_ids(self) -> list[str]:
        """The source ids the one-pager cites outside its chart."""
        facts = [i for f in (*self.key_figures, *self.leading_facts) for i in f.sources]
        return [*cited_ids(self.summary), *facts]

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
    sheet: FactSheet,
    brief_id: str,
    brand: object = None,
    banner: Banner | None = None,
    language: Language | None = None,
) -> BriefView:
    """Work out the view of ``sheet`` (an edition's sheet, with its ``banner``): order,
    grouping, numbering, labels, metadata, and the house style ``brand`` (None: no
    brand.yaml); labels and numbers in ``language`` (None: English)."""
    lang = language or Language(sheet.language, "en", NullTranslations())
    timeline = sorted(sheet.timeline or (), key=lambda event: partial_date_key(event.date))
    challenges = ordered_challenges(sheet.challenges)
    panel, charts = key_figures(sheet, lang), chart_views(sheet, lang)
    order = reading_order(
        sheet,
        timeline,
        challenges,
        panel=[i for figure in panel for i in figure.sources],
        charts=[(chart.place, chart.sources) for chart in charts],
    )
    numbers = number_sources(order, [s.id for s in sheet.sources])
    sections = tuple(
        SectionEntry(f"section-{i}", s.heading, s.body)
        for i, s in enumerate(sheet.sections or (), start=1)
    )
    groups = _group_challenges(challenges, lang)
    return BriefView(
        brief_id=brief_id,
        language=sheet.language,
        title_block=_title_block(sheet, lang),
        summary=sheet.summary,
        initiative=_initiative_rows(sheet.initiative, lang),
        key_facts=tuple(
            KeyFactRow(f.label, _fact_value(f.value, f.year, lang.locale), f.note, tuple(f.sources))
            for f in sheet.key_facts
        ),
        players=tuple(_player(p, sheet, lang) for p in sheet.players or ()),
        timeline=tuple(TimelineEntry(e.date, e.event, tuple(e.sources or ())) for e in timeline),
        challenge_groups=groups,
        sections=sections,
        sources=_numbered_sources(sheet.sources, numbers, lang),
        source_numbers=MappingProxyType(numbers),
        meta=head_meta(sheet, banner.keywords if banner else ()),
        contents=contents(sheet, sections, lang),
        brand=brand_view(
            brand, brief_id=brief_id, sheet=sheet, authors=author_names(sheet), locale=lang.locale
        ),
        banner=banner,
        i18n=lang,
        key_figures=panel,
        charts=charts,
        timeline_strip=timeline_strip([e.date for e in timeline], sheet.as_of),
        risk_matrix=risk_matrix(groups, lang.gettext),
        locator_map=locator_map(sheet.initiative.sites or ()),
    )


def contents(
    sheet: FactSheet, sections: Sequence[SectionEntry], lang: Language | None = None
) -> tuple[ContentsEntry, ...]:
    """The sections of the full briefing in the format's order, empty optional ones left out,
    headed as the partials head them (``PART_LABELS``, translated).

    The anchors are the ids the ``brief`` template's partials give their sections.
    """
    parts = ["summary", "initiative", "key_facts"]
    parts += ["players"] * bool(sheet.players) + ["timeline"] * bool(sheet.timeline)
    word = lang.gettext if lang else str
    entries = [
        ContentsEntry(part.replace("_", "-"), word(PART_LABELS[part]))
        for part in [*parts, "challenges"]
    ]
    entries += [ContentsEntry(s.anchor, s.heading) for s in sections]
    entries.append(ContentsEntry("sources", word(PART_LABELS["sources"])))
    return tuple(entries)


def _title_block(sheet: FactSheet, lang: Language) -> TitleBlock:
    mark = STATUS_MARKS.get(sheet.status)
    return TitleBlock(
        title=sheet.title,
        short_title=sheet.short_title or shorten(sheet.title, SHORT_TITLE_LENGTH),
        subtitle=sheet.subtitle,
        jurisdiction=sheet.jurisdiction,
        short_jurisdiction=shorten(sheet.jurisdiction, SHORT_JURISDICTION_LENGTH),
        sector=sheet.sector,
        as_of=sheet.as_of,
        status=sheet.status,
        status_label=lang.label(STATUS_LABELS, sheet.status),
        status_mark=lang.gettext(mark) if mark else None,
        authors=tuple(
            Person(a, None) if isinstance(a, str) else Person(a.name, a.affiliation)
            for a in sheet.authors
        ),
        audience=sheet.audience,
        tags=tuple(sheet.tags or ()),
    )


def _initiative_rows(initiative: Initiative, lang: Language) -> tuple[Row, ...]:
    def row(field: str, value: str, note: str | None = None) -> Row:
        return Row(lang.label(INITIATIVE_LABELS, field), value, note, field)

    rows = [row("name", initiative.name)]
    if initiative.sponsor:
        rows.append(row("sponsor", initiative.sponsor))
    if initiative.framework:
        rows.append(row("framework", initiative.framework))
    rows.append(row("stage", lang.label(STAGE_LABELS, initiative.stage)))
    if initiative.locations:
        rows.append(row("locations", "; ".join(initiative.locations)))
    if initiative.target_markets:
        rows.append(row("target_markets", "; ".join(initiative.target_markets)))
    if initiative.investment:
        money = initiative.investment
        amount = format_money(money.amount, money.currency, lang.locale)
        rows.append(row("investment", amount, money.note))
    return tuple(rows)


def _player(player: Player, sheet: FactSheet, words: Language) -> PlayerEntry:
    lang = player.local_name_lang
    if lang is None and player.local_name:
        lang = text_language(player.local_name, sheet.language, sheet.jurisdiction)
    if lang is not None and same_language(lang, sheet.language):
        lang = None
    kind = words.label(PLAYER_KIND_LABELS, player.kind)
    sources = tuple(player.sources or ())
    return PlayerEntry(player.name, player.local_name, kind, player.role, sources, lang)


def _group_challenges(
    challenges: Sequence[Challenge], lang: Language
) -> tuple[ChallengeGroup, ...]:
    groups: dict[str, list[ChallengeEntry]] = {}
    for number, c in enumerate(challenges, start=1):
        groups.setdefault(c.category, []).append(
            ChallengeEntry(
                c.title,
                c.severity,
                lang.label(SEVERITY_LABELS, c.severity),
                c.body,
                c.mitigations,
                tuple(c.sources or ()),
                f"challenge-{number}",
            )
        )
    return tuple(
        ChallengeGroup(category, lang.label(CATEGORY_LABELS, category), tuple(entries))
        for category, entries in groups.items()
    )


def _numbered_sources(
    sources: Sequence[Source], numbers: Mapping[str, int], lang: Language
) -> tuple[SourceEntry, ...]:
    entries = [
        SourceEntry(
            number=numbers[s.id],
            anchor=f"source-{numbers[s.id]}",
            title=s.title,
            publisher=s.publisher,
            published=s.published,
            kind=lang.label(SOURCE_KIND_LABELS, s.kind),
            url=s.url if s.url and s.url.lower().startswith(("http://", "https://")) else None,
            note=s.note,
            accessed=s.accessed,
        )
        for s in sources
    ]
    return tuple(sorted(entries, key=lambda entry: entry.number))


def _fact_value(value: object, year: int | None, locale: str) -> str:
    """A key fact's value as shown, with the year it refers to (format 2) after it."""
    shown = format_number(value, locale)
    return f"{shown} ({year})" if year is not None else shown
