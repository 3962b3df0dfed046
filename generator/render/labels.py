"""The words every output uses for the format's codes: stages, categories, severities...

The one owner of these words: the PDF, the HTML, the email and the "what changed" text
all take them from here, so a briefing never says "Labour" where its email says "labor".
"""

from __future__ import annotations

from collections.abc import Mapping

#: The marking printed on every page of a brief that is not final.
STATUS_MARKS: Mapping[str, str] = {"draft": "DRAFT", "review": "FOR REVIEW"}
STATUS_LABELS: Mapping[str, str] = {"draft": "Draft", "review": "For review", "final": "Final"}
STAGE_LABELS: Mapping[str, str] = {
    "proposed": "Proposed",
    "talks": "In talks",
    "announced": "Announced",
    "under_construction": "Under construction",
    "operating": "Operating",
    "stalled": "Stalled",
    "cancelled": "Cancelled",
}
PLAYER_KIND_LABELS: Mapping[str, str] = {
    "automaker": "Automaker",
    "battery": "Battery maker",
    "supplier": "Supplier",
    "technology": "Technology",
    "government": "Government",
    "investor": "Investor",
    "other": "Other",
}
CATEGORY_LABELS: Mapping[str, str] = {
    "land_cost": "Land cost",
    "labor": "Labour",
    "overcapacity": "Overcapacity",
    "price_competition": "Price competition",
    "talent": "Talent",
    "policy": "Policy",
    "geopolitics": "Geopolitics",
    "financing": "Financing",
    "other": "Other",
}
SEVERITY_LABELS: Mapping[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
SOURCE_KIND_LABELS: Mapping[str, str] = {
    "news": "News",
    "government": "Government",
    "company": "Company",
    "research": "Research",
    "dataset": "Dataset",
    "other": "Other",
}
#: The briefing's headings of its parts, as the "what changed" list names them. The
#: briefing's contents list and partials print the same words (a test holds them equal).
PART_LABELS: Mapping[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "jurisdiction": "Jurisdiction",
    "sector": "Sector",
    "authors": "Authors",
    "audience": "Audience",
    "summary": "Summary",
    "initiative": "Initiative at a glance",
    "key_facts": "Key facts",
    "players": "Players",
    "timeline": "Timeline",
    "challenges": "Challenges",
    "sections": "Sections",
    "sources": "Sources",
}
#: The rows of "Initiative at a glance", by the field each shows.
INITIATIVE_LABELS: Mapping[str, str] = {
    "name": "Initiative",
    "sponsor": "Sponsor",
    "framework": "Policy framework",
    "stage": "Stage",
    "locations": "Locations",
    "target_markets": "Target markets",
    "investment": "Investment",
}
