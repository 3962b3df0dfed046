"""Field bookmarks: every path has one name Word keeps, and the name reads back to it."""

import pytest

from generator.render import bookmark_name, field_path

PATHS = [
    "title",
    "summary",
    "initiative.name",
    "initiative.target_markets[3]",
    "key_facts[3].value",
    "players[10].local_name",
    "challenges[12].mitigations",
    "sections[0].body",
    "sources[149].title",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_path_reads_back_from_its_bookmark(path):
    name = bookmark_name(path)
    assert name.startswith("bf_") and len(name) <= 40
    assert name.replace("_", "a").isalnum()
    assert field_path(name) == path


def test_the_documented_example():
    assert bookmark_name("key_facts[3].value") == "bf_key_facts_3__value"


@pytest.mark.parametrize("name", ["_GoBack", "_Toc123", "bf_", "bf_Key", "bf_a___b", "x_title"])
def test_bookmarks_that_are_not_fields_read_as_none(name):
    assert field_path(name) is None


@pytest.mark.parametrize("path", ["", "a..b", "a[x]", "Title", "a__b", "k" * 40])
def test_what_is_not_a_field_path_is_refused(path):
    with pytest.raises(ValueError):
        bookmark_name(path)
