"""The leak check on real outputs: a built PDF and HTML, a DOCX, an email.

The internal texts here are stand-ins for what ``factsheet.internal_texts`` gives (a field
path and its text): the check itself knows nothing of the fact-sheet model.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from generator.builder.leaks import clauses, find_leaks, fold, leak_diagnostics, searchable
from tests.builder.conftest import run

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Internal:
    path: str
    text: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full valid sheet built as PDF and HTML."""
    root = tmp_path_factory.mktemp("leaks") / "project"
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "tests" / "data" / "valid" / "full.yaml", root / "briefs" / "hk.yaml")
    report = run(root, formats=("pdf", "html"))
    assert not report.failed
    return root / "output"


def _outputs(folder: Path, *names: str) -> list[tuple[str, bytes]]:
    return [(f"output/{n}", (folder / n).read_bytes()) for n in names]


def test_text_of_a_field_is_found_in_the_pdf_with_its_page(built: Path) -> None:
    internal = [
        Internal("initiative.investment.note", "Indicative public co-funding, not committed."),
        Internal("players[0].role", "State-owned automaker named in the talks [@hk-ev-talks]."),
    ]
    leaks = find_leaks(internal, _outputs(built, "hk.pdf"))
    found = {leak.field: leak for leak in leaks}
    assert set(found) == {"initiative.investment.note", "players[0].role"}
    assert found["initiative.investment.note"].place == "page 1"
    assert found["players[0].role"].place.startswith("page ")
    assert found["players[0].role"].file == "output/hk.pdf"


def test_text_of_a_field_is_found_in_the_html_naming_its_element(built: Path) -> None:
    internal = [
        Internal("initiative.investment.note", "Indicative public co-funding, not committed.")
    ]
    (leak,) = find_leaks(internal, _outputs(built, "hk.html"))
    assert leak.place.startswith("section#initiative > ")
    assert leak.place.endswith("dd > span")


def test_text_that_is_not_there_and_common_words_are_not_reported(built: Path) -> None:
    internal = [
        Internal("a", "A sentence no template and no field of this sheet ever says."),
        Internal("b", "Electric"),  # one word of letters: never searched alone
        Internal("c", "talks"),
    ]
    assert find_leaks(internal, _outputs(built, "hk.pdf", "hk.html")) == []


def test_one_sentence_of_a_long_internal_text_is_found(built: Path) -> None:
    long_text = (
        "Ministers were told in private that the site is not viable. "
        "Indicative public co-funding, not committed. The board has not been told."
    )
    (leak,) = find_leaks([Internal("sections[0].body", long_text)], _outputs(built, "hk.html"))
    assert leak.text == "Indicative public co-funding, not committed"


def test_what_the_external_edition_says_itself_is_not_a_leak(built: Path) -> None:
    internal = [Internal("k", "Indicative public co-funding, not committed.")]
    allowed = ["Indicative public co-funding, not committed."]
    assert find_leaks(internal, _outputs(built, "hk.html"), allowed=allowed) == []


def test_folding_makes_layout_differences_vanish() -> None:
    assert fold("Con\u00adfidential ﬁnancing") == fold("confidential financing")
    assert fold("assem-\nbly line") == fold("assembly line")
    assert fold("“Quoted”\u00a0TEXT") == fold('"quoted" text')
    assert searchable("https://example.org/x")
    assert not searchable("Construction")
    assert not searchable("short one")
    assert searchable("夜鷹控股") and not searchable("一汽")
    assert clauses("One thing; another thing. A third: yes") == [
        "One thing; another thing",
        "A third: yes",
        "One thing",
        "another thing",
        "A third",
        "yes",
    ]


HTML = b"""<!doctype html><html><head><title>Plain title</title>
<meta name="description" content="The plant will close in 2027"></head>
<body><main><section id="risks"><h2>Risks</h2>
<p>The <em>plant</em> will be sold to a <strong>state fund</strong>.</p>
<!-- drafted from the minister's note -->
<img src="x.png" alt="Map of the secret second site"></section></main></body></html>"""


