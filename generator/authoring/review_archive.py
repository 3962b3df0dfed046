"""Reading a returned DOCX without trusting it: the zip, its XML and brief's properties.

A DOCX that comes back from clearance has passed through other people's hands and
programs, so it is read as hostile input. The archive's directory is checked before any
member is inflated (how many members, the sizes they declare, their compression ratio),
and a member is never inflated past its limit, whatever it declares. The XML is parsed by
lxml with entities left unresolved, no DTD loaded and no network, and a part that
declares a DTD at all is refused: WordprocessingML never needs one, and a DTD is how
entity expansion ("billion laughs") and external entities get in. Every problem is a
:class:`GeneratorError` naming the file, never a traceback.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from generator.errors import GeneratorError
from generator.settings import format_size

#: The largest DOCX file read at all.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most members an archive may list.
MAX_MEMBERS = 2000
#: The largest size one XML part we read may have once inflated.
MAX_PART_BYTES = 64 * 1024 * 1024
#: The largest inflated size of the whole archive, as its directory declares it.
MAX_TOTAL_BYTES = 512 * 1024 * 1024
#: Inflated to compressed size above which a member is taken for a zip bomb (text XML
#: compresses about 10:1; 200:1 is a run of one byte, not a document).
MAX_RATIO = 200
#: Below this inflated size the ratio is not judged (tiny parts compress oddly).
RATIO_FLOOR = 1024 * 1024
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
#: A DTD's start as UTF-8 (or ASCII) and UTF-16 text spell it.
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_PART = "word/document.xml"
COMMENTS_PART = "word/comments.xml"
CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


@dataclass(frozen=True)
class ReturnedDocx:
    """The parts of a returned DOCX that a review reads."""

    display: str
    document: etree._Element
    comments: etree._Element | None
    properties: dict[str, str]


def printable(text: str, limit: int = 80) -> str:
    """A value from the document fit for a message: controls and direction characters
    replaced, cut to ``limit`` characters."""
    return _UNPRINTABLE.sub("?", text[:limit])


def fail(display: str, message: str) -> GeneratorError:
    """The error for a DOCX that cannot be reviewed: one line naming the file."""
    return GeneratorError(f"{display}: {message}")


def read_docx(path: Path, display: str) -> ReturnedDocx:
    """Open ``path`` as a DOCX and parse the parts a review needs.

    Raises :class:`GeneratorError` for anything that is not a sound DOCX.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO would block the read, a device never end.
            raise fail(display, "cannot read the file: not a regular file")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise fail(display, f"the file is larger than {format_size(MAX_FILE_BYTES)}")
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise fail(display, f"cannot read the file: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise fail(
            display, "not a DOCX: the file is not a zip archive (or it is cut short)"
        ) from None
    with archive:
        _check_directory(archive, display)
        document = _part(archive, DOCUMENT_PART, display)
        if document is None:
            raise fail(display, f"not a DOCX: the archive has no {DOCUMENT_PART}")
        comments = _part(archive, COMMENTS_PART, display)
        custom = _part(archive, CUSTOM_PART, display)
    return ReturnedDocx(display, document, comments, _properties(custom))


def _check_directory(archive: zipfile.ZipFile, display: str) -> None:
    """Refuse an archive whose directory already shows it is no document."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise fail(display, f"the archive lists {len(members)} members; at most {MAX_MEMBERS}")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_TOTAL_BYTES or total > MAX_TOTAL_BYTES:
            raise fail(
                display,
                f"the archive declares more than {format_size(MAX_TOTAL_BYTES)} once"
                f" unpacked ({member.filename}): refusing a possible zip bomb",
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise fail(
                display,
                f"{member.filename} would unpack {ratio:.0f} times its packed size (at most"
                f" {MAX_RATIO}): refusing a possible zip bomb",
            )


def _part(archive: zipfile.ZipFile, name: str, display: str) -> etree._Element | None:
    """The parsed XML of member ``name``, or None when the archive has none."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise fail(display, f"{name} is larger than {format_size(MAX_PART_BYTES)}")
    try:
        with archive.open(info) as handle:
            # Never more than the limit, whatever the directory declares.
            data = handle.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise fail(display, f"{name} cannot be unpacked ({exc}): the file is damaged") from None
    if len(data) > MAX_PART_BYTES:
        raise fail(display, f"{name} is larger than {format_size(MAX_PART_BYTES)}")
    return parse_xml(data, name, display)


def parse_xml(data: bytes, part: str, display: str) -> etree._Element:
    """XML bytes parsed with no entity resolved, no DTD and no network; a DTD is refused
    (before parsing, as libxml2 words its own refusals differently by version, and
    after, for a spelling the byte scan does not know)."""
    if any(mark in data for mark in _DOCTYPE_MARKS):
        raise fail(display, _dtd_message(part))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise fail(display, f"{part} is not well-formed XML ({exc.msg})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise fail(display, _dtd_message(part))
    return root


def _dtd_message(part: str) -> str:
    return (
        f"{part} declares a DTD (<!DOCTYPE>), which a Word document never does: refusing"
        " its entities"
    )


def _properties(custom: etree._Element | None) -> dict[str, str]:
    """The custom document properties as name -> text (docProps/custom.xml)."""
    if custom is None:
        return {}
    found: dict[str, str] = {}
    for prop in custom.iter(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name is not None and name not in found:
            found[name] = "".join(prop.itertext()).strip()
    return found
