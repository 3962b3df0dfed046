"""The reference document of DOCX briefings: its styles, page set-up, header and footer.

``templates/reference.docx`` plays the part of Pandoc's ``--reference-doc``: a DOCX
briefing starts as a copy of it, its body emptied, so its styles, page size and margins,
header and footer are the briefing's. People restyle briefings by opening it in Word,
changing the styles and saving it. :func:`make_reference_docx` writes the shipped one
(``scripts/make-reference-docx.py``); :func:`ensure_styles` adds to an edited reference
any house style it lacks, with the shipped look, so an older or pared-down reference
still gives a whole document.

The header and footer hold placeholders that each briefing fills with its own text
(:data:`generator.render.docx_furniture.PLACEHOLDERS`): ``{title}`` and ``{jurisdiction}``
(the running head, shortened as in the PDF), ``{status}`` (DRAFT or FOR REVIEW, empty for
a final briefing), ``{as_of}``, ``{facts_as_of}`` ("Facts as of" and the date, in the
briefing's language), ``{brief_id}`` and ``{page_of_pages}`` (the page numbers as Word
fields, ``PAGE`` and ``NUMPAGES``, in the words of the briefing's language).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Mm, Pt, RGBColor

from generator.render.docx_xml import (
    drop_package_parts,
    reproducible_zip,
    table_header_look,
)

#: A4 with the PDF's margins (top, right, bottom, left), in millimetres.
PAGE = (210, 297)
MARGINS = (24, 18, 22, 20)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x55, 0x55, 0x55)
ALERT = RGBColor(0xB0, 0x00, 0x20)
#: The reference's own dates: fixed, so that making it twice gives the same bytes.
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

PARAGRAPH, CHARACTER, TABLE = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE


@dataclass(frozen=True)
class StyleSpec:
    """A house style the writer uses and what it looks like when the reference lacks it."""

    name: str
    kind: WD_STYLE_TYPE
    base: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: RGBColor | None = None
    font: str | None = None
    before: float | None = None
    after: float | None = None
    indent: float | None = None
    hanging: float | None = None
    keep_with_next: bool = False
    underline: bool | None = None


#: Every style the writer names, besides Word's built-in ones every reference has
#: (Normal, Title, Subtitle, Heading 1-9, List Bullet, List Number, Quote).
HOUSE_STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("Kicker", PARAGRAPH, "Normal", 9, bold=True, color=MUTED, after=2),
    StyleSpec("Table Text", PARAGRAPH, "Normal", 9.5, before=1, after=1),
    StyleSpec("Table Heading", PARAGRAPH, "Table Text", bold=True, keep_with_next=True),
    StyleSpec("Entry Sources", PARAGRAPH, "Normal", 8.5, color=MUTED, before=2, after=6),
    StyleSpec("Label", PARAGRAPH, "Normal", 9.5, bold=True, after=2, keep_with_next=True),
    StyleSpec("Severity", PARAGRAPH, "Normal", 9, bold=True, color=ALERT, after=4),
    StyleSpec("Source Entry", PARAGRAPH, "Normal", 9, after=4, indent=8, hanging=8),
    StyleSpec("Source Code", PARAGRAPH, "Normal", 8.5, font="Courier New", after=6),
    StyleSpec("TOC Heading", PARAGRAPH, "Heading 1"),
    StyleSpec("toc 1", PARAGRAPH, "Normal", after=2),
    StyleSpec("toc 2", PARAGRAPH, "Normal", after=2, indent=6),
    StyleSpec("toc 3", PARAGRAPH, "Normal", after=2, indent=12),
    StyleSpec("Hyperlink", CHARACTER, None, color=RGBColor(0x1F, 0x4E, 0x9A), underline=True),
    StyleSpec("Citation", CHARACTER, None, color=ACCENT),
    StyleSpec("Code", CHARACTER, None, font="Courier New"),
    StyleSpec("Status Mark", CHARACTER, None, bold=True, color=ALERT),
    StyleSpec("Brief Table", TABLE, "Table Grid"),
    StyleSpec("Glance Table", TABLE, "Table Grid"),
)


#: Word's built-in styles the writer names; a reference that lost one gets a plain one.
BUILT_IN: tuple[StyleSpec, ...] = tuple(
    StyleSpec(
        name,
        TABLE if name == "Table Grid" else PARAGRAPH,
        None if name == "Table Grid" else "Normal",
    )
    for name in (
        "Title",
        "Subtitle",
        *(f"Heading {level}" for level in range(1, 10)),
        *(
            f"{kind}{suffix}"
            for kind in ("List Bullet", "List Number", "List Continue")
            for suffix in ("", " 2", " 3")
        ),
        "Quote",
        "Header",
        "Footer",
        "Table Grid",
    )
)


def ensure_styles(document: Any) -> None:
    """Add every house style ``document`` lacks (an edited reference keeps its own)."""
    names = {style.name for style in document.styles}
    for spec in (*BUILT_IN, *HOUSE_STYLES):
        if spec.name not in names:
            _add_style(document, spec)
            names.add(spec.name)


def style_ids(document: Any) -> dict[str, str]:
    """Style name -> style id, for every style of ``document``.

    Looked up once: python-docx searches every style on each lookup, and it finds Word's
    built-in styles by their lower-case names only (``heading 1``), where LibreOffice
    saves ``Heading 1``. A name given twice (LibreOffice does that) means the style whose
    id is the name without spaces, as Word would make it.
    """
    ids: dict[str, str] = {}
    for style in document.styles:
        name, style_id = style.name, style.style_id
        if name and (name not in ids or style_id == name.replace(" ", "")):
            ids[name] = style_id
    return ids


def make_reference_docx(path: Path) -> None:
    """Write the shipped reference document to ``path`` (the same bytes every time)."""
    import docx

    document = docx.Document()
    ensure_styles(document)
    _house_look(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    top, right, bottom, left = MARGINS
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(10)
    width = Mm(PAGE[0] - left - right)
    _furniture(document, width)
    drop_package_parts(document.part.package, [RELATIONSHIP_TYPE.THUMBNAIL])
    properties = document.core_properties
    properties.author = properties.last_modified_by = "brief"
    properties.title = "Reference document of brief's DOCX briefings"
    properties.comments = "Change the styles in Word and save; see docs/templates.md."
    properties.revision = 1
    properties.created = properties.modified = _EPOCH
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(reproducible_zip(buffer.getvalue()))


def _add_style(document: Any, spec: StyleSpec) -> None:
    from docx.styles.style import StyleFactory

    style = document.styles.add_style(spec.name, spec.kind)
    base = style_ids(document).get(spec.base or "")
    if base is not None:
        style.base_style = StyleFactory(document.styles.element.get_by_id(base))
    style.quick_style = spec.kind != TABLE
    if spec.kind == TABLE:
        if spec.name == "Brief Table":
            table_header_look(style.element, "DCE3EC")
        return
    font = style.font
    if spec.size is not None:
        font.size = Pt(spec.size)
    font.bold, font.italic, font.underline = spec.bold, spec.italic, spec.underline
    if spec.color is not None:
        font.color.rgb = spec.color
    if spec.font is not None:
        font.name = spec.font
    if spec.kind == PARAGRAPH:
        _paragraph_look(style, spec)


def _paragraph_look(style: Any, spec: StyleSpec) -> None:
    layout = style.paragraph_format
    if spec.before is not None:
        layout.space_before = Pt(spec.before)
    if spec.after is not None:
        layout.space_after = Pt(spec.after)
    if spec.indent is not None:
        layout.left_indent = Mm(spec.indent)
    if spec.hanging is not None:
        layout.first_line_indent = -Mm(spec.hanging)
    if spec.keep_with_next:
        layout.keep_with_next = True


def _house_look(document: Any) -> None:
    """The shipped reference's changes to Word's built-in styles."""
    styles = document.styles
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    styles["Title"].font.size = Pt(22)
    styles["Subtitle"].font.italic = False
    for level, size in ((1, 15), (2, 13), (3, 11.5)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)


def _furniture(document: Any, width: int) -> None:
    """The header (running head, status) and footer (date, page X of Y) with placeholders."""
    for name in ("Header", "Footer"):
        stops = document.styles[name].paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        document.styles[name].font.size = Pt(8.5)
        document.styles[name].font.color.rgb = MUTED
    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.style = document.styles["Header"]
    head.add_run("{title} · {jurisdiction}\t")
    head.add_run("{status}", document.styles["Status Mark"])
    foot = section.footer.paragraphs[0]
    foot.style = document.styles["Footer"]
    # Both written in the briefing's language when it is built (docx_furniture.py).
    foot.add_run("{facts_as_of}\t{page_of_pages}")
