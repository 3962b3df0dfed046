"""A PDF fitted to its page template's page limit: printed again, tighter, until it fits.

A template with a ``page_limit`` (the one-pager) is set in the full briefing's type, so a
short one fills its page. Only one that runs past the limit is printed again with each
of :data:`FIT_CLASSES` on its ``html`` element in turn, which the template's stylesheet
defines as tighter settings (``onepager.css``); the first that fits is kept, else the
tightest. Most one-pagers render once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.render.pdf import RenderedPdf, render_pdf
from generator.settings import DEFAULT_PDF_VARIANT

#: Classes of the ``html`` element, tighter in turn, that a page template's stylesheet
#: may define for a printed form past its page limit.
FIT_CLASSES = ("fit-1", "fit-2")


def render_fitted_pdf(
    html: str,
    templates_dir: Path,
    page_limit: int | None,
    *,
    variant: str = DEFAULT_PDF_VARIANT,
    images: Sequence[str] = (),
) -> RenderedPdf:
    """:func:`~generator.render.pdf.render_pdf`, tightened while past ``page_limit``."""
    rendered = render_pdf(html, templates_dir, variant=variant, images=images)
    for fit in FIT_CLASSES if page_limit is not None else ():
        if rendered.pages <= page_limit:
            break
        tighter = html.replace("<html ", f'<html class="{fit}" ', 1)
        rendered = render_pdf(tighter, templates_dir, variant=variant, images=images)
    return rendered
