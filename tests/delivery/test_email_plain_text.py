"""The plain-text part is plain text: no Markdown syntax, citations ``[n]`` matching the
sources listed at its end, lines wrapped at 72 columns without breaking a URL.

Each test sends through ``brief send`` to a real SMTP server on 127.0.0.1 and reads the
text/plain part of the message the server received.
"""

from __future__ import annotations

import itertools
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.delivery.markup import display_width, wrap_line
from generator.factsheet import cited_ids, number_sources
from generator.render import smart_quotes
from tests.conftest import REPO
from tests.delivery.test_send import run, write_delivery

HONG_KONG = REPO / "briefs" / "hong-kong-ev-assembly.yaml"
SOURCES_HEADING = "SOURCES CITED ABOVE"
CITATION = re.compile(r"\[(\d+(?:, \d+)*)\]")
#: What a line may start with before its text: indentation, a list marker, a number.
HANGING = re.compile(r"^ *(?:(?:-|\d+\.|\[\d+\]) +)?")

RICH_SUMMARY = """\
# Where things stand

**Bottom line.** The talks are *early* [@src-a], and the `site` is open; see
[the report](https://example.org/reports/2026/hong-kong-ev-assembly-plants-site-study-final-version.html)
and [the outlook](#outlook) ![a map](https://example.org/map.png).

- Land is **dear** [@src-a; @src-b]
- Labour is scarce, and the training that a new plant would need takes years to
  organise [@src-b]
  1. first step
  2. second step

| Item | Status |
| --- | --- |
| Site | under study |
"""

RICH_TEXT = """\
Where things stand

Bottom line. The talks are early [1], and the site is open; see the
report
<https://example.org/reports/2026/hong-kong-ev-assembly-plants-site-study-final-version.html>
and the outlook a map.

- Land is dear [1, 2]
- Labour is scarce, and the training that a new plant would need takes
  years to organise [2]
  1. first step
  2. second step

Item  Status
Site  under study
"""

SOURCE_B = {
    "id": "src-b",
    "title": "A very long title of a research report on the labour market of Hong Kong",
    "publisher": "Research Office",
    "url": "https://research.example.org/labour/2026/hong-kong-labour-market-report.pdf",
    "kind": "research",
}


def plain_part(smtp_server, address: str = "ann@example.org", index: int = -1) -> str:
    message = smtp_server.handler.to(address)[index].message
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def body_and_sources(text: str) -> tuple[str, dict[int, str]]:
    """The text before the Sources list, and the list: number -> its (unwrapped) entry."""
    body, _, rest = text.partition(SOURCES_HEADING)
    entries: dict[int, str] = {}
    current = None
    for line in rest.split("\n"):
        found = re.match(r"^\[(\d+)\] (.*)", line)
        if found:
            current = int(found.group(1))
            entries[current] = found.group(2)
        elif line.startswith(" ") and current is not None:
            entries[current] += " " + line.strip()
        else:
            current = None
    return body, entries


def assert_plain(text: str) -> None:
    """No Markdown syntax, and every line within 72 columns unless it is one long token."""
    for syntax in ("**", "__", "](", "`", "[@"):
        assert syntax not in text, syntax
    for line in text.split("\n"):
        assert not line.startswith("#"), line
        if display_width(line) > 72:
            rest = line[HANGING.match(line).end() :]
            assert " " not in rest, f"a line over 72 columns: {line!r}"
        assert line == line.rstrip(), f"trailing space: {line!r}"


@pytest.fixture
def hong_kong(project, write_brief):
    write_brief("hk", HONG_KONG.read_text(encoding="utf-8"))
    write_delivery(project)
    return project


