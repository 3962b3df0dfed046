"""A PDF fitted to its page template's page limit: printed again, tighter, until it fits.

A template with a ``page_limit`` (the one-pager) is set in the full briefing's type, so a
short one fills its page. Only one that runs past the limit is printed again with each
of :data:`FIT_CLASSES` on its ``html`` element in turn, which the template's stylesheet
defines as tighter settings (``onepager.css``); the first that fits is kept, else the
tightest. Most one-pagers render once.

The steps first tighten the type with the chart kept ("where it fits, one chart"), then
drop the chart and its numbers and start again at the full type: a page without its
chart fills its page before its type shrinks. A page with no chart skips those steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.render.pdf import RenderedPdf, render_pdf
from generator.settings import DEFAULT_PDF_VARIANT

#: The class that prints a page without its chart (and the chart's numbers).
NO_CHART = "fit-no-chart"

#: Classes of the ``html`` element, tighter in turn, that a page template's stylesheet
#: may define for a printed form past its page limit.
FIT_CLASSES = ("fit-1", "fit-2", NO_CHART, f"fit-1 {NO_CHART}", f"fit-2 {NO_CHART}")

#: How a chart opens in the page (partials/brief/chart.html): without one, the steps
#: that drop it would print the same page again.
_CHART_MARK = '<figure class="chart '


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
    for fit in fit_steps(html) if page_limit is not None else ():
        if rendered.pages <= page_limit:
            break
        tighter = html.replace("<html ", f'<html class="{fit}" ', 1)
        rendered = render_pdf(tighter, templates_dir, variant=variant, images=images)
    return rendered


def fit_steps(html: str) -> tuple[str, ...]:
    """The :data:`FIT_CLASSES` that change how ``html`` prints: those dropping its chart
    only when it has one."""
    if _CHART_MARK in html:
        return FIT_CLASSES
    return tuple(fit for fit in FIT_CLASSES if NO_CHART not in fit)
