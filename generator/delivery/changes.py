"""What changed in a fact sheet between the edition a list last received and this one.

A pure comparison of two :class:`FactSheet` values covering every part the briefing
shows: the stage and status first, then the title block, the summary, the initiative at
a glance, the key facts, players, timeline, challenges, further sections and sources, in
the briefing's order. Only ``as_of`` (the email prints the new date), ``tags``,
``language`` and ``template`` are left out: they change no word of the briefing.

Items are matched so that a reordering is not a change: key facts by label, players by
name, challenges by title, sections by heading and sources by id (ignoring case and
surrounding spaces); timeline events by date and text. Markdown is compared with its
line breaks inside paragraphs ignored, since they do not change what a reader sees.
Every sentence uses the briefing's own words (``render.labels``) and number formats
(``render.numbers``), in the briefing's language: each sentence is a message of the
catalogs (``templates/locale``), its parts filled in by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from generator.delivery.change_words import (
    N_,
    _,
    _date,
    _label,
    _money,
    _number,
    _revised,
    speaking,
)
from generator.factsheet import Challenge, FactSheet, Initiative, Source, TimelineEvent
from generator.render import (
    CATEGORY_LABELS,
    INITIATIVE_LABELS,
    PART_LABELS,
    PLAYER_KIND_LABELS,
    SEVERITY_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Language,
    partial_date_key,
    plain_text,
)

Kind = Literal[
    "stage",
    "status",
    "title-block",
    "summary",
    "initiative",
    "investment",
    "new-fact",
    "changed-fact",
    "removed-fact",
    "player",
    "timeline",
    "new-challenge",
    "changed-challenge",
    "removed-challenge",
    "section",
    "new-source",
    "changed-source",
    "removed-source",
]
T = TypeVar("T")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Change:
    """One difference, as a kind and a short sentence for readers."""

    kind: Kind
    text: str


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _prose(text: str | None) -> tuple[str, ...]:
    """Markdown as a reader meets it: paragraphs, each with its spacing collapsed."""
    return tuple(" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text or "") if p.strip())


def _index(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    indexed: dict[str, T] = {}
    for item in items:
        indexed.setdefault(_key(key(item)), item)
    return indexed


def _listing(items: Sequence[str] | None) -> str:
    """A list field as the briefing's "at a glance" rows print it."""
    return "; ".join(items or ())


def compare(before: FactSheet, after: FactSheet, language: Language | None = None) -> list[Change]:
    """The changes from ``before`` to ``after``: stage and status, then the briefing's order,
    in ``language`` (None: English)."""
    with speaking(language):
        return _compare(before, after)


def _compare(before: FactSheet, after: FactSheet) -> list[Change]:
    changes = _headline(before, after)
    changes += _title_block(before, after)
    if _prose(before.summary) != _prose(after.summary):
        changes.append(
            Change("summary", _("%(part)s revised", part=_label(PART_LABELS, "summary")))
        )
    changes += _initiative(before, after)
    changes += _fact_changes(before, after)
    changes += _player_changes(before, after)
    changes += _timeline_changes(before.timeline or (), after.timeline or ())
    changes += _challenge_changes(before, after)
    changes += _section_changes(before, after)
    changes += _source_changes(before.sources, after.sources)
    return changes


def _headline(before: FactSheet, after: FactSheet) -> list[Change]:
    changes = []
    old, new = before.initiative.stage, after.initiative.stage
    if old != new:
        label, was, now = (
            _label(INITIATIVE_LABELS, "stage"),
            _label(STAGE_LABELS, old),
            _label(STAGE_LABELS, new),
        )
        changes.append(
            Change("stage", _("%(label)s: %(old)s → %(new)s", label=label, old=was, new=now))
        )
    if before.status != after.status:
        was, now = _label(STATUS_LABELS, before.status), _label(STATUS_LABELS, after.status)
        changes.append(Change("status", _("Status: %(old)s → %(new)s", old=was, new=now)))
    return changes


def _text_change(kind: Kind, label: str, old: str | None, new: str | None) -> list[Change]:
    """``Label: old → new``, ``Label: added new`` or ``Label: removed old``; [] if equal."""
    if _key(old or "") == _key(new or ""):
        return []
    if not old:
        return [Change(kind, _("%(label)s: added %(item)s", label=label, item=new or ""))]
    if not new:
        return [Change(kind, _("%(label)s: removed %(item)s", label=label, item=old))]
    return [Change(kind, _("%(label)s: %(old)s → %(new)s", label=label, old=old, new=new))]


