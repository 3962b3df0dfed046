"""The text a reader (or a program) can get out of an output file, and where it stands.

The leak check (:mod:`generator.builder.leaks`) searches what this module extracts, so it
extracts everything a recipient could read: a PDF's text layer page by page, its document
information, XMP metadata, bookmarks, link targets, alternative texts and embedded files;
an HTML file's text, comments and every attribute value (``alt``, ``title``, ``meta``
``content``, ``href``...) element by element; every XML part of a DOCX (body, headers,
footers, notes, comments, properties, relationships); and an email's headers, plain-text
and HTML parts, attachment names and attachments.

A :class:`Haystack` is a run of :class:`Segment` texts searched as one: a sentence may
cross a page break or an inline element. Attribute values and headers are ``separate``:
one value never runs into the next.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

Where = tuple[str, ...]
#: PDF dictionary keys whose strings a reader sees: alternative and replacement texts,
#: titles and expansions of abbreviations in the structure tree.
_STRUCT_TEXT_KEYS = ("/Alt", "/ActualText", "/T", "/E", "/Lang")
#: The structure tree is walked this deep at most (a tree ours never comes near).
_STRUCT_DEPTH = 200


@dataclass(frozen=True)
class Segment:
    """A piece of text and where it stands, outermost first (``("page 2",)``)."""

    where: Where
    text: str


@dataclass(frozen=True)
class Haystack:
    """Texts searched as one run; ``separate``: each segment on its own."""

    segments: tuple[Segment, ...]
    separate: bool = False


Cache = dict[str, list[Haystack]]


def extract(name: str, data: bytes, cache: Cache | None = None) -> list[Haystack]:
    """Every text of the output ``name`` (its suffix says the kind), with its place.

    ``cache`` keeps what was extracted by content hash: the same attachment in a thousand
    messages is read once.
    """
    key = hashlib.sha256(name.rsplit(".", 1)[-1].encode() + b"\0" + data).hexdigest()
    if cache is not None and key in cache:
        return cache[key]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = _READERS.get(suffix, _plain)
    found = reader(data, cache)
    if cache is not None:
        cache[key] = found
    return found


def _plain(data: bytes, cache: Cache | None) -> list[Haystack]:
    return [Haystack((Segment(("text",), data.decode("utf-8", "replace")),))]


# --- PDF -------------------------------------------------------------------------------


def _pdf(data: bytes, cache: Cache | None) -> list[Haystack]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = tuple(
        Segment((f"page {number}",), page.extract_text() or "")
        for number, page in enumerate(reader.pages, 1)
    )
    found = [Haystack(pages), Haystack(tuple(_pdf_extras(reader)), separate=True)]
    for file_name, contents in reader.attachments.items():
        for index, blob in enumerate(contents):
            text = blob.decode("utf-8", "replace")
            where = (f"embedded file {file_name}" + (f" #{index + 1}" if index else ""),)
            found.append(Haystack((Segment(where, text), Segment(where, file_name))))
    return found


def _pdf_extras(reader: Any) -> Iterator[Segment]:
    """What a PDF holds beside its text layer: metadata, bookmarks, links, alt texts."""
    for key, value in (reader.metadata or {}).items():
        yield Segment((f"document information {key}",), str(value))
    root = reader.trailer["/Root"]
    if "/Metadata" in root:
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
        yield from (Segment(("XMP metadata",), t) for t in _xml_texts(xmp.encode()))
    yield from _outline(reader.outline)
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = action.get_object().get("/URI") if action else None
            if uri:
                yield Segment((f"link on page {number}",), str(uri))
    if "/StructTreeRoot" in root:
        yield from _structure(root["/StructTreeRoot"].get_object(), 0)


def _outline(items: Any) -> Iterator[Segment]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield Segment(("bookmark",), str(item.title or ""))


def _structure(node: Any, depth: int) -> Iterator[Segment]:
    """The strings of the structure tree a reader sees: alternative texts and the like."""
    from pypdf.generic import ArrayObject, DictionaryObject

    if depth > _STRUCT_DEPTH:
        return
    if isinstance(node, DictionaryObject):
        for key in _STRUCT_TEXT_KEYS:
            if key in node:
                yield Segment((f"structure {key[1:]}",), str(node[key]))
        kids = node.get("/K")
        if kids is not None:
            yield from _structure(kids.get_object(), depth + 1)
    elif isinstance(node, ArrayObject):
        for kid in node:
            yield from _structure(kid.get_object(), depth + 1)


# --- HTML ------------------------------------------------------------------------------


def _html(data: bytes, cache: Cache | None) -> list[Haystack]:
    import tinyhtml5

    flow: list[Segment] = []
    attributes: list[Segment] = []
    _walk_html(tinyhtml5.parse(data), (), flow, attributes)
    return [Haystack(tuple(flow)), Haystack(tuple(attributes), separate=True)]


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _walk_html(element: Any, chain: Where, flow: list[Segment], attrs: list[Segment]) -> None:
    """Every text of ``element``, with the chain of elements it stands in."""
    here = chain or (_local(element.tag),)
    if element.text:
        flow.append(Segment(here, element.text))
    for name, value in element.attrib.items():
        attrs.append(Segment((*here[:-1], f"{here[-1]}[{_local(name)}]"), value))
    tags = Counter(_local(c.tag) for c in element if isinstance(c.tag, str))
    seen: Counter[str] = Counter()
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            flow.append(Segment((*here, "comment"), child.text or ""))
        else:
            tag = _local(child.tag)
            seen[tag] += 1
            label = tag + (
                f"#{child.get('id')}"
                if child.get("id")
                else f":nth-of-type({seen[tag]})"
                if tags[tag] > 1
                else ""
            )
            _walk_html(child, (*here, label), flow, attrs)
        if child.tail:
            flow.append(Segment(here, child.tail))


def describe(where: Where) -> str:
    """A place as people read it: ``page 2``, ``HTML part, section#risks > ul > li``.

    An HTML element is named by its path from its nearest ancestor with an id.
    """
    if "html" not in where:
        return ", ".join(where)
    root = where.index("html")
    chain = where[root:]
    start = max((i for i, step in enumerate(chain) if "#" in step), default=0)
    return ", ".join((*where[:root], " > ".join(chain[start:])))


# --- DOCX ------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes, cache: Cache | None) -> list[Haystack]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            flow: list[Segment] = []
            attrs: list[Segment] = []
            _walk_xml(ET.fromstring(archive.read(name)), name, flow, attrs)
            found += [Haystack(tuple(flow)), Haystack(tuple(attrs), separate=True)]
    return found


def _walk_xml(root: ET.Element, part: str, flow: list[Segment], attrs: list[Segment]) -> None:
    """Text and attribute values of one XML part, placed by paragraph where it has them."""
    paragraphs = 0
    # Depth first in document order; a string on the stack is a tail, read after its element.
    stack: list[tuple[ET.Element | str, Where]] = [(root, (part,))]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            flow.append(Segment(where, item))
            continue
        if item.tag == f"{_W}p":
            paragraphs += 1
            where = (part, f"paragraph {paragraphs}")
        if item.text:
            flow.append(Segment(where, item.text))
        for name, value in item.attrib.items():
            attrs.append(Segment((*where, f"attribute {_local(name)}"), value))
        for child in reversed(list(item)):
            if child.tail:
                stack.append((child.tail, where))
            stack.append((child, where))


def _xml_texts(data: bytes) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return [data.decode("utf-8", "replace")]
    return [t for e in root.iter() for t in (e.text, e.tail, *e.attrib.values()) if t]


# --- Email -----------------------------------------------------------------------------


def _eml(data: bytes, cache: Cache | None) -> list[Haystack]:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    headers = [Segment((f"header {k}",), str(v)) for k, v in message.items()]
    found = [Haystack(tuple(headers), separate=True)]
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        found += _email_part(part, index, cache)
    return found


def _email_part(part: Any, index: int, cache: Cache | None) -> list[Haystack]:
    name = part.get_filename()
    content = part.get_content()
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if name:
        where: Where = (f"attachment {name}",)
        inner = extract(name, raw, cache)
        return [Haystack((Segment(where, name),)), *_within(where, inner)]
    if part.get_content_type() == "text/html":
        return _within(("HTML part",), _html(raw, cache))
    if part.get_content_maintype() == "text":
        return [Haystack((Segment(("plain-text part",), str(content)),))]
    return _within((f"part {index} ({part.get_content_type()})",), _plain(raw, cache))


def _within(prefix: Where, stacks: list[Haystack]) -> list[Haystack]:
    return [
        Haystack(tuple(Segment((*prefix, *s.where), s.text) for s in h.segments), h.separate)
        for h in stacks
    ]


_READERS: dict[str, Callable[[bytes, Cache | None], list[Haystack]]] = {
    "pdf": _pdf,
    "html": _html,
    "htm": _html,
    "docx": _docx,
    "eml": _eml,
}
