"""Reading a DOCX briefing back in tests: the text inside each bookmark, the custom
properties, the hyperlinks. python-docx opens the file; the few things it has no API for
(bookmarks, custom properties) are read from its XML, the way ``brief review`` will."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

CUSTOM_RELTYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)


def open_docx(path: Path):
    """The document at ``path``, opened with python-docx."""
    return docx.Document(str(path))


def bookmarked_text(document) -> dict[str, str]:
    """Every bookmark of the body -> the text between its start and end, in document order
    (paragraphs joined by a line break)."""
    open_ids: dict[str, str] = {}
    names: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    for element in document.element.body.iter():
        tag = element.tag
        if tag == qn("w:bookmarkStart"):
            bookmark_id = element.get(qn("w:id"))
            open_ids[bookmark_id] = element.get(qn("w:name"))
            names[bookmark_id] = open_ids[bookmark_id]
            texts[bookmark_id] = []
        elif tag == qn("w:bookmarkEnd"):
            open_ids.pop(element.get(qn("w:id")), None)
        elif tag in (qn("w:t"), qn("w:tab"), qn("w:br")):
            piece = element.text or "" if tag == qn("w:t") else "\t" if tag == qn("w:tab") else "\n"
            for bookmark_id in open_ids:
                texts[bookmark_id].append(piece)
        elif tag == qn("w:p"):
            for bookmark_id in open_ids:
                if texts[bookmark_id]:
                    texts[bookmark_id].append("\n")
    return {names[i]: "".join(texts[i]).strip("\n") for i in names}


def custom_properties(document) -> dict[str, str]:
    """The custom document properties (``docProps/custom.xml``), name -> text."""
    from lxml import etree

    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == CUSTOM_RELTYPE:
            root = etree.fromstring(rel.target_part.blob)
            return {
                prop.get("name"): "".join(prop.itertext())
                for prop in root
                if prop.get("name") is not None
            }
    return {}