def _authors(sheet: FactSheet) -> str:
    return "; ".join(
        a if isinstance(a, str) else f"{a.name} ({a.affiliation})" if a.affiliation else a.name
        for a in sheet.authors
    )


def _title_block(before: FactSheet, after: FactSheet) -> list[Change]:
    changes: list[Change] = []
    for field in ("title", "subtitle", "jurisdiction", "sector"):
        old, new = getattr(before, field), getattr(after, field)
        changes += _text_change("title-block", _label(PART_LABELS, field), old, new)
    changes += _text_change(
        "title-block", _label(PART_LABELS, "authors"), _authors(before), _authors(after)
    )
    return changes + _text_change(
        "title-block", _label(PART_LABELS, "audience"), before.audience, after.audience
    )


def _initiative(before: FactSheet, after: FactSheet) -> list[Change]:
    old, new = before.initiative, after.initiative
    changes: list[Change] = []
    for field in ("name", "sponsor", "framework"):
        label = _label(INITIATIVE_LABELS, field)
        changes += _text_change("initiative", label, getattr(old, field), getattr(new, field))
    for field in ("locations", "target_markets"):
        label = _label(INITIATIVE_LABELS, field)
        old_items, new_items = _listing(getattr(old, field)), _listing(getattr(new, field))
        changes += _text_change("initiative", label, old_items, new_items)
    return changes + _investment(old, new)


def _investment(before: Initiative, after: Initiative) -> list[Change]:
    label, old, new = _label(INITIATIVE_LABELS, "investment"), before.investment, after.investment
    old_money = _money(old.amount, old.currency) if old else None
    new_money = _money(new.amount, new.currency) if new else None
    changes = _text_change("investment", label, old_money, new_money)
    if not changes and old and new and _key(old.note or "") != _key(new.note or ""):
        changes.append(Change("investment", _("%(label)s: note revised", label=label)))
    return changes


def _fact_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    old = _index(before.key_facts, lambda f: f.label)
    new = _index(after.key_facts, lambda f: f.label)
    changes = []
    for key, fact in new.items():
        previous = old.get(key)
        if previous is None:
            text = _(
                "New key fact: %(label)s: %(value)s", label=fact.label, value=_number(fact.value)
            )
            changes.append(Change("new-fact", text))
        elif _number(previous.value) != _number(fact.value):
            was, now = _number(previous.value), _number(fact.value)
            text = _("%(label)s: %(old)s → %(new)s", label=fact.label, old=was, new=now)
            changes.append(Change("changed-fact", text))
        elif _prose(previous.note) != _prose(fact.note):
            changes.append(Change("changed-fact", _("%(label)s: note revised", label=fact.label)))
        elif previous.sources != fact.sources:
            changes.append(
                Change("changed-fact", _("%(label)s: sources revised", label=fact.label))
            )
    for key, fact in old.items():
        if key not in new:
            changes.append(
                Change("removed-fact", _("Key fact dropped: %(label)s", label=fact.label))
            )
    return changes


def _player_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    label = _label(PART_LABELS, "players")
    old = _index(before.players or (), lambda p: p.name)
    new = _index(after.players or (), lambda p: p.name)
    changes = []
    for key, player in new.items():
        kind = _label(PLAYER_KIND_LABELS, player.kind)
        previous = old.get(key)
        if previous is None:
            item = f"{player.name} ({kind})"
            changes.append(Change("player", _("%(label)s: added %(item)s", label=label, item=item)))
        elif previous.kind != player.kind:
            was = _label(PLAYER_KIND_LABELS, previous.kind)
            item = f"{player.name} ({_('%(old)s → %(new)s', old=was, new=kind)})"
            changes.append(
                Change("player", _("%(label)s: revised %(item)s", label=label, item=item))
            )
        elif (_prose(previous.role), previous.local_name, previous.sources) != (
            _prose(player.role),
            player.local_name,
            player.sources,
        ):
            changes.append(
                Change("player", _("%(label)s: revised %(item)s", label=label, item=player.name))
            )
    for key, player in old.items():
        if key not in new:
            changes.append(
                Change("player", _("%(label)s: removed %(item)s", label=label, item=player.name))
            )
    return changes


def _event_key(event: TimelineEvent) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return event.date, _prose(event.event), tuple(event.sources or ())


