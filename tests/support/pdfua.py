"""The PDF/UA checker of the tests: a validator's rules plus the structure checks it lacks.

``page`` (PyPI ``page-validation``) checks the PDF/UA-1 rules of veraPDF's profile and
passes veraPDF's test corpus; veraPDF itself needs a Java runtime this project does not
install. No validator checks what a screen reader hears of the structure, so
:func:`structure_findings` walks the tree with pypdf for the Matterhorn Protocol failure
conditions a briefing can meet (docs/output.md, "Accessibility"). :func:`pdfua_findings`
is both: an empty list is a pass.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
LIST_KIDS = {"/LI", "/L", "/Caption"}
ITEM_KIDS = {"/Lbl", "/LBody"}


def pdfua_findings(pdf: bytes) -> list[str]:
    """Every finding of the validator and of the structure checks, as readable lines."""
    import page

    report = page.validate_pdf_bytes(pdf, profile="ua1")
    found = [f"{failure.rule_id}: {failure.message}" for failure in report.failures]
    return found + structure_findings(PdfReader(io.BytesIO(pdf)))


class Walk:
    """The structure elements reachable from the root, with their pages' content."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
        self.elements: list[tuple[DictionaryObject, DictionaryObject | None]] = []
        self.content: dict[tuple[int, int], int] = {}  # (page, mcid) -> element idnum
        self.annotations: dict[int, int] = {}  # annotation idnum -> element idnum
        root = reader.trailer["/Root"]["/StructTreeRoot"]
        for kid in _kids(root):
            self._visit(kid, None, None)

    def _visit(self, ref: Any, parent: Any, page: int | None) -> None:
        element = ref.get_object()
        if "/Pg" in element:
            page = self.pages[element.raw_get("/Pg").idnum]
        self.elements.append((element, parent))
        for kid in _kids(element):
            item = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(item, int):
                self.content[(page, int(item))] = ref.idnum
            elif item.get("/Type") == "/MCR":
                self.content[(self.pages[item.raw_get("/Pg").idnum], int(item["/MCID"]))] = (
                    ref.idnum
                )
            elif item.get("/Type") == "/OBJR":
                self.annotations[item.raw_get("/Obj").idnum] = ref.idnum
            else:
                self._visit(kid, element, page)


def _kids(element: Any) -> Iterator[Any]:
    kids = element.get("/K")
    if kids is None:
        return
    yield from kids if isinstance(kids, ArrayObject) else [kids]


def structure_findings(reader: PdfReader) -> list[str]:
    """The Matterhorn failure conditions found in the structure of ``reader``'s PDF."""
    root = reader.trailer["/Root"]
    found = []
    if root.get("/MarkInfo", {}).get("/Marked") != True:  # noqa: E712 (a pypdf BooleanObject)
        found.append("01-002: MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in root:
        return [*found, "01-005: no structure tree"]
    if not str(root.get("/Lang", "")).strip():
        found.append("11-001: no document language")
    if not (reader.metadata and reader.metadata.title):
        found.append("06-003: no document title")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") != True:  # noqa: E712
        found.append("07-002: DisplayDocTitle is not true")
    walk = Walk(reader)
    found += _element_findings(walk)
    found += _content_findings(reader, walk)
    found += _link_findings(reader, walk)
    return found


def _element_findings(walk: Walk) -> list[str]:
    found, level = [], 0
    for element, parent in walk.elements:
        kind, above = element["/S"], parent["/S"] if parent is not None else None
        kinds = {kid.get_object().get("/S") for kid in _kids(element) if _is_ref(kid)}
        if kind == "/L" and kinds - LIST_KIDS - {None}:
            found.append(f"16-001: L holds {sorted(kinds - LIST_KIDS - {None})}")
        if kind == "/LI" and above != "/L":
            found.append(f"16-001: LI inside {above}")
        if kind == "/LI" and kinds - ITEM_KIDS - {None}:
            found.append(f"16-001: LI holds {sorted(kinds - ITEM_KIDS - {None})}")
        if kind == "/TH" and _scope(element) not in ("/Row", "/Column", "/Both"):
            found.append("15-003: a header cell has no Scope")
        if kind == "/Figure" and not str(element.get("/Alt", "")).strip():
            found.append("13-004: a figure has no Alt")
        if re.fullmatch(r"/H[1-6]", kind):
            if int(kind[2]) > level + 1:
                found.append(f"14-003: {kind} after H{level}")
            level = int(kind[2])
    return found


def _is_ref(kid: Any) -> bool:
    return isinstance(kid, IndirectObject) and kid.get_object().get("/Type") == "/StructElem"


def _scope(cell: DictionaryObject) -> Any:
    attributes = cell.get("/A")
    for each in attributes if isinstance(attributes, ArrayObject) else [attributes]:
        if isinstance(each, DictionaryObject) and "/Scope" in each:
            return each["/Scope"]
    return None


def _content_findings(reader: PdfReader, walk: Walk) -> list[str]:
    """Every marked-content id of a page is reached from the root, and the parent tree
    says which element reaches it (furniture that is neither is 'an orphaned span')."""
    found = []
    nums = _parent_tree(reader)
    for page_index, page in enumerate(reader.pages):
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        mapping = nums.get(page_index, ArrayObject())
        for match in MARKED.finditer(data):
            mcid = int(match[2])
            owner = walk.content.get((page_index, mcid))
            if owner is None:
                shown = match[1].decode()
                found.append(f"01-005: page {page_index + 1} /{shown} MCID {mcid} is orphaned")
            elif mcid >= len(mapping) or getattr(mapping[mcid], "idnum", None) != owner:
                found.append(f"ParentTree: page {page_index + 1} MCID {mcid} maps elsewhere")
    return found


def _parent_tree(reader: PdfReader) -> dict[int, Any]:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()
    nums = tree["/Nums"]
    return {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}


def _link_findings(reader: PdfReader, walk: Walk) -> list[str]:
    """Each link annotation in a Link element, described in words (not an anchor id),
    and no two annotations of one link on one page."""
    found = []
    anchors = set(_anchor_names(reader))
    for page_index, page in enumerate(reader.pages):
        seen: list[tuple[str, list[float]]] = []
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            where = f"page {page_index + 1}"
            owner = walk.annotations.get(ref.idnum)
            description = str(annotation.get("/Contents", "")).strip()
            if owner is None:
                found.append(f"28-011: {where}: a link annotation is in no Link element")
            if not description or description in anchors:
                found.append(f"28-004: {where}: link described as {description!r}")
            target = str(annotation.get("/Dest") or annotation.get("/A", {}).get("/URI"))
            rect = [float(x) for x in annotation["/Rect"]]
            if any(t == target and _overlap(r, rect) for t, r in seen):
                found.append(f"28-011: {where}: overlapping annotations link to {target}")
            seen.append((target, rect))
    return found


def _overlap(one: list[float], other: list[float]) -> bool:
    def span(rect: list[float], axis: int) -> tuple[float, float]:
        return min(rect[axis], rect[axis + 2]), max(rect[axis], rect[axis + 2])

    return all(
        span(one, axis)[0] < span(other, axis)[1] and span(other, axis)[0] < span(one, axis)[1]
        for axis in (0, 1)
    )


def _anchor_names(reader: PdfReader) -> Iterator[str]:
    names = reader.trailer["/Root"].get("/Names", {}).get("/Dests", {}).get("/Names", [])
    for i in range(0, len(names), 2):
        yield str(names[i])
