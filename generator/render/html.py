"""Render a fact sheet to an HTML briefing, and the briefings to an index page.

The Jinja environment is the project's one recipe
(:func:`generator.render.templating.make_environment`): autoescape on for every template
whatever its file name, undefined names are errors, every filter registered. Fact-sheet
text is only ever a value printed by a template, never a template source.

Two targets share one document. ``html`` is a single self-contained file: the
stylesheets are inlined, nothing is fetched, fonts fall back to the reader's own.
``pdf`` adds the page furniture (running head, page numbers, status marking) and
``@font-face`` rules whose relative URLs the PDF stage resolves against
``templates/static/`` and serves from the bundled fonts.

The loader records every template file a render reads (the page template, what it
extends, includes and imports, and the stylesheets), so the build can tell which
brief depends on which template file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from generator.factsheet import FactSheet
from generator.render.labels import STAGE_LABELS, STATUS_LABELS
from generator.render.markdown import is_safe_link
from generator.render.templating import (
    make_environment,
    recording_loader,
    stylesheet_text,
    template_errors,
)
from generator.render.view import MetaTag, build_view, index_meta
from generator.render.webfont import CJK_FONT, cjk_characters, cjk_font_face

Target = Literal["html", "pdf"]

#: The widest heading, in character widths (a wide CJK character counts two), that fits
#: on one line of a contents column with its leader and page number, whatever the letters:
#: 24 of the widest Latin letters or 12 ideographs at 8.5 pt fill some 210 pt of the 227.
CONTENTS_LINE = 24
#: Stylesheets under ``templates/static/`` per target, in cascade order, with their media.
STYLESHEETS: Mapping[str, tuple[tuple[str, str | None], ...]] = {
    "html": (("screen.css", None), ("print.css", "print")),
    "pdf": (("screen.css", None), ("print.css", None), ("fonts.css", None)),
}


@dataclass(frozen=True)
class RenderedHtml:
    """An HTML document and the template files (relative to ``templates/``) it used.

    ``page_limit`` is the most pages the template's printed form may fill, as the page
    template declares it with ``{% set page_limit = 1 %}``; None when it sets no limit.
    """

    html: str
    templates_used: tuple[str, ...]
    page_limit: int | None = None


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


@dataclass(frozen=True)
class IndexRow:
    """An index entry with its labels worked out and its links checked."""

    entry: IndexEntry
    stage: str
    status: str
    html_href: str | None
    pdf_href: str | None


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


def render_html(
    sheet: FactSheet,
    brief_id: str,
    templates_dir: Path,
    *,
    target: Target = "html",
    template: str | None = None,
) -> RenderedHtml:
    """Render ``sheet`` with ``templates/<template>.html`` (default: the sheet's own).

    Raises :class:`TemplateError` naming the template file and line when a template is
    missing, does not parse or uses an undefined name.
    """
    env = make_environment(templates_dir)
    view = build_view(sheet, brief_id)
    name = template_file_name(template or sheet.template)
    with template_errors(templates_dir, name):
        styles = _styles(env, target)
        if target == "pdf":
            styles += contents_grid(len(view.contents), [e.heading for e in view.contents])
        if target == "html":
            styles += _cjk_styles(env, templates_dir, sheet.model_dump_json())
        page = PageHead(sheet.language, sheet.title, target, view.meta, styles)
        template_ = env.get_template(name)
        try:
            module = template_.make_module(
                {"page": page, "brief": view, "source_numbers": view.source_numbers}
            )
        except Exception:
            # What Template.render does: rewrite the traceback to template files and lines.
            env.handle_exception()
        html, limit = str(module), _page_limit(module)
    return RenderedHtml(html, recording_loader(env).used, limit)


def render_index(entries: Sequence[IndexEntry], templates_dir: Path) -> str:
    """Render ``index.html``: every briefing with its facts and links to both formats."""
    return render_index_page(entries, templates_dir).html


def render_index_page(entries: Sequence[IndexEntry], templates_dir: Path) -> RenderedHtml:
    """:func:`render_index`, with the template files it used."""
    env = make_environment(templates_dir)
    rows = [
        IndexRow(
            entry=entry,
            stage=STAGE_LABELS.get(entry.stage, entry.stage),
            status=STATUS_LABELS.get(entry.status, entry.status),
            html_href=_safe_href(entry.html_href),
            pdf_href=_safe_href(entry.pdf_href),
        )
        for entry in entries
    ]
    with template_errors(templates_dir, "index.html"):
        text = " ".join(f"{e.title} {e.jurisdiction}" for e in entries)
        styles = _styles(env, "html") + _cjk_styles(env, templates_dir, text)
        page = PageHead("en", "Briefings", "html", index_meta(), styles)
        html = env.get_template("index.html").render(page=page, rows=rows)
    return RenderedHtml(html, recording_loader(env).used)


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


def _cjk_styles(env: jinja2.Environment, templates_dir: Path, text: str) -> tuple[StyleBlock, ...]:
    """The inlined CJK glyphs ``text`` needs (see :mod:`generator.render.webfont`), if any."""
    characters = cjk_characters(text)
    if not characters:
        return ()
    recording_loader(env).record(CJK_FONT)
    css = cjk_font_face(characters, templates_dir / CJK_FONT)
    return (StyleBlock(None, Markup(css)),) if css else ()
