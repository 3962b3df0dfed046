"""10. A briefing with four charts against the same briefing without them, warm.

A worker renders briefing after briefing, so what counts is a render once the libraries
are loaded: each variant is rendered once untimed (WeasyPrint, the bundled fonts and, for
the charts, matplotlib loaded and the faces registered), then both are timed in turns.
A timed render is what a worker's prepare and print jobs do for one briefing: the HTML
page, the print HTML and the PDF. The briefing is the synthetic small sheet
(``bench/synthetic.py``) in format 2 with four data series and a chart of each kind;
every run changes the numbers a little, so no chart is drawn from a previous run's.
The process collects garbage as a build worker does (``generator/builder/inworker.py``):
its thresholds, and after each render a collection and a freeze, untimed, as the worker
does them once its reply is sent. With Python's default thresholds every young
collection walks the charts' thousands of matplotlib objects, which a worker's
renders never do.

A second pair of rows is a worker's rebuild of a sheet whose charts did not change (an
edited sentence: every run changes the summary, both variants alike, and not the
numbers): the drawings are the worker's kept ones, as ``render/charts.py`` keys them by
what is drawn. The first pair is the figure the target is about. Between them, a third
row: the same plain render plus four charts as bare as matplotlib draws them
(:func:`bare_charts`), timed in the same turns: the least four charts of the library can
add, before the PDF prints them. Memory is not measured here (section 8 measures a
worker's).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import yaml

from bench.run import REPO, Timing, report, section
from bench.synthetic import sheet_text

KINDS = ("column", "bar", "line", "stacked")


def charted_sheet(size: str, run: int, charts: bool, edit: int | None = None) -> dict[str, Any]:
    """The synthetic sheet of ``size`` with four series (changed by ``run``) and, when
    ``charts``, a chart of every kind: two after the key facts, two in the first section.
    ``edit`` changes the summary's last sentence (and nothing the charts draw)."""
    data = yaml.safe_load(sheet_text(1, size))
    if edit is not None:
        data["summary"] = f"{data['summary']} Edit {edit} of the text."
    source = data["sources"][0]["id"]
    data["format"] = 2
    data["data"] = [
        {
            "id": f"series-{n}",
            "title": f"Output of line {n}",
            "unit": "GWh",
            "sources": [source],
            "points": [{"x": 2024 + i, "y": (n + 1) * (i + 1) * 10 + run} for i in range(6)],
        }
        for n in range(4)
    ]
    if charts:
        heading = data["sections"][0]["heading"]
        data["charts"] = [
            {
                "id": f"chart-{kind}",
                "title": f"A {kind} chart",
                "kind": kind,
                "series": [f"series-{n}", f"series-{(n + 1) % 4}"],
                "note": "Synthetic numbers.",
                **({"place": heading} if n >= 2 else {}),
            }
            for n, kind in enumerate(KINDS)
        ]
    return data


def charts_cost(runs: int, size: str = "small", target: str = "target <= x1.15") -> None:
    """Print the warm render time of the four-chart briefing against the one without."""
    from generator.factsheet.model import FactSheet
    from generator.render import render_html, render_pdf

    section(f"10. a {size} briefing with four charts against the same without, warm")
    templates = REPO / "templates"

    def render(run: int, charts: bool, edit: int | None = None) -> None:
        sheet = FactSheet.model_validate(charted_sheet(size, run, charts, edit))
        render_html(sheet, "bench", templates)
        page = render_html(sheet, "bench", templates, target="pdf")
        render_pdf(page.html, templates, images=page.images)

    render(-1, False)
    render(-1, True)
    bare_charts()
    base, mine, floor = [], [], []
    for run in range(runs):
        base.append(_timed(lambda run=run: render(run, False)))
        mine.append(_timed(lambda run=run: render(run, True)))
        floor.append(_timed(bare_charts))
    plain = _median(base)
    report(f"{size} briefing, no chart, warm", plain)
    report(f"{size} briefing, four charts, warm", _median(mine), plain, target)
    bare = _median(floor)
    with_bare = Timing(plain.seconds + bare.seconds, 0, plain.cpu + bare.cpu)
    report("no chart, plus four bare matplotlib charts (drawn only)", with_bare, plain, "floor")
    # The rebuild of an edited sentence: the numbers are those of the untimed render.
    base, mine = [], []
    for run in range(runs):
        base.append(_timed(lambda run=run: render(-1, False, run)))
        mine.append(_timed(lambda run=run: render(-1, True, run)))
    plain = _median(base)
    report(f"{size}, no chart, text edited, warm", plain)
    report(f"{size}, four charts, text edited (drawings kept)", _median(mine), plain)


def bare_charts() -> None:
    """matplotlib's floor: four charts as bare as it draws them (one axes with its default
    ticks, six bars, nothing else), saved as SVG with text kept as text. Any chart the
    library draws costs at least this, before the PDF prints it."""
    import io

    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        for _ in KINDS:
            figure = Figure(figsize=(6.3, 2.6))
            figure.add_subplot().bar(range(6), [1, 2, 3, 4, 5, 6])
            figure.savefig(io.StringIO(), format="svg")


def _timed(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``fn()`` (this process: the renders run in it) with
    the collector paused, as a build worker runs a job; then the worker's collection
    between jobs, untimed."""
    gc.disable()
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    timing = time.perf_counter() - started, time.process_time() - cpu
    gc.enable()
    gc.collect()
    gc.freeze()
    return timing


def _median(times: list[tuple[float, float]]) -> Timing:
    return Timing(statistics.median(t for t, _ in times), 0, statistics.median(c for _, c in times))


if __name__ == "__main__":
    import sys

    charts_cost(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
