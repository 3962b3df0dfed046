"""An edition is a snapshot: a fact sheet saved while ``brief send`` builds it never gets
the old PDF mailed under the new edition's subject and body.

The save is made to land inside the build, every time: the real worker process renders
the PDF and, while it does, the fact sheet on disk is replaced by its next version (the
injected job runs in the forked workers of the send's own build).
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import yaml
from pypdf import PdfReader

from tests.conftest import minimal_sheet
from tests.delivery.test_send import run, write_delivery

_REAL_PRINT_PDF = None


def _sheet(jobs: int) -> str:
    facts = [{"label": "Jobs", "value": jobs, "sources": ["src-a"]}]
    data = minimal_sheet(title="Assembly plant talks", key_facts=facts)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _print_pdf_while_the_sheet_is_saved(job):
    """Render the PDF, saving the next version of the sheet meanwhile (once)."""
    sheet = Path(os.environ["SNAPSHOT_SHEET"])
    marker = sheet.with_suffix(".saved")
    if not marker.exists():
        marker.write_text("saved", encoding="utf-8")
        sheet.write_text(_sheet(250), encoding="utf-8")
    return _REAL_PRINT_PDF(job)


def test_a_sheet_saved_during_the_build_is_sent_as_one_edition(project, smtp_server, monkeypatch):
    global _REAL_PRINT_PDF
    from generator.builder import jobs

    sheet = project / "briefs" / "hk.yaml"
    sheet.write_text(_sheet(100), encoding="utf-8")
    write_delivery(project)
    _REAL_PRINT_PDF = jobs.print_pdf
    monkeypatch.setenv("SNAPSHOT_SHEET", str(sheet))
    monkeypatch.setattr(jobs, "print_pdf", _print_pdf_while_the_sheet_is_saved)

    report = run(project, smtp_server.env())

    assert report.ok and sheet.with_suffix(".saved").exists()
    message = smtp_server.handler.to("ann@example.org")[0].message
    body = message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    pdf_text = PdfReader(BytesIO(attachment.get_content())).pages[0].extract_text()
    # The body and the PDF tell of one and the same version: the one saved last.
    assert "Jobs: 250" in body and "100" not in body.split("KEY FACTS")[1].split("CHALLENGES")[0]
    assert "250" in pdf_text
    [edition] = (project / "output" / "editions" / "hk").iterdir()
    assert (edition / "hk.pdf").read_bytes() == attachment.get_content()
    assert (edition / "factsheet.yaml").read_bytes() == sheet.read_bytes()
