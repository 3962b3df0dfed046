"""portfolio.yaml: the tracker's exchange rates, read and checked like brand.yaml.

The fixtures under tests/data/portfolio/ are files with mistakes and, beside each, the
messages it must give (each also in docs/troubleshooting.md: tests/test_docs.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_portfolio
from generator.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted((REPO / "tests" / "data" / "portfolio").glob("*.yaml"))
RATES = """\
currency: USD
fx:
  - from: EUR
    to: USD
    rate: 1.08
    as_of: 2026-06-30
    source: {title: ECB euro reference rates, url: "https://www.ecb.europa.eu/stats/"}
  - from: JPY
    to: USD
    rate: 0.0064
    as_of: 2026-06-30
    source: {title: Bank of Japan, url: "https://www.boj.or.jp/en/statistics/"}
"""


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_mistake_gives_its_located_messages(tmp_path: Path, fixture: Path) -> None:
    shutil.copy(fixture, tmp_path / "portfolio.yaml")
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ConfigError) as caught:
        load_portfolio(tmp_path)
    assert [d.format() for d in caught.value.diagnostics] == expected


def test_no_file_is_no_conversion(tmp_path: Path) -> None:
    assert load_portfolio(tmp_path) is None


def test_rates_are_plain_values_with_exact_decimal_text(tmp_path: Path) -> None:
    (tmp_path / "portfolio.yaml").write_text(RATES, encoding="utf-8")
    found = load_portfolio(tmp_path)
    assert found is not None and found["currency"] == "USD"
    assert [(r["from"], r["rate"], r["as_of"]) for r in found["fx"]] == [
        ("EUR", "1.08", "2026-06-30"),
        ("JPY", "0.0064", "2026-06-30"),
    ]
    assert found["fx"][1]["source"]["title"] == "Bank of Japan"


def test_a_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(RATES, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "portfolio.yaml").symlink_to(outside)
    with pytest.raises(ConfigError, match="link to a file outside the project"):
        load_portfolio(project)
