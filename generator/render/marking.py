"""The protective marking and the edition a briefing shows, on every page and in its metadata.

A briefing with a ``marking``, or one of the two editions of a sheet with internal content,
carries a :class:`Banner`: the marking's wording (from the project's markings) and, in the
internal edition, :data:`INTERNAL_NOTICE` beside it. The templates print it at the top and
bottom of the HTML page and in the PDF's top and bottom margin on every page; the head
metadata name the marking's code and the edition (the PDF's keywords). A format-1 sheet
has no banner, and its output is what it always was.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.factsheet import FactSheet, Markings

#: What the internal edition says beside the marking.
INTERNAL_NOTICE = "INTERNAL — not for external distribution"
#: The stylesheet of the banner, under ``templates/static/``; read only when there is one.
MARKING_CSS = "marking.css"


@dataclass(frozen=True)
class Banner:
    """The marking (code and wording, or None) and the edition: ``internal``,
    ``external`` or ``only``."""

    code: str | None
    wording: str | None
    edition: str

    @property
    def notice(self) -> str | None:
        """The words beside the marking: the internal edition's notice."""
        return INTERNAL_NOTICE if self.edition == "internal" else None

    @property
    def shown(self) -> bool:
        """Whether there is anything to print on the pages."""
        return bool(self.wording or self.notice)

    @property
    def keywords(self) -> tuple[str, ...]:
        """What the document's keywords add: the marking and the edition."""
        found = [f"Marking: {self.code}"] if self.code else []
        if self.edition != "only":
            found.append(f"Edition: {self.edition}")
        return tuple(found)

    @property
    def meta(self) -> tuple[tuple[str, str], ...]:
        """``<meta name content>`` pairs naming the marking and the edition."""
        found = [("brief-marking", self.code)] if self.code else []
        return (*found, ("brief-edition", self.edition))


def banner_for(sheet: FactSheet, edition: str, markings: Markings | None) -> Banner | None:
    """The banner of ``sheet`` in ``edition`` (``only`` for a sheet with one edition);
    None when it has neither a marking nor two editions."""
    if sheet.marking is None and edition == "only":
        return None
    wording = None
    if sheet.marking is not None:
        wording = markings.wording(sheet.marking) if markings else sheet.marking
    return Banner(sheet.marking, wording, edition)
