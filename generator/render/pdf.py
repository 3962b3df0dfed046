"""HTML briefing -> PDF bytes with WeasyPrint, reading nothing but the templates folder.

This is the only module that knows WeasyPrint, and it imports it inside functions so
that importing the package (``brief check``) never loads it.

Every stylesheet, font and image WeasyPrint wants goes through a confined fetcher,
deny-by-default: it serves ``file:`` URLs whose real path (symlinks resolved) is a
regular file under ``templates/`` and refuses everything else (``http:``, ``https:``,
``ftp:``, ``data:``, files outside, devices, FIFOs, missing files) with WeasyPrint's
fatal fetching error. The one exception is the ``data:`` URIs the caller names
(``images``: the brand's logo, read and checked from ``brand.yaml``), served from the
URI's own bytes. The render then fails with a :class:`RenderError` naming the
URL: never a network request, never a silent PDF without the asset.

The PDF is reproducible: its dates come from the document head (``as_of``), its file
identifier (written only by the PDF/A variant, which requires one) is a hash of its own
bytes, and the fonts are the bundled ones, subset under names derived from the font:
fontconfig knows no other (:mod:`generator.render.fonts`). It
never has attachments: those that ``rel=attachment`` links would embed are dropped before
writing.

Variants (:data:`generator.settings.PDF_VARIANTS`): ``pdf/ua-1`` is a tagged PDF
(structure tree, document language, headings, tables and lists marked up for screen
readers; WeasyPrint's tree is repaired before it is written, see
:mod:`generator.render.pdf_tags`), ``pdf/a-3b`` is for archives (PDF/A-3 level B:
embedded output intent and XMP metadata), ``plain`` is an untagged PDF 1.7.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Diagnostic, RenderError
from generator.render.fonts import confined_fontconfig, shipped_font_files
from generator.render.layout_cycles import collector_paused, layout_released
from generator.settings import DEFAULT_PDF_VARIANT, PDF_VARIANTS

#: Content types of the files the fetcher serves, by suffix (never the host's table).
MEDIA_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}
#: Longest URL quoted in an error message (``data:`` URLs can be megabytes).
SHOWN_URL_LENGTH = 200


#: Said once per build when WeasyPrint has to subset fonts without HarfBuzz's subsetter.
NO_HARFBUZZ_SUBSET = (
    "libharfbuzz-subset is not installed: PDF fonts are subset by the much slower "
    "fontTools path (run `make system` to install libharfbuzz-subset0)"
)


@dataclass(frozen=True)
class RenderedPdf:
    """PDF bytes, their page count and the files (relative to ``templates/``) read."""

    pdf: bytes
    files_read: tuple[str, ...]
    pages: int = 0


def render_pdf(
    html: str,
    templates_dir: Path,
    *,
    variant: str = DEFAULT_PDF_VARIANT,
    images: Sequence[str] = (),
) -> RenderedPdf:
    """Render ``html`` to an A4 PDF; relative URLs resolve against ``templates/static/``,
    and the ``data:`` URIs of ``images`` (base64, as the HTML stage writes them) are served.

    ``variant`` is one of :data:`~generator.settings.PDF_VARIANTS`. Raises
    :class:`RenderError` for an unknown variant, or if the document asks for anything
    but a regular file under ``templates_dir``.
    """
    root = templates_dir.resolve()
    if not shipped_font_files(root):
        diagnostic = Diagnostic(
            f"{root.name}/static/fonts", None, None, "", "no font: the PDF needs the shipped fonts"
        )
        raise RenderError(diagnostic.format(), [diagnostic])
    with confined_fontconfig(root), collector_paused():
        return _render(html, templates_dir, variant, images)


def _render(html: str, templates_dir: Path, variant: str, images: Sequence[str]) -> RenderedPdf:
    from weasyprint.urls import FatalURLFetchingError

    from generator.render import quote_breaks, soft_hyphens
    from generator.render.hyphenation import register as register_hyphenation
    from generator.render.last_line_breaks import install as install_last_line_breaks
    from generator.render.pdf_deflate import use_default_level
    from generator.render.pdf_pages import keep_page_references
    from generator.render.text_layouts import install as keep_text_layouts
    from generator.render.ua_stylesheet import html_class

    register_hyphenation()
    use_default_level()
    keep_page_references()
    install_last_line_breaks()
    keep_text_layouts()
    pdf_variant = _weasyprint_variant(variant)
    root = templates_dir.resolve()
    fetcher = make_fetcher(root, images)
    base_url = (root / "static").as_uri() + "/"
    try:
        source = html_class(html)(string=html, base_url=base_url, url_fetcher=fetcher)
        if soft_hyphens.INSERTED in html:
            soft_hyphens.keep_apart(source.etree_element)
        if quote_breaks.needs_opening(html):
            quote_breaks.open_breaks(source.etree_element)
        with layout_released():
            document = source.render(font_config=shared_fonts(root))
        _drop_attachments(document)
        pdf = _write(document, pdf_variant, source.etree_element)
    except FatalURLFetchingError as exc:
        raise _refused(fetcher.refused[0] if fetcher.refused else str(exc), root) from exc
    # Some callers inside WeasyPrint (SVG drawing) swallow even fatal errors: check again.
    if fetcher.refused:
        raise _refused(fetcher.refused[0], root)
    return RenderedPdf(pdf, fetcher.files_read, len(document.pages))


def _write(document: Any, pdf_variant: str | None, html_root: Any) -> bytes:
    """The PDF bytes; a tagged PDF's structure tree is repaired first (render/pdf_tags.py),
    and line-end hyphens are made soft in every variant's text (render/soft_hyphens.py)."""
    from generator.render import pdf_tags, soft_hyphens

    with pdf_tags.recording() as boxes:

        def finisher(_document: Any, pdf: Any) -> None:
            pdf_tags.repair(pdf, boxes, html_root)
            soft_hyphens.soften(pdf)

        # pdf_identifier=None: only variants that require an identifier get one, and
        # WeasyPrint derives it from the file's own bytes.
        return document.write_pdf(pdf_variant=pdf_variant, pdf_identifier=None, finisher=finisher)


