"""``brief review``: what came back from clearance in a DOCX, field by field.

A DOCX written by ``brief`` encloses each fact-sheet field's text in a bookmark named
after the field (:mod:`generator.render.field_marks`) and records which sheet it was
built from in its custom properties (``brief-id``, ``brief-sheet-sha256``,
``brief-docx-format``). :func:`review_docx` reads one such document back, finds every tracked
insertion and deletion, every edit made without tracking and every comment, and says for
each the field it falls in, where that field stands in the YAML file, and whether the
change can be written back (:func:`review_docx` with ``apply=True``) or needs a person.

Only a field that holds plain text takes a change: a text field, or a Markdown field
with no formatting, citation or other markup, before and after. A change to anything
else (formatted Markdown, a number, a moved paragraph, a field whose text in the sheet
changed since the DOCX was written) and every comment is listed for a person and left
alone. The sheet is never written unless asked, and then only the accepted scalars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from generator.authoring import review_fields
from generator.authoring.review_archive import ReturnedDocx, fail, printable, read_docx
from generator.authoring.review_fields import Comment, Edit, FieldText, Revision
from generator.authoring.review_yaml import Replacement, apply_edits
from generator.factsheet import FieldPath, LoadedSheet, iter_fields, load_bytes, read_sheet
from generator.render import plain_text
from generator.settings import DEFAULT_MAX_BYTES
from generator.writer import write_atomic

#: The version of the DOCX contract this reader knows (``brief-docx-format``).
DOCX_FORMAT = "1"

Status = Literal["applicable", "applied", "already", "needs-person", "conflict"]

_PATH_PART = re.compile(r"([a-z][a-z_]*)|\[(\d+)\]")
# A citation group as a DOCX shows it ([1], [1, 3], [?id]): not part of the words.
_CITED = re.compile(r"\[(?:\d+|\?[^\]\s]+)(?:,\s*(?:\d+|\?[^\]\s]+))*\]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
# Characters never written into a sheet unseen (brief check warns of the same ones).
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass
class Finding:
    """One thing the DOCX says about the sheet: a change, a comment or a note."""

    kind: Literal["change", "comment", "format"]
    path: str
    line: int | None
    col: int | None
    old: str = ""
    new: str = ""
    #: Who made the tracked changes; empty for an edit made without tracking.
    revisions: list[Revision] = field(default_factory=list)
    #: Each tracked insertion and deletion of the change.
    edits: list[Edit] = field(default_factory=list)
    comment: Comment | None = None
    status: Status = "needs-person"
    reason: str = ""


@dataclass
class Review:
    """The whole review of one returned DOCX."""

    sheet: str
    docx: str
    brief_id: str
    sheet_changed: bool
    findings: list[Finding]
    warnings: list[str]
    applied: bool = False


@dataclass(frozen=True)
class _SheetField:
    path: FieldPath
    value: object
    markdown: bool


def review_docx(
    sheet_path: Path, sheet_shown: str, docx_path: Path, docx_shown: str, *, apply: bool = False
) -> Review:
    """Review the DOCX at ``docx_path`` against the fact sheet at ``sheet_path``.

    With ``apply``, the changes that can be written back are, in one atomic write.
    Raises :class:`GeneratorError` for a DOCX that cannot be reviewed against this sheet
    (and :class:`FactSheetError` for a sheet that does not load).
    """
    data = read_sheet(sheet_path, sheet_shown, DEFAULT_MAX_BYTES)
    loaded = load_bytes(data, sheet_shown, sheet_path.stem)
    docx = read_docx(docx_path, docx_shown)
    changed = _check_identity(docx, loaded)
    warnings = []
    if changed:
        warnings.append(
            f"{sheet_shown} changed since {docx_shown} was written: each field is compared"
            " with the sheet's current text, and a field changed since is left to a person"
        )
    walked = review_fields.walk(docx.document)
    comments = review_fields.read_comments(docx.comments)
    warnings += [
        f"{docx_shown}: the field bookmark of {p} is given twice; the first counts"
        for p in walked.repeated
    ]
    if not walked.fields:
        warnings.append(
            f"{docx_shown} holds no field bookmarks: nothing in it can be traced to a field"
        )
    sheet_fields = _sheet_fields(loaded)
    findings: list[Finding] = []
    for text in walked.fields.values():
        findings += _field_findings(text, sheet_fields.get(text.path), loaded, changed, comments)
    findings += _stray_findings(walked, comments)
    result = Review(sheet_shown, docx_shown, loaded.brief_id, changed, findings, warnings)
    return _apply(result, sheet_path, data, loaded) if apply else result


def _check_identity(docx: ReturnedDocx, loaded: LoadedSheet) -> bool:
    """Refuse a DOCX brief did not write, or wrote for another sheet; True when the
    sheet changed since the DOCX was written."""
    props = docx.properties
    if "brief-id" not in props or "brief-docx-format" not in props:
        raise fail(
            docx.display,
            "not made by brief: it has no brief-id and brief-docx-format document properties",
        )
    if props["brief-docx-format"] != DOCX_FORMAT:
        raise fail(
            docx.display,
            f"written in brief's DOCX format '{printable(props['brief-docx-format'])}';"
            f" this version reads format {DOCX_FORMAT}",
        )
    if props["brief-id"] != loaded.brief_id:
        raise fail(
            docx.display,
            f"a document for another fact sheet: it was written for"
            f" '{printable(props['brief-id'])}', not '{loaded.brief_id}'",
        )
    if props.get("brief-edition") == "external":
        raise fail(
            docx.display,
            "the external edition, which marks no fields (its lists are not the fact "
            f"sheet's); review the internal edition, {loaded.brief_id}.internal.docx",
        )
    return props.get("brief-sheet-sha256", "").lower() != loaded.source_sha


def _sheet_fields(loaded: LoadedSheet) -> dict[str, _SheetField]:
    """Every field of the sheet by its shown path, items of text lists included."""
    from generator.factsheet import format_path

    found: dict[str, _SheetField] = {}
    for path, _name, value, markdown in iter_fields(loaded.sheet):
        found[format_path(path)] = _SheetField(path, value, markdown)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    found[format_path((*path, index))] = _SheetField((*path, index), item, False)
    return found


def words(text: str) -> str:
    """What two renderings of one text share: the words, without citation numbers,
    spaces collapsed, none before punctuation."""
    collapsed = " ".join(_CITED.sub("", text).split())
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", collapsed)


def _shown(target: _SheetField) -> str | None:
    """The sheet's text of a field as a DOCX shows it, compared by :func:`words`."""
    if not isinstance(target.value, str):
        return None
    return plain_text(target.value) if target.markdown else target.value


