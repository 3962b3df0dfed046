"""Building briefings: select fact sheets, validate them all, render, write, index.

Read everything, then write: every selected fact sheet is loaded and checked before the
first output is written, so ``brief check`` and ``brief build`` report the same problems.
A fact sheet with errors gets no output; the others still build.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator import loader, locks, rules
from generator.config import Settings
from generator.errors import Diagnostic, FactSheetError, GeneratorError
from generator.loader import LoadedSheet
from generator.writer import output_path, sweep_temporaries, write_atomic

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("html", "pdf")
#: How long a build waits for a scheduled run writing to the same output folder.
OUTPUT_LOCK_WAIT = 300.0
Status = Literal["built", "up-to-date", "failed"]


@dataclass(frozen=True)
class Checked:
    """A fact sheet after loading and rule checks: the sheet if it loaded, and findings."""

    path: Path
    display: str
    loaded: LoadedSheet | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def brief_id(self) -> str:
        """The brief id: the file name without ``.yaml``."""
        return self.path.stem

    def has_errors(self, strict: bool = False) -> bool:
        """Whether the sheet must not be rendered (warnings count under ``strict``)."""
        return self.loaded is None or any(d.is_error or strict for d in self.diagnostics)


@dataclass(frozen=True)
class BriefResult:
    """What happened to one briefing in a build."""

    brief_id: str
    display: str
    status: Status
    diagnostics: tuple[Diagnostic, ...] = ()
    outputs: tuple[str, ...] = ()
    error: str = ""


@dataclass
class BuildReport:
    """The outcome of a build, one result per selected briefing, in a stable order."""

    results: list[BriefResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[BriefResult]:
        """Results of briefings that could not be built."""
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: Status) -> int:
        """How many briefings ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)


def discover(settings: Settings) -> list[Path]:
    """Every fact sheet of the project, sorted by file name."""
    if not settings.briefs_dir.is_dir():
        return []
    return sorted(settings.briefs_dir.glob("*.yaml"))


def select(settings: Settings, ids: Sequence[str] = ()) -> list[Path]:
    """The fact sheets named by ``ids`` (all of them when empty).

    An id may be given as ``x``, ``x.yaml`` or ``briefs/x.yaml``; one that names no fact
    sheet raises :class:`GeneratorError`.
    """
    if not ids:
        return discover(settings)
    chosen: list[Path] = []
    for given in ids:
        brief_id = Path(given).name.removesuffix(".yaml")
        path = settings.briefs_dir / f"{brief_id}.yaml"
        if not path.is_file():
            raise GeneratorError(f"no fact sheet '{given}' (looked for {settings.display(path)})")
        if path not in chosen:
            chosen.append(path)
    return chosen


def check_file(path: Path, settings: Settings, today: dt.date) -> Checked:
    """Load one fact sheet and run every rule on it; never raises for bad input."""
    display = settings.display(path)
    try:
        loaded = loader.load(path, display, max_bytes=settings.max_bytes)
    except FactSheetError as exc:
        return Checked(path, display, None, tuple(exc.diagnostics))
    findings = [*loaded.warnings, *rules.check(loaded, today)]
    findings.sort(key=lambda d: (d.line or 0, d.col or 0, d.path))
    return Checked(path, display, loaded, tuple(findings))


def check_all(settings: Settings, ids: Sequence[str], today: dt.date) -> list[Checked]:
    """Load and check every selected fact sheet."""
    return [check_file(path, settings, today) for path in select(settings, ids)]


@dataclass(frozen=True)
class Rendered:
    """One briefing's rendered files (file name -> bytes) and what rendering found."""

    files: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...] = ()


def render_outputs(
    loaded: LoadedSheet,
    settings: Settings,
    formats: Sequence[str],
    template: str | None,
    pdf_variant: str | None = None,
) -> Rendered:
    """Render one briefing in the requested formats. Writes nothing.

    ``pdf_variant`` overrides ``settings.pdf_variant``. A PDF longer than its template's
    page limit gets a warning naming the brief.
    """
    from generator.render_html import render_html

    brief_id = loaded.brief_id
    files: dict[str, bytes] = {}
    diagnostics: list[Diagnostic] = []
    if "html" in formats:
        page = render_html(loaded.sheet, brief_id, settings.templates_dir, template=template)
        files[f"{brief_id}.html"] = page.html.encode("utf-8")
    if "pdf" in formats:
        from generator.render_pdf import render_pdf

        printable = render_html(
            loaded.sheet, brief_id, settings.templates_dir, target="pdf", template=template
        )
        variant = pdf_variant or settings.pdf_variant
        pdf = render_pdf(printable.html, settings.templates_dir, variant=variant)
        files[f"{brief_id}.pdf"] = pdf.pdf
        if printable.page_limit is not None and pdf.pages > printable.page_limit:
            name = template or loaded.sheet.template
            diagnostics.append(
                page_limit_warning(loaded.display, name, printable.page_limit, pdf.pages)
            )
    return Rendered(files, tuple(diagnostics))


