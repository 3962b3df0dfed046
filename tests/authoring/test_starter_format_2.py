"""The starter's commented example of format 2, written out, passes ``brief check``."""

from __future__ import annotations

import datetime as dt

from generator.authoring.starter import starter_text
from generator.factsheet import DEFAULT_MARKINGS, has_internal
from generator.factsheet.loader import load_bytes
from generator.factsheet.rules import check

TODAY = dt.date(2026, 1, 21)


def test_the_commented_format_2_keys_work_as_the_comment_says() -> None:
    text = starter_text("x", TODAY)
    assert "`format: 2`" in text and "`marking: OFFICIAL-SENSITIVE`" in text
    assert "`mitigations_internal: true`" in text
    text = text.replace("format: 1\n", "format: 2\nmarking: OFFICIAL-SENSITIVE\n", 1)
    text = text.replace(
        "      What could reduce it.\n",
        "      What could reduce it.\n    mitigations_internal: true\n",
    )
    loaded = load_bytes(text.encode(), "briefs/x.yaml", "x")
    assert [d.format() for d in check(loaded, TODAY, markings=DEFAULT_MARKINGS)] == []
    assert has_internal(loaded.sheet) and loaded.sheet.marking == "OFFICIAL-SENSITIVE"
