"""Render a fact sheet to an HTML briefing, and the briefings to an index page.

One Jinja environment recipe (:func:`make_environment`): autoescape on for every
template whatever its file name, undefined names are errors, templates are never
reloaded behind our back, and every filter is registered there. Fact-sheet text is only
ever a value printed by a template, never a template source.

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

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from generator.errors import Diagnostic, TemplateError
from generator.factsheet import FactSheet
from generator.render.labels import STAGE_LABELS, STATUS_LABELS
from generator.render.markdown import is_safe_link, render_markdown
from generator.render.stylesheets import check_css
from generator.render.view import MetaTag, build_view, index_meta
from generator.render.webfont import CJK_FONT, cjk_characters, cjk_font_face

Target = Literal["html", "pdf"]

#: Stylesheets under ``templates/static/`` per target, in cascade order, with their media.
STYLESHEETS: Mapping[str, tuple[tuple[str, str | None], ...]] = {
    "html": (("screen.css", None), ("print.css", "print")),
    "pdf": (("screen.css", None), ("print.css", None), ("fonts.css", None)),
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


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


class RecordingLoader(jinja2.FileSystemLoader):
    """A file-system loader that remembers the name of every file it served."""

    def __init__(self, searchpath: Path) -> None:
        super().__init__(str(searchpath))
        self._used: list[str] = []

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """Load ``template`` as the file-system loader does, and record its name."""
        source = super().get_source(environment, template)
        self.record(template)
        return source

    def record(self, name: str) -> None:
        """Record a file under ``templates/`` read other than as a template (a font)."""
        if name not in self._used:
            self._used.append(name)

    @property
    def used(self) -> tuple[str, ...]:
        """The names served so far, sorted."""
        return tuple(sorted(self._used))


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """The Jinja environment of the project: strict, always escaped, all filters."""
    env = jinja2.Environment(
        loader=RecordingLoader(templates_dir),
        # A callable: select_autoescape() would leave "*.j2" and unknown names unescaped.
        autoescape=lambda _name: True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        markdown=_markdown_filter,
        markdown_inline=_markdown_inline_filter,
        cite=_cite_filter,
        long_date=long_date,
        partial_date=partial_date,
        sentence=sentence,
    )
    env.globals["stylesheet"] = functools.partial(stylesheet_text, env)
    return env


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
    with _template_errors(templates_dir, name):
        styles = _styles(env, target)
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
    return RenderedHtml(html, _loader(env).used, limit)


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
    with _template_errors(templates_dir, "index.html"):
        text = " ".join(f"{e.title} {e.jurisdiction}" for e in entries)
        styles = _styles(env, "html") + _cjk_styles(env, templates_dir, text)
        page = PageHead("en", "Briefings", "html", index_meta(), styles)
        html = env.get_template("index.html").render(page=page, rows=rows)
    return RenderedHtml(html, _loader(env).used)


def template_file_name(template: str) -> str:
    """``brief`` -> ``brief.html``; a name that already has a suffix is kept."""
    return template if "." in template else f"{template}.html"


def long_date(value: dt.date) -> str:
    """``2026-01-20`` -> ``20 January 2026`` (fixed English names, never the locale)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def partial_date(value: str) -> str:
    """``2024`` -> ``2024``, ``2024-03`` -> ``March 2024``, ``2024-03-05`` -> ``5 March 2024``."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return long_date(dt.date(*parts))
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def sentence(text: str) -> str:
    """``text`` ending in a full stop unless it already ends in punctuation."""
    return text if text.rstrip().endswith((".", "?", "!", "…")) else f"{text}."


@jinja2.pass_context
def _markdown_filter(context: jinja2.runtime.Context, text: str, heading_level: int = 3) -> Markup:
    return render_markdown(text, context.get("source_numbers", {}), heading_level=heading_level)


@jinja2.pass_context
def _markdown_inline_filter(context: jinja2.runtime.Context, text: str) -> Markup:
    return render_markdown(text, context.get("source_numbers", {}), inline=True)


@jinja2.pass_context
def _cite_filter(context: jinja2.runtime.Context, ids: Sequence[str]) -> Markup:
    if not ids:
        return Markup("")
    group = "[" + "; ".join(f"@{source_id}" for source_id in ids) + "]"
    return render_markdown(group, context.get("source_numbers", {}), inline=True)


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


def _loader(env: jinja2.Environment) -> RecordingLoader:
    loader = env.loader
    if not isinstance(loader, RecordingLoader):
        raise TypeError("environment was not made by make_environment()")
    return loader


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
    _loader(env).record(CJK_FONT)
    css = cjk_font_face(characters, templates_dir / CJK_FONT)
    return (StyleBlock(None, Markup(css)),) if css else ()


def stylesheet_text(env: jinja2.Environment, name: str) -> Markup:
    """The text of ``templates/static/<name>``, read through the loader, safe to inline.

    Templates call it as ``{{ stylesheet("onepager.css") }}`` inside a ``<style>``
    element to add a stylesheet of their own after the shared ones. Raises
    :class:`TemplateError` listing every syntax error of the stylesheet.
    """
    path = f"static/{name}"
    loader = _loader(env)
    css, _, _ = loader.get_source(env, path)
    if "</" in css:
        # Inlined CSS must not be able to close its <style> element.
        raise jinja2.TemplateSyntaxError("'</' is not allowed in a stylesheet", 1, path)
    _check_stylesheet(css, f"{Path(loader.searchpath[0]).name}/{path}")
    return Markup(css)


def _check_stylesheet(css: str, shown: str) -> None:
    # Browsers and WeasyPrint skip a rule they cannot parse and carry on silently.
    problems = check_css(css)
    if not problems:
        return
    diagnostics = [
        Diagnostic(shown, p.line, p.col, "", f"CSS syntax error: {p.message}", code="stylesheet")
        for p in problems
    ]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise TemplateError(diagnostics[0].format() + more, diagnostics)


@contextlib.contextmanager
def _template_errors(templates_dir: Path, name: str) -> Iterator[None]:
    """Turn any Jinja error raised inside the block into a located :class:`TemplateError`."""
    try:
        yield
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates_dir, name) from exc


def template_error(exc: jinja2.TemplateError, templates_dir: Path, name: str) -> TemplateError:
    """A :class:`TemplateError` naming ``templates/<file>:<line>`` and what went wrong."""
    file, line = _error_location(exc, templates_dir, name)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found"
    else:
        message = exc.message or type(exc).__name__
    where = f"{templates_dir.name}/{file}"
    diagnostic = Diagnostic(where, line, None, "", message, code="template")
    return TemplateError(diagnostic.format(), [diagnostic])


def _error_location(
    exc: jinja2.TemplateError, templates_dir: Path, name: str
) -> tuple[str, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (exc.name or name), exc.lineno
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    root = templates_dir.resolve()
    location: tuple[str, int | None] | None = None
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename).resolve()
        if path.is_relative_to(root):
            location = (path.relative_to(root).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    if location is not None:
        return location
    if isinstance(exc, jinja2.TemplateNotFound):
        return exc.name or name, None
    return name, None
