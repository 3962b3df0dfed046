"""The sourcing report: one fixture per flag under tests/data/sourcing, each with the
exact findings in its .expected file (empty for ``clean``), plus counts and places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.authoring.sourcing import citations, sourcing_report, url_key
from generator.factsheet.loader import load
from generator.factsheet.rules import check

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = sorted((DATA / "sourcing").glob("*.yaml"))


def loaded(name: str):
    path = DATA / "sourcing" / f"{name}.yaml"
    return load(path, f"briefs/{path.name}")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_gives_exactly_its_findings(path: Path) -> None:
    sheet = load(path, f"briefs/{path.name}")
    assert check(sheet, dt.date(2026, 2, 1)) == [], "a sourcing fixture must pass brief check"
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [d.format() for d in sourcing_report(sheet).findings] == expected


def test_each_flag_has_its_fixture_and_code() -> None:
    codes = {p.stem: {d.code for d in sourcing_report(loaded(p.stem)).findings} for p in FIXTURES}
    assert codes == {
        "clean": set(),
        "duplicate-url": {"duplicate-url"},
        "single-source-fact": {"single-source-fact"},
        "stale-source": {"stale-source"},
        "uncited-claim": {"uncited-claim"},
    }
    findings = sourcing_report(loaded("uncited-claim")).findings
    assert all(d.severity == "warning" for d in findings)


def test_stale_threshold_is_a_setting() -> None:
    assert sourcing_report(loaded("clean"), stale_days=364).findings[0].code == "stale-source"
    assert sourcing_report(loaded("stale-source"), stale_days=366).findings == ()


def test_sources_are_numbered_as_in_the_briefing_with_counts_and_places() -> None:
    report = sourcing_report(loaded("clean"))
    assert [(u.number, u.source_id, u.citations) for u in report.sources] == [
        (1, "hk-ev-talks", 5),
        (2, "invest-hk", 3),
    ]
    talks = {p.path: p.count for p in report.sources[0].places}
    assert talks == {
        "summary": 2,
        "key_facts[0].sources": 1,
        "key_facts[1].sources": 1,
        "challenges[0].body": 1,
    }
    data = report.as_dict()
    assert data["sources"][1]["places"][0] == {"path": "summary", "count": 1}


def test_citations_walk_markdown_and_source_lists_in_file_order() -> None:
    found = list(citations(loaded("clean").sheet))
    assert found[:3] == [
        ("hk-ev-talks", "summary"),
        ("invest-hk", "summary"),
        ("hk-ev-talks", "summary"),
    ]
    assert ("invest-hk", "key_facts[1].note") in found


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://x.org/a", "HTTP://X.ORG/a/", True),
        ("https://x.org/a#top", "https://x.org/a", True),
        ("https://x.org/a?p=1", "https://x.org/a?p=2", False),
        ("https://x.org/A", "https://x.org/a", False),
    ],
)
def test_url_key(a: str, b: str, same: bool) -> None:
    assert (url_key(a) == url_key(b)) is same