def _field_findings(
    text: FieldText,
    target: _SheetField | None,
    loaded: LoadedSheet,
    changed: bool,
    comments: dict[str, Comment],
) -> list[Finding]:
    """The change (if any), the comments and the formatting note of one field."""
    line, col = _position(loaded, target, text.original, text.original)
    comment_reason = "a comment is for a person to answer"
    found = [
        Finding("comment", text.path, line, col, comment=comments[c], reason=comment_reason)
        for c in text.comment_ids
        if c in comments
    ]
    if text.reformatted:
        reason = "the formatting was changed; carry it over by hand"
        found.append(Finding("format", text.path, line, col, reason=reason))
    change = _change(text, target, loaded, changed)
    return found if change is None else [change, *found]


def _change(
    text: FieldText, target: _SheetField | None, loaded: LoadedSheet, changed: bool
) -> Finding | None:
    """The change the DOCX proposes to one field, judged; None when it proposes none."""
    shown = _shown(target) if target is not None else None
    edited = shown is not None and words(text.original) != words(shown)
    if text.original == text.proposed and not edited:
        return None
    old = text.original
    if edited and not changed and not text.tracked:
        # The sheet is as the DOCX was built from: the text was edited without tracking.
        old = shown or ""
    if old == text.proposed:
        return None
    line, col = _position(loaded, target, old, text.proposed)
    change = Finding(
        "change", text.path, line, col, old, text.proposed, list(text.revisions), text.edits
    )
    if shown is not None and words(text.proposed) == words(shown):
        change.status, change.reason = "already", "the sheet already says this"
    else:
        change.status, change.reason = _judge(text, target, changed and edited, edited)
    return change


