"""delivery.yaml's keys for external lists: ``external`` and ``max_marking``, checked
against the project's markings when the file is read."""

from __future__ import annotations

import pytest

from generator.config import load_delivery
from generator.errors import ConfigError
from tests.delivery.external_support import write_delivery


def test_an_unknown_max_marking_is_a_located_error_with_a_suggestion(tmp_path):
    write_delivery(tmp_path, max_marking="OFFICAL")
    with pytest.raises(ConfigError) as caught:
        load_delivery(tmp_path / "delivery.yaml", "delivery.yaml")
    (problem,) = caught.value.diagnostics
    line = next(
        n
        for n, text in enumerate((tmp_path / "delivery.yaml").read_text().splitlines(), 1)
        if "max_marking" in text
    )
    assert problem.format() == (
        f"delivery.yaml:{line}:18: lists.partners.max_marking: 'OFFICAL' is not one of the "
        "project's markings: OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET "
        "(did you mean 'OFFICIAL'?)"
    )


def test_max_marking_takes_the_projects_own_markings(tmp_path):
    (tmp_path / "markings.yaml").write_text(
        "markings:\n"
        "  - {code: PUBLIC, wording: Public}\n"
        "  - {code: RESTRICTED, wording: Restricted}\n",
        encoding="utf-8",
    )
    write_delivery(tmp_path, max_marking="PUBLIC")
    delivery = load_delivery(tmp_path / "delivery.yaml", "delivery.yaml")
    assert delivery.config.lists["partners"].max_marking == "PUBLIC"
    assert delivery.external("partners") and not delivery.external("team")
    write_delivery(tmp_path, max_marking="OFFICIAL")
    with pytest.raises(ConfigError) as caught:
        load_delivery(tmp_path / "delivery.yaml", "delivery.yaml")
    assert "'OFFICIAL' is not one of the project's markings: PUBLIC, RESTRICTED" in str(
        caught.value.diagnostics[0].format()
    )


def test_a_max_marking_that_is_not_text_is_refused(tmp_path):
    write_delivery(tmp_path, max_marking=3)
    with pytest.raises(ConfigError) as caught:
        load_delivery(tmp_path / "delivery.yaml", "delivery.yaml")
    assert "lists.partners.max_marking" in caught.value.diagnostics[0].format()
