"""DOCX files as brief's DOCX writer makes them, and as reviewers send them back.

:class:`SampleDocx` writes a document that follows the DOCX contract (every field's text
inside a bookmark named by ``generator.render.bookmark_name``, and the ``brief-*``
custom document properties), with python-docx and a little raw XML, then edits it the
way Word does: tracked insertions (``w:ins``) and deletions (``w:del`` with
``w:delText``), comments anchored by ``commentRangeStart``/``commentRangeEnd``, runs split
into many, moved text, and plain edits without tracking.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from generator.factsheet import format_path, iter_fields, load
from generator.render import bookmark_name, make_markdown, plain_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
AUTHOR, DATE = "Jane Doe", "2026-12-02T09:30:00Z"


def sheet_texts(sheet_path: Path) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Each text field of the sheet and its paragraphs as a DOCX would show them."""
    loaded = load(sheet_path, sheet_path.name)
    found: list[tuple[str, list[tuple[str, bool]]]] = []
    for path, _name, value, markdown in iter_fields(loaded.sheet):
        if isinstance(value, list):
            found += [
                (format_path((*path, i)), [(v, False)])
                for i, v in enumerate(value)
                if isinstance(v, str)
            ]
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value)
            blocks = markdown_blocks(text) if markdown else [(text, False)]
            found.append((format_path(path), [b for b in blocks if b[0]]))
    return found


def markdown_blocks(text: str) -> list[tuple[str, bool]]:
    """The paragraphs of Markdown ``text`` as plain text, and whether each is a list item."""
    blocks, depth = [], 0
    for token in make_markdown().parse(text, {}):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline":
            blocks.append((plain_text(token.content), depth > 0))
    return blocks