def test_html_attributes_comments_and_text_across_elements() -> None:
    internal = [
        Internal("challenges[0].description", "The plant will close in 2027."),
        Internal("sections[1].body", "The plant will be sold to a state fund."),
        Internal("key_facts[2].note", "Drafted from the minister's note"),
        Internal("players[1].name", "Map of the secret second site"),
    ]
    places = {leak.field: leak.place for leak in find_leaks(internal, [("x.html", HTML)])}
    assert places == {
        "challenges[0].description": "html > head > meta[content]",
        "sections[1].body": "section#risks > p",
        "key_facts[2].note": "section#risks > comment",
        "players[1].name": "section#risks > img[alt]",
    }


def _docx(*paragraphs: str, core_title: str = "Title") -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{core_title}</dc:title></cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", core)
    return buffer.getvalue()


def test_docx_paragraphs_and_properties() -> None:
    data = _docx(
        "Open text.", "Talks with the second automaker failed.", core_title="Second site plan B"
    )
    internal = [
        Internal("timeline[3].event", "Talks with the second automaker failed."),
        Internal("title_internal", "Second site plan B"),
    ]
    places = {leak.field: leak.place for leak in find_leaks(internal, [("x.docx", data)])}
    assert places == {
        "timeline[3].event": "word/document.xml, paragraph 2",
        "title_internal": "docProps/core.xml",
    }


def test_email_subject_parts_and_attachment_names() -> None:
    message = EmailMessage()
    message["Subject"] = "[Brief] Plant sale to the state fund"
    message.set_content("Hello.\nThe board has not been told yet.\n")
    message.add_alternative("<p>Hello. <b>Offer expires in March 2026</b></p>", subtype="html")
    message.add_attachment(
        b"%PDF-1.4 not really",
        maintype="application",
        subtype="octet-stream",
        filename="minister-note-draft.bin",
    )
    internal = [
        Internal("a", "Plant sale to the state fund"),
        Internal("b", "The board has not been told yet."),
        Internal("c", "Offer expires in March 2026"),
        Internal("d", "minister-note-draft.bin"),
    ]
    leaks = find_leaks(internal, [("message.eml", message.as_bytes())])
    places = {leak.field: leak.place for leak in leaks}
    assert places["a"] == "header Subject"
    assert places["b"] == "plain-text part"
    assert places["c"] == "HTML part, html > body > p > b"
    assert places["d"].startswith("attachment minister-note-draft.bin")


def test_leaks_become_located_diagnostics(built: Path) -> None:
    internal = [
        Internal("initiative.investment.note", "Indicative public co-funding, not committed.")
    ]
    leaks = find_leaks(internal, _outputs(built, "hk.pdf"))
    (problem,) = leak_diagnostics(leaks, "briefs/hk.yaml", lambda path: (34, 11))
    assert problem.format() == (
        "briefs/hk.yaml:34:11: initiative.investment.note: internal text found in "
        'output/hk.pdf, page 1: "Indicative public co-funding, not committed"'
    )


LONG_WORDS = (
    "Internationalisation of electromobility manufacturing necessitates extraordinarily "
    "comprehensive intergovernmental coordination arrangements between municipalities"
)


def test_a_sentence_hyphenated_across_lines_of_a_pdf_is_found(project: Path, write_brief) -> None:
    from tests.delivery.external_support import sheet_text

    write_brief("hk", sheet_text().replace("Expansion since 2024", LONG_WORDS))
    assert not run(project, formats=("pdf",)).failed
    data = (project / "output" / "hk.external.pdf").read_bytes()
    layer = pdf_page_text(data)
    # The control: the PDF really breaks this text across lines, a word hyphenated.
    assert LONG_WORDS not in " ".join(layer.split())
    assert re.search(r"[a-z]\u00ad\n[a-z]", layer), layer
    (leak,) = find_leaks([Internal("key_facts[2].note", LONG_WORDS)], [("x.pdf", data)])
    assert (leak.place, leak.text) == ("page 1", LONG_WORDS)


def pdf_page_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("language", "printed"),
    [
        ("fr", "l’usine «\u202fdu nord\u202f» et “là”"),
        ("de", "l’usine „du nord“ et ‚là‘"),
        ("ja", "l’usine 「du nord」 et 『là』"),
    ],
)
def test_typographic_quotes_fold_to_the_straight_ones_the_sheet_holds(language, printed):
    from generator.render.typography import smart_quotes

    typed = """l'usine "du nord" et 'là'"""
    assert smart_quotes(typed, language) == printed
    assert fold(printed) == fold(typed)