def page_limit_warning(display: str, template: str, limit: int, pages: int) -> Diagnostic:
    """The warning for a briefing whose PDF runs past its template's page limit."""
    message = (
        f"does not fit the '{template}' template: {pages} pages, at most {limit} allowed; "
        "shorten the summary, key facts, challenges or source notes"
    )
    return Diagnostic(display, None, None, "", message, "warning", code="page-limit")


def build(
    settings: Settings,
    ids: Sequence[str] = (),
    *,
    today: dt.date,
    formats: Sequence[str] = FORMATS,
    template: str | None = None,
    strict: bool = False,
    on_result: Callable[[BriefResult], None] | None = None,
    pdf_variant: str | None = None,
    lock_wait: float | None = OUTPUT_LOCK_WAIT,
) -> BuildReport:
    """Build the selected briefings into ``settings.output_dir`` and refresh the index.

    ``pdf_variant`` overrides ``settings.pdf_variant``. The output folder's lock is held
    throughout, so a scheduled run and a manual build of the same folder never
    interleave; a build waits up to ``lock_wait`` seconds for it (``None``: the caller
    already holds it).
    """
    started = time.monotonic()
    checked = check_all(settings, ids, today)
    with _output_locked(settings, lock_wait):
        settings.output_dir.mkdir(parents=True, exist_ok=True)
        sweep_temporaries(settings.output_dir)
        report = BuildReport()
        for item in checked:
            result = _build_one(item, settings, formats, template, strict, pdf_variant)
            report.results.append(result)
            if on_result:
                on_result(result)
        write_index(settings, today)
    report.seconds = time.monotonic() - started
    return report


def _output_locked(settings: Settings, wait: float | None) -> AbstractContextManager[None]:
    """The output folder's lock (see :mod:`generator.locks`), or nothing when ``wait`` is None."""
    if wait is None:
        return nullcontext()
    return locks.hold(
        locks.output_lock(settings),
        purpose="brief build",
        what=f"the output folder {settings.display(settings.output_dir)}",
        wait=wait,
    )


def _build_one(
    item: Checked,
    settings: Settings,
    formats: Sequence[str],
    template: str | None,
    strict: bool,
    pdf_variant: str | None = None,
) -> BriefResult:
    if item.has_errors(strict) or item.loaded is None:
        return BriefResult(item.brief_id, item.display, "failed", item.diagnostics)
    try:
        rendered = render_outputs(item.loaded, settings, formats, template, pdf_variant)
        found = item.diagnostics + rendered.diagnostics
        if strict and rendered.diagnostics:
            return BriefResult(item.brief_id, item.display, "failed", found)
        for name, data in rendered.files.items():
            write_atomic(output_path(settings.output_dir, name), data)
    except GeneratorError as exc:
        return BriefResult(item.brief_id, item.display, "failed", item.diagnostics, error=str(exc))
    return BriefResult(item.brief_id, item.display, "built", found, tuple(rendered.files))


def write_index(settings: Settings, today: dt.date) -> Path:
    """Write ``index.html`` listing every briefing that has an output in the folder."""
    from generator.render_html import IndexEntry, render_index

    entries = []
    for path in discover(settings):
        item = check_file(path, settings, today)
        if item.loaded is None:
            continue
        html = settings.output_dir / f"{item.brief_id}.html"
        pdf = settings.output_dir / f"{item.brief_id}.pdf"
        if not html.exists() and not pdf.exists():
            continue
        sheet = item.loaded.sheet
        entries.append(
            IndexEntry(
                brief_id=item.brief_id,
                title=sheet.title,
                jurisdiction=sheet.jurisdiction,
                stage=sheet.initiative.stage,
                status=sheet.status,
                as_of=sheet.as_of,
                html_href=html.name if html.exists() else None,
                pdf_href=pdf.name if pdf.exists() else None,
            )
        )
    index = output_path(settings.output_dir, "index.html")
    write_atomic(index, render_index(entries, settings.templates_dir).encode("utf-8"))
    return index


def clean(settings: Settings) -> list[Path]:
    """Remove every built briefing, the index and temporary files; return what was removed."""
    removed = sweep_temporaries(settings.output_dir)
    if not settings.output_dir.is_dir():
        return removed
    for pattern in ("*.html", "*.pdf"):
        for path in settings.output_dir.glob(pattern):
            path.unlink()
            removed.append(path)
    return removed
