"""Render a fact sheet to an HTML briefing, and the briefings to an index page.

The Jinja environment is the project's one recipe
(:func:`generator.render.templating.make_environment`): autoescape on for every template
whatever its file name, undefined names are errors, every filter registered. Fact-sheet
text is only ever a value printed by a template, never a template source.

Two targets share one document. ``html`` is a single self-contained file: the
stylesheets are inlined, nothing is fetched, and the PDF's fonts are inlined as subsets
of what the page prints (:mod:`generator.render.fonts_css`).
``pdf`` adds the page furniture (running head, page numbers, status marking) and
``@font-face`` rules whose relative URLs the PDF stage resolves against
``templates/static/`` and serves from the bundled fonts (the CJK faces only for a page
that prints CJK text).

The loader records every template file a render reads (the page template, what it
extends, includes and imports, and the stylesheets), so the build can tell which
brief depends on which template file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from generator.factsheet import FactSheet
from generator.render.branding import brand_css, brand_view
from generator.render.fonts_css import font_css
from generator.render.graphic_style import graphic_colours, graphic_font
from generator.render.i18n import Language, language_for, page_label_css
from generator.render.labels import STAGE_LABELS, STATUS_LABELS
from generator.render.last_lines import keep_last_lines
from generator.render.markdown import is_safe_link
from generator.render.marking import MARKING_CSS, Banner
from generator.render.metadata import MetaTag, index_meta
from generator.render.script_marks import mark_languages, stated_names
from generator.render.templating import (
    make_environment,
    recording_loader,
    stylesheet_text,
    template_errors,
)
from generator.render.typography import smart_quotes, typeset
from generator.render.view import build_view

Target = Literal["html", "pdf"]

#: The widest heading, in character widths (a wide CJK character counts two), that fits
#: on one line of a contents column with its leader and page number, whatever the letters:
#: 24 of the widest Latin letters or 12 ideographs at 8.5 pt fill some 210 pt of the 227.
CONTENTS_LINE = 24
#: The stylesheet of the key-figures panel and the charts, for a briefing that has them.
FIGURES_CSS = "figures.css"
#: Where the font style goes, until the characters the page prints are known. Its ``<``
#: cannot come from a fact sheet, whose text is always escaped (``&lt;``).
FONTS_PLACEHOLDER = Markup("/*<brief-fonts>*/")
#: The portfolio tracker's stylesheet and its sorting and filtering script (index page).
TRACKER_CSS = "tracker.css"
TRACKER_JS = "tracker.js"
#: Stylesheets under ``templates/static/`` per target, in cascade order, with their media.
STYLESHEETS: Mapping[str, tuple[tuple[str, str | None], ...]] = {
    "html": (("screen.css", None), ("print.css", "print"), ("html-print.css", "print")),
    "pdf": (("screen.css", None), ("print.css", None), ("fonts.css", None)),
}


@dataclass(frozen=True)
class RenderedHtml:
    """An HTML document and the template files (relative to ``templates/``) it used.

    ``page_limit`` is the most pages the template's printed form may fill, as the page
    template declares it with ``{% set page_limit = 1 %}``; None when it sets no limit.
    ``images`` are the ``data:`` URIs the document shows (the brand's logo), the only
    ones the PDF stage may serve.
    """

    html: str
    templates_used: tuple[str, ...]
    page_limit: int | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexEntry:
    """One briefing as listed on the index page; hrefs are relative to the index."""

    brief_id: str
    title: str
    jurisdiction: str
    stage: str
    status: str
    as_of: dt.date
    html_href: str | None
    pdf_href: str | None
    #: The editions of a sheet with internal content (then both hrefs above are None).
    editions: tuple[EditionLinks, ...] = ()
    #: The sheet's ``language``: the index speaks the language its briefings share.
    language: str = "en"
    #: The tracker's facts: the announced ``{amount, currency}`` (None: none given) and
    #: the sites (``{name, lat, lon}``), as the build state records them.
    investment: Mapping[str, str] | None = None
    sites: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class EditionLinks:
    """The files of one edition (``internal``, ``external``) of a briefing."""

    edition: str
    html_href: str | None
    pdf_href: str | None

    @property
    def label(self) -> str:
        """How the index names the edition."""
        return self.edition.capitalize()


@dataclass(frozen=True)
class IndexRow:
    """An index entry with its labels worked out and its links checked; a briefing with
    two editions is linked by its external HTML, the one safe to pass on."""

    entry: IndexEntry
    stage: str
    status: str
    html_href: str | None
    pdf_href: str | None
    editions: tuple[EditionLinks, ...] = ()


@dataclass(frozen=True)
class StyleBlock:
    """The text of one stylesheet, inlined in a ``<style>`` element."""

    media: str | None
    css: Markup


@dataclass(frozen=True)
class PageHead:
    """What the base template needs for ``<html>`` and ``<head>``."""

    lang: str
    title: str
    target: Target
    meta: tuple[MetaTag, ...]
    styles: tuple[StyleBlock, ...]
    #: The marking and edition printed at the top and bottom (None: nothing printed).
    banner: Banner | None = None


def render_html(
    sheet: FactSheet,
    brief_id: str,
    templates_dir: Path,
    *,
    target: Target = "html",
    template: str | None = None,
    brand: object = None,
    banner: Banner | None = None,
) -> RenderedHtml:
    """Render ``sheet`` with ``templates/<template>.html`` (default: the sheet's own), in
    the house style ``brand`` (``generator.config``'s ``Brand``; None: no brand.yaml).

    ``banner`` is the marking and edition every page shows (:mod:`generator.render.marking`).
    Raises :class:`TemplateError` naming the template file and line when a template is
    missing, does not parse or uses an undefined name.
    """
    language = language_for(sheet.language, templates_dir)
    env = make_environment(templates_dir, language=language)
    sheet = typeset(sheet)
    view = build_view(sheet, brief_id, brand, banner, language)
    name = template_file_name(template or sheet.template)
    with template_errors(templates_dir, name):
        styles = _styles(env, target) + _page_label(language, target)
        if target == "pdf":
            styles += contents_grid(len(view.contents), [e.heading for e in view.contents])
        meta = view.meta
        shown = banner if banner is not None and banner.shown else None
        if banner is not None:
            meta += tuple(MetaTag(name, content) for name, content in banner.meta)
        if shown is not None:
            styles += (StyleBlock(None, stylesheet_text(env, MARKING_CSS)),)
        if view.key_figures or view.charts:
            styles += (StyleBlock(None, stylesheet_text(env, FIGURES_CSS)),)
        styles += _brand_styles(brand, target)
        page = PageHead(sheet.language, sheet.title, target, meta, styles, shown)
        drawings = _chart_drawings(view, templates_dir, target)
        # The fonts follow from what the page prints (generator/render/fonts_css.py): the
        # page is rendered once with a placeholder for their style, filled in after.
        page = replace(page, styles=(*page.styles, StyleBlock(None, FONTS_PLACEHOLDER)))
        html, limit = _render_page(env, name, page, view, drawings)
        printed = html.replace(FONTS_PLACEHOLDER, "")
        html = html.replace(FONTS_PLACEHOLDER, font_css(env, templates_dir, printed, target))
    html = mark_languages(html, sheet.language, sheet.jurisdiction, stated_names(sheet))
    if target == "html":
        # The PDF keeps the rule at WeasyPrint's line breaker (render/last_line_breaks.py).
        html = keep_last_lines(html, templates_dir / "static" / "fonts", sheet.language)
    images = (view.brand.logo_uri,) if view.brand.logo_uri else ()
    images += tuple(d.uri for d in drawings.values() if d.uri)
    return RenderedHtml(html, recording_loader(env).used, limit, images)


def _render_page(
    env: jinja2.Environment, name: str, page: PageHead, view: Any, drawings: dict[str, Any]
) -> tuple[str, int | None]:
    """The page template ``name`` rendered for ``page`` and ``view``, and its page limit."""
    context = {"page": page, "brief": view, "brand": view.brand, "chart_svg": drawings}
    try:
        module = env.get_template(name).make_module(
            {**context, "source_numbers": view.source_numbers}
        )
    except Exception:
        # What Template.render does: rewrite the traceback to template files and lines.
        env.handle_exception()
    return str(module), _page_limit(module)


def _chart_drawings(view: Any, templates_dir: Path, target: Target) -> dict[str, Any]:
    """The charts' SVG by chart id; a sheet without charts never loads the chart module."""
    if not view.charts:
        return {}
    from generator.render.charts import draw_charts

    return draw_charts(view.charts, templates_dir, view.brand.palette, target)


def render_index(entries: Sequence[IndexEntry], templates_dir: Path, brand: object = None) -> str:
    """Render ``index.html``: the portfolio tracker of the briefings, linking both formats."""
    return render_index_page(entries, templates_dir, brand).html


def render_index_page(
    entries: Sequence[IndexEntry],
    templates_dir: Path,
    brand: object = None,
    fx: Mapping[str, Any] | None = None,
    *,
    target: Target = "html",
) -> RenderedHtml:
    """The portfolio tracker (``index.html``, or for ``pdf`` the document ``portfolio.pdf``
    is printed from), with the template files it used, in the house style ``brand``;
    ``fx`` is ``portfolio.yaml``'s rates as ``config.load_portfolio`` gives them.

    The index speaks the language every briefing it lists is written in (en-GB for a
    shelf of British briefings), and English when they differ or there are none. The
    HTML's sorting and filtering script is ``static/tracker.js``, inlined and allowed by
    its hash alone (the page's Content-Security-Policy)."""
    from generator.render.portfolio_page import tracker_drawings, tracker_script
    from generator.render.portfolio_view import tracker_view

    entries = [_typeset_entry(entry) for entry in entries]
    tags = {entry.language for entry in entries}
    language = language_for(tags.pop() if len(tags) == 1 else "en", templates_dir)
    env = make_environment(templates_dir, language=language)
    rows = [_index_row(entry, language) for entry in entries]
    shown = brand_view(brand)
    colours, font = graphic_colours(shown.palette), graphic_font(shown.heading_font)
    tracker = tracker_view(rows, language, fx, colours, font)
    with template_errors(templates_dir, "index.html"):
        styles = _styles(env, target) + _page_label(language, target)
        styles += (StyleBlock(None, stylesheet_text(env, FIGURES_CSS)),)
        styles += (StyleBlock(None, stylesheet_text(env, TRACKER_CSS)),)
        styles += _brand_styles(brand, target)
        title = language.gettext("Portfolio tracker")
        page = PageHead(language.tag, title, target, index_meta(), styles)
        context = {"rows": rows, "brand": shown, "tracker": tracker}
        context["chart_svg"] = tracker_drawings(tracker, templates_dir, shown, target)
        context["script"] = tracker_script(env, TRACKER_JS) if target == "html" else None
        html = env.get_template("index.html").render(page=page, **context)
        fonts = font_css(env, templates_dir, html, target)
        if fonts:
            page = replace(page, styles=(*page.styles, StyleBlock(None, fonts)))
            html = env.get_template("index.html").render(page=page, **context)
    images = (shown.logo_uri,) if shown.logo_uri else ()
    images += tuple(d.uri for d in context["chart_svg"].values() if d.uri)
    return RenderedHtml(mark_languages(html, "en"), recording_loader(env).used, None, images)


def _typeset_entry(entry: IndexEntry) -> IndexEntry:
    """``entry`` with its title, jurisdiction and site names in its language's quotes and
    apostrophes, as its briefing prints them ("d’ACC"); the build state keeps them as
    typed, as the sheet does."""

    def quoted(text: str) -> str:
        return smart_quotes(text, entry.language)

    sites = tuple(
        {**site, "name": quoted(site["name"])} if isinstance(site.get("name"), str) else site
        for site in entry.sites
    )
    return replace(
        entry, title=quoted(entry.title), jurisdiction=quoted(entry.jurisdiction), sites=sites
    )


def _index_row(entry: IndexEntry, language: Language) -> IndexRow:
    editions = tuple(
        EditionLinks(e.edition, _safe_href(e.html_href), _safe_href(e.pdf_href))
        for e in entry.editions
    )
    external = next((e.html_href for e in editions if e.edition == "external"), None)
    return IndexRow(
        entry=entry,
        stage=language.gettext(STAGE_LABELS.get(entry.stage, entry.stage)),
        status=language.gettext(STATUS_LABELS.get(entry.status, entry.status)),
        html_href=_safe_href(entry.html_href) or external,
        pdf_href=_safe_href(entry.pdf_href),
        editions=editions,
    )


def template_file_name(template: str) -> str:
    """``brief`` -> ``brief.html``; a name that already has a suffix is kept."""
    return template if "." in template else f"{template}.html"


def _page_limit(module: Any) -> int | None:
    """The ``page_limit`` a page template exports, checked to be a positive integer."""
    limit = getattr(module, "page_limit", None)
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise jinja2.TemplateRuntimeError(f"page_limit must be a positive integer, not {limit!r}")
    return limit


def _safe_href(href: str | None) -> str | None:
    return href if href and is_safe_link(href) else None


def contents_grid(count: int, headings: Sequence[str]) -> tuple[StyleBlock, ...]:
    """The PDF's contents list as a grid filled column by column, when that looks the same.

    ``print.css`` sets the list in two balanced columns, which WeasyPrint balances by laying
    the list out again and again (a quarter of a small briefing's layout time, more as the
    contents are laid out twice for their page numbers). When every entry is one line, the
    balanced columns hold ``ceil(count / 2)`` entries and then the rest, which a grid of
    that many rows, filled column by column, lays out at once, to the same pixels
    (``bench/pixels.py``). A longer heading could wrap and be balanced otherwise: then the
    columns stay. At a column break the entry's bottom margin is dropped; in the grid the
    last entry of the first column of an odd count has none, for the same height. The
    tracks' minimum is 0, not their content's, so no entry is measured for it: the entries
    fit (that is the condition) and the halves are equal either way.
    """
    widest = max((sum(_width(c) for c in h) for h in headings), default=CONTENTS_LINE + 1)
    if count < 2 or widest > CONTENTS_LINE:
        return ()
    rows = -(-count // 2)
    css = (
        ".contents-list { columns: auto; display: grid;"
        " grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);"
        f" grid-auto-flow: column; grid-template-rows: repeat({rows}, auto); }}\n"
    )
    if count % 2:
        css += f".contents-list li:nth-child({rows}) {{ margin-bottom: 0; }}\n"
    return (StyleBlock(None, Markup(css)),)


def _width(char: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _styles(env: jinja2.Environment, target: Target) -> tuple[StyleBlock, ...]:
    """The stylesheets of ``target``, read through the loader so they are recorded."""
    return tuple(
        StyleBlock(media, stylesheet_text(env, name)) for name, media in STYLESHEETS[target]
    )


def _page_label(language: Language, target: Target) -> tuple[StyleBlock, ...]:
    """ "Page 2 of 6" in the language, after print.css (whose English rule it overrides)."""
    return (StyleBlock("print" if target == "html" else None, Markup(page_label_css(language))),)


def _brand_styles(brand: object, target: Target) -> tuple[StyleBlock, ...]:
    """The brand's palette and fonts, after every stylesheet; none for today's look."""
    css = brand_css(brand, target)
    # Markup: made of checked hex colours and the fixed font stacks only.
    return (StyleBlock(None, Markup(css)),) if css else ()
