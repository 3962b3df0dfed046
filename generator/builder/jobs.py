"""The jobs a build runs in its worker processes, as plain functions of plain values.

``prepare_briefing`` checks a fact sheet and renders the HTML of the formats asked for (the HTML
file itself, and the document the PDF is printed from) and the DOCX; ``print_pdf`` turns that
document into PDF bytes; ``warm_pdf`` loads WeasyPrint ahead of the first PDF;
``render_index`` renders ``index.html``. Each returns what the parent needs to write the
outputs and record what they were built from; none writes a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic
from generator.settings import Settings


@dataclass(frozen=True)
class PrepareJob:
    """Check ``path`` and render ``targets``: ``html``, ``docx``, the HTML of ``pdf``."""

    settings: Settings
    path: Path
    targets: tuple[str, ...]
    template: str | None
    today: dt.date
    strict: bool
    #: The house style (``config.Brand``); None renders today's look.
    brand: Any = None


@dataclass(frozen=True)
class Prepared:
    """A checked fact sheet and its rendered HTML, or why there is none (``failed``).

    ``template`` is the template used and ``page_limit`` the most pages its printed form
    may fill (None: no limit).
    """

    diagnostics: tuple[Diagnostic, ...]
    failed: bool
    html: bytes | None = None
    printable: str | None = None
    used: dict[str, tuple[str, ...]] = field(default_factory=dict)
    index: dict[str, str] = field(default_factory=dict)
    template: str = ""
    page_limit: int | None = None
    #: SHA-256 of the fact sheet's bytes this HTML was rendered from.
    sheet_sha: str = ""
    #: The DOCX briefing, when asked for (python-docx is quick: no job of its own), and
    #: the python-docx file it was made with.
    docx: bytes | None = None
    docx_tool: str = ""
    #: The ``data:`` URIs the PDF's document shows (the logo), for the printer to serve.
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrintJob:
    """Print ``html`` to PDF in ``variant``, resolving resources under ``templates_dir``.

    ``display``, ``template`` and ``page_limit`` serve the warning for a PDF that runs
    past its template's page limit.
    """

    html: str
    templates_dir: Path
    variant: str
    display: str = ""
    template: str = ""
    page_limit: int | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Printed:
    """PDF bytes, the template files read, the renderer's own file, notes for the user and
    the warnings found (a page-limit overrun)."""

    pdf: bytes
    files_read: tuple[str, ...]
    tool_file: str
    notes: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class IndexJob:
    """Render ``index.html`` from entries as :func:`~generator.builder.plan.index_entries` gives."""

    entries: tuple[dict[str, object], ...]
    templates_dir: Path
    brand: Any = None


@dataclass(frozen=True)
class RenderedIndex:
    """The index page and the template files it used."""

    html: bytes
    used: tuple[str, ...]


def prepare_briefing(job: PrepareJob) -> Prepared:
    """Check the fact sheet; if it may be rendered, render the HTML of every target.

    A fact sheet with errors (or warnings, under ``strict``) gives ``failed`` and its
    diagnostics; a template problem raises :class:`~generator.errors.TemplateError`.
    """
    from generator.factsheet import check_file
    from generator.render import render_html

    item = check_file(job.path, job.settings, job.today)
    if item.loaded is None or item.has_errors(job.strict):
        return Prepared(item.diagnostics, failed=True)
    sheet, brief_id = item.loaded.sheet, item.brief_id
    templates_dir = job.settings.templates_dir
    html, printable, used, limit, images = None, None, {}, None, ()
    options = {"template": job.template, "brand": job.brand}
    if "html" in job.targets:
        page = render_html(sheet, brief_id, templates_dir, **options)
        html, used["html"] = page.html.encode("utf-8"), page.templates_used
    if "pdf" in job.targets:
        page = render_html(sheet, brief_id, templates_dir, target="pdf", **options)
        printable, used["pdf"], limit = page.html, page.templates_used, page.page_limit
        images = page.images
    docx, docx_tool = None, ""
    if "docx" in job.targets:
        from generator.render import docx_engine_file, render_docx

        document = render_docx(sheet, brief_id, templates_dir, sheet_sha=item.loaded.source_sha)
        docx, used["docx"], docx_tool = document.docx, document.templates_used, docx_engine_file()
    index = {
        "title": sheet.title,
        "jurisdiction": sheet.jurisdiction,
        "stage": sheet.initiative.stage,
        "status": sheet.status,
        "as_of": sheet.as_of.isoformat(),
    }
    template = job.template or sheet.template
    sheet_sha = item.loaded.source_sha
    return Prepared(
        item.diagnostics,
        False,
        html,
        printable,
        used,
        index,
        template,
        limit,
        sheet_sha,
        docx,
        docx_tool,
        images,
    )


def print_pdf(job: PrintJob) -> Printed:
    """Render the PDF (raises :class:`~generator.errors.RenderError` on a refused resource
    or an unknown variant); warn when it runs past its template's page limit."""
    from generator.render import engine_file, render_pdf

    notes = warm_pdf(None)
    rendered = render_pdf(job.html, job.templates_dir, variant=job.variant, images=job.images)
    found = []
    if job.page_limit is not None and rendered.pages > job.page_limit:
        found.append(page_limit_warning(job.display, job.template, job.page_limit, rendered.pages))
    return Printed(rendered.pdf, rendered.files_read, engine_file(), notes, tuple(found))


def page_limit_warning(display: str, template: str, limit: int, pages: int) -> Diagnostic:
    """The warning for a briefing whose PDF runs past its template's page limit."""
    message = (
        f"does not fit the '{template}' template: {pages} pages, at most {limit} allowed; "
        "shorten the summary, key facts, challenges or source notes"
    )
    return Diagnostic(display, None, None, "", message, "warning", code="page-limit")


def warm_pdf(_: object) -> tuple[str, ...]:
    """Import WeasyPrint now, so the first PDF does not wait for it; return notes."""
    from generator.render import warm_up

    return warm_up()


def render_index(job: IndexJob) -> RenderedIndex:
    """Render the index page of the output folder."""
    from generator.render import IndexEntry, render_index_page

    entries = [
        IndexEntry(
            brief_id=str(e["id"]),
            title=str(e["title"]),
            jurisdiction=str(e["jurisdiction"]),
            stage=str(e["stage"]),
            status=str(e["status"]),
            as_of=dt.date.fromisoformat(str(e["as_of"])),
            html_href=f"{e['id']}.html" if e["html"] else None,
            pdf_href=f"{e['id']}.pdf" if e["pdf"] else None,
        )
        for e in job.entries
    ]
    page = render_index_page(entries, job.templates_dir, job.brand)
    return RenderedIndex(page.html.encode("utf-8"), page.templates_used)
