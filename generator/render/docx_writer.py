"""A fact sheet to a Word document (the ``docx`` target), from the same view as the PDF.

The document starts as ``templates/reference.docx`` (:mod:`generator.render.docx_styles`)
with its body emptied: its styles, page set-up, header and footer are the briefing's. The
body is the full briefing (:mod:`generator.render.docx_body`); the header and footer get
the running head, the status marking and the date in place of their placeholders.

What ``brief review`` relies on (docs/output.md, "DOCX"): each fact-sheet field's text in
its bookmark, and the custom properties :data:`DOCX_FORMAT` and the rest.

The bytes are the same from build to build: the core properties' dates come from the
sheet's ``as_of``, ids are counted in document order, zip members have fixed time
stamps, and nothing names the host.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import __version__
from generator.errors import Diagnostic, TemplateError
from generator.factsheet import FactSheet, author_names
from generator.render.docx_body import Body
from generator.render.docx_furniture import PAGE_MESSAGE, Furniture, fill_furniture
from generator.render.docx_lang import mark_run_language
from generator.render.docx_styles import ensure_styles
from generator.render.docx_xml import (
    drop_package_parts,
    reproducible_zip,
    set_custom_properties,
    update_fields_on_open,
    xml_text,
)
from generator.render.i18n import language_for
from generator.render.marking import Banner
from generator.render.templating import long_date
from generator.render.view import BriefView, build_view, shorten

#: The reference document, relative to ``templates/``.
REFERENCE_DOCX = "reference.docx"
#: The version of what a DOCX briefing promises ``brief review`` (custom property
#: ``brief-docx-format``): field bookmarks and the custom properties.
DOCX_FORMAT = "1"
#: The longest text a core document property holds.
CORE_PROPERTY_LENGTH = 255


@dataclass(frozen=True)
class RenderedDocx:
    """A DOCX briefing and the files under ``templates/`` it was made from."""

    docx: bytes
    templates_used: tuple[str, ...]


def render_docx(
    sheet: FactSheet,
    brief_id: str,
    templates_dir: Path,
    *,
    sheet_sha: str,
    brand: object = None,
    banner: Banner | None = None,
    fields: bool = True,
) -> RenderedDocx:
    """The DOCX briefing of ``sheet`` (an edition's sheet, with its ``banner``) in the house
    style ``brand``; ``sheet_sha`` is the SHA-256 of the sheet's bytes. ``fields`` False
    leaves out the field bookmarks (an external edition: its lists are not the YAML's).

    Raises :class:`TemplateError` naming ``templates/reference.docx`` when the reference
    document is missing or is not a Word document.
    """
    view = build_view(sheet, brief_id, brand, banner, language_for(sheet.language, templates_dir))
    document = open_reference(templates_dir)
    ensure_styles(document)
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    Body(document, sheet, view, fields=fields).write()
    fill_furniture(document, _furniture(view, sheet))
    _core_properties(document, sheet, view)
    set_custom_properties(
        document.part.package,
        {
            "brief-id": brief_id,
            "brief-sheet-sha256": sheet_sha,
            "brief-docx-format": DOCX_FORMAT,
            "brief-generator": f"brief {__version__}",
            "brief-edition": banner.edition if banner is not None else "only",
        },
    )
    update_fields_on_open(document.settings.element)
    from docx.opc.constants import RELATIONSHIP_TYPE

    # A thumbnail would show the reference document's first page, not this one.
    drop_package_parts(document.part.package, [RELATIONSHIP_TYPE.THUMBNAIL])
    buffer = io.BytesIO()
    document.save(buffer)
    return RenderedDocx(reproducible_zip(buffer.getvalue()), (REFERENCE_DOCX,))


def docx_engine_file() -> str:
    """The file of the python-docx package in use: an input of every DOCX (an upgrade,
    which may write other bytes, rebuilds them)."""
    import docx

    return str(docx.__file__)


def open_reference(templates_dir: Path) -> Any:
    """The reference document as a python-docx ``Document``; a located error if it is none."""
    import docx

    path = templates_dir / REFERENCE_DOCX
    shown = f"{templates_dir.name}/{REFERENCE_DOCX}"
    try:
        if not path.resolve().is_relative_to(templates_dir.resolve()):
            raise _reference_error(shown, "leads out of the templates folder")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _reference_error(shown, "not found (DOCX briefings are made from it)") from None
    except OSError as exc:
        raise _reference_error(shown, f"cannot be read: {exc.strerror}") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        # Whatever the file holds (a zip of something else, broken XML, a macro-enabled
        # document), it is the user's file, not a bug: say which file and why.
        raise _reference_error(shown, f"is not a Word document ({exc})") from None


def _reference_error(shown: str, message: str) -> TemplateError:
    diagnostic = Diagnostic(shown, None, None, "", message, code="template")
    return TemplateError(diagnostic.format(), [diagnostic])


def _furniture(view: BriefView, sheet: FactSheet) -> Furniture:
    """The header's and footer's text in the briefing's language, and how a run of it
    in an East Asian script is marked (its font and language, as in the body)."""
    from generator.render.script_marks import stated_names

    head = view.title_block
    words = view.i18n
    gettext = words.gettext if words is not None else str
    as_of = long_date(head.as_of, words.locale if words else "en")
    names = stated_names(sheet)

    def mark(run: Any, text: str) -> None:
        mark_run_language(run, text, None, view.language, head.jurisdiction, names)

    values = {
        "title": head.short_title,
        "jurisdiction": head.short_jurisdiction,
        "status": _page_mark(view),
        "as_of": as_of,
        "facts_as_of": f"{gettext('Facts as of')} {as_of}",
        "brief_id": view.brief_id,
    }
    return Furniture(values, gettext(PAGE_MESSAGE), mark)


def _page_mark(view: BriefView) -> str:
    """What the header's marking says: the protective marking, the internal edition's
    notice and the status mark (DRAFT, FOR REVIEW), as the PDF's margins do."""
    banner = view.banner
    words = [banner.wording, banner.notice] if banner is not None else []
    return " · ".join(w for w in (*words, view.title_block.status_mark) if w)


def _core_properties(document: Any, sheet: FactSheet, view: BriefView) -> None:
    """Title, authors, subject, keywords and language; dates from ``as_of``, never the clock."""
    meta = {tag.name: tag.content for tag in view.meta}
    head = view.title_block
    properties = document.core_properties
    texts = {
        "title": head.title,
        "author": "; ".join(author_names(sheet)),
        "subject": meta.get("description", ""),
        # The marking and the edition, as the PDF's keywords carry them.
        "keywords": ", ".join([*head.tags, *(view.banner.keywords if view.banner else ())]),
        "language": view.language,
        "category": head.sector,
        "content_status": head.status_label,
        "identifier": view.brief_id,
        "comments": "",
        "version": "",
    }
    texts["last_modified_by"] = texts["author"]
    for name, value in texts.items():
        # The core properties hold at most 255 characters each (python-docx enforces it).
        setattr(properties, name, shorten(xml_text(value), CORE_PROPERTY_LENGTH))
    properties.revision = 1
    stamp = dt.datetime.combine(head.as_of, dt.time(), tzinfo=dt.UTC)
    properties.created = properties.modified = stamp
    element = properties._element
    for child in list(element):
        # Another document's print date means nothing here.
        if child.tag.endswith("}lastPrinted"):
            element.remove(child)
