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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from generator.errors import Diagnostic, TemplateError
from generator.markdown import is_safe_link, render_markdown
from generator.model import FactSheet
from generator.stylesheets import check_css
from generator.view import STAGE_LABELS, STATUS_LABELS, MetaTag, build_view, index_meta

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
    """An HTML document and the template files (relative to ``templates/``) it used."""

    html: str
    templates_used: tuple[str, ...]


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
        if template not in self._used:
            self._used.append(template)
        return source

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
        styles = _styles(env, target, templates_dir)
        page = PageHead(sheet.language, sheet.title, target, view.meta, styles)
        html = env.get_template(name).render(
            page=page, brief=view, source_numbers=view.source_numbers
        )
    return RenderedHtml(html, _loader(env).used)


def render_index(entries: Sequence[IndexEntry], templates_dir: Path) -> str:
    """Render ``index.html``: every briefing with its facts and links to both formats."""
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
        styles = _styles(env, "html", templates_dir)
        page = PageHead("en", "Briefings", "html", index_meta(), styles)
        return env.get_template("index.html").render(page=page, rows=rows)


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


def _safe_href(href: str | None) -> str | None:
    return href if href and is_safe_link(href) else None


def _loader(env: jinja2.Environment) -> RecordingLoader:
    loader = env.loader
    if not isinstance(loader, RecordingLoader):
        raise TypeError("environment was not made by make_environment()")
    return loader


def _styles(env: jinja2.Environment, target: Target, templates_dir: Path) -> tuple[StyleBlock, ...]:
    """The stylesheets of ``target``, read through the loader so they are recorded.

    Raises :class:`TemplateError` listing every syntax error of a stylesheet.
    """
    blocks = []
    for name, media in STYLESHEETS[target]:
        css, _, _ = _loader(env).get_source(env, f"static/{name}")
        if "</" in css:
            # Inlined CSS must not be able to close its <style> element.
            raise jinja2.TemplateSyntaxError(
                "'</' is not allowed in a stylesheet", 1, f"static/{name}"
            )
        _check_stylesheet(css, f"{templates_dir.name}/static/{name}")
        blocks.append(StyleBlock(media, Markup(css)))
    return tuple(blocks)


def _check_stylesheet(css: str, shown: str) -> None:
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
