"""The email as a French, German or Japanese reader receives it (a real SMTP server): the
subject's ``{stage}`` in the briefing's words, the language's quotes in Markdown and
plain-text fields alike, and the risk matrix as an HTML table of the briefing's words."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.delivery.test_send import run, write_delivery

SUBJECT = "[Brief] {stage}: {title}"
QUOTED = {
    "title": 'The "Delta" plant',
    "summary": 'Bottom line: the "Delta" plan, officials\' words [@src-a].',
    "challenges": [
        {"category": "land_cost", "title": "Land is dear", "severity": "high", "body": "x."},
        {"category": "labor", "title": 'The "fitters" gap', "severity": "medium", "body": "y."},
        {"category": "labor", "title": "Wages climb", "severity": "medium", "body": "z."},
    ],
}


class Tables(HTMLParser):
    """Every table of a page as rows of (tag, text) cells, and its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class"), "caption": "", "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = [tag]
            self.tables[-1]["rows"][-1].append(self._cell)
        elif tag == "caption":
            self._in_caption = True
        elif tag == "div" and self._cell is not None and len(self._cell) > 1:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def matrix_of(html: str) -> dict:
    parser = Tables()
    parser.feed(html)
    [matrix] = [t for t in parser.tables if "risk-matrix" in (t["class"] or "").split()]
    matrix["cells"] = [[(c[0], "".join(c[1:]).strip()) for c in row] for row in matrix["rows"]]
    return matrix


def received(project, write_brief, smtp_server, language):
    write_brief("hk", **QUOTED, language=language)
    write_delivery(project, subject=SUBJECT, lists={"team": {"recipients": ["ann@example.org"]}})
    assert run(project, smtp_server.env()).ok
    [got] = smtp_server.handler.received
    message = got.message
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return str(message["Subject"]), plain, html


def test_a_french_email_speaks_french_in_its_subject_quotes_and_matrix(
    project, write_brief, smtp_server
):
    subject, plain, html = received(project, write_brief, smtp_server, "fr")
    nnbsp = "\u202f"
    assert subject == f"[Brief] En négociation: The «{nnbsp}Delta{nnbsp}» plant"
    for part in (plain, html.replace("&nbsp;", "\u00a0")):
        assert f"le «{nnbsp}Delta{nnbsp}» plan" not in part  # the words are the sheet's
        assert f"the «{nnbsp}Delta{nnbsp}» plan, officials’ words" in part
        assert '"Delta"' not in part and "officials'" not in part
    matrix = matrix_of(html)
    assert matrix["caption"] == "Matrice des risques\u00a0: 3 défis par catégorie et gravité."
    assert matrix["cells"] == [
        [("th", "Catégorie"), ("th", "Élevée"), ("th", "Moyenne"), ("th", "Faible")],
        [("th", "Coût du foncier"), ("td", "Land is dear"), ("td", "Aucun"), ("td", "Aucun")],
        [
            ("th", "Main-d\u2019œuvre"),
            ("td", "Aucun"),
            ("td", f"The «{nnbsp}fitters{nnbsp}» gap\nWages climb"),
            ("td", "Aucun"),
        ],
    ]
    assert "<svg" not in html.lower()
    # The text part keeps its list: one line a challenge, severity first; a key fact's
    # colon is set as French sets it.
    assert "- [Moyenne] Wages climb (Main-d\u2019œuvre)" in plain
    assert "- Jobs\u00a0: 100" in plain


@pytest.mark.parametrize(
    ("language", "stage", "quoted"),
    [("de", "In Verhandlung", "„Delta“"), ("ja", "交渉中", "「Delta」")],
)
def test_the_stage_and_quotes_follow_the_language(
    project, write_brief, smtp_server, language, stage, quoted
):
    subject, plain, html = received(project, write_brief, smtp_server, language)
    assert subject.startswith(f"[Brief] {stage}: ")
    assert quoted in subject and quoted in plain and quoted in html
    assert matrix_of(html)["cells"][0][0] == ("th", {"de": "Kategorie", "ja": "区分"}[language])
    assert {"de": "- Jobs: 100", "ja": "- Jobs：100"}[language] in plain


def test_an_english_subject_keeps_the_english_stage(project, write_brief, smtp_server):
    subject, _plain, _html = received(project, write_brief, smtp_server, "en-GB")
    assert subject == "[Brief] In talks: The “Delta” plant"
