"""yamlsrc: bytes to data and positions, under the format's YAML rules."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from generator.errors import FactSheetError
from generator.factsheet.locations import format_path
from generator.factsheet.yamlsrc import MAX_DEPTH, MAX_DIAGNOSTICS, parse

LIMIT = 2 * 1024 * 1024
SHOWN = "briefs/x.yaml"


def read(data: bytes, max_bytes: int = LIMIT) -> Any:
    """The parsed value of ``data``."""
    return parse(data, SHOWN, max_bytes=max_bytes)[0]


def problems(data: bytes, max_bytes: int = LIMIT) -> list[str]:
    """The formatted diagnostics ``data`` is refused with."""
    with pytest.raises(FactSheetError) as caught:
        parse(data, SHOWN, max_bytes=max_bytes)
    return [d.format() for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("", None),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("0", 0),
        ("42", 42),
        ("-7", -7),
        ("1.10", 1.1),
        ("-0.5", -0.5),
        ("12345678901234567890", 12345678901234567890),
    ],
)
def test_plain_scalars_that_are_not_text(parser: str, written: str, expected: Any) -> None:
    value = read(f"v: {written}\n".encode())["v"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "written",
    [
        "yes", "no", "on", "off", "NO", "Yes", "y", "n", "tRUE", "nULL",
        "012345", "12:30", "0x1F", "0o17", "1_000", "+5", ".5", "1.", "1e3", "1.0e3", "-1E-2",
        "2026-01-20", "2026-01-20T10:00", "inf", "nan", "0.1.2",
    ],
)  # fmt: skip
def test_other_plain_scalars_stay_text(parser: str, written: str) -> None:
    assert read(f"v: {written}\n".encode()) == {"v": written}


@pytest.mark.parametrize("written", ["'true'", '"12"', "'~'", '""', "|\n  42\n", ">-\n  NO\n"])
def test_quoted_and_block_scalars_are_always_text(parser: str, written: str) -> None:
    value = read(f"v: {written}\n".encode())["v"]
    assert isinstance(value, str)


def test_keys_are_text_whatever_they_look_like(parser: str) -> None:
    assert read(b"1: a\ntrue: b\nnull: c\n") == {"1": "a", "true": "b", "null": "c"}


@pytest.mark.parametrize("written", [".inf", "-.inf", "+.INF", ".Inf", ".nan", ".NaN", ".NAN"])
def test_infinities_and_nan_are_refused(parser: str, written: str) -> None:
    assert problems(f"v: {written}\n".encode()) == [f"{SHOWN}:1:4: v: numbers must be finite"]


@pytest.mark.parametrize("written", ["1" * 5000, "9" * 400 + ".0"])
def test_numbers_too_large_to_hold_are_refused(parser: str, written: str) -> None:
    assert problems(f"v: {written}\n".encode()) == [f"{SHOWN}:1:4: v: number is too large"]


@pytest.mark.parametrize("second", ["title", "'title'", '"title"'])
def test_a_key_given_twice_is_refused_naming_both_places(parser: str, second: str) -> None:
    data = f"title: a\nother: b\n{second}: c\n".encode()
    assert problems(data) == [f"{SHOWN}:3:1: title: key given twice (first at line 1, column 1)"]


def test_duplicate_keys_are_found_in_nested_and_flow_mappings(parser: str) -> None:
    data = b"a:\n  - {k: 1, k: 2}\n  - b: 1\n    c: 2\n    b: 3\n"
    assert problems(data) == [
        f"{SHOWN}:2:12: a[0].k: key given twice (first at line 2, column 6)",
        f"{SHOWN}:5:5: a[1].b: key given twice (first at line 3, column 5)",
    ]


def test_anchors_and_aliases_are_refused(parser: str) -> None:
    assert problems(b"a: &x 1\nb: *x\n") == [
        f"{SHOWN}:1:4: a: anchors and aliases are not allowed",
        f"{SHOWN}:2:4: b: anchors and aliases are not allowed",
    ]


def test_a_recursive_alias_is_refused(parser: str) -> None:
    assert problems(b"a: &a [*a]\n") == [
        f"{SHOWN}:1:4: a: anchors and aliases are not allowed",
        f"{SHOWN}:1:8: a[0]: anchors and aliases are not allowed",
    ]


def test_merge_keys_are_refused(parser: str) -> None:
    assert problems(b"a:\n  <<: {b: 1}\n  c: 2\n") == [
        f"{SHOWN}:2:3: a: merge keys (<<) are not allowed"
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("!!str 12", "!!str"),
        ("!!python/object/apply:os.system ['touch PWNED']", "!!python/object/apply:os.system"),
        ("!foo x", "!foo"),
        ("! x", "!"),
        ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
    ],
)
def test_explicit_tags_are_refused(parser: str, written: str, shown: str) -> None:
    data = f"v: {written}\n".encode()
    assert problems(data) == [f"{SHOWN}:1:4: v: explicit tags are not allowed (found {shown})"]


def test_a_python_tag_runs_nothing(
    parser: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    problems(b"v: !!python/object/apply:os.system ['touch PWNED']\n")
    assert not (tmp_path / "PWNED").exists()


def test_a_second_document_is_refused(parser: str) -> None:
    assert problems(b"a: 1\n---\nb: 2\n") == [
        f"{SHOWN}:2:1: a file holds one YAML document, but a second one starts here"
    ]


@pytest.mark.parametrize("data", [b"", b"# only a comment\n", b"\n\n"])
def test_an_empty_file_is_refused(parser: str, data: bytes) -> None:
    assert problems(data) == [f"{SHOWN}: the file is empty: it holds no YAML document"]


@pytest.mark.parametrize(
    ("data", "where", "got"),
    [(b"- a\n", "1:1", "a list"), (b"text\n", "1:1", "text"), (b"---\n", "2:1", "null")],
)
def test_the_top_level_must_be_a_mapping(parser: str, data: bytes, where: str, got: str) -> None:
    assert problems(data) == [
        f"{SHOWN}:{where}: the top level must be a mapping of keys to values, got {got}"
    ]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"? [a, b]\n: c\n", "a list or mapping"), (b"? |\n  k\n: v\n", "a block scalar")],
)
def test_keys_must_be_plain_or_quoted_text(parser: str, data: bytes, kind: str) -> None:
    assert problems(data) == [f"{SHOWN}:1:3: a key must be plain or quoted text, not {kind}"]


def test_syntax_errors_are_located_1_based_with_pyyaml_wording(parser: str) -> None:
    assert problems(b"a: 1\nb: [1, 2\n") == [
        f"{SHOWN}:3:1: expected ',' or ']', but got '<stream end>'"
        " (while parsing a flow sequence started at line 2, column 4)"
    ]


def test_problems_before_a_syntax_error_are_kept(parser: str) -> None:
    assert problems(b"a: 1\na: 2\nb: c: d\n") == [
        f"{SHOWN}:2:1: a: key given twice (first at line 1, column 1)",
        f"{SHOWN}:3:5: mapping values are not allowed here",
    ]


def test_a_byte_order_mark_is_accepted(parser: str, minimal_text: str) -> None:
    plain = parse(minimal_text.encode(), SHOWN, max_bytes=LIMIT)
    assert parse(b"\xef\xbb\xbf" + minimal_text.encode(), SHOWN, max_bytes=LIMIT) == plain


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_read_exactly_like_lf(parser: str, minimal_text: str, newline: str) -> None:
    text = minimal_text + "notes: |\n  one\n  two\n"
    unix = parse(text.encode(), SHOWN, max_bytes=LIMIT)
    other = parse(text.replace("\n", newline).encode(), SHOWN, max_bytes=LIMIT)
    assert other == unix
    assert other[0]["notes"] == "one\ntwo\n"


def test_invalid_utf8_names_the_byte_offset_and_position(parser: str) -> None:
    data = "a: 1\nb: été ".encode() + b"\xff\n"
    assert problems(data) == [
        f"{SHOWN}:2:8: the file is not valid UTF-8: byte 0xff at offset 14 (line 2, column 8)"
    ]


def test_the_byte_offset_of_invalid_utf8_counts_the_byte_order_mark(parser: str) -> None:
    assert problems(b"\xef\xbb\xbfa: \xc3\n") == [
        f"{SHOWN}:1:4: the file is not valid UTF-8: byte 0xc3 at offset 6 (line 1, column 4)"
    ]


@pytest.mark.parametrize(("char", "code"), [("\x00", "0000"), ("\x07", "0007")])
def test_control_characters_are_refused_with_a_position(parser: str, char: str, code: str) -> None:
    data = f"a: 1\nb: x{char}y\n".encode()
    assert problems(data) == [
        f"{SHOWN}:2:5: unacceptable character #x{code}: special characters are not allowed"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        b"a: " + b"{b: " * 5000 + b"}" * 5000 + b"\n",
        b"a: " + b"[" * 5000 + b"\n",  # never closed
        "".join(f"{'  ' * i}k:\n" for i in range(200)).encode(),
    ],
)
def test_deep_nesting_meets_a_limit_quickly(parser: str, data: bytes) -> None:
    start = time.perf_counter()
    found = problems(data)
    assert time.perf_counter() - start < 1
    assert len(found) == 1
    assert found[0].endswith(f": nesting is deeper than {MAX_DEPTH} levels")


def test_nesting_up_to_the_limit_is_accepted(parser: str) -> None:
    # The top-level mapping is the first level.
    depth = MAX_DEPTH - 1
    value = read(b"a: " + b"[" * depth + b"]" * depth + b"\n")["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []
    assert problems(b"a: " + b"[" * (depth + 1) + b"]" * (depth + 1) + b"\n")


def test_a_billion_laughs_bomb_is_refused_at_once(parser: str) -> None:
    lines = ['lol0: &a0 "lol"']
    lines += [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    data = ("\n".join(lines) + "\n").encode()
    start = time.perf_counter()
    found = problems(data)
    assert time.perf_counter() - start < 0.5
    assert found[0] == f"{SHOWN}:1:7: lol0: anchors and aliases are not allowed"


def test_problems_stop_being_collected_after_a_limit(parser: str) -> None:
    data = b"a: &x 1\nb:\n" + b"  - *x\n" * 1000
    found = problems(data)
    assert len(found) == MAX_DIAGNOSTICS + 1
    assert found[-1].endswith(": too many problems: the rest of the file was not checked")


def test_a_file_over_the_size_limit_is_refused_before_parsing(parser: str) -> None:
    # Broken YAML and bad UTF-8: only the size is reported, so nothing was parsed.
    assert problems(b"a: [\xff" + b" " * 100, max_bytes=64) == [
        f"{SHOWN}: the file is larger than the size limit of 64 bytes"
    ]
    assert problems(b"a: 1\n" * 500_000, max_bytes=LIMIT) == [
        f"{SHOWN}: the file is larger than the size limit of 2 MiB"
    ]


def test_a_file_at_the_size_limit_is_read(parser: str) -> None:
    data = b"a: 1" + b" " * 60
    assert read(data, max_bytes=len(data)) == {"a": 1}


def test_a_10000_character_line_is_accepted(parser: str) -> None:
    assert read(("title: " + "x" * 10_000 + "\n").encode()) == {"title": "x" * 10_000}


def test_the_source_map_locates_values_and_keys(parser: str) -> None:
    data = b"title: T\nchallenges:\n  - severity: high\n    body: |\n      text\nlist: [a, b]\n"
    _, source_map = parse(data, SHOWN, max_bytes=LIMIT)
    assert source_map.position(("title",)) == (1, 8)
    assert source_map.key_position(("title",)) == (1, 1)
    assert source_map.position(("challenges", 0, "severity")) == (3, 15)
    assert source_map.key_position(("challenges", 0, "severity")) == (3, 5)
    assert source_map.position(("challenges", 0)) == (3, 5)
    assert source_map.key_position(("challenges", 0)) == (3, 5)
    assert source_map.position(("list", 1)) == (6, 11)
    # Paths missing from the file fall back to their nearest ancestor.
    assert source_map.position(("challenges", 0, "title")) == (3, 5)
    assert source_map.position(("nothing", 3)) == (1, 1)
    pattern = re.compile("ext")
    assert source_map.locate(("challenges", 0, "body"), pattern) == (5, 8)
    assert source_map.locate(("challenges", 0, "body"), pattern, 1) == (4, 11)


def test_the_source_map_keeps_how_non_text_scalars_were_written(parser: str) -> None:
    _, source_map = parse(b"a: 1.10\nb: TRUE\nc:\nd: text\n", SHOWN, max_bytes=LIMIT)
    assert [source_map.raw_text((k,)) for k in "abcd"] == ["1.10", "TRUE", "", None]


def test_format_path() -> None:
    assert format_path(("challenges", 2, "severity")) == "challenges[2].severity"
    assert format_path(("tags", 0)) == "tags[0]"
    assert format_path(()) == ""


def test_the_limit_on_problems_holds_for_the_last_check_too(parser: str) -> None:
    found = problems(b"- *a\n" * (MAX_DIAGNOSTICS - 1))
    assert len(found) == MAX_DIAGNOSTICS + 1
    assert found[0].endswith(": the top level must be a mapping of keys to values, got a list")
