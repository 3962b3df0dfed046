"""Words printed through CSS: quoted strings that cannot end early, page-number labels."""

from __future__ import annotations

import tinycss2

from generator.render.css_text import css_string, page_counter


def _content(value: str) -> list[tuple[str, str]]:
    """The tokens a CSS parser reads in ``content: <value>``: (type, value) pairs."""
    (rule,) = tinycss2.parse_stylesheet(f"x {{ content: {value}; }}")
    (declaration,) = tinycss2.parse_declaration_list(rule.content, skip_whitespace=True)
    return [
        (token.type, token.value if token.type == "string" else token.serialize())
        for token in declaration.value
        if token.type != "whitespace"
    ]


def test_any_text_reads_back_as_one_string() -> None:
    for text in ['a "quoted" \\ word', "</style><b>x</b>", "line\nbreak", "直通 · 2026", "é9"]:
        assert _content(css_string(text)) == [("string", text)]


def test_a_string_holds_only_letters_digits_spaces_and_escapes() -> None:
    assert css_string('</style> "x"') == '"\\3c \\2f style\\3e  \\22 x\\22 "'


def test_a_page_label_becomes_strings_and_counters_in_its_order() -> None:
    assert _content(page_counter("Page {page} of {pages}")) == [
        ("string", "Page "),
        ("function", "counter(page)"),
        ("string", " of "),
        ("function", "counter(pages)"),
    ]
    # A translation may put the total first, or end with a word.
    assert _content(page_counter("{pages}쪽 중 {page}쪽")) == [
        ("function", "counter(pages)"),
        ("string", "쪽 중 "),
        ("function", "counter(page)"),
        ("string", "쪽"),
    ]


def test_a_label_without_counters_is_just_its_words() -> None:
    assert _content(page_counter("{page}")) == [("function", "counter(page)")]
    assert _content(page_counter("Seite")) == [("string", "Seite")]
    assert page_counter("") == '""'
