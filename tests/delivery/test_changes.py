"""What changed between two editions of a fact sheet."""

from __future__ import annotations

import copy

from generator.delivery.changes import compare
from generator.factsheet.model import FactSheet

BASE = {
    "title": "Plant",
    "jurisdiction": "Testland",
    "as_of": "2026-01-20",
    "status": "final",
    "authors": ["Analyst"],
    "summary": "Bottom line [@a].",
    "initiative": {"name": "Plant", "stage": "talks"},
    "key_facts": [
        {"label": "Jobs", "value": 100, "sources": ["a"]},
        {"label": "Site", "value": "North", "sources": ["a"]},
    ],
    "challenges": [{"category": "labor", "title": "Wages", "severity": "low", "body": "x"}],
    "sources": [{"id": "a", "title": "A", "publisher": "P", "url": "https://example.org/a"}],
}


def sheet(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return FactSheet.model_validate(data, strict=False)


def test_identical_sheets_have_no_changes():
    assert compare(sheet(), sheet()) == []


def test_every_kind_of_change_is_listed():
    after = sheet(
        initiative={"name": "Plant", "stage": "announced"},
        key_facts=[
            {"label": "jobs", "value": 250, "sources": ["a"]},
            {"label": "Investment", "value": "HKD 1bn", "sources": ["a"]},
        ],
        challenges=[
            {"category": "labor", "title": "Wages", "severity": "high", "body": "x"},
            {"category": "land_cost", "title": "Land", "severity": "medium", "body": "y"},
        ],
        sources=[
            *BASE["sources"],
            {"id": "b", "title": "B report", "publisher": "Q", "url": "https://example.org/b"},
        ],
    )
    texts = [c.text for c in compare(sheet(), after)]
    assert texts == [
        "Stage: In talks → Announced",
        "jobs: 100 → 250",
        "New key fact: Investment: HKD 1bn",
        "Key fact dropped: Site",
        "Challenge Wages: severity Low → High",
        "New challenge: Land (Medium severity)",
        "New source: B report (Q)",
    ]


def test_reordering_is_not_a_change():
    before = sheet()
    after = sheet(key_facts=list(reversed(BASE["key_facts"])))
    assert compare(before, after) == []
