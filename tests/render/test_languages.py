"""Golden tests per language, through one real ``brief build``: the HTML parsed, the PDF's
text read back. Each language's headings, labels, "Facts as of" date, timeline dates,
money and page numbers are the catalog's and Babel's, never English by accident."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
import yaml

from tests.conftest import REPO, minimal_sheet
from tests.support.cli import run_brief

#: Per language: (file id, headings and labels, "Facts as of" line, a timeline date,
#: the investment as the glance table writes it, the page-number line of page n of total).
GOLDEN: dict[str, dict[str, Any]] = {
    "en": {
        "words": ["Summary", "Key facts", "Labor", "Severity: High", "Canceled"],
        "as_of": "Facts as of January 20, 2026",
        "dates": ["2024", "March 2025", "November 5, 2025"],
        "money": "US$7.59 billion",
        "page": "Page {n} of {total}",
    },
    "en-GB": {
        "words": ["Summary", "Key facts", "Labour", "Severity: High", "Cancelled"],
        "as_of": "Facts as of 20 January 2026",
        "dates": ["2024", "March 2025", "5 November 2025"],
        "money": "US$7.59 billion",
        "page": "Page {n} of {total}",
    },
    "fr": {
        "words": [
            "Synthèse",
            "Chiffres clés",
            "Main-d\u2019œuvre",
            "Gravité\u00a0: Élevée",
            "Annulé",
        ],
        "as_of": "Données au 20 janvier 2026",
        "dates": ["2024", "mars 2025", "5 novembre 2025"],
        "money": "7,59 milliards\u00a0$US",
        "page": "Page {n} sur {total}",
    },
    "de": {
        "words": ["Zusammenfassung", "Eckdaten", "Arbeitskräfte", "Schweregrad: Hoch"],
        "as_of": "Stand der Angaben 20. Januar 2026",
        "dates": ["2024", "März 2025", "5. November 2025"],
        "money": "7,59 Milliarden\u00a0US$",
        "page": "Seite {n} von {total}",
    },
    "es": {
        "words": ["Resumen", "Datos clave", "Mano de obra", "Gravedad: Alta", "Cancelado"],
        "as_of": "Datos a 20 de enero de 2026",
        "dates": ["2024", "marzo de 2025", "5 de noviembre de 2025"],
        "money": "7,59 mil millones\u00a0US$",
        "page": "Página {n} de {total}",
    },
    "pt": {
        "words": ["Resumo", "Dados-chave", "Mão de obra", "Gravidade: Alta", "Cancelado"],
        "as_of": "Dados de 20 de janeiro de 2026",
        "dates": ["2024", "março de 2025", "5 de novembro de 2025"],
        "money": "US$\u00a07,59 bilhões",
        "page": "Página {n} de {total}",
    },
    "zh-Hant": {
        "words": ["摘要", "關鍵數據", "勞動力", "嚴重程度：高", "已取消"],
        "as_of": "資料截至 2026年1月20日",
        "dates": ["2024年", "2025年3月", "2025年11月5日"],
        "money": "US$75.9億",
        "page": "第 {n} 頁，共 {total} 頁",
    },
    "zh-Hans": {
        "words": ["摘要", "关键数据", "劳动力", "严重程度：高", "已取消"],
        "as_of": "数据截至 2026年1月20日",
        "dates": ["2024年", "2025年3月", "2025年11月5日"],
        "money": "US$75.9亿",
        "page": "第 {n} 页，共 {total} 页",
    },
    "ja": {
        "words": ["要旨", "主要データ", "労働力", "深刻度：高", "中止"],
        "as_of": "情報時点 2026年1月20日",
        "dates": ["2024年", "2025年3月", "2025年11月5日"],
        "money": "US$75.9億",
        "page": "{n} / {total} ページ",
    },
    "ko": {
        "words": ["요약", "주요 사실", "노동력", "심각도: 높음", "취소됨"],
        "as_of": "자료 기준일 2026년 1월 20일",
        "dates": ["2024년", "2025년 3월", "2025년 11월 5일"],
        "money": "US$75.9억",
        "page": "{total}쪽 중 {n}쪽",
    },
}


def sheet_in(language: str) -> dict[str, Any]:
    """A one-page sheet in ``language`` with every date precision, money and a label that
    differs between US and British English."""
    return minimal_sheet(
        language=language,
        status="final",
        initiative={
            "name": "Assembly plant",
            "stage": "cancelled",
            "investment": {"amount": 7_590_000_000, "currency": "USD"},
        },
        timeline=[
            {"date": "2024", "event": "Idea floated."},
            {"date": "2025-03", "event": "Talks begin."},
            {"date": "2025-11-05", "event": "Plan shelved."},
        ],
        challenges=[
            {"category": "labor", "title": "Few fitters", "severity": "high", "body": "Scarce."}
        ],
    )


def brief_id(language: str) -> str:
    return "lang-" + language.lower()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages") / "project"
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    for language in [*GOLDEN, "it"]:
        text = yaml.safe_dump(sheet_in(language), sort_keys=False, allow_unicode=True)
        (root / "briefs" / f"{brief_id(language)}.yaml").write_text(text, encoding="utf-8")
    for language in GOLDEN:
        sheet = sheet_in(language) | {"status": "review"}
        text = yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True)
        (root / "briefs" / f"{brief_id(language)}-review.yaml").write_text(text, encoding="utf-8")
    result = run_brief("build", "--strict", cwd=root, timeout=600)
    assert result.returncode == 0, result.stderr
    (root / "stderr.txt").write_text(result.stderr, encoding="utf-8")
    return root


def html_text(root: Path, language: str) -> tuple[str, str]:
    """The HTML page's ``lang`` and its text, whitespace collapsed."""
    page = (root / "output" / f"{brief_id(language)}.html").read_text(encoding="utf-8")
    document = tinyhtml5.parse(page)
    body = document.find("{http://www.w3.org/1999/xhtml}body")
    return document.get("lang"), collapse(" ".join(body.itertext()))


