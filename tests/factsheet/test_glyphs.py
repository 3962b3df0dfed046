"""Every character a briefing prints is in a shipped font, or a located error says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factsheet import covered, font_maps, prints_nothing
from generator.render import labels

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
HANGUL = "".join(chr(c) for c in range(0xAC00, 0xD7A4))
SCRIPTS = {
    "Latin": "Zoë Šťastná, Łódź, Ærøskøbing, Őrség, São Paulo, İstanbul, Nguyễn ß",
    "Greek": "Αθήνα Ελληνική Δημοκρατία ΑΒΓΔΕΖΗΘ",
    "Cyrillic": "Москва Україна Беларусь Српска ЁЖЩЪЫЭЮЯ ђјљњћџ",
    "Simplified Chinese": "宁德时代 中国第一汽车集团有限公司 广汽埃安 哪吒汽车",
    "Traditional Chinese": "香港特別行政區政府創新科技及工業局 臺灣 體 龍 麵",
    "Japanese kana and kanji": "トヨタ自動車 ひらがな カタカナ ー 株式会社デンソー",
    "Korean Hangul (all 11,172 syllables)": HANGUL,
    "Korean jamo": "ㄱㄴㄷㄹ ㅏㅑㅓㅕ",
    "CJK punctuation": "、。「」『』（）〈〉《》・：；！？",
    "symbols": "→ ← ↑ ↓ ↔ ⇒ ≈ ≤ ≥ ≠ ± × ÷ − √ ∞ ° € £ ¥ ₩ ₹ ✓ ✗ • … ‰ № ™ © ® § ¶ † ‡",
    "typography": "“quoted” ‘single’ «guillemets» „low“ – — ‑ · ′ ″ \u00a0 \u202f",
}


@pytest.fixture(scope="module")
def have() -> frozenset[int]:
    maps = font_maps(TEMPLATES)
    assert any(name.startswith("cjk/") for name in maps), "run `make fonts` first"
    return covered(maps)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_is_covered(script: str, have: frozenset[int]) -> None:
    missing = sorted({c for c in SCRIPTS[script] if ord(c) not in have and not prints_nothing(c)})
    assert missing == []


def test_the_latin_faces_lack_what_the_symbol_faces_add() -> None:
    maps = font_maps(TEMPLATES)
    serif = maps["NotoSerif-Regular.ttf"]
    assert ord("→") not in serif and ord("→") in maps["NotoSansMath-Regular.ttf"]
    assert ord("✗") in maps["NotoSansSymbols2-Regular.ttf"]
    assert ord("현") not in covered(maps, cjk=False)


def test_something_is_missing_all_the_same() -> None:
    have = covered(font_maps(TEMPLATES))
    assert ord("த") not in have  # Tamil: no shipped font
    assert ord("\U0001f600") not in have  # emoji


def _template_text() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.rglob("*.html"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.rglob("*.css"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "locale").rglob("*.po"))]
    for value in vars(labels).values():
        if isinstance(value, dict) or hasattr(value, "values"):
            try:
                parts += [str(v) for v in value.values()]
            except TypeError:
                continue
    return "".join(parts)


def test_every_character_of_the_templates_and_label_catalogs_is_covered(
    have: frozenset[int],
) -> None:
    text = _template_text()
    assert "Key facts" in text or "Summary" in text
    missing = sorted({c for c in text if ord(c) not in have and not prints_nothing(c)})
    assert missing == []


def test_a_missing_character_is_a_located_error_in_check_and_nothing_is_built(
    project: Path, write_brief, run_brief
) -> None:
    sheet = (REPO / "tests" / "data" / "invalid" / "missing-glyph.yaml").read_text("utf-8")
    (project / "briefs" / "missing-glyph.yaml").write_text(sheet, encoding="utf-8")
    expected = (REPO / "tests" / "data" / "invalid" / "missing-glyph.expected").read_text()
    checked = run_brief("check", "missing-glyph")
    assert checked.returncode != 0
    assert expected.strip() in checked.stdout + checked.stderr
    built = run_brief("build", "missing-glyph")
    assert built.returncode != 0
    assert expected.strip() in built.stdout + built.stderr
    assert not list((project / "output").glob("missing-glyph*"))
    # Cached: the character maps are kept for the next run (beside the CJK faces, where
    # `make fonts` leaves them, or in the project's .brief/).
    caches = [
        project / "templates" / "static" / "fonts" / "cjk" / "font-cmaps.json",
        project / ".brief" / "font-cmaps.json",
    ]
    assert any('"NotoSerif-Regular.ttf"' in p.read_text() for p in caches if p.is_file())
