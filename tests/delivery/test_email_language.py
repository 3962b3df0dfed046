"""The email and its "what changed" list in the briefing's language."""

from __future__ import annotations

import yaml

from generator.delivery.changes import compare
from generator.delivery.message import email_view, render_body
from generator.factsheet.model import FactSheet
from generator.render import language_for
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
HONG_KONG = REPO / "briefs" / "hong-kong-ev-assembly.yaml"


def editions(language: str) -> tuple[FactSheet, FactSheet]:
    before = yaml.safe_load(HONG_KONG.read_text(encoding="utf-8"))
    before["language"] = language
    after = {**before, "status": "final"}
    after["timeline"] = [*before["timeline"], {"date": "2026-11", "event": "Accord signé."}]
    after["initiative"] = {
        **before["initiative"],
        "investment": {"amount": 7_340_000_000, "currency": "EUR"},
    }
    return FactSheet.model_validate(before), FactSheet.model_validate(after)


def test_the_french_email_and_its_changes() -> None:
    before, after = editions("fr")
    changes = compare(before, after, language_for("fr", TEMPLATES))
    assert [c.text for c in changes] == [
        "Statut\u00a0: Pour relecture → Définitif",
        "Investissement\u00a0: ajout de 7,34 milliards\u00a0€",
        "Chronologie\u00a0: ajout de novembre 2026 Accord signé.",
    ]
    body = render_body(email_view(after, "hk", changes, ["hk.pdf"], None, TEMPLATES), TEMPLATES)
    for part in (body.text, body.html):
        assert "CE QUI A CHANGÉ" in part.upper() and "SYNTHÈSE" in part.upper()
        assert "données au 25 novembre 2026" in " ".join(part.split())
        assert "What changed" not in part and "Summary" not in part
    assert '<html lang="fr">' in body.html


def test_the_japanese_changes_name_parts_and_dates_in_japanese() -> None:
    before, after = editions("ja")
    texts = [c.text for c in compare(before, after, language_for("ja", TEMPLATES))]
    assert texts == [
        "ステータス：レビュー用 → 最終版",
        "投資額：€73.4億 を追加",
        "経緯：2026年11月 Accord signé. を追加",
    ]