def test_the_hong_kong_briefing_reads_as_plain_text(hong_kong, smtp_server):
    assert run(hong_kong, smtp_server.env()).ok
    text = plain_part(smtp_server)
    assert_plain(text)
    assert "Bottom line. Hong Kong is in talks with major mainland Chinese\ncarmakers," in text
    # No ragged lines: each line of a wrapped paragraph is as full as it can be, the next
    # line's first word would not have fitted on it.
    summary = text.split("SUMMARY\n\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert len(summary) > 3
    for line, after in itertools.pairwise(summary):
        assert display_width(line) + 1 + display_width(after.split(" ")[0]) > 72, line


def test_citations_match_the_sources_listed_at_the_end(hong_kong, smtp_server):
    assert run(hong_kong, smtp_server.env()).ok
    body, listed = body_and_sources(plain_part(smtp_server))
    cited = {int(n) for group in CITATION.findall(body) for n in group.split(", ")}
    assert cited and cited == set(listed)
    data = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    numbers = number_sources(cited_ids(data["summary"]), [s["id"] for s in data["sources"]])
    for source in data["sources"]:
        if source["id"] in cited_ids(data["summary"]):
            entry = listed[numbers[source["id"]]]
            # As the briefing prints them: typographic apostrophes ("MEXC’s").
            title, publisher = (smart_quotes(source[k], "en-GB") for k in ("title", "publisher"))
            assert entry.startswith(f"{title}, {publisher}"), entry
            # The URL is whole on one line of the message.
            assert source.get("url") is None or f"<{source['url']}>" in entry


def test_markdown_becomes_plain_text(project, write_brief, smtp_server):
    write_brief(
        "hk",
        summary=RICH_SUMMARY,
        sources=[
            {
                "id": "src-a",
                "title": "Source A",
                "publisher": "Publisher",
                "url": "https://example.org/a",
            },
            SOURCE_B,
        ],
    )
    write_delivery(project)
    assert run(project, smtp_server.env()).ok
    text = plain_part(smtp_server)
    assert_plain(text)
    assert f"SUMMARY\n\n{RICH_TEXT}\nKEY FACTS" in text
    _, listed = body_and_sources(text)
    assert listed == {
        1: "Source A, Publisher <https://example.org/a>",
        2: f"{SOURCE_B['title']}, {SOURCE_B['publisher']} <{SOURCE_B['url']}>",
    }
    # A long source entry is wrapped under its number, its URL whole on its own line.
    assert f"\n    <{SOURCE_B['url']}>\n" in text


def test_a_long_change_line_is_wrapped_under_its_bullet(hong_kong, write_brief, smtp_server):
    assert run(hong_kong, smtp_server.env()).ok
    data = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    event = "Government and FAW Group sign a memorandum on a New Territories assembly site"
    data["timeline"].append({"date": "2026-11-30", "event": event})
    write_brief("hk", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert run(hong_kong, smtp_server.env()).ok
    text = plain_part(smtp_server)
    assert_plain(text)
    assert (
        "- Timeline: added 30 November 2026 Government and FAW Group sign a\n"
        "  memorandum on a New Territories assembly site\n"
    ) in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("short", ["short"]),
        (
            "- " + "word " * 20 + "end",
            ["- " + "word " * 13 + "word", "  " + "word " * 6 + "end"],
        ),
        (
            "[3] Title, Publisher <https://example.org/" + "a" * 80 + ">",
            ["[3] Title, Publisher", "    <https://example.org/" + "a" * 80 + ">"],
        ),
        ("x " * 33 + "claim [1, 12].", ["x " * 33 + "claim", "[1, 12]."]),
        # Two columns a character: 14 words of 4 columns fill a line, not 24 of 2 characters.
        ("一汽 " * 19 + "一汽", ["一汽 " * 13 + "一汽", "一汽 " * 5 + "一汽"]),
    ],
    ids=["short", "bullet", "url", "citation-group", "wide-characters"],
)
def test_wrapping_breaks_at_spaces_only(line, expected):
    assert wrap_line(line) == expected
    assert all(display_width(w) <= 72 or " " not in w.strip() for w in wrap_line(line))


WORDS = st.lists(
    st.text(st.characters(whitelist_categories=("L", "N", "S")), min_size=1, max_size=90),
    min_size=1,
    max_size=40,
)


@given(words=WORDS, prefix=st.sampled_from(["", "- ", "    - ", "12. ", "[12] "]))
def test_wrapping_keeps_every_word_within_the_width(words, prefix):
    line = prefix + " ".join(words)
    lines = wrap_line(line)
    assert " ".join(lines).split() == line.split()
    indent = " " * display_width(prefix)
    assert all(later.startswith(indent) for later in lines[1:])
    for number, wrapped in enumerate(lines):
        if display_width(wrapped) > 72:
            rest = wrapped[len(prefix) :] if number == 0 else wrapped[len(indent) :]
            assert " " not in rest, wrapped
    if display_width(line) <= 72:
        assert lines == [line]
