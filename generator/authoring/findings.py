"""What ``brief check`` and ``brief sources`` report, rendered as text, JSON or annotations.

:func:`gather` collects, for the checked fact sheets, the format findings (loading and
rule diagnostics, promoted to errors under ``--strict``) and the sourcing findings of
:mod:`generator.authoring.sourcing` (advice: never counted as failures). Every renderer takes the
same :class:`CheckOutcome`, so the text, the JSON document and the GitHub annotations
always hold the same findings in the same order.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.authoring.sourcing import (
    DEFAULT_STALE_DAYS,
    SourcingReport,
    finding_dict,
    sourcing_report,
)
from generator.errors import Diagnostic

if TYPE_CHECKING:
    from generator.factsheet import Checked

Section = Literal["format", "sourcing"]
#: Width the sourcing report's lists of places are wrapped to.
_WIDTH = 92


@dataclass(frozen=True)
class Finding:
    """One diagnostic and the section of the check it belongs to."""

    diagnostic: Diagnostic
    section: Section = "format"


@dataclass(frozen=True)
class CheckOutcome:
    """Everything ``brief check`` found: format findings first, then sourcing findings."""

    checked: int
    failed: int
    strict: bool
    findings: tuple[Finding, ...]

    def count(self, section: Section, severity: str | None = None) -> int:
        """How many findings of ``section`` (and ``severity``, if given) there are."""
        return sum(
            1
            for f in self.findings
            if f.section == section and severity in (None, f.diagnostic.severity)
        )


def gather(
    checked: Sequence[Checked],
    *,
    project: Sequence[Diagnostic] = (),
    strict: bool = False,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> CheckOutcome:
    """The findings of every checked fact sheet, after those of the project's settings
    files (``project``: ``brand.yaml``, ``portfolio.yaml``), which count as one failure;
    sourcing only for sheets that loaded."""
    found = [Finding(d.as_error() if strict else d) for d in project]
    found += [Finding(d.as_error() if strict else d) for item in checked for d in item.diagnostics]
    for item in checked:
        if item.loaded is not None:
            report = sourcing_report(item.loaded, stale_days=stale_days)
            found += [Finding(d, "sourcing") for d in report.findings]
    failed = sum(item.has_errors(strict) for item in checked)
    failed += len({d.file for d in project if d.is_error or strict})
    return CheckOutcome(len(checked), failed, strict, tuple(found))


def describe(diagnostic: Diagnostic) -> str:
    """The finding without its place and severity: ``path: message (did you mean …?)``."""
    text = f"{diagnostic.path}: {diagnostic.message}" if diagnostic.path else diagnostic.message
    if diagnostic.suggestion:
        text += f" (did you mean '{diagnostic.suggestion}'?)"
    return text


def summary_line(outcome: CheckOutcome) -> str:
    """``checked 2 fact sheet(s): 1 error(s), 0 warning(s); 3 sourcing warning(s) …``."""
    errors = outcome.count("format", "error")
    warnings = outcome.count("format", "warning")
    line = f"checked {outcome.checked} fact sheet(s): {errors} error(s), {warnings} warning(s)"
    if outcome.strict and warnings:
        line += " (warnings are errors under --strict)"
    sourcing = outcome.count("sourcing")
    if sourcing:
        line += f"; {sourcing} sourcing warning(s), advice only (see brief sources)"
    return line


def text_lines(outcome: CheckOutcome) -> list[str]:
    """One line per finding, as ``file:line:col: [warning: ]path: message``."""
    lines = [f.diagnostic.format() for f in outcome.findings if f.section == "format"]
    sourcing = [f.diagnostic.format() for f in outcome.findings if f.section == "sourcing"]
    if sourcing:
        lines += ["sourcing (advice; not counted as failures):", *sourcing]
    return lines


def json_document(outcome: CheckOutcome) -> str:
    """The outcome as one JSON document."""
    document = {
        "checked": outcome.checked,
        "failed": outcome.failed,
        "strict": outcome.strict,
        "errors": outcome.count("format", "error"),
        "warnings": outcome.count("format", "warning"),
        "sourcing_warnings": outcome.count("sourcing"),
        "findings": [
            {**finding_dict(f.diagnostic), "section": f.section} for f in outcome.findings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def github_lines(outcome: CheckOutcome) -> list[str]:
    """One GitHub Actions workflow command per finding, then the summary as plain text."""
    return [github_annotation(f) for f in outcome.findings] + [summary_line(outcome)]


def github_annotation(finding: Finding) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` for one finding."""
    diagnostic = finding.diagnostic
    properties = [f"file={_property(diagnostic.file)}"]
    if diagnostic.line is not None:
        properties.append(f"line={diagnostic.line}")
        if diagnostic.col is not None:
            properties.append(f"col={diagnostic.col}")
    title = "brief sourcing" if finding.section == "sourcing" else "brief check"
    properties.append(f"title={_property(f'{title}: {diagnostic.code}')}")
    return f"::{diagnostic.severity} {','.join(properties)}::{_data(describe(diagnostic))}"


def sourcing_json(reports: Sequence[SourcingReport]) -> str:
    """Sourcing reports as one JSON document: a list with one object per fact sheet."""
    return json.dumps([report.as_dict() for report in reports], indent=2, ensure_ascii=False)


def sourcing_document(reports: Sequence[SourcingReport]) -> str:
    """Sourcing reports as text, one block per fact sheet."""
    return "\n\n".join("\n".join(sourcing_text(report)) for report in reports)


def sourcing_text(report: SourcingReport) -> list[str]:
    """The sourcing report of one fact sheet as lines of text."""
    total = sum(use.citations for use in report.sources)
    lines = [
        f"{report.display}: {len(report.sources)} source(s), {total} citation(s),"
        f" as of {report.as_of.isoformat()}"
    ]
    for use in report.sources:
        lines.append(f"[{use.number}] {use.source_id} ({use.kind}): {use.citations} citation(s)")
        lines.append(f"    {use.title}. {use.publisher}.")
        if use.url or use.accessed:
            accessed = f"accessed {use.accessed.isoformat()}" if use.accessed else ""
            lines.append("    " + " ".join(part for part in (use.url, accessed) if part))
        places = [p.path if p.count == 1 else f"{p.path} x{p.count}" for p in use.places]
        if places:
            lines += textwrap.wrap(
                ", ".join(places),
                width=_WIDTH,
                initial_indent="    cited in ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
        else:
            lines.append("    not cited anywhere")
    if report.findings:
        lines.append(f"{len(report.findings)} finding(s):")
        lines += [d.format() for d in report.findings]
    else:
        lines.append("no findings")
    return lines


def _data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
