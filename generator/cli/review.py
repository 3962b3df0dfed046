"""``brief review``: the edits and comments of a DOCX that came back from clearance.

Registered on the ``brief`` group by :mod:`generator.cli.app`; a thin adapter over
:func:`generator.authoring.review_docx`. Exit status: 0 when the review ran, whatever it
found (what it found is the report, and what needs a person is listed in it); 1 when
the DOCX or the fact sheet cannot be read (not a DOCX, damaged, hostile, not made by
brief, made for another sheet); 2 for a usage mistake.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_OK
from generator.settings import Settings


@click.command()
@click.argument("sheet")
@click.argument("docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON, for tools.")
@click.option(
    "--apply",
    is_flag=True,
    help="Write the plain-text changes into the fact sheet (only those scalars change).",
)
@click.pass_obj
def review(settings: Settings, sheet: str, docx: Path, as_json: bool, apply: bool) -> None:
    """Report every tracked change and comment of DOCX against the fields of SHEET.

    SHEET is the fact sheet the DOCX was built from (ID, ID.yaml or briefs/ID.yaml, in
    the project); DOCX is the document as it came back, edited in Word or LibreOffice.
    Changes no file unless --apply is given; what needs a person is listed either way.
    """
    from generator.authoring import review_docx, review_report

    path = _sheet_path(settings, sheet)
    result = review_docx(path, settings.display(path), docx, settings.display(docx), apply=apply)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        click.echo(review_report.json_document(result))
    else:
        for line in review_report.text_lines(result):
            click.echo(line)
    sys.exit(EXIT_OK)


def _sheet_path(settings: Settings, given: str) -> Path:
    """The project's fact sheet named ``x``, ``x.yaml`` or ``briefs/x.yaml``, as every
    command names one (so ``-C DIR`` applies here too)."""
    from generator.factsheet import brief_id_of

    return settings.briefs_dir / f"{brief_id_of(given)}.yaml"