class SampleDocx:
    """A DOCX for one fact sheet, built as brief's writer would, then edited."""

    def __init__(self, sheet_path: Path, *, properties: dict[str, str] | None = None) -> None:
        data = sheet_path.read_bytes()
        self.properties = (
            {
                "brief-id": sheet_path.stem,
                "brief-sheet-sha256": hashlib.sha256(data).hexdigest(),
                "brief-docx-format": "1",
                "brief-generator": "brief 0.1.0",
            }
            if properties is None
            else properties
        )
        self.document = docx.Document()
        self.labels: list[etree._Element] = []
        for ident, (path, paragraphs) in enumerate(sheet_texts(sheet_path)):
            self._field(ident, path, paragraphs)

    def _field(self, ident: int, path: str, paragraphs: list[tuple[str, bool]]) -> None:
        try:
            name = bookmark_name(path)
        except ValueError:
            return
        for index, (text, listed) in enumerate(paragraphs):
            paragraph = self.document.add_paragraph(style="List Bullet" if listed else None)
            if index == 0:
                label = paragraph.add_run(f"{path}: ")
                self.labels.append(label._r)
                start = etree.SubElement(paragraph._p, qn("w:bookmarkStart"))
                start.set(qn("w:id"), str(ident))
                start.set(qn("w:name"), name)
            paragraph.add_run(text)
        end = etree.SubElement(paragraph._p, qn("w:bookmarkEnd"))
        end.set(qn("w:id"), str(ident))

    @classmethod
    def open(cls, path: Path) -> SampleDocx:
        """A DOCX written by someone else (brief's own writer) to edit; its custom
        properties are kept as they are."""
        sample = cls.__new__(cls)
        sample.document = docx.Document(str(path))
        sample.properties = {}
        sample.labels = []
        return sample

    def runs(self, path: str) -> list[etree._Element]:
        """The runs of the field's text, found from its bookmark."""
        return list(self._field_runs(path))

    # The reviewer's edits -------------------------------------------------------------

    def track(
        self,
        path: str,
        old: str,
        new: str,
        *,
        after: str = "",
        author: str = AUTHOR,
        date: str = DATE,
    ) -> None:
        """Replace ``old`` by ``new`` in the field as a tracked deletion and insertion
        (an insertion only when ``old`` is empty: after the text ``after``)."""
        run, head, tail = self._cut(path, old or after, keep=bool(after and not old))
        parent = run.getparent()
        at = parent.index(run)
        pieces = [_run_like(run, head)]
        if old:
            pieces.append(_change("w:del", _run_like(run, old, deleted=True), author, date))
        if new:
            pieces.append(_change("w:ins", _run_like(run, new), author, date))
        pieces.append(_run_like(run, tail))
        parent.remove(run)
        for offset, piece in enumerate(p for p in pieces if p is not None):
            parent.insert(at + offset, piece)

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` with track changes off."""
        for run in self.runs(path):
            text = run.find(qn("w:t"))
            if text is not None and old in (text.text or ""):
                text.text = text.text.replace(old, new, 1)
                return
        raise AssertionError(f"{old!r} not in {path}")

    def comment(self, path: str, anchor: str, text: str, author: str = "Li Wei") -> None:
        """A comment on the run of the field holding ``anchor``."""
        run = next(r for r in self.runs(path) if anchor in _text_of(r))
        # The run may stand in a table cell: wrap it directly rather than look it up.
        paragraph = Paragraph(run.getparent(), self.document._body)
        self.document.add_comment(Run(run, paragraph), text=text, author=author, initials="LW")

    def split_runs(self, path: str, size: int = 2) -> None:
        """Cut every run of the field into runs of ``size`` characters, each with its own
        rsid, as Word does after a few edits."""
        for run in list(self.runs(path)):
            text = _text_of(run)
            parent, at = run.getparent(), run.getparent().index(run)
            parent.remove(run)
            for offset, start in enumerate(range(0, len(text), size)):
                piece = _run_like(run, text[start : start + size])
                piece.set(qn("w:rsidR"), f"00{offset:06X}")
                parent.insert(at + offset, piece)

    def move(self, path: str, text: str, author: str = AUTHOR) -> None:
        """Mark ``text`` of the field as moved away (``w:moveFrom``)."""
        run, head, tail = self._cut(path, text)
        parent, at = run.getparent(), run.getparent().index(run)
        moved = _change("w:moveFrom", _run_like(run, text, deleted=True), author, DATE)
        parent.remove(run)
        for offset, piece in enumerate(
            p for p in (_run_like(run, head), moved, _run_like(run, tail)) if p is not None
        ):
            parent.insert(at + offset, piece)

    def track_label(self, index: int, new: str) -> None:
        """A tracked insertion before a label the writer put outside every field."""
        label = self.labels[index]
        label.addprevious(_change("w:ins", _run_like(label, new), AUTHOR, DATE))

    def track_at_edge(self, path: str, new: str, *, end: bool = True) -> None:
        """A tracked insertion just outside the field's bookmark, after its end (or
        before its start): where Word leaves text typed at a bookmark's edge."""
        name = bookmark_name(path)
        body = self.document.element.body
        start = next(m for m in body.iter(qn("w:bookmarkStart")) if m.get(qn("w:name")) == name)
        run = self.runs(path)[-1 if end else 0]
        inserted = _change("w:ins", _run_like(run, new), AUTHOR, DATE)
        if end:
            ident = start.get(qn("w:id"))
            finish = next(m for m in body.iter(qn("w:bookmarkEnd")) if m.get(qn("w:id")) == ident)
            finish.addnext(inserted)
        else:
            start.addprevious(inserted)

    # Saving ---------------------------------------------------------------------------

    def save(self, target: Path) -> Path:
        """Write the DOCX, custom properties included."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        target.write_bytes(with_properties(buffer.getvalue(), self.properties))
        return target

    def _cut(self, path: str, text: str, keep: bool = False) -> tuple[etree._Element, str, str]:
        for run in self.runs(path):
            whole = _text_of(run)
            if text in whole and run.find(qn("w:t")) is not None:
                head, _, tail = whole.partition(text)
                return run, head + (text if keep else ""), tail
        raise AssertionError(f"{text!r} not in a run of {path}")

    def _field_runs(self, path: str):
        name = bookmark_name(path)
        body = self.document.element.body
        inside = False
        for element in body.iter():
            if element.tag == qn("w:bookmarkStart") and element.get(qn("w:name")) == name:
                inside, ident = True, element.get(qn("w:id"))
            elif element.tag == qn("w:bookmarkEnd") and inside and element.get(qn("w:id")) == ident:
                return
            elif inside and _plain_run(element):
                yield element


def _plain_run(element: etree._Element) -> bool:
    """A run with text standing in a paragraph (not inside a tracked change)."""
    return (
        element.tag == qn("w:r")
        and element.find(qn("w:t")) is not None
        and element.getparent().tag == qn("w:p")
    )


def _text_of(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t"), qn("w:delText")))


def _run_like(run: etree._Element, text: str, *, deleted: bool = False) -> etree._Element | None:
    """A run with ``run``'s formatting holding ``text`` (None for no text)."""
    if not text:
        return None
    # python-docx's own element classes, so that its comment API works on these runs.
    made = OxmlElement("w:r")
    props = run.find(qn("w:rPr"))
    if props is not None:
        made.append(copy.deepcopy(props))
    node = etree.SubElement(made, qn("w:delText" if deleted else "w:t"))
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return made


_CHANGE_IDS = iter(range(1000, 100000))


def _change(tag: str, run: etree._Element | None, author: str, date: str) -> etree._Element:
    change = OxmlElement(tag)
    change.set(qn("w:id"), str(next(_CHANGE_IDS)))
    change.set(qn("w:author"), author)
    change.set(qn("w:date"), date)
    if run is not None:
        change.append(run)
    return change


def with_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """A DOCX with ``properties`` as its custom document properties (docProps/custom.xml)."""
    if not properties:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/docProps/custom.xml" ContentType="{CUSTOM_TYPE}"/>'
                )
                part = part.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "_rels/.rels":
                rel = (
                    f'<Relationship Id="rIdBriefCustom" Type="{CUSTOM_REL}"'
                    ' Target="docProps/custom.xml"/>'
                )
                part = part.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(info.filename, part)
        target.writestr("docProps/custom.xml", custom_xml(properties))
    return out.getvalue()


def custom_xml(properties: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(properties.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
