"""The Markdown recipe: case files plus the parts the case files cannot show."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file
from markupsafe import Markup

from generator.render.markdown import is_safe_link, make_markdown, plain_text, render_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "markdown"
NUMBERS = {"a": 1, "b": 2, "c": 3}
CASES = [
    pytest.param(source, expected, id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, source, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_case_file(source: str, expected: str) -> None:
    assert render_markdown(source, NUMBERS) == expected


def test_case_files_are_found() -> None:
    assert len(CASES) > 40


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_no_case_yields_an_unsafe_element_or_url(source: str, expected: str) -> None:
    parser = _Links()
    parser.feed(render_markdown(source, NUMBERS))
    assert not {"script", "img", "iframe", "style", "link"} & set(parser.tags)
    for url in parser.urls:
        scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
        assert scheme in ("", "http", "https", "mailto"), url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&amp;#106;avascript:alert(1)",
        "java%09script:alert(1)",
        "javascript%3Aalert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x",
    ],
)
def test_unsafe_links_are_refused(url: str) -> None:
    assert not is_safe_link(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c",
        "HTTP://EXAMPLE.ORG/",
        "mailto:desk@example.org",
        "#source-1",
        "annex/table.pdf",
        "../annex.pdf",
        "/javascript:alert(1)",
        "//example.org/x",
    ],
)
def test_allowed_links_pass(url: str) -> None:
    assert is_safe_link(url)


def test_render_returns_markup() -> None:
    assert isinstance(render_markdown("*x*", NUMBERS), Markup)


def test_inline_rendering_has_no_paragraph() -> None:
    assert render_markdown("*x* [@b]", NUMBERS, inline=True) == (
        '<em>x</em> <span class="cite">[<a href="#source-2">2</a>]</span>'
    )


def test_heading_level_is_chosen_by_the_caller() -> None:
    assert render_markdown("# A\n## B", NUMBERS, heading_level=3) == "<h3>A</h3>\n<h4>B</h4>\n"


def test_cited_ids_are_collected_in_env() -> None:
    env: dict[str, object] = {"source_numbers": NUMBERS}
    make_markdown().render("x [@b; @a]\n\n| t |\n|---|\n| [@c] |\n\n*[@zz]*", env)
    assert env["cited_ids"] == ["b", "a", "c", "zz"]


def test_parsers_share_no_state() -> None:
    first, second = make_markdown(), make_markdown()
    assert first is not second
    assert render_markdown("[@a]", {"a": 7}) != render_markdown("[@a]", {"a": 8})


def test_plain_text_drops_markup_and_citations() -> None:
    text = "# Heading\n\nSome *bold* text [@a]\nover `two` lines.\n\n- item <b>"
    assert plain_text(text) == "Heading Some bold text over two lines. item <b>"
