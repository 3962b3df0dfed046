"""Valid synthetic fact sheets of a chosen size, for the benchmark and the build tests.

A *small* sheet renders to about 5 A4 pages, a *large* one to about 40 pages with 150
sources. The text is deterministic (it depends only on the sheet's number), so two runs
of the benchmark measure the same documents.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Shape:
    """How many of each part a synthetic sheet has."""

    sources: int
    key_facts: int
    players: int
    events: int
    challenges: int
    sections: int
    paragraphs: int


SHAPES = {
    "small": Shape(
        sources=12, key_facts=5, players=4, events=5, challenges=3, sections=1, paragraphs=2
    ),
    "large": Shape(
        sources=150, key_facts=30, players=20, events=40, challenges=24, sections=12, paragraphs=4
    ),
}
CATEGORIES = ("land_cost", "labor", "overcapacity", "price_competition", "policy", "financing")
WORDS = tuple(
    " ".join(
        (
            "assembly capacity battery supply chain subsidy tariff land labour export market",
            "port investment permit grid charging network component supplier wage training",
            "financing bond cluster logistics demand forecast utilisation margin price policy",
        )
    ).split()
)


def sentence(seed: int, length: int = 18) -> str:
    """A plain sentence of ``length`` words chosen by ``seed``."""
    words = [WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def paragraph(seed: int, cites: list[str], sentences: int = 5) -> str:
    """A Markdown paragraph whose sentences cite ``cites`` in turn."""
    parts = []
    for i in range(sentences):
        cite = f" [@{cites[(seed + i) % len(cites)]}]" if cites else ""
        parts.append(sentence(seed + i)[:-1] + cite + ".")
    return " ".join(parts)


def sheet_data(number: int, size: str = "small") -> dict[str, Any]:
    """The fact sheet number ``number`` of the given size, as data."""
    shape = SHAPES[size]
    ids = [f"src-{i:03d}" for i in range(shape.sources)]
    # Citations go round the sources in turn, so every source is cited at least once.
    turn = itertools.cycle(ids)

    def cites(_i: int, n: int = 3) -> list[str]:
        return [next(turn) for _ in range(n)]

    def body(i: int, n: int) -> str:
        return "\n\n".join(paragraph(number + i + p, cites(i + p)) for p in range(n))

    return {
        "title": f"Synthetic initiative {number}",
        "jurisdiction": f"Region {number % 17}",
        "as_of": "2026-01-20",
        "status": "final",
        "authors": ["Benchmark Unit"],
        "summary": body(0, shape.paragraphs),
        "initiative": {"name": f"Plant {number}", "stage": "talks", "locations": ["North"]},
        "key_facts": [
            {
                "label": f"Fact {i}",
                "value": i * 10 + number,
                "note": paragraph(i, cites(i), 1),
                "sources": cites(i, 1),
            }
            for i in range(shape.key_facts)
        ],
        "players": [
            {"name": f"Company {i}", "kind": "automaker", "role": paragraph(i, cites(i), 2)}
            for i in range(shape.players)
        ],
        "timeline": [
            {"date": f"{2000 + i % 26}-{1 + i % 12:02d}", "event": paragraph(i, cites(i), 1)}
            for i in range(shape.events)
        ],
        "challenges": [
            {
                "category": CATEGORIES[i % len(CATEGORIES)],
                "title": f"Challenge {i}",
                "severity": ("low", "medium", "high")[i % 3],
                "body": body(i, shape.paragraphs),
                "mitigations": paragraph(i + 1, cites(i + 1), 2),
            }
            for i in range(shape.challenges)
        ],
        "sections": [
            {"heading": f"Further section {i}", "body": body(i, shape.paragraphs)}
            for i in range(shape.sections)
        ],
        "sources": [
            {
                "id": source_id,
                "title": f"Report number {i}",
                "publisher": f"Publisher {i % 9}",
                "url": f"https://example.org/reports/{i}",
                "published": "2025-06",
                "kind": "research",
            }
            for i, source_id in enumerate(ids)
        ],
    }


def sheet_text(number: int, size: str = "small") -> str:
    """The fact sheet number ``number`` of the given size, as YAML text."""
    return yaml.safe_dump(sheet_data(number, size), sort_keys=False, allow_unicode=True, width=88)


def write_sheets(
    briefs_dir: Path, count: int, size: str = "small", prefix: str = "brief"
) -> list[Path]:
    """Write ``count`` sheets ``<prefix>-NNNN.yaml`` into ``briefs_dir``; return their paths."""
    briefs_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = briefs_dir / f"{prefix}-{number:04d}.yaml"
        path.write_text(sheet_text(number, size), encoding="utf-8")
        paths.append(path)
    return paths
