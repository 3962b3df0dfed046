"""The words every output uses for the format's codes: stages, categories, severities...

The one owner of these words: the PDF, the HTML, the email and the "what changed" text
all take them from here, so a briefing never says "Labour" where its email says "labor".
Each word is a message id in US English (the source language), marked for extraction
with ``N_`` and translated where it is printed (``Language.label``): ``en-GB`` writes
"Labour" from its catalog, ``fr`` "Main-d'œuvre" (generator/render/i18n.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.render.i18n import N_

#: The marking printed on every page of a brief that is not final.
STATUS_MARKS: Mapping[str, str] = {"draft": N_("DRAFT"), "review": N_("FOR REVIEW")}
STATUS_LABELS: Mapping[str, str] = {
    "draft": N_("Draft"),
    "review": N_("For review"),
    "final": N_("Final"),
}
STAGE_LABELS: Mapping[str, str] = {
    "proposed": N_("Proposed"),
    "talks": N_("In talks"),
    "announced": N_("Announced"),
    "under_construction": N_("Under construction"),
    "operating": N_("Operating"),
    "stalled": N_("Stalled"),
    "cancelled": N_("Canceled"),
}
PLAYER_KIND_LABELS: Mapping[str, str] = {
    "automaker": N_("Automaker"),
    "battery": N_("Battery maker"),
    "supplier": N_("Supplier"),
    "technology": N_("Technology"),
    "government": N_("Government"),
    "investor": N_("Investor"),
    "other": N_("Other"),
}
CATEGORY_LABELS: Mapping[str, str] = {
    "land_cost": N_("Land cost"),
    "labor": N_("Labor"),
    "overcapacity": N_("Overcapacity"),
    "price_competition": N_("Price competition"),
    "talent": N_("Talent"),
    "policy": N_("Policy"),
    "geopolitics": N_("Geopolitics"),
    "financing": N_("Financing"),
    "other": N_("Other"),
}
SEVERITY_LABELS: Mapping[str, str] = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
SOURCE_KIND_LABELS: Mapping[str, str] = {
    "news": N_("News"),
    "government": N_("Government"),
    "company": N_("Company"),
    "research": N_("Research"),
    "dataset": N_("Dataset"),
    "other": N_("Other"),
}
#: The briefing's headings of its parts, as the "what changed" list names them. The
#: briefing's contents list and partials print the same words (a test holds them equal).
PART_LABELS: Mapping[str, str] = {
    "title": N_("Title"),
    "subtitle": N_("Subtitle"),
    "jurisdiction": N_("Jurisdiction"),
    "sector": N_("Sector"),
    "authors": N_("Authors"),
    "audience": N_("Audience"),
    "summary": N_("Summary"),
    "initiative": N_("Initiative at a glance"),
    "key_facts": N_("Key facts"),
    "players": N_("Players"),
    "timeline": N_("Timeline"),
    "challenges": N_("Challenges"),
    "sections": N_("Sections"),
    "sources": N_("Sources"),
}
#: The rows of "Initiative at a glance", by the field each shows.
INITIATIVE_LABELS: Mapping[str, str] = {
    "name": N_("Initiative"),
    "sponsor": N_("Sponsor"),
    "framework": N_("Policy framework"),
    "stage": N_("Stage"),
    "locations": N_("Locations"),
    "target_markets": N_("Target markets"),
    "investment": N_("Investment"),
}
