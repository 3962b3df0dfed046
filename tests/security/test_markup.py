"""Markup, template syntax, hostile links and images in every field: text, never live.

One real build of a fact sheet whose every free-text and Markdown field carries the
payloads of :mod:`tests.security.hostile`; the HTML is parsed as a browser would, the PDF
read back with pypdf, and a canary HTTP server counts the requests images could cause.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from pypdf import PdfReader

from generator.factsheet.model import FactSheet
from generator.render.html import render_html
from generator.render.typography import smart_quotes
from tests.security.hostile import (
    CONSTRAINED,
    DERIVED,
    EVALUATED,
    MARKUP,
    Decorated,
    Html,
    compact_rich_data,
    every_field_sheet,
    leaves,
    model_leaves,
    pattern_of,
    squeeze,
)
from tests.security.projects import (
    Canary,
    build_project,
    cli,
    make_project,
    write_sheet,
)
from tests.support.render_samples import TEMPLATES, make_sheet

SECRET = "SECRET-SENTINEL-OUTSIDE-TEMPLATES"
#: Markdown images pointing outside the document: ``{url}`` is the canary server.
IMAGES = {
    "alt-http": "{url}/image.png",
    "alt-redirect": "{url}/redirect",
    "alt-passwd": "file:///etc/passwd",
    "alt-outside": "../../secret.svg",
    "alt-absolute": "/etc/passwd",
    "alt-static": "static/../../secret.svg",
}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "#")


@dataclass(frozen=True)
class Built:
    """The hostile sheet and what the build made of it."""

    root: Path
    sheet: Decorated
    html: str
    pdf: bytes

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))

    def pdf_text(self) -> str:
        # A word hyphenated at a line's end is joined, as copying the text (pdftotext)
        # joins it: the hyphen is the layout's (a soft hyphen), not the field's.
        text = "\n".join(page.extract_text() for page in self.reader.pages)
        return squeeze(re.sub(r"(?<=[a-z])\u00ad\n(?=[a-z])", "", text))

    def uris(self) -> list[str]:
        found = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots", []):
                action = annotation.get_object().get("/A", {})
                if "/URI" in action:
                    found.append(str(action["/URI"]))
        return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> Built:
    root = make_project(tmp_path_factory.mktemp("hostile") / "project")
    (root / "secret.svg").write_text(f"<svg><text>{SECRET}</text></svg>", encoding="utf-8")
    images = " ".join(f"![{alt}]({url.format(url=canary.url)})" for alt, url in IMAGES.items())
    sheet = every_field_sheet(extra_markdown=images)
    write_sheet(root, "hostile", sheet.data)
    report = build_project(root)
    assert [r.status for r in report.results] == ["built"], report.results
    output = root / "output"
    html = (output / "hostile.html").read_text("utf-8")
    return Built(root, sheet, html, (output / "hostile.pdf").read_bytes())


@pytest.fixture(scope="module")
def benign() -> Html:
    """The same sheet without payloads: the elements the templates themselves produce."""
    return Html(render_html(make_sheet(compact_rich_data()), "hostile", TEMPLATES).html)


def test_the_payload_reaches_every_text_field_the_format_has() -> None:
    sheet = every_field_sheet()
    sample = {pattern_of(path) for path, _ in leaves(sheet.data)}
    assert set(model_leaves()) <= sample, "the sample lacks a field of the format"
    decorated = {pattern_of(path) for path in sheet.markers}
    for path, value in leaves(compact_rich_data()):
        pattern = pattern_of(path)
        if isinstance(value, str) and pattern not in decorated and pattern not in DERIVED:
            assert CONSTRAINED.match(pattern), pattern
            refused = compact_rich_data()
            target = refused
            parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
            for part in parts[:-1]:
                target = target[part]
            target[parts[-1]] = MARKUP
            with pytest.raises(ValidationError):
                FactSheet.model_validate(refused)
    assert len(sheet.markdown) == sum(model_leaves().values())


def test_markup_in_every_field_is_text_in_the_html(built: Built, benign: Html) -> None:
    doc = Html(built.html)
    assert set(doc.tags) <= set(benign.tags)
    # Both carry the inlined font faces' style element; the hostile sheet also carries a
    # marking, whose stylesheet is one more (the benign sample has none).
    assert doc.tags.count("style") <= benign.tags.count("style") + 1
    assert doc.comments == benign.comments
    assert not [a for _, attrs in doc.elements for a in attrs if a.startswith("on")]
    assert not [css for css in doc.styles if "#hostile" in css]
    text = squeeze(doc.text())
    for path, shown in built.sheet.printed().items():
        assert squeeze(shown) in text, path
    assert EVALUATED not in text
    assert squeeze("<div onclick=“alert(3)”> <b>raw block</b> </div>") in text


def test_tags_go_to_the_metadata_as_text(built: Built) -> None:
    keywords = [
        attrs["content"]
        for tag, attrs in Html(built.html).elements
        if tag == "meta" and attrs.get("name") == "keywords"
    ]
    # The marking joins the keywords after the tags.
    assert keywords == [", ".join([*built.sheet.data["tags"], "Marking: OFFICIAL"])]


def test_markup_in_every_field_is_text_in_the_pdf(built: Built) -> None:
    text = built.pdf_text().casefold()  # the kicker is set in capitals
    for path, shown in built.sheet.printed().items():
        assert squeeze(shown).casefold() in text, path
    assert EVALUATED not in text
    # The window title is the page's, typographic quotes included.
    assert built.reader.metadata.title == smart_quotes(built.sheet.data["title"], "en")


def test_hostile_links_are_not_links_in_the_html(built: Built) -> None:
    hrefs = Html(built.html).attribute_values("href")
    assert [h for h in hrefs if not h.startswith(ALLOWED_SCHEMES)] == []
    assert hrefs.count("https://example.org/fine") == len(built.sheet.markdown)
    breakout = [h for h in hrefs if h.startswith("https://example.org/a")]
    assert breakout and all('"><script>' in h for h in breakout)


def test_hostile_links_are_not_links_in_the_pdf(built: Built) -> None:
    uris = built.uris()
    assert [u for u in uris if not u.startswith(("http://", "https://", "mailto:"))] == []
    assert "https://example.org/fine" in uris
    catalog = built.reader.trailer["/Root"]
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    assert "/JavaScript" not in catalog.get("/Names", {})
    assert built.reader.attachments == {}


def test_images_are_never_fetched_and_show_their_alt_text(built: Built, canary: Canary) -> None:
    assert canary.hits == []
    doc = Html(built.html)
    assert "img" not in doc.tags
    assert not [src for src in doc.attribute_values("src")]
    html_text, pdf_text = squeeze(doc.text()), built.pdf_text()
    for alt in IMAGES:
        assert alt in html_text and alt in pdf_text
        assert f"![{alt}]" not in html_text  # the alt text alone, not the raw Markdown
    for address in ("secret.svg", "/redirect", canary.url):
        assert address not in html_text
    assert SECRET not in pdf_text


def test_a_sentinel_outside_templates_never_reaches_the_pdf(built: Built) -> None:
    assert SECRET.encode() not in built.pdf
    assert b"root:" not in built.pdf


@pytest.mark.parametrize("field", ["title", "summary"])
def test_template_syntax_is_never_evaluated(field: str, tmp_path: Path) -> None:
    data = compact_rich_data()
    data[field] = "{{ 7*191 }} {% for x in range(3) %}x{% endfor %} {# c #} {{ config }}"
    html = render_html(make_sheet(data), "x", TEMPLATES).html
    assert squeeze(smart_quotes(data[field], "en")) in squeeze(Html(html).text())
    assert EVALUATED not in html and "xxx" not in html


#: Fields an email body shows: the head, the summary, key facts and challenge headlines.
EMAILED = ("title", "subtitle", "jurisdiction", "summary", "key_facts[0].label")


def test_markup_in_every_field_is_text_in_email_bodies(built: Built) -> None:
    delivery = {"sender": "desk@example.org", "lists": {"team": {"recipients": ["a@example.org"]}}}
    (built.root / "delivery.yaml").write_text(yaml.safe_dump(delivery), encoding="utf-8")
    process = cli("send", "hostile", "--to", "team", "--dry-run", cwd=built.root)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    [eml] = (built.root / "output" / "outbox").rglob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    plain = message.get_body(("plain",)).get_content()
    doc = Html(message.get_body(("html",)).get_content())
    assert not {"script", "iframe", "img", "object", "embed"} & set(doc.tags)
    assert not [a for _, attrs in doc.elements for a in attrs if a.startswith("on")]
    assert not [css for css in doc.styles if "#hostile" in css]
    html_text = squeeze(doc.text())
    for path in EMAILED:
        # The email sets the sheet's text with its language's quotes, as the briefing does.
        shown = squeeze(built.sheet.printed()[path])
        assert shown in html_text, path
        assert shown in squeeze(plain), path
    assert EVALUATED not in html_text and EVALUATED not in plain
