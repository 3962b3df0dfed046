"""The stylesheet syntax check: each kind of mistake found at its line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import TemplateError
from generator.render.html import render_html
from generator.render.stylesheets import CssProblem, check_css
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data

DECLARATION = "a declaration is not of the form 'property: value'"


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("p {\n  color red;\n}\n", [(2, 9, DECLARATION)]),
        ("@media print {\n  q { x y }\n}", [(2, 9, DECLARATION)]),
        ("@page {\n  @top-left { content: 'x' }\n  margin 3mm;\n}", [(3, 10, DECLARATION)]),
        ("p {\n  color: red;\n", [(1, 3, "a '{' is never closed")]),
        ("p { color: red; }\n}\n", [(2, 2, "a rule without its { } block")]),
        ('p { content: "abc\n}', [(1, 14, "a string is not closed on its line")]),
        ("p { background: url(a b) }", [(1, 17, "a url( ) is malformed")]),
        ("a { b: c; }\n/* note", [(2, 1, "a comment is never closed")]),
    ],
)
def test_syntax_errors_are_found_where_they_are(
    css: str, expected: list[tuple[int, int, str]]
) -> None:
    assert check_css(css) == [CssProblem(*problem) for problem in expected]


@pytest.mark.parametrize(
    "css",
    [
        'p::after { content: "{ /* not a comment */" }',
        "@page { size: A4; @top-left { content: counter(page) } }",
        "@media print { h2 { break-after: avoid } }",
        "p { unknown-property: 3; color: not-a-colour }",
    ],
)
def test_valid_syntax_passes_whatever_the_values(css: str) -> None:
    assert check_css(css) == []


def test_the_shipped_stylesheets_are_clean() -> None:
    for path in sorted((TEMPLATES / "static").glob("*.css")):
        assert check_css(path.read_text(encoding="utf-8")) == [], path.name


def test_a_broken_stylesheet_fails_the_render_naming_file_line_and_column(
    tmp_path: Path,
) -> None:
    templates = Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))
    css = templates / "static" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 {\n  color red;\n}\n", "utf-8")
    line = css.read_text(encoding="utf-8").count("\n") - 1
    with pytest.raises(TemplateError) as caught:
        render_html(make_sheet(minimal_data()), "x", templates, target="pdf")
    assert str(caught.value) == (
        f"templates/static/print.css:{line}:9: CSS syntax error: {DECLARATION}"
    )