def _timeline_changes(
    before: Sequence[TimelineEvent], after: Sequence[TimelineEvent]
) -> list[Change]:
    """Events added, removed and revised, in date order as the briefing's timeline lists them.

    An event still there unchanged drops out first; of the rest, one at the same date, or
    else with the same text, is the same event revised; the others were added or removed.
    """
    old = list(before)
    unmatched = []
    for event in after:
        same = next((o for o in old if _event_key(o) == _event_key(event)), None)
        if same is None:
            unmatched.append(event)
        else:
            old.remove(same)
    found: list[tuple[str, Change]] = []
    for event in unmatched:
        was = next((o for o in old if o.date == event.date), None) or next(
            (o for o in old if _prose(o.event) == _prose(event.event)), None
        )
        if was is not None:
            old.remove(was)
        found.append((event.date, Change("timeline", _event_text(event, was))))
    label = _label(PART_LABELS, "timeline")
    for event in old:
        item = f"{_date(event.date)} {plain_text(event.event)}"
        text = _("%(label)s: removed %(item)s", label=label, item=item)
        found.append((event.date, Change("timeline", text)))
    found.sort(key=lambda pair: partial_date_key(pair[0]))
    return [change for _, change in found]


def _event_text(event: TimelineEvent, was: TimelineEvent | None) -> str:
    label, item = _label(PART_LABELS, "timeline"), f"{_date(event.date)} {plain_text(event.event)}"
    if was is None:
        return _("%(label)s: added %(item)s", label=label, item=item)
    if was.date != event.date:
        item += " " + _("(was %(date)s)", date=_date(was.date))
    return _("%(label)s: revised %(item)s", label=label, item=item)


def _challenge_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    old = _index(before.challenges, lambda c: c.title)
    new = _index(after.challenges, lambda c: c.title)
    changes = []
    for key, challenge in new.items():
        previous = old.get(key)
        if previous is None:
            severity = _label(SEVERITY_LABELS, challenge.severity)
            text = _(
                "New challenge: %(title)s (%(severity)s severity)",
                title=challenge.title,
                severity=severity,
            )
            changes.append(Change("new-challenge", text))
        else:
            changes += _challenge_revised(previous, challenge)
    for key, challenge in old.items():
        if key not in new:
            text = _("Challenge dropped: %(title)s", title=challenge.title)
            changes.append(Change("removed-challenge", text))
    return changes


def _challenge_revised(previous: Challenge, challenge: Challenge) -> list[Change]:
    title, changes = challenge.title, []
    if previous.severity != challenge.severity:
        old, new = (_label(SEVERITY_LABELS, c.severity) for c in (previous, challenge))
        text = _("Challenge %(title)s: severity %(old)s → %(new)s", title=title, old=old, new=new)
        changes.append(Change("changed-challenge", text))
    if previous.category != challenge.category:
        old, new = (_label(CATEGORY_LABELS, c.category) for c in (previous, challenge))
        text = _("Challenge %(title)s: %(old)s → %(new)s", title=title, old=old, new=new)
        changes.append(Change("changed-challenge", text))
    revised = [
        what
        for what, differs in (
            (N_("text"), _prose(previous.body) != _prose(challenge.body)),
            (N_("mitigations"), _prose(previous.mitigations) != _prose(challenge.mitigations)),
            (N_("sources"), previous.sources != challenge.sources),
        )
        if differs
    ]
    if revised:
        changes.append(Change("changed-challenge", _revised(title, revised)))
    return changes


def _section_changes(before: FactSheet, after: FactSheet) -> list[Change]:
    label = _label(PART_LABELS, "sections")
    old = _index(before.sections or (), lambda s: s.heading)
    new = _index(after.sections or (), lambda s: s.heading)
    changes = []
    for key, section in new.items():
        previous = old.get(key)
        if previous is None:
            changes.append(
                Change("section", _("%(label)s: added %(item)s", label=label, item=section.heading))
            )
        elif _prose(previous.body) != _prose(section.body):
            changes.append(
                Change(
                    "section", _("%(label)s: revised %(item)s", label=label, item=section.heading)
                )
            )
    for key, section in old.items():
        if key not in new:
            changes.append(
                Change(
                    "section", _("%(label)s: removed %(item)s", label=label, item=section.heading)
                )
            )
    return changes


def _source_changes(before: Sequence[Source], after: Sequence[Source]) -> list[Change]:
    old = _index(before, lambda s: s.id)
    new = _index(after, lambda s: s.id)
    changes = []
    for key, source in new.items():
        previous = old.get(key)
        named = f"{source.title} ({source.publisher})"
        if previous is None:
            changes.append(Change("new-source", _("New source: %(source)s", source=named)))
        elif previous.model_dump(exclude={"id"}) != source.model_dump(exclude={"id"}):
            changes.append(Change("changed-source", _("Source revised: %(source)s", source=named)))
    for key, source in old.items():
        if key not in new:
            named = f"{source.title} ({source.publisher})"
            changes.append(Change("removed-source", _("Source dropped: %(source)s", source=named)))
    return changes
