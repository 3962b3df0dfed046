"""What ``brief review`` prints: one line per finding, as text or as JSON.

A text line reads like every other located message of brief::

    briefs/x.yaml:97:12: key_facts[6].value: "About half" → "About 50 %" (tracked change
    by Jane Doe, 2026-12-02); can be applied with --apply

Text from the document (its words, authors' names) is untrusted: it is printed as JSON
string literals, so a control character or a terminal escape in it shows as ``\\u001b``
instead of acting on the terminal.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from generator.authoring.review import Finding, Review
from generator.authoring.review_fields import Revision

#: Texts up to this long are shown whole; longer ones around what changed.
SHOWN_WHOLE = 100
#: Characters of unchanged text shown either side of a change in a long text.
CONTEXT = 30

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_STATUS_WORDS = {
    "applicable": "can be applied with --apply",
    "applied": "applied",
    "already": "already in the sheet",
    "needs-person": "needs a person",
    "conflict": "conflict, needs a person",
}


def text_lines(result: Review) -> list[str]:
    """The review as lines for people: findings in file order, then a summary."""
    return [_line(result, f) for f in _ordered(result.findings)] + [summary_line(result)]


def summary_line(result: Review) -> str:
    """``2 changes, 1 comment: 1 applied, 2 need a person``."""
    if not result.findings:
        return f"{result.docx}: no changes or comments"
    kinds = Counter(f.kind for f in result.findings)
    statuses = Counter(f.status for f in result.findings)
    counted = [
        _count(kinds["change"], "change"),
        _count(kinds["comment"], "comment"),
        _count(kinds["format"], "formatting change"),
    ]
    what = ", ".join(c for c in counted if c)
    person = statuses["needs-person"] + statuses["conflict"]
    parts = []
    if statuses["applied"]:
        parts.append(f"{statuses['applied']} applied to {result.sheet}")
    if statuses["already"]:
        parts.append(f"{statuses['already']} already in the sheet")
    if statuses["applicable"]:
        parts.append(f"{statuses['applicable']} can be applied with --apply")
    if person:
        parts.append(f"{person} need{'s' if person == 1 else ''} a person")
    return f"{result.docx}: {what}: {', '.join(parts)}"


def json_document(result: Review) -> str:
    """The review as one JSON document, for tools."""
    document = {
        "sheet": result.sheet,
        "docx": result.docx,
        "brief_id": result.brief_id,
        "sheet_changed": result.sheet_changed,
        "applied": result.applied,
        "warnings": result.warnings,
        "findings": [_finding_json(f) for f in _ordered(result.findings)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _finding_json(finding: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": finding.kind,
        "path": finding.path or None,
        "line": finding.line,
        "col": finding.col,
        "status": finding.status,
        "reason": finding.reason or None,
    }
    if finding.kind == "change":
        entry["old"], entry["new"] = finding.old, finding.new
        entry["tracked"] = bool(finding.revisions)
        entry["revisions"] = [{"author": r.author, "date": r.date} for r in finding.revisions]
        entry["edits"] = [
            {"kind": e.kind, "text": e.text, "author": e.revision.author, "date": e.revision.date}
            for e in finding.edits
        ]
    elif finding.kind == "comment" and finding.comment is not None:
        comment = finding.comment
        entry["comment"] = {"author": comment.author, "date": comment.date, "text": comment.text}
    return entry


def _ordered(findings: list[Finding]) -> list[Finding]:
    """File order; findings outside every field last, in document order."""
    placed = [f for f in findings if f.line is not None]
    placed.sort(key=lambda f: (f.line or 0, f.col or 0))
    return placed + [f for f in findings if f.line is None]


def _line(result: Review, finding: Finding) -> str:
    where = result.sheet
    if finding.line is not None:
        where += f":{finding.line}:{finding.col}"
    elif not finding.path:
        where = result.docx
    head = f"{where}: {finding.path or 'outside every field'}: "
    if finding.kind == "change":
        body = f"{_excerpt(finding.old, finding.new)} ({_who(finding.revisions)})"
    elif finding.kind == "comment" and finding.comment is not None:
        comment = finding.comment
        when = f", {_safe(comment.date)}" if comment.date else ""
        body = f"comment by {_safe(comment.author)}{when}: {_quote(comment.text)}"
    else:
        body = "formatting changed"
    status = _STATUS_WORDS[finding.status]
    tail = f": {finding.reason}" if finding.reason and finding.status != "applied" else ""
    return f"{head}{body}; {status}{tail}"


def _who(revisions: list[Revision]) -> str:
    if not revisions:
        return "edited without tracked changes"
    people = list(
        dict.fromkeys(
            f"{_safe(r.author)}{', ' + _safe(r.date) if r.date else ''}" for r in revisions
        )
    )
    plural = "s" if len(revisions) > 1 else ""
    return f"tracked change{plural} by {'; '.join(people)}"


def _excerpt(old: str, new: str) -> str:
    """``"old" → "new"``, cut around the change when either text is long."""
    if len(old) <= SHOWN_WHOLE and len(new) <= SHOWN_WHOLE:
        return f"{_quote(old)} → {_quote(new)}"
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    start = max(prefix - CONTEXT, 0)

    def cut(text: str) -> str:
        end = min(len(text) - suffix + CONTEXT, len(text))
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return f"{_quote(cut(old))} → {_quote(cut(new))}"


def _quote(text: str) -> str:
    return _visible(json.dumps(text, ensure_ascii=False))


def _safe(text: str) -> str:
    """A name from the document, made visible and kept short."""
    return _visible(text)[:120]


def _visible(text: str) -> str:
    """Control and direction characters written as escapes, so they cannot act."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}" if number else ""
