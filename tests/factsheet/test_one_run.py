"""One ``brief check`` reports every problem of a file: the source-reference rules run
on a sheet that did not validate too, with the same messages, and never on parts of the
wrong shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import FactSheetError
from generator.factsheet.loader import load_bytes
from generator.factsheet.rules import check
from tests.factsheet.test_invalid_fixtures import TODAY

DATA = Path(__file__).resolve().parent.parent / "data"
SHOWN = "briefs/x.yaml"


def problems(text: str) -> list[str]:
    """What one run reports for ``text``: the loader's errors, else the rules' findings."""
    try:
        loaded = load_bytes(text.encode("utf-8"), SHOWN, "x")
    except FactSheetError as exc:
        return [d.format() for d in exc.diagnostics]
    return [d.format() for d in check(loaded, TODAY)]


def test_a_reference_error_has_the_message_it_gets_once_the_key_is_fixed() -> None:
    text = (DATA / "invalid" / "unknown-key-and-citation.yaml").read_text(encoding="utf-8")
    typo = "subtitel: A typo of subtitle\n"
    together = problems(text)
    fixed = problems(text.replace(typo, ""))
    assert together[0] == f"{SHOWN}:4:1: subtitel: unknown key (did you mean 'subtitle'?)"
    # The same field and message, where one run used to need the key fixed first.
    assert [line.split(": ", 1)[1] for line in together[1:]] == [
        line.split(": ", 1)[1] for line in fixed
    ]
    assert len(fixed) == 2


def test_malformed_parts_are_reported_and_passed_over(minimal_text: str) -> None:
    text = (
        minimal_text.replace("challenges:\n", "challenges:\n  - just a string [@nowhere]\n")
        .replace("sources: [hk-ev-talks]", "sources: hk-ev-talks")
        .replace("New Territories [@hk-ev-talks].", "New Territories [@hk-ev-talk].")
    )
    assert problems(text) == [
        f"{SHOWN}:8:20: summary: citation [@hk-ev-talk] names no source of this file"
        " (did you mean 'hk-ev-talks'?)",
        f"{SHOWN}:15:14: key_facts[0].sources: expected a list, got the text 'hk-ev-talks'",
        f"{SHOWN}:17:5: challenges[0]: expected a mapping, got the text 'just a string [@nowhere]'",
    ]


@pytest.mark.parametrize(
    "sources",
    [
        "sources: hk-ev-talks\n",
        "sources:\n  - hk-ev-talks\n",
        "sources:\n  - title: No id\n    publisher: P\n",
        "sources:\n  - id: [hk-ev-talks]\n    title: T\n    publisher: P\n",
        "sources: {id: hk-ev-talks}\n",
    ],
)
def test_no_citation_is_called_unknown_while_the_ids_cannot_be_read(
    minimal_text: str, sources: str
) -> None:
    text = minimal_text[: minimal_text.index("sources:\n  - id")] + sources
    text = text.replace("[@hk-ev-talks].\n", "[@hk-ev-talk].\n", 1)
    found = problems(text)
    assert found and not [line for line in found if "names no source" in line]


def test_an_id_in_error_is_not_also_unknown_where_it_is_cited(minimal_text: str) -> None:
    text = minimal_text.replace("  - id: hk-ev-talks", "  - id: hk ev talks").replace(
        "    severity: high\n", "    severity: high\n    mitigation: none\n"
    )
    assert [line.split(": ", 2)[1] for line in problems(text)] == [
        "challenges[0].mitigation",
        "sources[0].id",
    ]


def test_a_duplicate_id_is_reported_beside_other_errors(minimal_text: str) -> None:
    second = "  - id: hk-ev-talks\n    title: Again\n    publisher: P\n    url: https://e.org/\n"
    text = minimal_text.replace("title: Hong", "title: true\nx: Hong", 1) + second
    assert problems(text)[-1] == (
        f"{SHOWN}:28:9: sources[1].id: source id 'hk-ev-talks' is already used by sources[0]"
    )


def test_brief_check_reports_both_in_one_run(project: Path, write_brief, run_brief) -> None:
    text = (DATA / "invalid" / "unknown-key-in-challenge-and-citation.yaml").read_text("utf-8")
    write_brief("hk", text)
    result = run_brief("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    out = result.stdout + result.stderr
    for expected in (
        "briefs/hk.yaml:20:5: challenges[0].mitigation: unknown key (did you mean 'mitigations'?)",
        "briefs/hk.yaml:21:67: challenges[0].body: citation [@hk-gov-2025] names no source",
        "briefs/hk.yaml:28:9: sources[1].id: source id 'hk-ev-talks' is already used by sources[0]",
    ):
        assert expected in out


def test_a_template_that_is_no_page_is_reported_beside_other_errors(
    project: Path, write_brief, minimal_text: str
) -> None:
    from generator.factsheet.check import check_file
    from generator.settings import default_settings

    path = write_brief("hk", minimal_text + "template: breif\nsubtitel: x\n")
    checked = check_file(path, default_settings(project), TODAY)
    assert [d.format() for d in checked.diagnostics] == [
        "briefs/hk.yaml:27:11: template: 'breif' is not a page template;"
        " choose brief or onepager (did you mean 'brief'?)",
        "briefs/hk.yaml:28:1: subtitel: unknown key (did you mean 'subtitle'?)",
    ]


def test_a_template_in_error_is_reported_once(
    project: Path, write_brief, minimal_text: str
) -> None:
    from generator.factsheet.check import check_file
    from generator.settings import default_settings

    path = write_brief("hk", minimal_text + "template: Brief\n")
    checked = check_file(path, default_settings(project), TODAY)
    assert [d.format() for d in checked.diagnostics] == [
        "briefs/hk.yaml:27:11: template: 'Brief' is not a lower-case slug (a-z, 0-9 and -)",
    ]
