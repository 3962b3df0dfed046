"""Repair of WeasyPrint's structure tree (the tagged ``pdf/ua-1`` PDF), before it is written.

WeasyPrint tags a document page by page, straight from its boxes, and leaves faults that
a screen reader hears and a PDF/UA checker reports (docs/output.md, "Accessibility"):

- page furniture (the margin boxes: running head, status mark, footer, page numbers) is
  marked content whose structure elements hang from nothing;
- a list is ``L > Div > … > LI``, and a definition list is one ``LI`` per term and one per
  description;
- an element split across pages (a table, a section) is one structure element per page,
  and a table's header repeated on the next page is read again as content;
- a link is one annotation per box it covers (a contents entry: four overlapping ones,
  with its ``::after`` leader and page number), described by its anchor id (``summary``);
- header cells carry no ``Scope``, and elements with their own ``lang`` no ``Lang``.

The fixes need WeasyPrint's boxes (which HTML element a structure element stands for),
which its tagging does not keep. :func:`recording` wraps WeasyPrint's private
``_build_box_tree`` to note, for each structure element, its box; nothing else of
WeasyPrint changes. :func:`repair` then edits the ``pydyf`` objects as WeasyPrint's
``finisher`` hook, before one byte is written: the output stays byte-reproducible and
costs no second parse of the PDF. The tree helpers are in :mod:`.pdf_tree`.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from generator.render.pdf_tree import Tree

#: The boxes of the structure elements of the render in progress, by object number.
_BOXES: contextvars.ContextVar[dict[int, Any] | None] = contextvars.ContextVar(
    "brief_pdf_boxes", default=None
)
#: Where a list's items may sit: PDF/UA (ISO 14289-1, 7.6) allows nothing else under L.
LIST_KIDS = ("/LI", "/L", "/Caption")
#: Longest description of a link taken from its target's text.
DESCRIPTION_LENGTH = 100


@contextmanager
def recording() -> Iterator[dict[int, Any]]:
    """Note the box of every structure element WeasyPrint tags inside the block."""
    _install()
    boxes: dict[int, Any] = {}
    token = _BOXES.set(boxes)
    try:
        yield boxes
    finally:
        _BOXES.reset(token)


def _install() -> None:
    """Wrap WeasyPrint's ``_build_box_tree`` once; it calls itself through the module, so
    every level of the tree passes through the wrapper."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, "brief_recorder", False):
        return

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        boxes = _BOXES.get()
        for element in original(box, *args):
            if boxes is not None:
                # The innermost call wins: html, body and page boxes pass their
                # children's elements up.
                boxes.setdefault(element.number, box)
            yield element

    build_box_tree.brief_recorder = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree


