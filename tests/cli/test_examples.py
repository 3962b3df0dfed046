"""The sample fact sheets under examples/: each marked as a sample, each built through the
real ``brief build``, read back from its PDF (pdftotext), HTML and DOCX.

The Korean and Japanese text read back from the PDF needs a font with their glyphs: a
Noto CJK face, today the host's, once the shipped fonts land the project's own.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
import yaml
from docx.oxml.ns import qn

from generator.render.typography import smart_quotes
from tests.support.cli import REPO, run_brief

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
#: The languages the samples must cover (issue: French, Chinese, Korean, Japanese, and
#: English with Japanese and Korean names).
LANGUAGES = {"fr", "zh-Hans", "ko", "ja", "en"}


def sheet(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def squeezed(text: str) -> str:
    """``text`` without spaces or line breaks: CJK titles wrap anywhere in a PDF."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples") / "project"
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    for path in EXAMPLES:
        shutil.copy(path, root / "briefs" / path.name)
    check = run_brief("check", "--strict", cwd=root, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    done = run_brief("build", "--formats", "html,pdf,docx", "-j", "2", cwd=root, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "output"


def test_every_sample_is_marked_as_one_and_the_languages_are_covered() -> None:
    assert {sheet(p)["language"] for p in EXAMPLES} >= LANGUAGES
    for path in EXAMPLES:
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert "sample" in " ".join(head).lower(), path.name
        assert "sample" in sheet(path)["tags"], path.name
        assert sheet(path)["status"] == "draft", path.name


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_pdf_reads_back_the_title_and_every_local_name(built: Path, path: Path) -> None:
    data = sheet(path)
    pdf = built / f"{path.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert squeezed(smart_quotes(data["title"], data["language"])) in squeezed(text)
    for player in data.get("players", []):
        if player.get("local_name"):
            assert squeezed(player["local_name"]) in squeezed(text), player["local_name"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_html_has_the_language_its_quotes_and_marks_names_in_other_scripts(
    built: Path, path: Path
) -> None:
    data = sheet(path)
    page = lxml.html.document_fromstring((built / f"{path.stem}.html").read_bytes())
    assert page.get("lang") == data["language"]
    assert page.findtext(".//h1") == smart_quotes(data["title"], data["language"])
    assert '"' not in page.get_element_by_id("summary").text_content()
    names = {e.text_content(): e.get("lang") for e in page.find_class("local-name")}
    assert set(names) == {p["local_name"] for p in data["players"] if p.get("local_name")}


def test_the_english_sample_marks_its_japanese_and_korean_names(built: Path) -> None:
    page = lxml.html.document_fromstring((built / "honda-lges-ohio-en.html").read_bytes())
    names = {e.text_content(): e.get("lang") for e in page.find_class("local-name")}
    assert names == {"本田技研工業株式会社": "ja", "LG에너지솔루션": "ko"}
    summary = page.get_element_by_id("summary")
    marked = {e.text_content(): e.get("lang") for e in summary.iter("span") if e.get("lang")}
    assert marked == {"本田技研工業": "ja", "에너지솔루션": "ko"}
    assert "“made in America”" in summary.text_content()
    assert "It’s one" in summary.text_content()
    document = docx.Document(io.BytesIO((built / "honda-lges-ohio-en.docx").read_bytes()))
    langs = {
        run.text: run._r.rPr.find(qn("w:lang")).get(qn("w:eastAsia"))
        for table in document.tables
        for row in table.rows
        for run in row.cells[0].paragraphs[0].runs
        if run.text in names
    }
    assert langs == {"本田技研工業株式会社": "ja-JP", "LG에너지솔루션": "ko-KR"}


def test_each_language_prints_its_own_quotes(built: Path) -> None:
    def summary(stem: str) -> str:
        page = lxml.html.document_fromstring((built / f"{stem}.html").read_bytes())
        return page.get_element_by_id("summary").text_content()

    assert "«\u202fprojet important d’intérêt" in summary("acc-billy-berclau-fr")
    assert "“质疑”" in summary("catl-debrecen-zh-hans")
    assert "“메타플랜트 아메리카”" in summary("hmgma-georgia-ko")
    assert "「電動車のフルラインアップ」" in summary("toyota-north-carolina-ja")