def _judge(
    text: FieldText, target: _SheetField | None, conflict: bool, edited: bool
) -> tuple[Status, str]:
    """Whether a change to a field can be written back, and if not, why."""
    if target is None:
        return "conflict", "the fact sheet has no such field (any more)"
    if conflict:
        return "conflict", "the field's text in the sheet changed since the DOCX was written"
    if edited and text.tracked:
        return "needs-person", "the field was edited both with and without tracked changes"
    if not isinstance(target.value, str):
        return "needs-person", "the field is not text in the sheet (a number or a date)"
    if text.moved:
        return "needs-person", "text was moved; place it by hand"
    if _HIDDEN.search(text.proposed):
        return "needs-person", "the new text holds control or direction characters"
    if "\n" in text.proposed.strip() and "\n" not in text.original.strip():
        return "needs-person", "the change splits the field into paragraphs"
    if target.markdown and not (
        is_plain_markdown(target.value) and is_plain_markdown(text.proposed)
    ):
        return "needs-person", "a Markdown field with formatting or citations"
    return "applicable", ""


def is_plain_markdown(text: str) -> bool:
    """True when Markdown ``text`` shows exactly its own words: one paragraph, no markup,
    no citation, so plain text from the DOCX can stand in for it."""
    if "\n\n" in text.strip() or "[@" in text:
        return False
    return plain_text(text) == " ".join(text.split())


def _position(
    loaded: LoadedSheet, target: _SheetField | None, old: str, new: str
) -> tuple[int | None, int | None]:
    """Where in the file the change from ``old`` to ``new`` starts: the scalar's own
    position when the changed words cannot be found in its source."""
    if target is None:
        return (None, None)
    source = loaded.source_map
    span = source.spans.get(target.path)
    if span is None or old == new:
        return source.position(target.path)
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    start = min(len(old), len(new)) if start is None else start
    for size in (16, 8, 4):
        piece = old[start : start + size].split("\n")[0]
        if len(piece) < min(size, 4):
            continue
        found = source.text.find(piece, span[0], span[1])
        if found >= 0 and source.text.find(piece, found + 1, span[1]) < 0:
            return _line_col(source.text, found)
    return source.position(target.path)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return (text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _stray_findings(walked: review_fields.Walked, comments: dict[str, Comment]) -> list[Finding]:
    """Comments and tracked changes outside every field: the document's own words."""
    found = [
        Finding(
            "comment",
            "",
            None,
            None,
            comment=comments[c],
            reason="the comment is outside every fact-sheet field",
        )
        for c in walked.stray_comments
        if c in comments
    ]
    reason = "the change is outside every fact-sheet field"
    for edit in walked.stray_changes:
        old, new = (edit.text, "") if edit.kind in ("delete", "gone") else ("", edit.text)
        found.append(
            Finding("change", "", None, None, old, new, [edit.revision], [edit], reason=reason)
        )
    return found


def parse_path(path: str) -> FieldPath:
    """``key_facts[3].value`` -> ``("key_facts", 3, "value")``."""
    return tuple(name or int(index) for name, index in _PATH_PART.findall(path))


def _apply(result: Review, sheet_path: Path, data: bytes, loaded: LoadedSheet) -> Review:
    """Write the applicable changes into the sheet; the refused ones need a person."""
    ready = [f for f in result.findings if f.kind == "change" and f.status == "applicable"]
    markdown = {p for p, f in _sheet_fields(loaded).items() if f.markdown}
    edits = [
        Replacement(parse_path(f.path), _new_value(f, loaded), f.path in markdown) for f in ready
    ]
    outcome = apply_edits(data, result.sheet, loaded.brief_id, edits)
    for finding, edit in zip(ready, edits, strict=True):
        reason = outcome.refused.get(edit.path)
        finding.status = "needs-person" if reason else "applied"
        finding.reason = reason or ""
    if any(f.status == "applied" for f in ready):
        write_atomic(sheet_path, outcome.data)
    return replace(result, applied=True)


def _new_value(finding: Finding, loaded: LoadedSheet) -> str:
    """The new text with the old value's surrounding white space (a block's last line
    break) kept."""
    old = _item(loaded, parse_path(finding.path))
    assert isinstance(old, str)
    lead = old[: len(old) - len(old.lstrip())]
    trail = old[len(old.rstrip()) :]
    return lead + finding.new.strip() + trail


def _item(loaded: LoadedSheet, path: FieldPath) -> object:
    node: object = loaded.sheet
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part)  # type: ignore[index]
    return node
