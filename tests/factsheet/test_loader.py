"""loader: files to validated fact sheets, or every problem, worded and located."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import FactSheetError
from generator.factsheet.loader import LoadedSheet, load, load_bytes
from generator.factsheet.yamlsrc import MAX_DIAGNOSTICS

DATA = Path(__file__).resolve().parent.parent / "data"
SHOWN = "briefs/x.yaml"


def problems(text: str, brief_id: str = "x") -> list[str]:
    """The formatted diagnostics a fact sheet given as text is refused with."""
    with pytest.raises(FactSheetError) as caught:
        load_bytes(text.encode(), SHOWN, brief_id)
    return [d.format() for d in caught.value.diagnostics]


def test_a_valid_sheet_loads_with_everything_needed_later() -> None:
    loaded = load(DATA / "valid" / "minimal.yaml", "briefs/minimal.yaml")
    assert isinstance(loaded, LoadedSheet)
    assert (loaded.brief_id, loaded.display, loaded.warnings) == (
        "minimal",
        "briefs/minimal.yaml",
        [],
    )
    assert loaded.sheet.as_of == dt.date(2026, 1, 20)
    assert loaded.sheet.status == "draft"  # the format's default
    assert loaded.source_map.position(("initiative", "stage")) == (11, 10)


def test_yaml_1_1_lookalikes_load_as_the_text_written() -> None:
    sheet = load(DATA / "valid" / "yaml-text.yaml", "briefs/yaml-text.yaml").sheet
    assert (sheet.title, sheet.subtitle, sheet.jurisdiction) == ("Yes", "on", "NO")
    assert sheet.authors == ["off"]
    assert sheet.initiative.name == "012345"
    facts = [(fact.label, fact.value) for fact in sheet.key_facts]
    assert facts == [
        ("12:30", "012345"),
        ("no", "1e3"),
        ("0x1F", "1_000"),
        ("2026-01-20", 1.1),
    ]


def test_partial_dates_keep_their_precision_and_a_bare_year_is_one() -> None:
    sheet = load(DATA / "valid" / "full.yaml", "briefs/full.yaml").sheet
    assert [event.date for event in sheet.timeline or []] == ["2024", "2025-11", "2026-01-18"]
    assert [source.published for source in sheet.sources] == ["2025-11", "2025"]


def test_the_brief_id_must_be_a_slug(minimal_text: str) -> None:
    assert problems(minimal_text, brief_id="HK_2026") == [
        f"{SHOWN}: 'HK_2026' is not a valid brief id: the file name must be a lower-case"
        " slug (a-z, 0-9 and -) followed by .yaml"
    ]


def test_the_brief_id_comes_from_the_file_name(tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "hk-ev-2026.yaml"
    path.write_text(minimal_text, encoding="utf-8")
    assert load(path, "briefs/hk-ev-2026.yaml").brief_id == "hk-ev-2026"


def test_a_bad_brief_id_is_reported_with_the_other_problems(minimal_text: str) -> None:
    found = problems(minimal_text.replace("stage: talks", "stage: [talks]"), brief_id="A")
    assert len(found) == 2


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "No such file or directory"),
        (Path.mkdir, "not a regular file"),
        (os.mkfifo, "not a regular file"),  # opening it would wait for a writer
    ],
)
def test_an_unreadable_file_is_a_diagnostic(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "gone.yaml"
    make(path)
    with pytest.raises(FactSheetError) as caught:
        load(path, "briefs/gone.yaml")
    assert [d.format() for d in caught.value.diagnostics] == [
        f"briefs/gone.yaml: cannot read the file: {reason}"
    ]


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MiB of NUL bytes
    with pytest.raises(FactSheetError) as caught:
        load(path, "briefs/huge.yaml")
    assert [d.format() for d in caught.value.diagnostics] == [
        "briefs/huge.yaml: the file is larger than the size limit of 2 MiB"
    ]


def test_a_union_mismatch_is_one_message(minimal_text: str) -> None:
    text = minimal_text.replace("value: New Territories, near the boundary", "value: [a]")
    assert problems(text) == [
        f"{SHOWN}:14:12: key_facts[0].value: expected text, a number or a mapping, got a list"
    ]


def test_the_branch_of_a_union_that_fits_is_the_one_reported(minimal_text: str) -> None:
    text = minimal_text.replace(
        "  - Policy Analysis Unit", "  - {name: A, afiliation: B}\n  - {affiliation: C}\n  - 7"
    )
    assert problems(text) == [
        f"{SHOWN}:5:15: authors[0].afiliation: unknown key (did you mean 'affiliation'?)",
        f"{SHOWN}:6:5: authors[1].name: required key is missing",
        f"{SHOWN}:7:5: authors[2]: expected text or a mapping, got a number"
        " (quote it if you mean the text '7')",
    ]


def test_text_where_a_number_is_needed(minimal_text: str) -> None:
    text = minimal_text.replace("  stage: talks", "  stage: talks\n  investment:\n    amount: '12'")
    assert problems(text) == [
        f"{SHOWN}:13:5: initiative.investment.currency: required key is missing",
        f"{SHOWN}:13:13: initiative.investment.amount: expected a number, got the text '12'",
    ]


def test_a_wrong_type_for_a_whole_section(minimal_text: str) -> None:
    text = minimal_text.replace("  name: New Territories EV assembly base\n  stage: talks\n", "")
    text = text.replace("initiative:\n", "initiative: EV base\n")
    assert problems(text) == [
        f"{SHOWN}:9:13: initiative: expected a mapping, got the text 'EV base'"
    ]


def test_an_empty_list_where_one_entry_is_needed(minimal_text: str) -> None:
    text = minimal_text.replace("sources: [hk-ev-talks]", "sources: []")
    assert problems(text) == [f"{SHOWN}:15:14: key_facts[0].sources: needs at least one entry"]


def test_long_values_are_shortened_in_messages(minimal_text: str) -> None:
    text = minimal_text.replace("severity: high", "severity: " + "x" * 5000)
    [line] = problems(text)
    assert len(line) < 200
    assert "'xxxxxxxx" in line
    assert "...' is not one of low, medium, high" in line


def test_many_problems_are_capped_and_counted(minimal_text: str) -> None:
    text = minimal_text + "tags:\n" + "  - true\n" * 100_000
    start = time.perf_counter()
    found = problems(text)
    assert time.perf_counter() - start < 10
    assert len(found) == MAX_DIAGNOSTICS + 1
    assert found[0] == (
        f"{SHOWN}:28:5: tags[0]: expected text, got a boolean"
        " (quote it if you mean the text 'true')"
    )
    assert found[-1] == (
        f"{SHOWN}:128:5: {100_000 - MAX_DIAGNOSTICS} more problems from here on are not shown"
    )


def test_errors_come_sorted_by_position(minimal_text: str) -> None:
    text = minimal_text.replace("severity: high", "severity: severe").replace(
        "title: Hong Kong courts", "title: 1\nsubtitle: Hong Kong courts"
    )
    text = text.replace("as_of: 2026-01-20", "as_of: 2026-02-30")
    with pytest.raises(FactSheetError) as caught:
        load_bytes(text.encode(), SHOWN, "x")
    positions = [(d.line, d.col) for d in caught.value.diagnostics]
    assert positions == sorted(positions)
    assert len(positions) == 3
    assert str(caught.value) == f"{SHOWN}: 3 errors"


# Hostile input: whatever the bytes, the loader answers with a sheet or a FactSheetError.

LINES = (DATA / "valid" / "full.yaml").read_text(encoding="utf-8").splitlines()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_binary_garbage_never_raises_anything_else(data: bytes) -> None:
    try:
        load_bytes(data, SHOWN, "x")
    except FactSheetError as exc:
        assert exc.diagnostics


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(LINES) - 1),
            st.sampled_from(["", "x", "  - ", ": ", "{", "]", "&a ", "*a", "2026-99-99", "~"]),
        ),
        max_size=4,
    )
)
def test_damaged_sheets_are_reported_with_locations(edits: list[tuple[int, str]]) -> None:
    lines = list(LINES)
    for index, text in edits:
        lines[index] = text + lines[index][len(text) :]
    try:
        load_bytes("\n".join(lines).encode(), SHOWN, "x")
    except FactSheetError as exc:
        assert exc.diagnostics
        assert all(d.line is not None for d in exc.diagnostics)
