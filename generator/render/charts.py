"""Charts drawn by matplotlib as SVG: the only module that knows matplotlib.

Why matplotlib: it is the best-kept charting library for Python, draws every kind the
format has (bar, column, line, stacked) with its own layout of ticks and legends, and
writes SVG with text kept as text (``svg.fonttype: none``), so a chart's words are
selectable, searchable and set by WeasyPrint in the briefing's own fonts.

It is imported inside functions: ``brief check`` and a briefing without charts never
load it. What it draws depends on nothing of the host:

- the settings are matplotlib's defaults and this module's, never a ``matplotlibrc``;
- the fonts are the shipped ones (``templates/static/fonts``), registered with the font
  manager under the unique family names the PDF's ``@font-face`` rules give them
  (``Brief Sans``, ``Brief Sans CJK``), so a host font can never be chosen and the text
  metrics matplotlib lays out with are those of the faces WeasyPrint draws;
- the SVG has no date or other metadata, and its ids come from a fixed hash salt (the
  chart's id, so two charts on one page never share an id); the ids matplotlib gives its
  groups (``figure_1``...) are dropped, as they would repeat on a page of charts.

The colours are the stylesheet's (:mod:`generator.render.palette`). For speed, the plot's
margins are worked out here (:mod:`generator.render.chart_layout`) rather than by
matplotlib's constrained layout, and the SVG is made plain for WeasyPrint
(:mod:`generator.render.chart_svg`). Tick numbers are the briefing's locale's.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.render.branding import FONT_STACKS
from generator.render.chart_layout import LABEL_PAD, TICK_PAD, margins
from generator.render.chart_svg import plain_svg
from generator.render.figures import ChartView
from generator.render.numbers import COMPACT_FROM, format_amount
from generator.render.palette import chart_palette
from generator.render.webfont import cjk_characters

#: The shipped faces, under the family names of ``templates/static/fonts.css``.
CHART_FONTS = (
    ("NotoSans-Regular.ttf", "Brief Sans"),
    ("NotoSans-Bold.ttf", "Brief Sans"),
    ("cjk/NotoSansCJKsc-Regular.otf", "Brief Sans CJK"),
)
#: The families a chart's text is set in, first choice first.
CHART_FAMILIES = ["Brief Sans", "Brief Sans CJK"]
#: The drawing's size in inches: the PDF's text width, and a third of it high.
FIGURE_SIZE = (6.3, 2.6)
#: Text size in points, as the briefing's tables.
FONT_SIZE = 7.5
#: At most this many steps on the value axis (matplotlib picks round ones: 1, 2, 2.5, 5).
VALUE_TICKS = 6
#: The fonts folder whose faces are registered (none yet: empty).
_registered: list[Path] = []


@dataclass(frozen=True)
class ChartDrawing:
    """A chart as a page shows it. The HTML inlines the SVG, split after its opening tag
    where the template puts the ``<title>`` (its text alternative, worded in the
    template). The PDF shows it as an image of a ``data:`` URI (``uri``), which
    WeasyPrint's SVG renderer draws with the bundled faces, and tags as a ``Figure``
    whose ``Alt`` is the image's ``alt``; inline, the page's CSS parser would read (and
    warn about) every SVG style attribute."""

    open: Markup | None = None
    body: Markup | None = None
    uri: str | None = None


def draw_charts(
    charts: Sequence[ChartView],
    templates_dir: Path,
    brand_palette: Mapping[str, str],
    target: str,
) -> dict[str, ChartDrawing]:
    """Every chart's drawing by chart id, for the ``html`` or ``pdf`` target.

    The PDF's SVG names the bundled faces; the HTML's names the page's own font stack,
    the same faces where the reader has them. The outer ``<svg>`` loses its fixed size
    (the stylesheet sizes it, its ``viewBox`` keeps its shape) and gains ``role="img"``
    and the id of its ``<title>``.
    """
    palette = chart_palette(templates_dir, brand_palette)
    fonts = templates_dir / "static" / "fonts"
    drawings = {}
    for chart in charts:
        svg = draw_svg(chart, fonts, palette)
        if target == "pdf":
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            drawings[chart.id] = ChartDrawing(uri=f"data:image/svg+xml;base64,{data}")
            continue
        stack = FONT_STACKS["Noto Sans"].html.replace('"', "'")
        svg = _PDF_FAMILIES.sub(f'font-family="{stack}"', svg)
        head, body = svg.split(">", 1)
        head = _SIZE.sub("", head)
        title = f"{chart.anchor}-alt"
        head += f' role="img" aria-labelledby="{title}" class="chart-drawing">'
        # Markup: matplotlib escapes every text it writes; the ids are slugs.
        drawings[chart.id] = ChartDrawing(Markup(head), Markup(body))
    return drawings


_PDF_FAMILIES = re.compile(r"font-family=\"'Brief Sans'(, 'Brief Sans CJK')?\"")
_SIZE = re.compile(r' (width|height)="[^"]*"')


def draw_svg(chart: ChartView, fonts_dir: Path, palette: Mapping[str, Any]) -> str:
    """The SVG element of ``chart``, without XML declaration or doctype, for inlining.

    ``palette`` has ``ink``, ``muted``, ``rule`` and ``series`` colours (see
    :func:`generator.render.palette.chart_palette`). The last drawings are kept, by what
    is drawn (the chart's numbers, words, kind and locale, the palette and the faces; the
    size is this module's): a briefing's HTML and PDF, and a worker's rebuild of a sheet
    whose chart did not change, draw each chart once. Its title, note and sources are the
    page's, not the drawing's, so editing them draws nothing anew.
    """
    colours = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in palette.items())
    drawn = dataclasses.replace(chart, anchor="", title="", note=None, place="", sources=())
    return _drawn(drawn, fonts_dir, colours)


@functools.lru_cache(maxsize=64)
def _drawn(chart: ChartView, fonts_dir: Path, colours: tuple[tuple[str, Any], ...]) -> str:
    import matplotlib

    palette = {k: list(v) if isinstance(v, tuple) else v for k, v in colours}
    register_fonts(fonts_dir)
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_settings(chart, palette))
        figure = _figure(chart, palette)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    text = buffer.getvalue()
    return plain_svg(text[text.index("<svg") :])


def chart_engine_file() -> str:
    """The file that names the matplotlib release in use (its ``_version.py``): an input
    of every briefing with charts, so an upgrade, which may draw other bytes, rebuilds
    them. Found without importing matplotlib."""
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return ""
    package = Path(spec.origin)
    version = package.with_name("_version.py")
    return str(version if version.exists() else package)


#: SVG metadata matplotlib would write: none (no date, no version).
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def register_fonts(fonts_dir: Path) -> None:
    """Add the shipped faces to matplotlib's font manager under their PDF family names.

    Done once per fonts folder: registering anew forgets matplotlib's font lookups, which
    every chart would then pay for. A second folder (another project's templates in the
    same process) replaces the first one's faces.
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    folder = fonts_dir.resolve()
    if _registered == [folder]:
        return
    manager = font_manager.fontManager
    ours = {family for _, family in CHART_FONTS}
    # A host font that calls itself "Brief Sans" is never chosen: only ours go by the name.
    manager.ttflist = [e for e in manager.ttflist if e.name not in ours]
    for file_name, family in CHART_FONTS:
        entry = font_manager.ttfFontProperty(FT2Font(str(folder / file_name)))
        manager.ttflist.append(dataclasses.replace(entry, name=family))
    # Forget lookups made before the faces were there, as FontManager.addfont does.
    manager._findfont_cached.cache_clear()
    _registered[:] = [folder]


def _families(chart: ChartView) -> list[str]:
    # A short tick of the locale stands for the ticks' words: 億, 억 and 万 are CJK.
    ticks = (_tick(1e6, chart.locale), _tick(1e9, chart.locale))
    words = " ".join([chart.unit, *chart.categories, *(s.title for s in chart.series), *ticks])
    # The CJK face only where a word needs it: falling back through it costs time.
    return CHART_FAMILIES if cjk_characters(words) else CHART_FAMILIES[:1]


def _settings(chart: ChartView, palette: Mapping[str, Any]) -> dict[str, Any]:
    ink, muted, rule = palette["ink"], palette["muted"], palette["rule"]
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": chart.id,
        "svg.image_inline": True,
        "font.family": _families(chart),
        "font.size": FONT_SIZE,
        "text.color": ink,
        "axes.edgecolor": rule,
        "axes.labelcolor": muted,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "grid.color": rule,
        "grid.linewidth": 0.5,
        # No tick marks: the grid lines mark the values, the categories need none.
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.major.pad": TICK_PAD,
        "ytick.major.pad": TICK_PAD,
        "axes.labelpad": LABEL_PAD,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelcolor": ink,
        "ytick.labelcolor": ink,
        "legend.frameon": False,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "path.simplify": False,
    }