#: The font configuration this process shares between its renders: (process id,
#: templates root, configuration). A forked child makes its own, and never removes the
#: folder of its parent's.
_FONTS: list[tuple[int, Path, Any]] = []
_FONTS_AT_EXIT: list[int] = []


def shared_fonts(root: Path) -> Any:
    """The font configuration of this process for the templates under ``root``.

    WeasyPrint makes a new one per document unless given one: it loads the host's
    fontconfig set-up, copies every ``@font-face`` file into a temporary folder and
    registers it again, and about a quarter of a MiB of each (fontconfig and Pango) is
    never freed, so a worker grew by some 25 MiB over 100 briefings. One configuration per
    process keeps a worker flat and spares that work. A font face already registered is
    not fetched again, so the fetcher is told which files it stands for: the files a PDF
    reads stay the same whichever briefing a worker printed first.
    """
    if _FONTS and _FONTS[0][:2] == (os.getpid(), root):
        return _FONTS[0][2]
    release_fonts()
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    class SharedFonts(FontConfiguration):
        """Records the bundled font files of every face, registered now or before."""

        def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
            for _kind, url in rule_descriptors.get("src", ()):
                if not isinstance(url, str) or not hasattr(url_fetcher, "read"):
                    continue
                path = confined_path(url, root)
                if path is None:
                    # Refused, or gone since it was registered: fail as a first fetch would.
                    url_fetcher.fetch(url)
                url_fetcher.read.add(path.relative_to(root).as_posix())
            return super().add_font_face(rule_descriptors, url_fetcher)

    if not _FONTS_AT_EXIT:
        atexit.register(release_fonts)  # a process that is no forked worker
        _FONTS_AT_EXIT.append(os.getpid())
    with confined_fontconfig(root):
        _FONTS.append((os.getpid(), root, SharedFonts()))
    return _FONTS[0][2]


