"""HTML rendering: the Jinja environment, the briefing document and the index page."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.errors import TemplateError
from generator.render.html import IndexEntry, render_html, render_index, render_index_page
from generator.render.templating import (
    long_date,
    make_environment,
    partial_date,
    recording_loader,
    sentence,
)
from generator.render.typography import smart_quotes
from generator.render.view import build_view
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data, rich_data

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "jinja": "{{ 7*7 }}",
    "include": "{% include 'x' %}",
    "js_link": "[x](javascript:alert(1))",
    "img": "<img src=x onerror=alert(1)>",
}


class Document(HTMLParser):
    """The parts of an HTML document the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.elements if "id" in attrs]

    def plain(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def rich_html() -> str:
    return render_html(make_sheet(rich_data()), "hk", TEMPLATES).html


@pytest.fixture()
def templates_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped templates, named ``templates`` like the real one."""
    return Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))


def test_document_is_one_self_contained_file(rich_html: str) -> None:
    doc = Document(rich_html)
    assert not doc.tags("script")
    assert not doc.tags("link")
    assert not doc.tags("img") and not doc.tags("iframe")
    assert not [attrs for _, attrs in doc.elements if "src" in attrs]
    assert "@import" not in rich_html
    # Every url() is an inlined font subset: a data: URL, inside the file.
    urls = re.findall(r"url\(([^)]*)\)", rich_html)
    assert urls and all(u.startswith("data:font/woff;base64,") for u in urls)
    assert rich_html.count("@font-face") == len(urls)
    # screen.css, print.css, html-print.css, "Page 2 of 6" in the language, the fonts,
    # the printed margins' words.
    assert [s.get("media") for s in doc.tags("style")] == [
        None,
        "print",
        "print",
        "print",
        None,
        "print",
    ]


def test_cjk_glyphs_are_inlined_only_when_the_sheet_has_cjk_text() -> None:
    data = minimal_data()
    plain = render_html(make_sheet(data), "x", TEMPLATES)
    assert 'font-family: "Brief Serif";' in plain.html
    assert "CJK" not in " ".join(plain.templates_used)
    assert 'font-family: "Brief Sans CJK"' not in plain.html
    data["title"] = "比亚迪 and 宁德时代"
    cjk = render_html(make_sheet(data), "x", TEMPLATES)
    assert "unicode-range: U+4E9A, U+4EE3, U+5B81, U+5FB7, U+65F6, U+6BD4, U+8FEA;" in cjk.html
    assert "static/fonts/cjk/NotoSansCJKsc-Regular.otf" in cjk.templates_used
    assert render_html(make_sheet(data), "x", TEMPLATES).html == cjk.html


def test_only_source_and_text_links_leave_the_document(rich_html: str) -> None:
    data = rich_data()
    allowed = {s["url"] for s in data["sources"] if "url" in s}
    hrefs = [attrs["href"] for attrs in Document(rich_html).tags("a")]
    external = {h for h in hrefs if not h.startswith("#")}
    assert external == allowed


def test_every_citation_link_resolves_to_a_unique_id(rich_html: str) -> None:
    doc = Document(rich_html)
    ids = doc.ids()
    assert len(ids) == len(set(ids))
    targets = [a["href"][1:] for a in doc.tags("a") if a["href"].startswith("#")]
    assert set(targets) <= set(ids)
    citations = {t for t in targets if re.fullmatch(r"source-\d+", t)}
    contents = {e.anchor for e in build_view(make_sheet(rich_data()), "hk").contents}
    view = build_view(make_sheet(rich_data()), "hk")
    cards = {c.anchor for group in view.challenge_groups for c in group.challenges}
    # Besides citations: the skip link, the contents, and the risk matrix's card links.
    assert citations and set(targets) - citations == {"content"} | contents | cards
    assert {f"source-{n}" for n in range(1, 13)} <= set(ids)


def test_head_language_viewport_title_and_metadata(rich_html: str) -> None:
    doc = Document(rich_html)
    assert doc.tags("html") == [{"lang": "en-GB"}]
    meta = [(m.get("name"), m.get("content")) for m in doc.tags("meta") if "name" in m]
    assert ("viewport", "width=device-width, initial-scale=1") in meta
    assert ("author", "Mei Ling Chan") in meta and ("dcterms.created", "2026-01-20") in meta
    assert "<title>Hong Kong courts mainland EV makers" in rich_html


def test_one_h1_and_ordered_headings(rich_html: str) -> None:
    doc = Document(rich_html)
    levels = [int(tag[1]) for tag, _ in doc.elements if re.fullmatch(r"h[1-6]", tag)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_sections_in_the_format_order(rich_html: str) -> None:
    order = ["summary", "initiative", "key-facts", "players", "timeline", "challenges"]
    order += ["section-1", "section-2", "sources"]
    ids = Document(rich_html).ids()
    assert [i for i in ids if i in order] == order


def test_key_facts_table_and_severity_as_text(rich_html: str) -> None:
    doc = Document(rich_html)
    assert any("facts-table" in t.get("class", "") for t in doc.tags("table"))
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', rich_html)
    assert headers[:4] == ["Fact", "Value", "Context", "Sources"]
    text = doc.plain()
    assert text.count("Severity: High") == 2 and text.count("Severity: Low") == 2
    assert "中国第一汽车集团 (一汽)" in text and "宁德时代" in text
    assert "DRAFT" in text


def test_empty_optional_sections_are_left_out() -> None:
    rendered = render_html(make_sheet(minimal_data()), "x", TEMPLATES)
    ids = Document(rendered.html).ids()
    assert "players" not in ids and "timeline" not in ids and "section-1" not in ids
    assert {"summary", "initiative", "key-facts", "challenges", "sources"} <= set(ids)
    assert "partials/brief/players.html" not in rendered.templates_used


def test_templates_used_lists_every_file_read() -> None:
    rendered = render_html(make_sheet(rich_data()), "hk", TEMPLATES, target="pdf")
    partials = [
        "brief/title_block",
        "brief/summary",
        "brief/initiative",
        "brief/key_facts",
        "brief/players",
        "brief/timeline",
        "brief/timeline_strip",
        "brief/challenges",
        "brief/risk_matrix",
        "brief/sections",
        "brief/contents",
        "common/sources",
        "common/page_start",
        "common/page_furniture",
        "common/masthead",
        "common/colophon",
        "common/print_page",
        "common/key_figures",
    ]
    expected = {"base.html", "brief.html", "static/screen.css", "static/print.css"}
    # The rich sheet prints CJK names: the CJK faces' stylesheet joins the PDF's.
    expected |= {"static/fonts.css", "static/fonts-cjk.css", "locale/en-GB.po"}
    expected |= {f"partials/{p}.html" for p in partials}
    assert set(rendered.templates_used) == expected
    assert list(rendered.templates_used) == sorted(rendered.templates_used)


def test_pdf_target_adds_fonts_by_relative_url_and_page_furniture() -> None:
    html = render_html(make_sheet(rich_data()), "hk", TEMPLATES, target="pdf").html
    fonts = re.findall(r"url\(([^)]*)\)", html)
    assert len(fonts) == 12  # 8 Latin and symbol faces, 4 CJK faces (CJK names)
    assert all(url.startswith("fonts/") for url in fonts)
    ids_and_classes = " ".join(attrs.get("class", "") for _, attrs in Document(html).elements)
    assert "running-head" in ids_and_classes and "running-status" in ids_and_classes
    assert "file:" not in html


def test_rendering_is_deterministic() -> None:
    sheet = make_sheet(rich_data())
    assert render_html(sheet, "hk", TEMPLATES).html == render_html(sheet, "hk", TEMPLATES).html


def hostile_sheet() -> dict:
    data = minimal_data()
    every = " ".join(HOSTILE.values())
    data["title"] = f"{HOSTILE['script']} {HOSTILE['jinja']}"
    data["subtitle"] = HOSTILE["include"]
    data["summary"] = f"{every} [@s1]"
    data["challenges"][0]["title"] = HOSTILE["img"]
    data["challenges"][0]["body"] = every
    data["key_facts"][0]["value"] = HOSTILE["jinja"]
    data["sources"][0]["title"] = HOSTILE["script"]
    return data


@pytest.mark.parametrize("target", ["html", "pdf"])
def test_hostile_text_is_printed_literally(target: str) -> None:
    html = render_html(make_sheet(hostile_sheet()), "x", TEMPLATES, target=target).html
    doc = Document(html)
    assert not doc.tags("script") and not doc.tags("img")
    assert all(not a["href"].lower().startswith("javascript") for a in doc.tags("a"))
    text = doc.plain()
    for value in HOSTILE.values():
        # Printed as text, with the typographic quotes every text gets.
        assert smart_quotes(value, "en") in text
    assert "49" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_autoescape_holds_for_any_template_name(templates_copy: Path) -> None:
    (templates_copy / "plain.html.j2").write_text(
        "{{ brief.title_block.title }}|{{ page.title }}", encoding="utf-8"
    )
    data = minimal_data()
    data["title"] = '<b>Q3 & "risk"</b>'
    html = render_html(make_sheet(data), "x", templates_copy, template="plain.html.j2").html
    escaped = "&lt;b&gt;Q3 &amp; “risk”&lt;/b&gt;"
    assert html == f"{escaped}|{escaped}"
    env = make_environment(templates_copy)
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"


def test_environment_is_strict_and_has_the_filters(templates_copy: Path) -> None:
    env = make_environment(templates_copy)
    assert env.auto_reload is False
    assert {"markdown", "markdown_inline", "cite", "long_date", "partial_date", "sentence"} <= set(
        env.filters
    )
    rendered = env.from_string("{{ t|markdown }}").render(t="**[@a]**", source_numbers={"a": 4})
    cite = '<span class="cite">[<a href="#source-4">4</a>]</span>'
    assert rendered == f"<p><strong>{cite}</strong></p>\n"
    assert env.from_string("{{ ids|cite }}").render(ids=[], source_numbers={}) == ""


def test_compiled_templates_are_reused_until_their_source_changes(
    templates_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (templates_copy / "part.html").write_text("one {{ x }}", encoding="utf-8")
    (templates_copy / "page.html").write_text('{% include "part.html" %}!', encoding="utf-8")
    compiled: list[str | None] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: Any = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    renders = []
    for _ in range(2):
        env = make_environment(templates_copy)
        renders.append(env.get_template("page.html").render(x="<b>"))
        # Each environment's loader still serves, and records, every file it uses.
        assert {"page.html", "part.html"} <= set(recording_loader(env).used)
    assert sorted(compiled) == ["page.html", "part.html"]  # by the first environment only
    (templates_copy / "part.html").write_text("two {{ x }}", encoding="utf-8")
    env = make_environment(templates_copy)
    renders.append(env.get_template("page.html").render(x="<b>"))
    assert sorted(compiled) == ["page.html", "part.html", "part.html"]
    assert renders == ["one &lt;b&gt;!", "one &lt;b&gt;!", "two &lt;b&gt;!"]
    # The plain-text output, which escapes nothing, does not share the HTML's code.
    text = make_environment(templates_copy, output="text").get_template("page.html")
    assert text.render(x="<b>") == "two <b>!"


def test_undefined_variable_names_the_template_file_and_line(templates_copy: Path) -> None:
    (templates_copy / "typo.html").write_text(
        "<p>\n{{ page.title }}\n{{ brief.sumary }}\n</p>\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError) as caught:
        render_html(make_sheet(minimal_data()), "x", templates_copy, template="typo")
    assert str(caught.value).startswith("templates/typo.html:3: ")
    assert "sumary" in str(caught.value)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.file, diagnostic.line) == ("templates/typo.html", 3)


def test_undefined_variable_in_a_partial_names_the_partial(templates_copy: Path) -> None:
    partial = templates_copy / "partials" / "brief" / "summary.html"
    partial.write_text(partial.read_text() + "{% for x in missing %}{% endfor %}\n")
    pattern = r"^templates/partials/brief/summary\.html:5: .*missing"
    with pytest.raises(TemplateError, match=pattern):
        render_html(make_sheet(minimal_data()), "x", templates_copy)


def test_syntax_error_names_the_template_file_and_line(templates_copy: Path) -> None:
    (templates_copy / "broken.html").write_text("ok\n{% for x in %}\n{% endfor %}\n")
    with pytest.raises(TemplateError, match=r"^templates/broken\.html:2: "):
        render_html(make_sheet(minimal_data()), "x", templates_copy, template="broken")


def test_unknown_template_is_a_template_error() -> None:
    data = minimal_data()
    data["template"] = "nosuch"
    with pytest.raises(TemplateError, match=r"^templates/nosuch\.html: template 'nosuch\.html'"):
        render_html(make_sheet(data), "x", TEMPLATES)


def test_missing_stylesheet_is_a_template_error(templates_copy: Path) -> None:
    (templates_copy / "static" / "print.css").unlink()
    with pytest.raises(TemplateError, match=r"static/print\.css"):
        render_html(make_sheet(minimal_data()), "x", templates_copy)


def test_stylesheet_cannot_close_its_style_element(templates_copy: Path) -> None:
    (templates_copy / "static" / "screen.css").write_text("p{}</style><script>x()</script>")
    with pytest.raises(TemplateError, match=r"^templates/static/screen\.css:1: "):
        render_html(make_sheet(minimal_data()), "x", templates_copy)


def test_date_filters_write_the_locale_s_dates_never_the_host_s() -> None:
    assert long_date(dt.date(2026, 1, 5), "en_GB") == "5 January 2026"
    assert long_date(dt.date(2026, 1, 5)) == "January 5, 2026"
    assert partial_date("2024", "en_GB") == "2024"
    assert partial_date("2024-03", "en_GB") == "March 2024"
    assert partial_date("2024-03-09", "en_GB") == "9 March 2024"
    assert partial_date("2024-03-09", "de") == "9. März 2024"
    assert sentence("Report") == "Report."
    assert sentence("Assembly, not manufacturing?") == "Assembly, not manufacturing?"


def index_entries() -> list[IndexEntry]:
    return [
        IndexEntry(
            "hk-ev",
            "Hong Kong <EV> assembly",
            "Hong Kong SAR, China",
            "talks",
            "draft",
            dt.date(2026, 1, 20),
            "hk-ev.html",
            "hk-ev.pdf",
        ),
        IndexEntry(
            "hu-catl",
            "Debrecen battery plant",
            "Hungary",
            "under_construction",
            "final",
            dt.date(2025, 12, 1),
            "javascript:alert(1)",
            None,
        ),
    ]


def test_index_lists_every_briefing_and_links_both_formats() -> None:
    html = render_index(index_entries(), TEMPLATES)
    doc = Document(html)
    text = doc.plain()
    assert "Hong Kong <EV> assembly" in text and "&lt;EV&gt;" in html
    # Entries of the default language, US English: the index speaks it.
    for expected in ("Hong Kong SAR, China", "In talks", "Draft", "January 20, 2026"):
        assert expected in text
    for expected in ("Hungary", "Under construction", "Final", "December 1, 2025"):
        assert expected in text
    hrefs = [a["href"] for a in doc.tags("a")]
    assert hrefs == ["hk-ev.html", "hk-ev.html", "hk-ev.pdf"]
    # One script, the tracker's own, inline (no src) and allowed by its hash alone.
    assert doc.tags("script") == [{}] and not doc.tags("link")
    assert len(doc.tags("h1")) == 1
    code = html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    policy = next(m["content"] for m in doc.tags("meta") if m.get("http-equiv"))
    assert policy.endswith(f"script-src 'sha256-{digest}'") and "default-src 'none'" in policy


def test_index_prints_each_title_with_its_languages_quotes() -> None:
    entry = IndexEntry(
        "acc",
        'La gigafactory d\'ACC, "premier site"',
        "Côte d'Opale, France",
        "operating",
        "draft",
        dt.date(2025, 6, 30),
        "acc.html",
        "acc.pdf",
        language="fr",
        sites=({"name": "Zone d'activités de Douvrin", "lat": 50.51, "lon": 2.83},),
    )
    html = render_index_page([entry], TEMPLATES).html
    text = Document(html).plain()
    assert "La gigafactory d’ACC, «\u202fpremier site\u202f»" in html
    assert "Côte d’Opale, France" in text and "Zone d’activités de Douvrin" in text
    # Nowhere as typed: not in the table, the counts, the filters, the map or its text.
    for typed in ("d'ACC", "d'Opale", "d'activités"):
        assert typed not in html and typed not in text


def test_index_without_entries() -> None:
    assert "No briefings" in Document(render_index([], TEMPLATES)).plain()


def test_contents_entries_name_the_headings_of_the_sections_they_link(rich_html: str) -> None:
    for entry in build_view(make_sheet(rich_data()), "hk").contents:
        section = re.search(
            rf'<section class="[^"]*" id="{entry.anchor}">\s*<h2>([^<]*)</h2>', rich_html
        )
        assert section and section.group(1) == entry.heading, entry


def test_skip_link_comes_first_and_targets_main(rich_html: str) -> None:
    doc = Document(rich_html)
    first_link = doc.tags("a")[0]
    assert first_link == {"class": "skip-link", "href": "#content"}
    assert {"class": "brief", "id": "content"} in doc.tags("main")
    assert doc.tags("nav") == [{"class": "contents", "aria-labelledby": "contents-heading"}]


def test_pdf_target_has_no_skip_link() -> None:
    html = render_html(make_sheet(rich_data()), "hk", TEMPLATES, target="pdf").html
    assert "skip-link" not in "".join(str(a) for a in Document(html).tags("a"))


def test_onepager_uses_its_own_partials_and_stylesheet_and_declares_one_page() -> None:
    rendered = render_html(make_sheet(rich_data()), "hk", TEMPLATES, template="onepager")
    assert rendered.page_limit == 1
    assert "static/onepager.css" in rendered.templates_used
    assert "partials/onepager/leading_facts.html" in rendered.templates_used
    assert "partials/common/sources.html" in rendered.templates_used
    doc = Document(rendered.html)
    levels = [int(tag[1]) for tag, _ in doc.elements if re.fullmatch(r"h[1-6]", tag)]
    assert levels == [1, 2, 2, 2, 2]
    assert ".headline-challenges" in rendered.html
    assert "Severity: High" in doc.plain()


def test_brief_template_sets_no_page_limit(rich_html: str) -> None:
    assert render_html(make_sheet(rich_data()), "hk", TEMPLATES).page_limit is None


@pytest.mark.parametrize("value", ["0", "'one'", "true"])
def test_a_bad_page_limit_is_a_template_error(templates_copy: Path, value: str) -> None:
    (templates_copy / "limited.html").write_text(
        '{% extends "base.html" %}{% set page_limit = ' + value + " %}"
    )
    with pytest.raises(TemplateError, match="page_limit must be a positive integer"):
        render_html(make_sheet(minimal_data()), "x", templates_copy, template="limited")


def test_a_stylesheet_that_could_close_its_element_is_refused(templates_copy: Path) -> None:
    (templates_copy / "static" / "onepager.css").write_text("p {} </style><script>")
    with pytest.raises(TemplateError, match="not allowed in a stylesheet"):
        render_html(make_sheet(minimal_data()), "x", templates_copy, template="onepager")


@pytest.mark.parametrize("target", ["html", "pdf"])
def test_font_placeholder_in_sheet_text_is_printed_as_text(target: str) -> None:
    """The page is rendered once, its font style filled into a placeholder after: a fact
    sheet that writes the placeholder gets it printed, escaped, never replaced."""
    from generator.render.html import FONTS_PLACEHOLDER

    data = minimal_data()
    data["title"] = f"Before {FONTS_PLACEHOLDER} after"
    html = render_html(make_sheet(data), "x", TEMPLATES, target=target).html
    assert str(FONTS_PLACEHOLDER) not in html
    assert "/*&lt;brief-fonts&gt;*/" in html
    text = Document(html).plain()
    assert "/*<brief-fonts>*/" in text and "@font-face" not in text
    if target == "html":
        assert "@font-face" in html  # the subsets, in the placeholder's place