def _figure(chart: ChartView, palette: Mapping[str, Any]) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    # Their backgrounds are transparent: not drawn at all, they cost nothing to print.
    figure.patch.set_visible(False)
    axes.patch.set_visible(False)
    horizontal = chart.kind == "bar"
    values = axes.xaxis if horizontal else axes.yaxis
    values.set_major_locator(MaxNLocator(nbins=VALUE_TICKS, steps=[1, 2, 2.5, 5, 10]))
    values.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, chart.locale)))
    values.set_label_text(chart.unit)
    # The grid runs across the values only; their axis line is the grid's first line.
    axes.grid(True, axis="x" if horizontal else "y")
    axes.grid(False, axis="y" if horizontal else "x")
    axes.spines["bottom" if horizontal else "left"].set_visible(False)
    axes.set_axisbelow(True)
    _DRAW[chart.kind](axes, chart, palette["series"])
    if len(chart.series) > 1:
        axes.legend(loc="upper left", bbox_to_anchor=(1, 1))
    low, high = sorted(axes.get_xlim() if horizontal else axes.get_ylim())
    ticks = [v for v in values.get_majorticklocs() if low - 1e-9 <= v <= high + 1e-9]
    room = margins(
        horizontal=horizontal,
        value_labels=[_tick(v, chart.locale) for v in ticks],
        category_labels=chart.categories,
        legend=[s.title for s in chart.series],
        families=tuple(_families(chart)),
        size=FONT_SIZE,
    )
    figure.subplots_adjust(**room.fractions(FIGURE_SIZE[0] * 72, FIGURE_SIZE[1] * 72))
    return figure


