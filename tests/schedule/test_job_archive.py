"""A schedule's PDF variant and its own archive folder: real runs of the job, real builds.

The PDFs are read back with pypdf (the suite's PDF reader): the XMP metadata says which
standard a file claims, ``pdfaid`` for PDF/A and ``pdfuaid`` for PDF/UA.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from generator.config.loader import load_delivery
from generator.schedule.archive import not_yet_archived
from generator.schedule.job import Job, run_job
from generator.settings import default_settings
from tests.support.cli import run_brief

UTC = dt.UTC
DAY = dt.date(2026, 12, 1)
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


def claims(pdf: Path) -> dict[str, str]:
    """The standards a PDF's XMP metadata declares: ``{"pdfa": "3B"}``, ``{"pdfua": "1"}``."""
    xmp = PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data()
    found: dict[str, str] = {}
    for node in ET.fromstring(xmp).iter():
        values = {**node.attrib, **({node.tag: node.text or ""} if node.text else {})}
        part, level = values.get(PDFAID + "part"), values.get(PDFAID + "conformance")
        if part:
            found["pdfa"] = part + (level or "")
        if values.get(PDFUAID + "part"):
            found["pdfua"] = values[PDFUAID + "part"]
    return found


def schedule(name: str, cron: str, **overrides: Any) -> dict[str, Any]:
    data = {"name": name, "cron": cron, "select": {"ids": ["alpha"]}, "archive": True}
    return data | overrides


@pytest.fixture
def two_editions(project, write_brief):
    """One briefing archived twice on 2026-12-01: plainly at 06:00, as PDF/A-3b at 18:00."""
    write_brief("alpha", title="Alpha plant")
    delivery = {
        "sender": "Desk <desk@example.org>",
        "schedules": [
            schedule("morning", "0 6 * * *"),
            schedule("records", "0 18 * * *", pdf_variant="pdf/a-3b"),
        ],
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(delivery), "utf-8")
    return project


def run(project: Path, name: str, hour: int) -> str:
    """Run schedule ``name``'s job for its slot on ``DAY`` at ``hour``, as the runner does."""
    settings = default_settings(project)
    config = load_delivery(settings.delivery_file, "delivery.yaml").config
    chosen = next(s for s in config.schedules if s.name == name)
    started = dt.datetime.combine(DAY, dt.time(hour, 1), UTC)
    result = run_job(Job(settings, chosen, started, DAY, config=config))
    assert not result.errors, result.errors
    return result.summary()


def test_a_schedules_pdf_variant_is_archived_and_a_plain_build_goes_back_to_pdf_ua(
    two_editions,
):
    assert run(two_editions, "morning", 6) == "built 1, archived 1, sent 0"
    assert run(two_editions, "records", 18) == "built 1, archived 1, sent 0"
    day = two_editions / "output/archive/2026-12-01"
    assert sorted(str(p.relative_to(day)) for p in day.rglob("*")) == [
        "morning",
        "morning/alpha.pdf",
        "records",
        "records/alpha.pdf",
    ]
    assert claims(day / "morning/alpha.pdf") == {"pdfua": "1"}
    assert claims(day / "records/alpha.pdf") == {"pdfa": "3B"}
    assert "Alpha plant" in PdfReader(day / "records/alpha.pdf").pages[0].extract_text()
    # The build state knows the variant: a plain build rebuilds, as PDF/UA again.
    built = run_brief("build", "alpha", cwd=two_editions, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "--pdf-variant" in built.stdout + built.stderr
    assert claims(two_editions / "output/alpha.pdf") == {"pdfua": "1"}
    assert claims(day / "records/alpha.pdf") == {"pdfa": "3B"}


def test_a_sheet_with_internal_content_archives_both_editions(project):
    """The archive holds what each audience could be sent: both editions, by their names,
    and a resumed run adds neither again."""
    sheet = (Path(__file__).parents[1] / "data/valid/internal-everywhere.yaml").read_text("utf-8")
    (project / "briefs/alpha.yaml").write_text(sheet, "utf-8")
    delivery = {"sender": "Desk <desk@example.org>", "schedules": [schedule("daily", "0 6 * * *")]}
    (project / "delivery.yaml").write_text(yaml.safe_dump(delivery), "utf-8")
    assert run(project, "daily", 6) == "built 1, archived 2, sent 0"
    folder = project / "output/archive/2026-12-01/daily"
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.external.pdf", "alpha.internal.pdf"]
    for edition in ("internal", "external"):
        built = (project / f"output/alpha.{edition}.pdf").read_bytes()
        assert (folder / f"alpha.{edition}.pdf").read_bytes() == built
    settings = default_settings(project)
    assert not_yet_archived(settings.output_dir, ["alpha"], DAY, "daily") == []
    (folder / "alpha.external.pdf").unlink()
    assert not_yet_archived(settings.output_dir, ["alpha"], DAY, "daily") == ["alpha"]
