"""The portfolio tracker's part of a build: what each briefing records for it, and the job
that renders it (``index.html`` and ``portfolio.pdf``) from those records.

A briefing's record keeps the facts the tracker shows (``record["index"]``, see
:func:`tracker_facts`), so the tracker is drawn from the build state alone: no fact sheet
is parsed again for it, and a build that rendered one briefing rewrites the tracker from
that one new record and the others as they were. Both files are rendered by one job, in
a worker during a build and in the process itself during ``brief merge``, from the same
plain values, so a merge writes the bytes a build would.

``portfolio.yaml`` (its ``fx:`` rates) is read by the parent, once, and handed to the job
as plain values; it is an input of the tracker only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.builder.inputs import WEASYPRINT, InputProbe
from generator.builder.manifest import IndexRecord, Probe, State, sha256_bytes, stable_json
from generator.builder.plan import (
    INDEX_NAME,
    INDEX_PARTS,
    PORTFOLIO_KEY,
    PORTFOLIO_PDF,
    template_key,
)
from generator.settings import Settings
from generator.writer import output_path, write_atomic

if TYPE_CHECKING:
    from generator.factsheet import FactSheet


def tracker_facts(sheet: FactSheet) -> dict[str, Any]:
    """What the index records of a briefing: its strings, its announced investment (the
    amount as an exact decimal string, never a float's noise) and its sites."""
    investment = sheet.initiative.investment
    money = None
    if investment is not None:
        amount = Decimal(repr(investment.amount)).normalize()
        money = {"amount": format(amount, "f"), "currency": str(investment.currency)}
    sites = [
        {"name": str(s.name), "lat": float(s.lat), "lon": float(s.lon)}
        for s in sheet.initiative.sites or ()
    ]
    return {
        "title": sheet.title,
        "jurisdiction": sheet.jurisdiction,
        "stage": sheet.initiative.stage,
        "status": sheet.status,
        "as_of": sheet.as_of.isoformat(),
        "language": sheet.language,
        "investment": money,
        "sites": sites,
    }


@dataclass(frozen=True)
class IndexJob:
    """Render the tracker from entries as :func:`~generator.builder.plan.index_entries`
    gives, with the ``fx`` rates of ``portfolio.yaml`` (plain dicts; () when none)."""

    entries: tuple[dict[str, object], ...]
    templates_dir: Path
    brand: Any = None
    fx: Any = None


@dataclass(frozen=True)
class RenderedIndex:
    """The tracker's HTML and PDF, the template files they used and WeasyPrint's file."""

    html: bytes
    used: tuple[str, ...]
    pdf: bytes = b""
    tool_file: str = ""


def render_index(job: IndexJob) -> RenderedIndex:
    """Render ``index.html`` and ``portfolio.pdf`` of the output folder."""
    from generator.render import engine_file, render_index_page

    entries = [_entry(e) for e in job.entries]
    page = render_index_page(entries, job.templates_dir, job.brand, job.fx, target="html")
    printed = render_index_page(entries, job.templates_dir, job.brand, job.fx, target="pdf")
    pdf = _print(printed, job.templates_dir)
    used = tuple(dict.fromkeys((*page.templates_used, *printed.templates_used, *pdf[1])))
    return RenderedIndex(page.html.encode("utf-8"), used, pdf[0], engine_file())


def _print(printed: Any, templates_dir: Path) -> tuple[bytes, tuple[str, ...]]:
    from generator.render import render_pdf

    rendered = render_pdf(printed.html, templates_dir, images=printed.images)
    return rendered.pdf, tuple(rendered.files_read)


def _entry(e: dict[str, Any]) -> Any:
    """An index entry of the render package from a recorded one."""
    from generator.render import EditionLinks, IndexEntry

    editions: Any = e.get("editions", {})
    links = tuple(
        EditionLinks(
            edition,
            f"{e['id']}.{edition}.html" if files["html"] else None,
            f"{e['id']}.{edition}.pdf" if files["pdf"] else None,
        )
        for edition, files in editions.items()
    )
    return IndexEntry(
        brief_id=str(e["id"]),
        title=str(e["title"]),
        jurisdiction=str(e["jurisdiction"]),
        stage=str(e["stage"]),
        status=str(e["status"]),
        as_of=dt.date.fromisoformat(str(e["as_of"])),
        html_href=f"{e['id']}.html" if e["html"] else None,
        pdf_href=f"{e['id']}.pdf" if e["pdf"] else None,
        editions=links,
        language=str(e.get("language", "en")),
        investment=e.get("investment"),
        sites=tuple(e.get("sites") or ()),
    )


def load_fx(settings: Settings) -> Any:
    """``portfolio.yaml``'s rates as plain values (None: no file); raises ``ConfigError``,
    located, for a file with errors, before anything of the tracker is written."""
    from generator.config import load_portfolio

    return load_portfolio(settings.root, settings.display(settings.root / PORTFOLIO_KEY))


def tracker_job(
    settings: Settings, entries: list[dict[str, object]], brand: Any, fx: Any
) -> IndexJob:
    """The job of the tracker of ``entries`` with the rates ``fx`` (see :func:`load_fx`)."""
    return IndexJob(tuple(entries), settings.templates_dir, brand, fx)


def write_tracker(
    settings: Settings,
    state: State,
    probes: tuple[Probe, InputProbe],
    rendered: RenderedIndex,
    entries_key: str,
) -> IndexRecord:
    """Write ``index.html`` and ``portfolio.pdf`` (each atomically) and return the record
    of what they were built from: templates and fonts read, ``portfolio.yaml`` ("" when
    absent), the brand parts the index shows and the WeasyPrint file."""
    outputs, inputs = probes
    shas = {}
    for name, data in ((PORTFOLIO_PDF, rendered.pdf), (INDEX_NAME, rendered.html)):
        write_atomic(output_path(settings.output_dir, name), data)
        shas[name] = sha256_bytes(data)
        outputs.note_written(name, shas[name])
    keys = [*(template_key(n) for n in rendered.used), PORTFOLIO_KEY]
    deps = {key: inputs.sha(key) or "" for key in keys} | inputs.brand_deps(INDEX_PARTS)
    if state.tools.get("weasyprint") != rendered.tool_file:
        state.tools["weasyprint"] = rendered.tool_file
        inputs.forget(WEASYPRINT)
    deps[WEASYPRINT] = inputs.sha(WEASYPRINT) or ""
    return {
        "entries": entries_key,
        "deps": state.intern_deps(deps),
        "generator": __version__,
        "output": shas[INDEX_NAME],
        "pdf": shas[PORTFOLIO_PDF],
    }


def entries_key(entries: list[dict[str, object]]) -> str:
    """The hash of the tracker's entries: what its record compares to rebuild it."""
    return sha256_bytes(stable_json(entries).encode("utf-8"))