def _tick(value: float, locale: str) -> str:
    """A value axis's tick label in the briefing's numbers: 1,000 / 1 000 / 1.000, and
    from a million up in the locale's short form (2.5B, 2,5 Md, 25億), since a row of
    "2,500,000,000" labels runs into its neighbours; the table under the chart has the
    full numbers."""
    tidy = _tidy(value)
    if abs(tidy) < COMPACT_FROM:
        return format_amount(tidy, locale)
    from babel.numbers import format_compact_decimal

    return format_compact_decimal(tidy, format_type="short", locale=locale, fraction_digits=1)


def _tidy(value: float) -> int | float:
    """A tick value without float noise: 0.30000000000000004 -> 0.3."""
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded


def _grouped(axes: Any, chart: ChartView, colours: list[str], horizontal: bool) -> None:
    count = len(chart.series)
    width = 0.8 / count
    positions = range(len(chart.categories))
    for i, series in enumerate(chart.series):
        shift = [p - 0.4 + width * (i + 0.5) for p in positions]
        heights = [v or 0 for v in series.values]
        colour = colours[i % len(colours)]
        if horizontal:
            axes.barh(shift, heights, height=width, label=series.title, color=colour)
        else:
            axes.bar(shift, heights, width=width, label=series.title, color=colour)
    ticks = axes.set_yticks if horizontal else axes.set_xticks
    ticks(list(positions), list(chart.categories))
    if horizontal:
        axes.invert_yaxis()


def _bar(axes: Any, chart: ChartView, colours: list[str]) -> None:
    _grouped(axes, chart, colours, horizontal=True)


def _column(axes: Any, chart: ChartView, colours: list[str]) -> None:
    _grouped(axes, chart, colours, horizontal=False)


def _stacked(axes: Any, chart: ChartView, colours: list[str]) -> None:
    base = [0.0] * len(chart.categories)
    positions = list(range(len(chart.categories)))
    for i, series in enumerate(chart.series):
        heights = [v or 0 for v in series.values]
        colour = colours[i % len(colours)]
        axes.bar(positions, heights, 0.6, bottom=base, label=series.title, color=colour)
        base = [b + h for b, h in zip(base, heights, strict=True)]
    axes.set_xticks(positions, list(chart.categories))


def _line(axes: Any, chart: ChartView, colours: list[str]) -> None:
    for i, series in enumerate(chart.series):
        points = [
            (x, v) for x, v in zip(chart.positions, series.values, strict=True) if v is not None
        ]
        axes.plot(
            [x for x, _ in points],
            [v for _, v in points],
            marker="o",
            markersize=3,
            linewidth=1.5,
            label=series.title,
            color=colours[i % len(colours)],
        )
    axes.set_xticks(list(chart.positions), list(chart.categories))


_DRAW = {"bar": _bar, "column": _column, "stacked": _stacked, "line": _line}
