"""Internal content: what an external edition keeps, and the internal texts it must not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factsheet import (
    InternalText,
    edition_sheet,
    editions,
    external_sheet,
    has_internal,
    internal_sources,
    internal_texts,
    plain_words,
)
from generator.factsheet.loader import load, load_bytes

DATA = Path(__file__).resolve().parent.parent / "data"
EVERYWHERE = DATA / "valid" / "internal-everywhere.yaml"
#: One word of each internal text of the fixture; no external text has any of them.
SECRET_WORDS = [
    *("Zanzibar", "Quokka", "Marmoset", "Nightjar", "夜鷹控股", "Pangolin", "Axolotl"),
    *("Wombat", "Capybara", "Narwhal", "Ocelot", "Tapir", "Meerkat", "Lemur", "Iguana"),
]


@pytest.fixture(scope="module")
def sheet():
    return load(EVERYWHERE, "briefs/internal-everywhere.yaml").sheet


def test_a_format_1_sheet_has_one_edition_and_is_its_own_external_sheet(minimal_text) -> None:
    plain = load_bytes(minimal_text.encode(), "briefs/x.yaml", "x").sheet
    assert not has_internal(plain)
    assert editions(plain) == ("only",)
    assert external_sheet(plain) is plain and internal_texts(plain) == ()


def test_the_external_sheet_drops_every_internal_entry_and_mitigation(sheet) -> None:
    external = external_sheet(sheet)
    assert editions(sheet) == ("internal", "external")
    assert edition_sheet(sheet, "internal") is sheet
    assert [f.label for f in external.key_facts] == ["Candidate area", "Showrooms opened"]
    assert [p.name for p in external.players or ()] == ["FAW Group"]
    assert [e.date for e in external.timeline or ()] == ["2025-11"]
    assert [c.title for c in external.challenges] == [
        "Scarce industrial land",
        "Few assembly workers",
    ]
    assert external.challenges[0].mitigations is None
    assert [s.heading for s in external.sections or ()] == ["Outlook"]
    assert not has_internal(external)


def test_sources_cited_only_by_internal_content_are_internal_and_dropped(sheet) -> None:
    # envoy-cable is marked; board-minutes is cited only by internal content.
    assert internal_sources(sheet) == {"envoy-cable", "board-minutes"}
    assert [s.id for s in external_sheet(sheet).sources] == ["hk-ev-talks", "invest-hk-2025"]


def test_no_text_of_the_external_sheet_holds_a_secret_word(sheet) -> None:
    dumped = external_sheet(sheet).model_dump_json()
    assert [word for word in SECRET_WORDS if word in dumped] == []
    assert all(word in sheet.model_dump_json() for word in SECRET_WORDS)


def test_internal_texts_name_every_internal_field_with_its_plain_words(sheet) -> None:
    texts = internal_texts(sheet)
    assert all(isinstance(t, InternalText) for t in texts)
    by_path = {t.path: t.text for t in texts}
    assert by_path["key_facts[1].note"] == "Offered in confidence by the Marmoset delegation."
    assert by_path["challenges[0].mitigations"].startswith("Offer the Wombat brownfield")
    assert by_path["sources[2].title"] == "Minutes of the Iguana board meeting"
    assert by_path["players[0].local_name"] == "夜鷹控股"
    joined = " ".join(by_path.values())
    assert [word for word in SECRET_WORDS if word not in joined] == []
    # Codes, dates and ids are no texts; a publisher an external source shares is shown.
    assert not any(p.endswith((".category", ".date", ".id", ".kind")) for p in by_path)
    assert "sources[2].publisher" not in by_path


def test_plain_words_leave_out_markup_and_citations() -> None:
    assert plain_words("Held by **Acme** [@a; @b].\n\n`code` and ![alt text](x.png)") == (
        "Held by Acme. code and alt text"
    )
