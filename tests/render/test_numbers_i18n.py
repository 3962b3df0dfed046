"""The one formatter (numbers, money, dates) and the message catalogs."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from generator.render.i18n import catalog_candidates, language_for, page_label_css
from generator.render.labels import CATEGORY_LABELS
from generator.render.numbers import (
    currency_sign,
    format_money,
    format_number,
    format_partial_date,
)
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
LANGUAGES = ["en-GB", "fr", "de", "es", "pt", "zh-Hant", "zh-Hans", "ja", "ko"]


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "written"),
    [
        (7_590_000_000, "USD", "en", "US$7.59 billion"),
        (5_500_000_000, "BRL", "en", "R$5.5 billion"),
        (7_340_000_000, "EUR", "en_GB", "€7.34 billion"),
        (1_500_000_000, "HKD", "en_GB", "HK$1.5 billion"),
        (3_000_000, "HKD", "en_GB", "HK$3 million"),
        (750_000, "USD", "en", "US$750,000"),
        (2500.5, "HKD", "en", "HK$2,500.5"),
        (7_590_000_000, "USD", "fr", "7,59 milliards\u00a0$US"),
        (7_590_000_000, "USD", "de", "7,59 Milliarden\u00a0US$"),
        (5_500_000_000, "BRL", "pt", "R$\u00a05,5 bilhões"),
        (7_590_000_000, "USD", "zh_Hant", "US$75.9億"),
        (7_590_000_000, "USD", "ja", "US$75.9億"),
        (7_590_000_000, "USD", "ko", "US$75.9억"),
    ],
)
def test_money_reads_as_people_write_it(amount, currency, locale, written) -> None:
    assert format_money(amount, currency, locale) == written


def test_a_bare_sign_other_currencies_share_gets_its_country() -> None:
    # "$" beside "HK$" and "R$": the dollar meant is named; "¥" beside "CN¥": the yen.
    assert currency_sign("USD", "en") == "US$"
    assert currency_sign("JPY", "en") == "JP¥"
    # A sign no other currency extends stays bare; letters are unambiguous as they are.
    assert currency_sign("EUR", "en") == "€"
    assert currency_sign("JPY", "ja") == "￥"
    assert currency_sign("USD", "fr") == "$US"
    assert currency_sign("XYZ", "en") == "XYZ"


def test_numbers_follow_the_locale_and_years_are_never_grouped() -> None:
    assert format_number(12000, "en") == "12,000"
    assert format_number(1_234_567.5, "de") == "1.234.567,5"
    assert format_number(1_234_567, "fr") == "1\u202f234\u202f567"
    assert format_number(2030, "en") == "2030"
    assert format_number(8500.0, "de") == "8500"
    assert format_number("HKD 8,000 per sq ft", "fr") == "HKD 8,000 per sq ft"


@pytest.mark.parametrize(
    ("locale", "year", "month", "day"),
    [
        ("en", "2024", "March 2024", "March 5, 2024"),
        ("en_GB", "2024", "March 2024", "5 March 2024"),
        ("fr", "2024", "mars 2024", "5 mars 2024"),
        ("de", "2024", "März 2024", "5. März 2024"),
        ("zh_Hant", "2024年", "2024年3月", "2024年3月5日"),
        ("ko", "2024년", "2024년 3월", "2024년 3월 5일"),
    ],
)
def test_partial_dates_at_every_precision(locale, year, month, day) -> None:
    assert format_partial_date("2024", locale) == year
    assert format_partial_date("2024-03", locale) == month
    assert format_partial_date("2024-03-05", locale) == day


def test_the_catalogs_are_in_sync_and_complete() -> None:
    check = subprocess.run(
        [sys.executable, "scripts/catalogs.py", "check"], cwd=REPO, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_language_has_its_catalog(tag: str) -> None:
    language = language_for(tag, TEMPLATES)
    assert language.catalog == f"locale/{tag}.po" and not language.fallback


def test_us_and_british_english_differ_where_they_should() -> None:
    us, gb = language_for("en", TEMPLATES), language_for("en-GB", TEMPLATES)
    assert us.label(CATEGORY_LABELS, "labor") == "Labor"
    assert gb.label(CATEGORY_LABELS, "labor") == "Labour"
    assert gb.gettext("Canceled") == "Cancelled"
    assert us.locale == "en" and gb.locale == "en_GB"


def test_a_tag_finds_the_catalog_of_its_script_then_its_language() -> None:
    assert catalog_candidates("zh-TW")[:2] == ["zh-TW", "zh-Hant"]
    assert language_for("zh-TW", TEMPLATES).catalog == "locale/zh-Hant.po"
    assert language_for("fr-CA", TEMPLATES).catalog == "locale/fr.po"
    assert language_for("en-gb", TEMPLATES).catalog == "locale/en-GB.po"


def test_a_language_without_a_catalog_falls_back_to_english_with_a_warning(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        language = language_for("nl", TEMPLATES)
    assert language.fallback and language.locale == "en"
    assert language.gettext("Summary") == "Summary"
    assert any("'nl' has no message catalog" in r.getMessage() for r in caplog.records)


def test_page_numbers_in_the_language_are_css_counters() -> None:
    css = page_label_css(language_for("ko", TEMPLATES))
    assert 'content: counter(pages) "쪽 중 " counter(page) "쪽";' in css
    css = page_label_css(language_for("en", TEMPLATES))
    assert 'content: "Page " counter(page) " of " counter(pages);' in css


def test_a_catalog_entry_is_read_at_run_time(tmp_path) -> None:
    import shutil

    shutil.copytree(TEMPLATES / "locale", tmp_path / "locale")
    po = tmp_path / "locale" / "fr.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Synthèse"', 'msgstr "Résumé"'),
        encoding="utf-8",
    )
    assert language_for("fr", tmp_path).gettext("Summary") == "Résumé"


def test_babel_is_not_imported_by_brief_check() -> None:
    code = (
        "import sys; from generator.cli.app import main\n"
        "sys.argv = ['brief', 'check']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(any(m == 'babel' or m.startswith('babel.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def _translations(tag: str) -> list[str]:
    from babel.messages.pofile import read_po

    with (TEMPLATES / "locale" / f"{tag}.po").open("rb") as po:
        catalog = read_po(po)
    texts = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else [message.string]
            texts += [s for s in strings if s]
    return texts


@pytest.mark.parametrize("tag", LANGUAGES)
def test_translations_use_typographic_apostrophes_and_quotes(tag: str) -> None:
    # A proof-reader sends back "Main-d'œuvre" and "'title'": the catalogs carry the
    # language's own marks (’, « », “ ”, ‘ ’), never the typewriter's.
    typewriter = [s for s in _translations(tag) if "'" in s or '"' in s]
    assert typewriter == []


def test_french_punctuation_keeps_its_space_and_never_starts_a_line() -> None:
    # French sets a space before : ; ! ? and inside « »; a plain space there lets the line
    # break before the mark, so it is a no-break space (narrow before ; ! ? and in « »).
    loose = [
        s
        for s in _translations("fr")
        if any(pair in s for pair in (" :", " ;", " !", " ?", "« ", " »"))
    ]
    assert loose == []
