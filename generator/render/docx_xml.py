"""The WordprocessingML python-docx has no API for, written as raw XML in one place.

Bookmarks, fields (``PAGE``, ``NUMPAGES``, ``TOC``), internal and external hyperlinks, a
table's repeated header row, a numbered list that starts again at 1, East Asian run
properties, the custom document properties part and a reproducible zip. Everything else
of a DOCX goes through python-docx's own objects.

Ids are handed out in document order by :class:`Ids`, so the same briefing always gets
the same ids, and nothing here reads the clock or the host.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shared import OxmlElement
from lxml import etree

#: Every zip member's time stamp: the earliest a zip can hold, the same on every build.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CUSTOM_PART = "/docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#: The format id of a user-defined property (the only one Word and LibreOffice show).
_USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
#: What follows ``w:updateFields`` in the sequence of ``w:settings`` (ECMA-376, CT_Settings).
_AFTER_UPDATE_FIELDS = frozenset(
    [
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
)
# Characters XML 1.0 cannot hold (YAML's "\x01" escapes can make them): lxml refuses them.
_XML_INVALID = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], "\ufffd"
)


class Ids:
    """The next bookmark id, counted in document order."""

    def __init__(self) -> None:
        self.bookmark = 0

    def next_bookmark(self) -> int:
        """A fresh bookmark id (Word wants them unique in the document)."""
        self.bookmark += 1
        return self.bookmark


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced by U+FFFD (visible, not lost)."""
    return text.translate(_XML_INVALID)


def bookmark_start(bookmark_id: int, name: str) -> OxmlElement:
    """``<w:bookmarkStart>`` of ``name``."""
    element = OxmlElement("w:bookmarkStart")
    element.set(qn("w:id"), str(bookmark_id))
    element.set(qn("w:name"), name)
    return element


def bookmark_end(bookmark_id: int) -> OxmlElement:
    """``<w:bookmarkEnd>`` closing the bookmark ``bookmark_id``."""
    element = OxmlElement("w:bookmarkEnd")
    element.set(qn("w:id"), str(bookmark_id))
    return element


def internal_link(anchor: str) -> OxmlElement:
    """An empty ``<w:hyperlink>`` to the bookmark ``anchor``; runs go inside it."""
    element = OxmlElement("w:hyperlink")
    element.set(qn("w:anchor"), anchor)
    element.set(qn("w:history"), "1")
    return element


def external_link(part: Part, url: str) -> OxmlElement:
    """An empty ``<w:hyperlink>`` to ``url`` through an external relationship of ``part``."""
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), rel_id)
    element.set(qn("w:history"), "1")
    return element


def field_runs(instruction: str, shown: str) -> list[OxmlElement]:
    """The runs of a complex field: begin, instruction, separate, ``shown``, end.

    ``shown`` is the result a reader sees until the field is updated (Word updates page
    fields by itself; LibreOffice shows the last result of others).
    """
    runs = [_field_char("begin")]
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    runs.append(_run_with(instr))
    runs.append(_field_char("separate"))
    if shown:
        runs.append(_run_with(_text(shown)))
    runs.append(_field_char("end"))
    return runs


def toc_begin(levels: str = "1-3") -> list[OxmlElement]:
    """The runs that open a TOC field over heading ``levels``, up to its result."""
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f' TOC \\o "{levels}" \\h \\z \\u '
    begin = _field_char("begin")
    begin[0].set(qn("w:dirty"), "true")
    return [begin, _run_with(instr), _field_char("separate")]


def toc_end() -> OxmlElement:
    """The run that closes a TOC field."""
    return _field_char("end")


def repeat_header(row: OxmlElement) -> None:
    """Mark a table row ``<w:tr>`` as a header row, repeated atop each page."""
    row.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_whole(row: OxmlElement) -> None:
    """Keep a table row ``<w:tr>`` on one page, as the PDF does (a row taller than a page
    is still split by the word processor)."""
    row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def table_header_look(style: OxmlElement, fill: str) -> None:
    """Give a table style ``<w:style>`` a shaded, bold first row (``w:tblStylePr``)."""
    style.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


def east_asian(run: OxmlElement, font: str, language: str) -> None:
    """Give a run ``<w:r>`` its East Asian font and language (``w:eastAsia``)."""
    r_pr = run.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), language)


def other_language(run: OxmlElement, language: str) -> None:
    """Mark a run ``<w:r>`` of Greek or Cyrillic text with its language (``w:lang w:val``)."""
    r_pr = run.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def restart_numbering(numbering_part: Part, num_id: int) -> int:
    """A new list instance sharing ``num_id``'s definition that starts again at 1; its id.

    Paragraphs of a numbered style's own instance would go on counting from the last list.
    """
    numbering = numbering_part.element
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def paragraph_numbering(paragraph: OxmlElement, num_id: int, level: int) -> None:
    """Put a paragraph ``<w:p>`` on list instance ``num_id`` at ``level``."""
    num_pr = paragraph.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def update_fields_on_open(settings_element: OxmlElement) -> None:
    """Ask Word to update the fields (the contents' page numbers) when the file opens.

    The settings are a sequence whose order Word holds to: ``w:updateFields`` goes before
    the first of the elements that must follow it.
    """
    if settings_element.find(qn("w:updateFields")) is not None:
        return
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    for child in settings_element:
        if etree.QName(child).localname in _AFTER_UPDATE_FIELDS:
            child.addprevious(update)
            return
    settings_element.append(update)


def set_custom_properties(package: object, values: Mapping[str, str]) -> None:
    """Write ``docProps/custom.xml`` with ``values`` as text properties, replacing any the
    reference document carried (its values describe another document)."""
    properties = "".join(
        f'<property fmtid="{_USER_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(xml_text(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{properties}</Properties>'
    ).encode()
    for rel in list(package.rels.values()):  # type: ignore[attr-defined]
        if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES:
            del package.rels[rel.rId]  # type: ignore[attr-defined]
    part = Part(PackURI(CUSTOM_PART), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)  # type: ignore[attr-defined]


def drop_package_parts(package: object, reltypes: Iterable[str]) -> None:
    """Unlink the package-level parts of ``reltypes`` (a thumbnail of another document)."""
    wanted = set(reltypes)
    for rel in list(package.rels.values()):  # type: ignore[attr-defined]
        if rel.reltype in wanted:
            del package.rels[rel.rId]  # type: ignore[attr-defined]


def reproducible_zip(data: bytes) -> bytes:
    """The zip ``data`` again, member for member in the same order, with fixed time stamps
    and attributes: python-docx stamps each member with the time it was written."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            target.writestr(member, source.read(info), compresslevel=6)
    return out.getvalue()


def _field_char(kind: str) -> OxmlElement:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return _run_with(char)


def _text(text: str) -> OxmlElement:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = xml_text(text)
    return element


def _run_with(child: OxmlElement) -> OxmlElement:
    run = OxmlElement("w:r")
    run.append(child)
    return run
