"""Property tests: whatever comes in, a briefing or a reported error comes out.

Three inputs are generated: YAML-ish documents built from the pieces YAML trips over,
near-valid fact sheets with mutated values, and random Unicode Markdown. Allowed
outcomes are a rendered briefing or a :class:`GeneratorError` with diagnostics; any
other exception fails the test, and so does any element or attribute in the output that
input text could have smuggled in (the HTML is parsed and checked against what the
templates and the Markdown recipe produce by themselves).

The number of examples comes from the Hypothesis profile (tests/conftest.py): a few
seconds' worth in ``make test``, many more in ``make fuzz``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.errors import FactSheetError, GeneratorError
from generator.factsheet import rules
from generator.factsheet.loader import load_bytes
from generator.render.html import render_html
from generator.render.markdown import is_safe_link, plain_text, render_markdown
from generator.render.webfont import CJK_START
from tests.security.hostile import CONSTRAINED, Html, compact_rich_data, leaves, pattern_of
from tests.support.render_samples import TEMPLATES, make_sheet

pytestmark = pytest.mark.fuzz

SHOWN = "briefs/x.yaml"
TODAY = dt.date(2026, 2, 1)
#: Elements and attributes the Markdown recipe produces by itself.
MARKDOWN_TAGS = frozenset(
    [
        "p",
        "em",
        "strong",
        "a",
        "code",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
    ]
)
MARKDOWN_ATTRIBUTES = frozenset({"href", "title", "class", "start", "style"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
#: Pieces YAML and Markdown trip over.
YAML_WORDS = [
    "yes",
    "no",
    "on",
    "off",
    "NO",
    "~",
    "null",
    "true",
    "1e3",
    "012345",
    "12:30",
    ".inf",
    ".nan",
    "2026-13-45",
    "2026-01-20T10:00",
    "&a",
    "*a",
    "<<",
    "!!python/object:os.system",
    "!x",
    "? ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "|",
    ">",
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "\\",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
]
MARKDOWN_WORDS = [
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "*",
    "_",
    "`",
    "```",
    "#",
    "|",
    "-",
    "@",
    ";",
    "&",
    ":",
    "\n",
    "\n\n",
    "    ",
    "[@a]",
    "[@a; @b]",
    "[@zz]",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "&#106;avascript:",
    "java\tscript:",
    "vbscript:",
    "data:text/html,x",
    "file:///etc/passwd",
    "http://127.0.0.1/x.png",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<style>",
    "<iframe>",
    "<!--",
    "-->",
    "<div>",
    "{{ 7*191 }}",
    "{% include 'x' %}",
    "&lt;",
    "&amp;",
    "\\",
    "1.",
    "> ",
    "---",
    "| a | b |\n| - | - |\n",
    "<http://x.org>",
    "[r]: javascript:x\n",
    "\u202e",
    "汽",
]


def markdown_text(*, cjk: bool = True) -> st.SearchStrategy[str]:
    """Random Unicode mixed with the pieces Markdown and HTML are made of.

    Without ``cjk``, characters stop below the CJK blocks: a whole briefing with CJK text
    inlines a subset of the CJK font, a tenth of a second per render that tests nothing
    here (the Markdown property keeps them).
    """
    characters = st.characters() if cjk else st.characters(max_codepoint=CJK_START - 1)
    piece = st.one_of(st.sampled_from(MARKDOWN_WORDS), st.text(characters, max_size=8))
    return st.lists(piece, max_size=30).map("".join)


def check_markup(html: str, allowed_tags: frozenset[str]) -> Html:
    """Parse ``html`` and fail on anything input text could have turned into markup."""
    doc = Html(html)
    assert set(doc.tags) <= allowed_tags, set(doc.tags) - allowed_tags
    for _, attrs in doc.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            if name in ("href", "src"):
                assert is_safe_link(value), value
                assert not value.strip().lower().startswith(BAD_SCHEMES), value
    return doc


@given(markdown_text(), st.booleans())
def test_random_markdown_renders_to_allowed_markup_only(text: str, inline: bool) -> None:
    html = render_markdown(text, {"a": 1, "b": 2}, inline=inline)
    doc = check_markup(str(html), MARKDOWN_TAGS)
    assert {name for _, attrs in doc.elements for name in attrs} <= MARKDOWN_ATTRIBUTES
    for _, attrs in doc.elements:
        assert set(attrs.get("style", "").split(":")[:1]) <= {"", "text-align"}
    plain_text(text)


def yaml_like() -> st.SearchStrategy[str]:
    """Lines of YAML-ish text: indentation, keys, dashes and troublesome words."""
    word = st.one_of(st.sampled_from(YAML_WORDS), st.text(max_size=6))
    line = st.tuples(
        st.sampled_from(["", "  ", "    ", "- ", "  - "]),
        st.sampled_from(["title: ", "summary: ", "sources:", "key_facts:", "x: ", ""]),
        st.lists(word, max_size=5).map("".join),
    ).map("".join)
    return st.lists(line, max_size=12).map("\n".join)


def check_outcome(data: bytes) -> None:
    """Load, check and render ``data``: a briefing, or a reported error, nothing else."""
    try:
        loaded = load_bytes(data, SHOWN, "x")
    except FactSheetError as exc:
        event("reported at loading")
        assert exc.diagnostics
        assert all(d.file == SHOWN for d in exc.diagnostics)
        return
    findings = rules.check(loaded, TODAY)
    assert all(d.file == SHOWN for d in findings)
    try:
        html = render_html(loaded.sheet, "x", TEMPLATES).html
    except GeneratorError as exc:
        event("reported at rendering")
        assert str(exc)
        return
    event("rendered")
    check_markup(html, template_tags() | MARKDOWN_TAGS)


@functools.cache
def template_tags() -> frozenset[str]:
    """The elements the templates produce for a sheet that uses every section."""
    return frozenset(Html(render_html(make_sheet(base_sheet()), "x", TEMPLATES).html).tags)


def base_sheet() -> dict[str, Any]:
    """The sample every sheet property starts from, its CJK name replaced (see
    :func:`markdown_text`)."""
    data = compact_rich_data()
    data["players"][0]["local_name"] = "Local name"
    return data


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like())
def test_yaml_like_documents_load_or_are_reported(text: str) -> None:
    check_outcome(text.encode("utf-8"))


def values() -> st.SearchStrategy[Any]:
    """Values a careless or hostile hand might put anywhere in a fact sheet."""
    scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        markdown_text(cjk=False),
        st.sampled_from(YAML_WORDS),
        st.integers(1000, 6000).map(lambda n: "x" * n),
    )
    return st.recursive(
        scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.text(alphabet="abxyz_", max_size=5), inner, max_size=3),
        ),
        max_leaves=6,
    )


def mutate(data: dict[str, Any], path: str, value: Any, action: str) -> None:
    """Replace, delete or add a sibling of the value at ``path`` in ``data``."""
    dotted = path.replace("[", ".").replace("]", "")
    parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    node = data
    for part in parts[:-1]:
        node = node[part]
    last = parts[-1]
    if action == "replace":
        node[last] = value
    elif action == "delete":
        del node[last]
    elif isinstance(node, dict):
        node[f"{last}_extra"] = value
    else:
        node.append(value)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0),
            values(),
            st.sampled_from(["replace", "replace", "delete", "add"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_near_valid_sheets_render_or_are_reported(edits: list[tuple[int, Any, str]]) -> None:
    data = base_sheet()
    for index, value, action in edits:
        paths = [p for p, _ in leaves(data)]
        if not paths:
            break
        mutate(data, paths[index % len(paths)], value, action)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    check_outcome(text.encode("utf-8"))


@functools.cache
def free_text_paths() -> tuple[str, ...]:
    """The paths of the sample's free-text and Markdown values."""
    return tuple(
        p
        for p, v in leaves(base_sheet())
        if isinstance(v, str) and not CONSTRAINED.match(pattern_of(p))
    )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(min_value=0), markdown_text(cjk=False)), min_size=1, max_size=6)
)
def test_random_text_in_any_field_renders_safely(edits: list[tuple[int, str]]) -> None:
    data = base_sheet()
    paths = free_text_paths()
    for index, text in edits:
        path = paths[index % len(paths)]
        # A URL must start like one to get past validation and into the page.
        value = f"https://{''.join(text.split())}" if path.endswith(".url") else text or "x"
        mutate(data, path, value, "replace")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    check_outcome(text.encode("utf-8"))