def release_fonts() -> None:
    """Drop this process's font configuration, which removes its temporary folder of fonts.

    A worker calls it before it exits (a forked process skips the finalisers that would).
    """
    if _FONTS:
        pid, _root, fonts = _FONTS.pop()
        folder = getattr(fonts, "_folder", None)
        if pid != os.getpid():
            # The parent's, inherited through fork: its folder is the parent's to remove,
            # and WeasyPrint's own finaliser must not remove it either.
            fonts._folder = None
            return
        del fonts
        if folder is not None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)


def confined_path(url: str, root: Path) -> Path | None:
    """The real path ``url`` names if it is a regular file under ``root``, else None.

    ``root`` must already be resolved.
    """
    # Imported here: urllib.request pulls in http and email, which `brief --help`,
    # `brief check` and a build with nothing to do (all importing this module) never need.
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        real = Path(url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def make_fetcher(root: Path, images: Sequence[str] = ()) -> Any:
    """A WeasyPrint URL fetcher serving only regular files under ``root`` (resolved), and
    the ``data:`` URIs listed in ``images``.

    It records what it served (``files_read``, relative to ``root``) and what it refused
    (``refused``).
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = {uri: _decoded(uri) for uri in images}

    class ConfinedFetcher(URLFetcher):
        """Deny-by-default fetcher; see the module docstring."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), fail_on_errors=True)
            self.read: set[str] = set()
            self.refused: list[str] = []

        @property
        def files_read(self) -> tuple[str, ...]:
            return tuple(sorted(self.read))

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url in allowed:
                return URLFetcherResponse(url, allowed[url][1], {"Content-Type": allowed[url][0]})
            path = confined_path(url, root)
            if path is None:
                self.refused.append(url)
                raise FatalURLFetchingError(url)
            self.read.add(path.relative_to(root).as_posix())
            media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    return ConfinedFetcher()


def _decoded(uri: str) -> tuple[str, bytes]:
    """The media type and bytes of a ``data:<type>;base64,<data>`` URI."""
    import base64

    head, _, data = uri.partition(",")
    media_type = head.removeprefix("data:").removesuffix(";base64")
    return media_type, base64.b64decode(data, validate=True)


def _weasyprint_variant(variant: str) -> str | None:
    if variant not in PDF_VARIANTS:
        choices = ", ".join(PDF_VARIANTS)
        diagnostic = Diagnostic(
            "--pdf-variant", None, None, "", f"'{variant}' is not one of {choices}"
        )
        raise RenderError(diagnostic.format(), [diagnostic])
    return PDF_VARIANTS[variant]


def _drop_attachments(document: Any) -> None:
    """Remove what ``<link rel=attachment>`` and ``<a rel=attachment>`` would embed."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]


def _refused(url: str, root: Path) -> RenderError:
    """The error for a refused URL; a file the templates name but lack is called missing."""
    missing = _missing_under(url, root)
    if missing is not None:
        shown = f"{root.name}/{missing}"
        reason = "missing: the templates use this file but it does not exist"
    else:
        shown = url if len(url) <= SHOWN_URL_LENGTH else url[: SHOWN_URL_LENGTH - 1] + "…"
        reason = f"refused: only regular files under {root.name}/ may be read"
    diagnostic = Diagnostic(shown, None, None, "", reason, code="resource")
    return RenderError(diagnostic.format(), [diagnostic])


def _missing_under(url: str, root: Path) -> str | None:
    """``url``'s path relative to ``root`` if it is a ``file:`` URL there that does not exist."""
    from urllib.request import url2pathname  # slow to import; only needed on failure

    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.normpath(url2pathname(parts.path)))
    if not path.is_relative_to(root) or os.path.lexists(path):
        return None
    return path.relative_to(root).as_posix()


def warm_up() -> tuple[str, ...]:
    """Import WeasyPrint now, so the first PDF does not wait for it; notes on what it lacks."""
    with confined_fontconfig():
        from weasyprint.text.ffi import harfbuzz_subset

    return () if harfbuzz_subset is not None else (NO_HARFBUZZ_SUBSET,)


def engine_file() -> str:
    """The file of the WeasyPrint package in use: an input of every PDF (an upgrade
    rebuilds them)."""
    with confined_fontconfig():
        import weasyprint

    return str(weasyprint.__file__)