def collapse(text: str) -> str:
    """Runs of ASCII whitespace as one space; a no-break space is kept, as typeset."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def pdf_pages(root: Path, language: str) -> list[str]:
    """Each page's text as pdftotext reads it, whitespace collapsed."""
    pdf = root / "output" / f"{brief_id(language)}.pdf"
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return [collapse(page) for page in out.stdout.decode("utf-8").split("\f") if page.strip()]


@pytest.mark.parametrize("language", list(GOLDEN))
def test_the_html_speaks_the_language(built: Path, language: str) -> None:
    golden = GOLDEN[language]
    lang, text = html_text(built, language)
    assert lang == language
    for expected in [*golden["words"], golden["as_of"], *golden["dates"], golden["money"]]:
        assert expected in text, (language, expected)


@pytest.mark.parametrize("language", list(GOLDEN))
def test_the_pdf_speaks_the_language(built: Path, language: str) -> None:
    golden = GOLDEN[language]
    pages = pdf_pages(built, language)
    # The PDF's text layer has plain spaces where the HTML has no-break ones; the
    # timeline's dates sit in a narrow column that wraps, so the HTML checks them.
    text = " ".join(pages)
    for expected in [golden["as_of"], golden["money"]]:
        assert expected.replace("\u00a0", " ") in text, (language, expected)
    for n, page in enumerate(pages, start=1):
        assert golden["page"].format(n=n, total=len(pages)) in page, (language, n)
    if language not in ("en", "en-GB"):
        assert "Summary" not in text and "Key facts" not in text and "Page 1 of" not in text


def test_a_language_without_a_catalog_is_english_with_a_warning_even_under_strict(
    built: Path,
) -> None:
    stderr = (built / "stderr.txt").read_text(encoding="utf-8")
    assert "briefs/lang-it.yaml: language 'it' has no message catalog" in stderr
    lang, text = html_text(built, "it")
    assert lang == "it"
    assert "Summary" in text and "Facts as of January 20, 2026" in text
    assert "US$7.59 billion" in text


#: What the left-hand margin boxes leave at the right (print.css: they are 132 mm of the
#: 172 mm text width, so 40 mm, inside the 18 mm margin) and the top and bottom margins
#: (24 and 22 mm), in points.
RIGHT_BOXES = (40 + 18) / 25.4 * 72
TOP, BOTTOM = 24 / 25.4 * 72, 22 / 25.4 * 72


def margin_words(pdf: Path) -> list[tuple[list[Any], list[Any]]]:
    """Per page, the words in the top-right and the bottom-right margin box, as
    ``pdftotext -bbox`` places them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True)
    page = tinyhtml5.parse(out.stdout.decode("utf-8"))
    found = []
    for sheet in page.iter("{http://www.w3.org/1999/xhtml}page"):
        width, height = float(sheet.get("width")), float(sheet.get("height"))
        words = list(sheet.iter("{http://www.w3.org/1999/xhtml}word"))
        right = [w for w in words if float(w.get("xmax")) > width - RIGHT_BOXES + 1]
        found.append(
            (
                [w for w in right if float(w.get("ymax")) < TOP],
                [w for w in right if float(w.get("ymin")) > height - BOTTOM],
            )
        )
    return found


@pytest.mark.parametrize("language", list(GOLDEN))
def test_the_status_and_the_page_number_fit_their_margin_boxes(built: Path, language: str) -> None:
    pages = margin_words(built / "output" / f"{brief_id(language)}-review.pdf")
    for status, number in pages:
        for words in (status, number):
            assert words, (language, pages)
            # One line (CJK and Latin glyphs' boxes start a point apart; a wrapped line
            # is 7.5 pt lower), and inside the box: nothing wrapped or pushed out of it.
            tops = [float(w.get("ymin")) for w in words]
            assert max(tops) - min(tops) < 3, (language, [w.text for w in words], tops)
            assert all(float(w.get("xmin")) >= 595.28 - RIGHT_BOXES for w in words)
    status_text = " ".join(w.text for w in pages[0][0])
    assert status_text and status_text == status_text.upper(), status_text
