"""The order of things in every output: timeline, challenges, and sources as a reader meets them.

The briefing, its email and the "what changed" text list challenges in the same order,
so each takes it from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.factsheet import (
    AFTER_KEY_FACTS,
    CATEGORY_ORDER,
    SEVERITY_ORDER,
    Challenge,
    FactSheet,
    TimelineEvent,
    cited_ids,
)


def partial_date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a partial date: a total order in which the less precise date comes first.

    ``2025`` sorts before ``2025-01`` (January 2025), which sorts before ``2025-01-01``:
    a missing month or day counts as 0, before every real one. The year is the whole
    of 2025, so it heads it, and a month heads its days. Sorting is stable, so events
    with the same date (and precision) keep their file order.
    """
    year, month, day = ([*date.split("-"), "0", "0"])[:3]
    return int(year), int(month), int(day)


def ordered_challenges(challenges: Iterable[Challenge]) -> list[Challenge]:
    """Challenges by category in the format's order, then most severe first, then file order."""
    return sorted(
        challenges,
        key=lambda c: (CATEGORY_ORDER.index(c.category), SEVERITY_ORDER.index(c.severity)),
    )


def reading_order(
    sheet: FactSheet,
    timeline: Sequence[TimelineEvent],
    challenges: Sequence[Challenge],
    *,
    panel: Sequence[str] = (),
    charts: Sequence[tuple[str, Sequence[str]]] = (),
) -> list[str]:
    """Every cited source id in the order a reader meets it, repeats included.

    ``panel`` is the key-figures panel's sources (first on the page), ``charts`` each
    chart's place (``after_key_facts`` or a section heading) and sources (format 2).
    """
    ids = [*panel, *cited_ids(sheet.summary)]
    for fact in sheet.key_facts:
        ids += [*cited_ids(fact.note or ""), *fact.sources]
    ids += [i for place, sources in charts if place == AFTER_KEY_FACTS for i in sources]
    for player in sheet.players or ():
        ids += [*cited_ids(player.role), *(player.sources or ())]
    for event in timeline:
        ids += [*cited_ids(event.event), *(event.sources or ())]
    for challenge in challenges:
        ids += cited_ids(challenge.body) + cited_ids(challenge.mitigations or "")
        ids += challenge.sources or ()
    for section in sheet.sections or ():
        ids += cited_ids(section.body)
        ids += [i for place, sources in charts if place == section.heading for i in sources]
    return ids