def repair(pdf: Any, boxes: dict[int, Any], html_root: Any) -> None:
    """Fix the structure tree of ``pdf`` (a ``pydyf.PDF``) in place; untagged PDFs pass.

    ``boxes`` is what :func:`recording` noted, ``html_root`` the document's HTML element
    (an ``xml.etree`` element, as WeasyPrint parses it).
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    from generator.render.layout_cycles import collector_paused

    # The repair makes some ten thousand small containers and no cycles, among the
    # millions of objects of the laid-out document: a collection it triggered would scan
    # them all, and cost more than the repair (1.6 s instead of 0.04 s for the index of
    # the large briefing's parent tree).
    with collector_paused():
        _repair(Tree(pdf, boxes, html_root))


def _repair(tree: Tree) -> None:
    """The fixes, in an order where each sees the tree the one before left."""
    tree.make_artifacts(tree.orphan_content())
    merge_continuations(tree, tree.document)
    for element in list(tree.walk()):
        kind = element["S"]
        if kind == "/L":
            fix_list(tree, element)
        elif kind == "/LI":
            drop_inner_item(tree, element)
        elif kind == "/TH":
            set_scope(tree, element)
        elif kind == "/Link":
            fix_link(tree, element)
        set_language(tree, element)
    tree.finish()


def merge_continuations(tree: Tree, element: Any) -> None:
    """Join consecutive kids of ``element`` that stand for one HTML element (split across
    pages), then do the same below; a repeated table header or footer becomes an
    artifact."""
    kids = tree.element_kids(element)
    merged: list[Any] = []
    for kid in kids:
        last = merged[-1] if merged else None
        if last is not None and _same_element(tree, last, kid):
            for grandkid in tree.element_kids(kid):
                if _repeated_header(tree, last, grandkid):
                    tree.make_artifacts(tree.content_of(grandkid))
                    tree.remove_kid(kid, grandkid)
            tree.absorb(last, kid)
        else:
            merged.append(kid)
    for kid in merged:
        merge_continuations(tree, kid)


def _same_element(tree: Tree, first: Any, second: Any) -> bool:
    one, other = tree.html_element(first), tree.html_element(second)
    return one is not None and one is other and first["S"] == second["S"]


def _repeated_header(tree: Tree, table: Any, part: Any) -> bool:
    """Whether ``part`` is a ``thead``/``tfoot`` that ``table`` already has."""
    html = tree.html_element(part)
    if html is None or tree.tag(html) not in ("thead", "tfoot"):
        return False
    return any(tree.html_element(kid) is html for kid in tree.element_kids(table))


def fix_list(tree: Tree, element: Any) -> None:
    """``L > LI`` with nothing between; a definition list's term and its descriptions
    become one ``LI > Lbl + LBody``."""
    while True:
        stray = [kid for kid in tree.element_kids(element) if kid["S"] not in LIST_KIDS]
        if not stray:
            break
        for kid in stray:
            tree.unwrap(kid)
    html = tree.html_element(element)
    if html is not None and tree.tag(html) == "dl":
        _pair_terms(tree, element)


def drop_inner_item(tree: Tree, element: Any) -> None:
    """An ``LI`` inside the ``LI`` of the same HTML element goes, with its ``LBody``.

    WeasyPrint tags each box of an ``li`` laid out as a table (wrapper, table, row) as
    another item, so the row's item sits in the first item's body, outside any list.
    """
    html = tree.html_element(element)
    parent = tree.obj(element["P"])
    if html is None or parent["S"] == "/L":
        return
    ancestor = parent
    while ancestor.get("Type") == "/StructElem" and ancestor["S"] != "/LI":
        ancestor = tree.obj(ancestor["P"])
    if ancestor.get("Type") != "/StructElem" or tree.html_element(ancestor) is not html:
        return
    for body in tree.element_kids(element):
        if body["S"] in ("/LBody", "/Lbl"):
            tree.unwrap(body)
    tree.unwrap(element)


def _pair_terms(tree: Tree, element: Any) -> None:
    """Each ``dt`` item's body becomes the label of the item, and the bodies of the ``dd``
    items after it join that item."""
    current = None
    for item in tree.element_kids(element):
        html = tree.html_element(item)
        tag = tree.tag(html) if html is not None else None
        if tag == "dt":
            current = item
            for body in tree.element_kids(item):
                if body["S"] == "/LBody":
                    body["S"] = "/Lbl"
        elif tag == "dd" and current is not None:
            tree.absorb(current, item)


def set_scope(tree: Tree, element: Any) -> None:
    """``Scope`` from the cell's ``scope`` attribute, else Column in a ``thead``, Row in
    a body row."""
    import pydyf

    html = tree.html_element(element)
    scope = (html.get("scope") or "").lower() if html is not None else ""
    if scope not in ("row", "col", "rowgroup", "colgroup"):
        group = tree.html_parent(tree.html_parent(html))
        scope = "col" if group is not None and tree.tag(group) == "thead" else "row"
    attributes = element.get("A")
    if not isinstance(attributes, dict):
        attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
    attributes["Scope"] = "/Row" if scope.startswith("row") else "/Column"


def fix_link(tree: Tree, element: Any) -> None:
    """One link element, one annotation per page, described in words."""
    if element["S"] != "/Link" or tree.is_inside_link(element):
        return
    for nested in [kid for kid in tree.descendants(element) if kid["S"] == "/Link"]:
        tree.unwrap(nested)
    tree.collapse_annotations(element, link_description(tree, element))


def link_description(tree: Tree, element: Any) -> str:
    """What a screen reader says for the link: its own label, else its text, and for a
    text with no words (a citation's number) that text and the start of its target's."""
    html = tree.html_element(element)
    if html is None:
        return ""
    for attribute in ("aria-label", "title"):
        if html.get(attribute, "").strip():
            return _squeezed(html.get(attribute))
    text = _squeezed(tree.text(html))
    if re.search(r"\w", text) and not re.fullmatch(r"[\W\d_]+", text):
        return text
    href = html.get("href", "")
    target = tree.by_id(href[1:]) if href.startswith("#") else None
    if target is None:
        return text or href
    title = next((el for el in target.iter() if tree.tag(el) == "cite"), target)
    words = _squeezed(tree.text(title))
    return f"{text}: {_shortened(words)}" if text else _shortened(words)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _shortened(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def set_language(tree: Tree, element: Any) -> None:
    """``Lang`` on an element whose HTML element states a language other than the
    document's."""
    import pydyf

    html = tree.html_element(element)
    lang = html.get("lang") if html is not None else None
    if lang and lang.lower() != tree.language.lower() and tree.tag(html) not in ("html", "body"):
        element["Lang"] = pydyf.String(lang)
