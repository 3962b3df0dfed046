"""The jobs a build runs in its worker processes, as plain functions of plain values.

``prepare_briefing`` checks a fact sheet and renders the HTML of the formats asked for (the HTML
file itself, and the document the PDF is printed from) and the DOCX; ``print_pdf`` turns that
document into PDF bytes; ``warm_pdf`` loads WeasyPrint ahead of the first PDF;
the tracker's job (``index.html`` and ``portfolio.pdf``) is :mod:`generator.builder.tracker`'s.
Each returns what the parent needs to write the
outputs and record what they were built from; none writes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.builder.editions import target_key
from generator.builder.overflow import sections_past
from generator.builder.tracker import tracker_facts
from generator.errors import Diagnostic
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.builder.leaks import Guard
    from generator.factsheet import FactSheet

#: The project's markings file (``factsheet.MARKINGS_FILE``): an input of every briefing
#: with a marking. Spelled here so that a build with nothing to do imports no more.
MARKINGS_FILE = "markings.yaml"


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
    #: The HTML files by target key (``html``, or ``internal.html`` and ``external.html``).
    html: dict[str, bytes] = field(default_factory=dict)
    #: The documents the PDFs are printed from, by edition (``only``, or both editions).
    printable: dict[str, str] = field(default_factory=dict)
    used: dict[str, tuple[str, ...]] = field(default_factory=dict)
    index: dict[str, Any] = field(default_factory=dict)
    template: str = ""
    page_limit: int | None = None
    #: SHA-256 of the fact sheet's bytes this HTML was rendered from.
    sheet_sha: str = ""
    #: The DOCX files by target key (python-docx is quick: no job of its own), and the
    #: python-docx file they were made with.
    docx: dict[str, bytes] = field(default_factory=dict)
    docx_tool: str = ""
    #: The ``data:`` URIs the PDF's document shows (the logo), for the printer to serve.
    images: tuple[str, ...] = ()
    #: Project files other than templates the render depended on (``markings.yaml``).
    inputs: tuple[str, ...] = ()
    #: What the leak check of the external edition needs (None: no internal content).
    guard: Guard | None = None
    #: The matplotlib file the HTML's and PDF's charts were drawn with ("": no chart).
    chart_tool: str = ""


@dataclass(frozen=True)
class PrintJob:
    """Print ``html`` to PDF in ``variant``, resolving resources under ``templates_dir``.

    ``display``, ``template`` and ``page_limit`` serve the warning for a PDF that runs
    past its template's page limit.
    """

    #: ``(edition, HTML)`` of each edition to print.
    documents: tuple[tuple[str, str], ...]
    templates_dir: Path
    variant: str
    display: str = ""
    template: str = ""
    page_limit: int | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Printed:
    """PDF bytes by edition, the template files read, the renderer's own file, notes for
    the user and the warnings found (a page-limit overrun)."""

    pdfs: dict[str, bytes]
    files_read: tuple[str, ...]
    tool_file: str
    notes: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def prepare_briefing(job: PrepareJob) -> Prepared:
    """Check the fact sheet; if it may be rendered, render the HTML of every target.

    A fact sheet with errors (or warnings, under ``strict``) gives ``failed`` and its
    diagnostics; a template problem raises :class:`~generator.errors.TemplateError`.
    """
    from generator.builder.leaks import guard_for
    from generator.factsheet import check_file

    item = check_file(job.path, job.settings, job.today)
    if item.loaded is None or item.has_errors(job.strict):
        return Prepared(item.diagnostics, failed=True)
    sheet, brief_id = item.loaded.sheet, item.brief_id
    rendered = _render_editions(job, sheet, brief_id, item.loaded.source_sha)
    index = tracker_facts(sheet)
    template = job.template or sheet.template
    sheet_sha = item.loaded.source_sha
    inputs = (MARKINGS_FILE,) if sheet.marking is not None else ()
    # What the main process checks the external edition with before writing a byte of it.
    guard = guard_for(item.loaded)
    return Prepared(
        item.diagnostics,
        False,
        rendered.html,
        rendered.printable,
        rendered.used,
        index,
        template,
        rendered.limit,
        sheet_sha,
        rendered.docx,
        rendered.docx_tool,
        rendered.images,
        inputs,
        guard,
        rendered.chart_tool,
    )


@dataclass
class _Rendered:
    """What :func:`_render_editions` made, as :class:`Prepared` carries it."""

    html: dict[str, bytes] = field(default_factory=dict)
    printable: dict[str, str] = field(default_factory=dict)
    used: dict[str, tuple[str, ...]] = field(default_factory=dict)
    limit: int | None = None
    images: tuple[str, ...] = ()
    docx: dict[str, bytes] = field(default_factory=dict)
    docx_tool: str = ""
    chart_tool: str = ""

    def record(self, fmt: str, files: tuple[str, ...]) -> None:
        self.used[fmt] = _union(self.used.get(fmt, ()), files)


def _render_editions(job: PrepareJob, sheet: FactSheet, brief_id: str, sheet_sha: str) -> _Rendered:
    """Every edition of ``sheet`` in the formats asked for: the HTML and DOCX files by
    target key, the printable documents by edition, the template files each format used,
    the page limit and the images the PDF may show."""
    from generator.factsheet import edition_sheet, editions, project_markings
    from generator.render import banner_for, render_html

    templates_dir = job.settings.templates_dir
    # Checked by check_file already: a broken markings.yaml failed the sheet there.
    markings = project_markings(job.settings) if sheet.marking is not None else None
    done = _Rendered()
    for edition in editions(sheet):
        shown = edition_sheet(sheet, edition)
        options = {"template": job.template, "brand": job.brand}
        options["banner"] = banner_for(shown, edition, markings)
        if "html" in job.targets:
            page = render_html(shown, brief_id, templates_dir, **options)
            done.html[target_key(edition, "html")] = page.html.encode("utf-8")
            done.record("html", page.templates_used)
        if "pdf" in job.targets:
            page = render_html(shown, brief_id, templates_dir, target="pdf", **options)
            done.printable[edition], done.limit = page.html, page.page_limit
            done.images = _union(done.images, page.images)
            done.record("pdf", page.templates_used)
        if "docx" in job.targets:
            _render_docx(done, shown, brief_id, edition, sheet_sha, options, templates_dir)
    if sheet.charts and {"html", "pdf"} & set(job.targets):
        # A chart's drawing is matplotlib's: an upgrade may draw other bytes.
        from generator.render import chart_engine_file

        done.chart_tool = chart_engine_file()
    return done


def _render_docx(
    done: _Rendered,
    shown: FactSheet,
    brief_id: str,
    edition: str,
    sheet_sha: str,
    options: dict[str, Any],
    templates_dir: Path,
) -> None:
    from generator.render import docx_engine_file, render_docx

    document = render_docx(
        shown,
        brief_id,
        templates_dir,
        sheet_sha=sheet_sha,
        brand=options["brand"],
        banner=options["banner"],
        # The external edition's lists are shorter than the YAML's: its bookmarks would
        # name the wrong entries, and clearance reviews the full (internal) edition.
        fields=edition != "external",
    )
    done.docx[target_key(edition, "docx")] = document.docx
    done.docx_tool = docx_engine_file()
    done.record("docx", document.templates_used)


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def print_pdf(job: PrintJob) -> Printed:
    """Render the PDF (raises :class:`~generator.errors.RenderError` on a refused resource
    or an unknown variant). A PDF past its template's page limit is printed again tighter
    (``render_fitted_pdf``); if it still does not fit, a warning names the sections past
    the limit."""
    from generator.render import engine_file

    notes = warm_pdf(None)
    pdfs: dict[str, bytes] = {}
    files_read: tuple[str, ...] = ()
    most, longest = 0, b""
    for edition, html in job.documents:
        rendered = _fitted(job, html)
        pdfs[edition] = rendered.pdf
        files_read = _union(files_read, rendered.files_read)
        if rendered.pages > most:
            most, longest = rendered.pages, rendered.pdf
    found = []
    if job.page_limit is not None and most > job.page_limit:
        past = sections_past(longest, job.page_limit)
        found.append(page_limit_warning(job.display, job.template, job.page_limit, most, past))
    return Printed(pdfs, files_read, engine_file(), notes, tuple(found))


def _fitted(job: PrintJob, html: str) -> Any:
    """The PDF of ``html``, set tighter in turn while it runs past the page limit."""
    from generator.render import render_fitted_pdf

    return render_fitted_pdf(
        html, job.templates_dir, job.page_limit, variant=job.variant, images=job.images
    )


def page_limit_warning(
    display: str, template: str, limit: int, pages: int, past: Sequence[str] = ()
) -> Diagnostic:
    """The warning for a briefing whose PDF runs past its template's page limit; ``past``
    names the sections that do not end by the last page allowed, the ones to cut."""
    where = f"past page {limit}: {', '.join(past)}; " if past else ""
    message = (
        f"does not fit the '{template}' template: {pages} pages, at most {limit} allowed; "
        f"{where}shorten the summary, key facts, challenges or source notes"
    )
    return Diagnostic(display, None, None, "", message, "warning", code="page-limit")


def warm_pdf(_: object) -> tuple[str, ...]:
    """Import WeasyPrint now, so the first PDF does not wait for it; return notes."""
    from generator.render import warm_up

    return warm_up()
