"""The structure tree of a ``pydyf.PDF`` that WeasyPrint made, as :mod:`.pdf_tags` edits it.

``pydyf`` keeps references as bytes (``b"12 0 R"``) and objects in ``pdf.objects`` by
number; a structure element's ``K`` holds references (elements, ``OBJR`` dictionaries)
and integers (marked-content ids on the element's page). The parent tree maps each page's
marked-content ids, and each annotation's ``StructParent``, back to an element: every
edit here keeps it consistent (an id that became an artifact maps to ``null``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: (page index, marked-content id): one piece of content on one page.
Content = tuple[int, int]


class Tree:
    """The structure tree of ``pdf`` with the boxes WeasyPrint tagged and their HTML."""

    def __init__(self, pdf: Any, boxes: dict[int, Any], html_root: Any) -> None:
        self.pdf, self.boxes, self.html_root = pdf, boxes, html_root
        root = self.obj(pdf.catalog["StructTreeRoot"])
        self.document = self.obj(root["K"][0])
        self.nums = self.obj(root["ParentTree"])["Nums"]
        self.pages = {ref: index for index, ref in enumerate(pdf.page_references)}
        lang = pdf.catalog.get("Lang")
        self.language = lang.string if hasattr(lang, "string") else str(lang or "")
        self.dead: list[Any] = []
        self.dropped_keys: set[int] = set()
        self._where: dict[bytes, list[tuple[Any, int]]] | None = None
        self._parents: dict[Any, Any] | None = None
        self._ids: dict[str, Any] | None = None

    # Objects and elements.

    def obj(self, ref: bytes) -> Any:
        """The object ``ref`` (``b"12 0 R"``) names."""
        return self.pdf.objects[int(ref.split()[0])]

    def is_element(self, item: Any) -> bool:
        if not isinstance(item, bytes) or item == b"null":
            return False
        return self.obj(item).get("Type") == "/StructElem"

    def element_kids(self, element: Any) -> list[Any]:
        """The structure elements among the kids of ``element`` (not content, not OBJR)."""
        return [self.obj(item) for item in element["K"] if self.is_element(item)]

    def walk(self, element: Any = None) -> Iterator[Any]:
        """``element`` (the document by default) and every element below it, in order."""
        # A stack, not recursion: the tree of a 40-page briefing is some 10,000 elements
        # deep in places, and nested generators cost a third of the repair.
        stack = [self.document if element is None else element]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self.element_kids(current)))

    def descendants(self, element: Any) -> list[Any]:
        return list(self.walk(element))[1:]

    def is_inside_link(self, element: Any) -> bool:
        parent = self.obj(element["P"])
        while parent.get("Type") == "/StructElem":
            if parent["S"] == "/Link":
                return True
            parent = self.obj(parent["P"])
        return False

    # Their HTML.

    def html_element(self, element: Any) -> Any:
        """The HTML element the structure element stands for, if WeasyPrint made it from
        a box (a text run's own span has none)."""
        box = self.boxes.get(element.number)
        return None if box is None else box.element

    def tag(self, html: Any) -> str:
        """The HTML tag name, without a namespace."""
        return str(html.tag).rpartition("}")[2]

    def html_parent(self, html: Any) -> Any:
        if html is None:
            return None
        if self._parents is None:
            self._parents = {kid: el for el in self.html_root.iter() for kid in el}
        return self._parents.get(html)

    def by_id(self, anchor: str) -> Any:
        if self._ids is None:
            self._ids = {el.get("id"): el for el in self.html_root.iter() if el.get("id")}
        return self._ids.get(anchor)

    def text(self, html: Any) -> str:
        return "".join(html.itertext())

    # Content.

    def content_of(self, element: Any) -> set[Content]:
        """The marked content of ``element`` and everything below it."""
        found: set[Content] = set()
        for each in self.walk(element):
            page = self.pages.get(each.get("Pg"), -1)
            for item in each["K"]:
                if isinstance(item, int):
                    found.add((page, item))
                elif isinstance(item, dict) and item.get("Type") == "/MCR":
                    found.add((self.pages[item["Pg"]], item["MCID"]))
        return found

    def orphan_content(self) -> set[Content]:
        """Marked content that no element under the document reaches: what WeasyPrint
        tagged in the margin boxes and left hanging."""
        mapped = {
            (self.nums[i], mcid)
            for i in range(0, len(self.nums), 2)
            if isinstance(self.nums[i + 1], list)
            for mcid in range(len(self.nums[i + 1]))
        }
        return mapped - self.content_of(self.document)

    def make_artifacts(self, content: Iterable[Content]) -> None:
        """Mark ``content`` as pagination artifacts in the page streams, and unmap it."""
        import pydyf

        by_page: dict[int, set[int]] = {}
        for page, mcid in content:
            by_page.setdefault(page, set()).add(mcid)
        for page, mcids in by_page.items():
            page_object = self.obj(self.pdf.page_references[page])
            stream = self.obj(page_object["Contents"]).stream
            for index, item in enumerate(stream):
                if isinstance(item, dict) and item.get("MCID") in mcids:
                    stream[index - 1] = "/Artifact"
                    stream[index] = pydyf.Dictionary({"Type": "/Pagination"})
            mapping = self.nums[self.nums.index(page) + 1]
            for mcid in mcids:
                self._unindex(mapping, mcid)
                mapping[mcid] = b"null"

    # Edits.

    def remove_kid(self, parent: Any, kid: Any) -> None:
        """Take ``kid`` and everything below it out of the tree."""
        parent["K"] = type(parent["K"])(
            [item for item in parent["K"] if not (self.is_element(item) and self.obj(item) is kid)]
        )
        self._bury(kid)

    def absorb(self, target: Any, source: Any) -> None:
        """Move the kids of ``source`` to the end of ``target``'s, and drop ``source``."""
        target["K"].extend(self._moved(source, target))
        self._detach(source, target)

    def unwrap(self, element: Any) -> None:
        """Put the kids of ``element`` in its place in its parent, and drop it."""
        parent = self.obj(element["P"])
        kids = parent["K"]
        index = next(i for i, item in enumerate(kids) if item == element.reference)
        kids[index : index + 1] = self._moved(element, parent)
        self._detach(element, parent, remove=False)

    def _moved(self, source: Any, target: Any) -> list[Any]:
        """The kids of ``source``, now the kids of ``target``: elements point to their
        new parent; marked-content ids of another page become references with a page."""
        import pydyf

        moved = []
        for item in source["K"]:
            if isinstance(item, int) and source.get("Pg") != target.get("Pg"):
                item = pydyf.Dictionary({"Type": "/MCR", "Pg": source["Pg"], "MCID": item})
            elif self.is_element(item):
                self.obj(item)["P"] = target.reference
            moved.append(item)
        source["K"] = type(source["K"])()
        return moved

    def _detach(self, element: Any, heir: Any, *, remove: bool = True) -> None:
        """Drop ``element`` from its parent; what the parent tree said of it goes to
        ``heir``."""
        if remove:
            parent = self.obj(element["P"])
            parent["K"] = type(parent["K"])(
                [item for item in parent["K"] if item != element.reference]
            )
        self.redirect(element.reference, heir.reference)
        self.dead.append(element)

    def _bury(self, element: Any) -> None:
        for each in self.walk(element):
            self.redirect(each.reference, b"null")
            self.dead.append(each)

    def redirect(self, old: bytes, new: bytes) -> None:
        """Make every parent-tree entry that names ``old`` name ``new``."""
        where = self._index()
        for container, index in where.pop(old, ()):
            if container[index] == old:
                container[index] = new
                where.setdefault(new, []).append((container, index))

    def _index(self) -> dict[bytes, list[tuple[Any, int]]]:
        """Where each element is named in the parent tree (built once, kept up to date)."""
        if self._where is None:
            self._where = {}
            for i in range(1, len(self.nums), 2):
                value = self.nums[i]
                entries = enumerate(value) if isinstance(value, list) else [(None, value)]
                for j, ref in entries:
                    place = (value, j) if j is not None else (self.nums, i)
                    self._where.setdefault(ref, []).append(place)
        return self._where

    def _unindex(self, container: Any, index: int) -> None:
        places = self._index().get(container[index], [])
        places[:] = [(c, i) for c, i in places if not (c is container and i == index)]

    # Links.

    def collapse_annotations(self, link: Any, description: str) -> None:
        """Join the annotations of ``link`` that lie on one line (a contents entry's
        text, leader and page number), described by ``description``; a link wrapped over
        lines keeps one per line. The joined ones go from the page and the tree."""
        import pydyf

        kept: list[tuple[bytes, Any]] = []
        for item, objr in self._take_objrs(link):
            annotation = self.obj(objr["Obj"])
            line = next(
                (one for page, one in kept if page == objr["Pg"] and _same_line(one, annotation)),
                None,
            )
            if line is None:
                kept.append((objr["Pg"], annotation))
                link["K"].append(item)
            else:
                line["Rect"] = _union(line["Rect"], annotation["Rect"])
                self._drop_annotation(objr["Pg"], annotation)
        for _page, annotation in kept:
            annotation["Contents"] = pydyf.String(description)
            annotation["F"] = 4  # Print: a printed copy shows what the screen shows

    def _take_objrs(self, link: Any) -> list[tuple[bytes, Any]]:
        """The annotation references of ``link`` and the elements below it, removed from
        where they were."""
        taken = []
        for holder in self.walk(link):
            for item in list(holder["K"]):
                objr = self.obj(item) if isinstance(item, bytes) else None
                if objr is not None and objr.get("Type") == "/OBJR":
                    holder["K"].remove(item)
                    taken.append((item, objr))
        return taken

    def _drop_annotation(self, page_ref: bytes, annotation: Any) -> None:
        page = self.obj(page_ref)
        page["Annots"].remove(annotation.reference)
        if annotation.get("StructParent") is not None:
            self.dropped_keys.add(annotation["StructParent"])
        annotation.clear()

    def finish(self) -> None:
        """Drop the parent-tree entries of dropped annotations, and empty the dropped
        elements: nothing refers to them any more."""
        pairs = [
            (self.nums[i], self.nums[i + 1])
            for i in range(0, len(self.nums), 2)
            if self.nums[i] not in self.dropped_keys
        ]
        self.nums[:] = [item for pair in pairs for item in pair]
        for element in self.dead:
            element.clear()


def _same_line(first: Any, second: Any) -> bool:
    """Whether two annotations' rectangles share most of their height (one line)."""
    one, other = first["Rect"], second["Rect"]
    low = max(min(one[1], one[3]), min(other[1], other[3]))
    high = min(max(one[1], one[3]), max(other[1], other[3]))
    shortest = min(abs(one[3] - one[1]), abs(other[3] - other[1]))
    return high - low > shortest / 2


def _union(one: Any, other: Any) -> Any:
    import pydyf

    xs = (one[0], one[2], other[0], other[2])
    ys = (one[1], one[3], other[1], other[3])
    return pydyf.Array([min(xs), min(ys), max(xs), max(ys)])
