"""What a returned DOCX says about each fact-sheet field: its text before and after the
tracked changes, who changed it, and the comments on it.

The text of a field is whatever stands between the bookmarkStart and bookmarkEnd named
after it (:func:`generator.render.field_path`), so it does not matter how Word or
LibreOffice renamed, split or merged the runs in between: the walk reads text elements
in document order and notes, for each, whether it sits inside a tracked insertion, a
tracked deletion or a move. The text as written (the *original*) keeps the deletions and
drops the insertions; the text as proposed (the *proposed*) does the opposite.
Paragraphs of one field are joined with a line break.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from generator.authoring.review_archive import W_NS
from generator.render import field_path

#: How a piece of text stands: in both versions, only in the proposal, only in the
#: original, or in neither (typed by one reviewer and deleted by another).
Kind = Literal["same", "insert", "delete", "gone"]

_W = f"{{{W_NS}}}"
#: Elements that stand for text, and the text they stand for (None: their own text).
_TEXT: dict[str, str | None] = {
    f"{_W}t": None,
    f"{_W}delText": None,
    f"{_W}tab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
_INSERT = {f"{_W}ins", f"{_W}moveTo"}
_DELETE = {f"{_W}del", f"{_W}moveFrom"}
_MOVES = {f"{_W}moveTo", f"{_W}moveFrom"}
_FORMAT_CHANGES = {f"{_W}rPrChange", f"{_W}pPrChange"}


@dataclass(frozen=True)
class Revision:
    """Who made a tracked change, and when (Word's ``w:author`` and ``w:date``)."""

    author: str
    date: str


@dataclass
class Edit:
    """One tracked insertion or deletion: its kind, its text, who made it."""

    kind: Kind
    text: str
    revision: Revision


@dataclass
class FieldText:
    """Everything the DOCX holds for one field bookmark."""

    path: str
    original: str = ""
    proposed: str = ""
    revisions: list[Revision] = field(default_factory=list)
    #: Each tracked insertion and deletion in document order, neighbours of one kind
    #: by one reviewer joined.
    edits: list[Edit] = field(default_factory=list)
    comment_ids: list[str] = field(default_factory=list)
    moved: bool = False
    reformatted: bool = False
    #: Paragraphs of the field so far (a field may span several).
    paragraphs: int = 1

    @property
    def tracked(self) -> bool:
        """True when tracked insertions or deletions touch the field."""
        return bool(self.revisions)


@dataclass(frozen=True)
class Comment:
    """One comment of ``word/comments.xml``, with the text it is anchored to."""

    id: str
    author: str
    date: str
    text: str


@dataclass
class Walked:
    """The fields found in a document, and what happened outside any of them."""

    fields: dict[str, FieldText]
    #: Comment ids whose range touches no field.
    stray_comments: list[str]
    #: Tracked changes outside any field (text inserted or deleted there).
    stray_changes: list[Edit]
    #: Field bookmarks given more than once (the first one counts).
    repeated: list[str]


def walk(document: etree._Element) -> Walked:
    """Read the fields, tracked changes and comment anchors of ``word/document.xml``."""
    walker = _Walker()
    for event, element in etree.iterwalk(document, events=("start", "end")):
        if event == "start":
            walker.start(element)
        elif element.tag == f"{_W}p":
            walker.end_paragraph(element)
    return walker.result()


def read_comments(comments: etree._Element | None) -> dict[str, Comment]:
    """The comments by id; a comment's paragraphs joined with line breaks."""
    if comments is None:
        return {}
    found: dict[str, Comment] = {}
    for node in comments.iter(f"{_W}comment"):
        paragraphs = ["".join(p.itertext()) for p in node.iter(f"{_W}p")]
        ident = node.get(f"{_W}id", "")
        found[ident] = Comment(
            ident,
            node.get(f"{_W}author", "") or "unknown",
            _day(node.get(f"{_W}date", "")),
            "\n".join(paragraphs).strip(),
        )
    return found


def _day(stamp: str) -> str:
    """``2026-12-02T10:11:00Z`` -> ``2026-12-02``; an empty stamp stays empty."""
    return stamp.split("T", 1)[0]


class _Walker:
    """The state of one walk: open bookmarks, open comment ranges, changes in force."""

    def __init__(self) -> None:
        self.fields: dict[str, FieldText] = {}
        self.repeated: list[str] = []
        #: Open field bookmarks by bookmark id.
        self.open: dict[str, FieldText] = {}
        self.comments_open: set[str] = set()
        self.touched: set[str] = set()
        self.all_comments: list[str] = []
        self.stray_changes: list[Edit] = []
        #: The next stray change continues the last one (no text between them).
        self.stray_joins = False
        #: A field that ended in this paragraph with no unchanged text since: a change
        #: right after it is the field's (Word leaves text typed at a bookmark's end
        #: outside it).
        self.edge: FieldText | None = None
        #: Changes in this paragraph since its last unchanged text, for a field that
        #: may start right after them (text typed just before a bookmark).
        self.pending: list[tuple[str, Kind, Revision, bool]] = []

    def start(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == f"{_W}bookmarkStart":
            self._open_bookmark(element)
        elif tag == f"{_W}bookmarkEnd":
            self._close_bookmark(element.get(f"{_W}id", ""))
        elif tag in (f"{_W}commentRangeStart", f"{_W}commentReference"):
            self._comment_at(element.get(f"{_W}id", ""))
            if tag == f"{_W}commentRangeStart":
                self.comments_open.add(element.get(f"{_W}id", ""))
        elif tag == f"{_W}commentRangeEnd":
            self.comments_open.discard(element.get(f"{_W}id", ""))
        elif tag in _TEXT:
            self._text(element)
        elif tag in _FORMAT_CHANGES:
            for target in self._targets():
                target.reformatted = True

    def _open_bookmark(self, element: etree._Element) -> None:
        path = field_path(element.get(f"{_W}name", ""))
        if path is None:
            return
        ident = element.get(f"{_W}id", "")
        if path in self.fields:
            target = self.fields[path]
            if any(target is t for t in self.open.values()):
                # LibreOffice starts a bookmark that spans list paragraphs again in the
                # last one, and ends only that second start: one field, two ids.
                self.open[ident] = target
            elif path not in self.repeated:
                self.repeated.append(path)
            return
        target = FieldText(path)
        self.fields[path] = target
        self.open[ident] = target
        for text, kind, change, moved in self.pending:
            _take(target, text, kind, change, moved)
        self.pending = []
        for ident in self.comments_open:
            self._comment_at(ident)

    def _targets(self) -> list[FieldText]:
        """The fields open here, each once (one field may be open under two ids)."""
        return list({id(t): t for t in self.open.values()}.values())

    def _close_bookmark(self, ident: str) -> None:
        target = self.open.pop(ident, None)
        for other in [i for i, field_text in self.open.items() if field_text is target]:
            del self.open[other]
        if target is not None and not self.open:
            self.edge = target

    def _comment_at(self, ident: str) -> None:
        if ident not in self.all_comments:
            self.all_comments.append(ident)
        for target in self._targets():
            self.touched.add(ident)
            if ident not in target.comment_ids:
                target.comment_ids.append(ident)

    def _text(self, element: etree._Element) -> None:
        if _inside(element, f"{_W}instrText"):
            return
        fixed = _TEXT[element.tag]
        text = element.text or "" if fixed is None else fixed
        if element.tag == f"{_W}br" and element.get(f"{_W}type") == "page":
            text = ""
        kind, change = _change_of(element)
        self._add(text, kind, change, moved=_is_moved(element))
        for ident in self.comments_open:
            self._comment_at(ident)

    def _add(self, text: str, kind: Kind, change: Revision | None, *, moved: bool) -> None:
        if not text:
            return
        if self.open:
            for target in self._targets():
                _take(target, text, kind, change, moved)
        elif change is None:
            self._flush_pending()
            self.edge, self.stray_joins = None, False
        elif self.edge is not None:
            _take(self.edge, text, kind, change, moved)
        else:
            self.pending.append((text, kind, change, moved))

    def _flush_pending(self) -> None:
        """The changes waiting for a field that did not start: outside every field."""
        for text, kind, change, _moved in self.pending:
            _note_edit(self.stray_changes, kind, text, change, join=self.stray_joins)
            self.stray_joins = True
        self.pending = []

    def end_paragraph(self, paragraph: etree._Element) -> None:
        """A paragraph ends inside a field: the field goes on after a line break,
        unless the paragraph mark itself was inserted or deleted."""
        kind: Kind = "same"
        change = None
        mark = paragraph.find(f"{_W}pPr/{_W}rPr")
        if mark is not None:
            for child in mark:
                if child.tag in _INSERT | _DELETE:
                    kind = "insert" if child.tag in _INSERT else "delete"
                    change = _revision(child)
        if not self.open:
            self._flush_pending()
            self.edge, self.stray_joins = None, False
            return
        for target in self._targets():
            target.paragraphs += 1
        self._add("\n", kind, change, moved=False)

    def result(self) -> Walked:
        self._flush_pending()
        for target in self.fields.values():
            # The break after a field's last paragraph belongs to no field's text.
            target.original = target.original.rstrip("\n")
            target.proposed = target.proposed.rstrip("\n")
            target.paragraphs = target.original.count("\n") + 1
        stray = [c for c in self.all_comments if c not in self.touched]
        return Walked(self.fields, stray, self.stray_changes, self.repeated)


def _take(target: FieldText, text: str, kind: Kind, change: Revision | None, moved: bool) -> None:
    """``text`` as the field's, in the versions its kind puts it in."""
    if kind in ("same", "delete"):
        target.original += text
    if kind in ("same", "insert"):
        target.proposed += text
    if change is not None:
        if change not in target.revisions:
            target.revisions.append(change)
        _note_edit(target.edits, kind, text, change)
    target.moved = target.moved or moved


def _note_edit(
    edits: list[Edit], kind: Kind, text: str, change: Revision, *, join: bool = True
) -> None:
    last = edits[-1] if edits and join else None
    if last is not None and (last.kind, last.revision) == (kind, change):
        last.text += text
    else:
        edits.append(Edit(kind, text, change))


def _inside(element: etree._Element, tag: str) -> bool:
    return any(a.tag == tag for a in element.iterancestors())


def _change_of(element: etree._Element) -> tuple[Kind, Revision | None]:
    """Whether ``element`` was inserted or deleted by a tracked change, and by whom.

    Text typed by one reviewer and deleted by another sits inside both, and is in
    neither version; the nearest change names the reviewer."""
    inserted = deleted = None
    for ancestor in element.iterancestors():
        if ancestor.tag in _DELETE and deleted is None:
            deleted = ancestor
        elif ancestor.tag in _INSERT and inserted is None:
            inserted = ancestor
        elif ancestor.tag == f"{_W}body":
            break
    if inserted is not None and deleted is not None:
        return "gone", _revision(deleted)
    if deleted is not None:
        return "delete", _revision(deleted)
    if inserted is not None:
        return "insert", _revision(inserted)
    return "same", None


def _is_moved(element: etree._Element) -> bool:
    return any(a.tag in _MOVES for a in element.iterancestors())


def _revision(change: etree._Element) -> Revision:
    return Revision(change.get(f"{_W}author", "") or "unknown", _day(change.get(f"{_W}date", "")))
