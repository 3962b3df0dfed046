"""Where a chart's plot sits in its drawing: margins worked out from the text around it.

matplotlib's constrained layout finds the margins by drawing the figure once more to
measure every artist, a quarter of a chart's cost. A chart here has one plot and few
words around it (tick labels, the unit, a legend at the right), so the margins follow
from measuring just those words with the same font machinery matplotlib draws them with
(:class:`matplotlib.textpath.TextToPath`, the faces and size of the chart's settings).
The paddings are matplotlib's own defaults (tick padding, label padding, legend spacing),
in points, so the plot stands where constrained layout put it, give or take a point.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The room kept at the drawing's edges, in points.
EDGE = 3.0
#: matplotlib's ``xtick.major.pad`` / ``ytick.major.pad`` and ``axes.labelpad``, in points.
TICK_PAD = 3.5
LABEL_PAD = 4.0
#: matplotlib's legend spacing, in font sizes: ``legend.borderaxespad``, ``borderpad``,
#: ``handlelength`` and ``handletextpad``.
LEGEND_EMS = 0.5 + 0.4 + 2.0 + 0.8 + 0.4
#: A line of text, in font sizes (matplotlib's ascent plus descent of the faces).
LINE_EMS = 1.2


@dataclass(frozen=True)
class Margins:
    """The plot's margins in points (``left``, ``right``, ``bottom``, ``top``)."""

    left: float
    right: float
    bottom: float
    top: float

    def fractions(self, width: float, height: float) -> dict[str, float]:
        """The margins as ``Figure.subplots_adjust`` takes them, for a drawing of
        ``width`` x ``height`` points."""
        # Words too long for the drawing (a category or legend of one endless word) never
        # take the plot away: each side keeps at most MAX_MARGIN of the drawing, and the
        # long label is clipped at the drawing's edge instead of failing the render.
        left, right = (min(m / width, MAX_MARGIN) for m in (self.left, self.right))
        bottom, top = (min(m / height, MAX_MARGIN) for m in (self.bottom, self.top))
        return {"left": left, "right": 1 - right, "bottom": bottom, "top": 1 - top}


#: The largest share of the drawing's width or height one margin may take.
MAX_MARGIN = 0.45


def text_width(text: str, families: tuple[str, ...], size: float) -> float:
    """The advance width of ``text`` in points, set in ``families`` (the first that has a
    character, as matplotlib's font fallback picks) at ``size`` points."""
    return _measured(text, families, size)


@functools.lru_cache(maxsize=4096)
def _measured(text: str, families: tuple[str, ...], size: float) -> float:
    from matplotlib.font_manager import FontProperties

    props = FontProperties(family=list(families), size=size)
    width, _height, _descent = _text_to_path().get_text_width_height_descent(
        text, props, ismath=False
    )
    return float(width)


@functools.cache
def _text_to_path() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


def margins(
    *,
    horizontal: bool,
    value_labels: Sequence[str],
    category_labels: Sequence[str],
    legend: Sequence[str],
    families: tuple[str, ...],
    size: float,
) -> Margins:
    """The margins of a plot whose value axis is vertical (``horizontal`` False: column,
    line, stacked; the unit is its label, to the left) or horizontal (a bar chart: the
    categories at the left, the unit under the values), with a legend of ``legend``'s
    titles at the right when there is more than one."""
    line = LINE_EMS * size

    def widest(labels: Sequence[str]) -> float:
        return max((text_width(t, families, size) for t in labels), default=0.0)

    # The tick marks have no length (the grid shows the values): labels sit TICK_PAD off.
    under = TICK_PAD + line
    if horizontal:
        left = widest(category_labels) + TICK_PAD
        under += LABEL_PAD + line
        # The last value's label is centred on the plot's right edge.
        right = widest(value_labels[-1:]) / 2
    else:
        left = widest(value_labels) + TICK_PAD + LABEL_PAD + line
        right = widest(category_labels[-1:]) / 2
    if len(legend) > 1:
        right = max(right, widest(legend) + LEGEND_EMS * size)
    return Margins(left + EDGE, right + EDGE, under + EDGE, line / 2 + EDGE)
