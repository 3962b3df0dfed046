"""What each construct of the print stylesheet costs, and whether a cheaper one looks the same.

    python bench/constructs.py [--runs 3] [--only large,small] [--variants a,b]

Each variant is the baseline print HTML (``bench/baseline/``) with a few CSS rules added
at the end of its ``<head>``, swapping one construct for another. For each document and
variant this prints the CPU seconds of a warm render to PDF in this process (the median
of ``--runs``, after one untimed render), the change against the unchanged HTML, and
whether every page looks the same (``bench/pixels.py``: same page count, no pixel apart
at 100 dpi).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.pixels import compare, rasterise  # noqa: E402

BASELINE = REPO / "bench" / "baseline"
DOCUMENTS = ("large", "small", "hong-kong-ev-assembly")

#: The two-column rows of the stylesheet (a label of fixed width, then the text).
ROWS = ".timeline-list li, .glance-row, .brief-facts div"
LABELS = ".when, .brief-facts dt, .glance dt"
TEXTS = ".what, .brief-facts dd, .glance dd"

#: name -> CSS added after the document's own stylesheets.
VARIANTS: dict[str, str] = {
    "all rows as fixed tables": f"""
        {ROWS} {{ display: table; table-layout: fixed; width: 100%; }}
        {LABELS} {{ display: table-cell; width: 30mm; vertical-align: top; }}
        {TEXTS} {{ display: table-cell; vertical-align: top; }}
        .source {{ display: table; table-layout: fixed; width: 100%; }}
        .source-number {{ display: table-cell; width: 8mm; vertical-align: top; }}
        .source-text {{ display: table-cell; vertical-align: top; }}
    """,
    "two-column rows as fixed tables": f"""
        {ROWS} {{ display: table; table-layout: fixed; width: 100%; }}
        {LABELS} {{ display: table-cell; width: 30mm; vertical-align: top; }}
        {TEXTS} {{ display: table-cell; vertical-align: top; }}
    """,
    "sources as fixed tables": """
        .source { display: table; table-layout: fixed; width: 100%; }
        .source-number { display: table-cell; width: 8mm; vertical-align: top; }
        .source-text { display: table-cell; vertical-align: top; }
    """,
    "rows as grids": f"""
        {ROWS} {{ display: grid; grid-template-columns: 30mm 1fr; }}
        .source {{ display: grid; grid-template-columns: 8mm 1fr; }}
    """,
    "rows as float + flow-root": f"""
        {ROWS}, .source {{ display: flow-root; }}
        {LABELS} {{ float: left; width: 30mm; }}
        {TEXTS} {{ display: flow-root; margin-left: 30mm; }}
        .source-number {{ float: left; width: 8mm; }}
        .source-text {{ display: flow-root; margin-left: 8mm; }}
    """,
    "no target-counter in contents": ".contents-list a::after { content: none; }",
    "contents: page numbers without leader": """
        .contents-list a::after { content: " " target-counter(attr(href url), page); }
    """,
    "contents: leader without page numbers": """
        .contents-list a::after { content: leader(dotted) " 0"; }
    """,
    "contents in one column": ".contents-list { columns: auto; }",
    "no running elements": """
        @page { @top-left { content: none; } @top-right { content: none; }
                @bottom-left { content: none; } }
    """,
    "no page-number margin box": "@page { @bottom-right { content: none; } }",
    "no hyphenation": "p, li, td, dd { hyphens: manual; }",
    "no break-inside: avoid": """
        tr, .source, .timeline-list li, .glance, .brief-facts div, .mitigations,
        .contents-list li, h1, h2, h3, h4 { break-inside: auto; }
    """,
    "no CJK face in the font lists": """
        :root { --font-body: "Brief Serif"; --font-heading: "Brief Sans"; }
    """,
}


def baseline_html(name: str) -> str:
    """The baseline print HTML of document ``name``."""
    return gzip.decompress((BASELINE / f"{name}.print.html.gz").read_bytes()).decode("utf-8")


def with_css(html: str, css: str) -> str:
    """``html`` with ``css`` in a last ``<style>`` element of its head."""
    return html.replace("</head>", f"<style>{css}</style>\n</head>", 1) if css else html


def render_cpu(html: str, base_url: str, runs: int) -> tuple[float, bytes]:
    """The median CPU seconds of rendering ``html`` to a PDF/UA, after one untimed render."""
    import weasyprint

    def once() -> bytes:
        document = weasyprint.HTML(string=html, base_url=base_url).render()
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=None)

    pdf = once()
    times = []
    for _ in range(runs):
        started = time.process_time()
        once()
        times.append(time.process_time() - started)
    return statistics.median(times), pdf


def main(argv: list[str] | None = None) -> None:
    """Print one table row per document and variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(DOCUMENTS))
    parser.add_argument("--variants", default="", help="names, comma-separated (all)")
    parser.add_argument("--on-top", default="", help="a variant applied to every document first")
    args = parser.parse_args(argv)
    chosen = [v for v in VARIANTS if not args.variants or v in args.variants.split(",")]
    with tempfile.TemporaryDirectory(prefix="brief-constructs-") as folder:
        root = Path(folder)
        # The kept HTML's <base href="../templates/static/"> resolves from output/.
        (root / "templates").symlink_to(REPO / "templates")
        (root / "output").mkdir()
        base_url = (root / "output" / "x.html").as_uri()
        print("| document | variant | cpu s | change | looks the same |")
        print("| --- | --- | --- | --- | --- |")
        for name in args.only.split(","):
            html = with_css(baseline_html(name), VARIANTS.get(args.on_top, ""))
            cpu, pdf = render_cpu(html, base_url, args.runs)
            reference = root / f"{name}.pdf"
            reference.write_bytes(pdf)
            pages = rasterise(reference, root / f"{name}-pages", 100)
            start = f"today's CSS{' + ' + args.on_top if args.on_top else ''}"
            print(f"| {name} | {start} | {cpu:.2f} | | |", flush=True)
            for variant in chosen:
                seconds, other = render_cpu(with_css(html, VARIANTS[variant]), base_url, args.runs)
                candidate = root / f"{name}-variant.pdf"
                candidate.write_bytes(other)
                result = compare(reference, candidate, reference=pages)
                same = "yes" if result.same else f"no: {result.summary()}"
                change = f"{(seconds - cpu) / cpu:+.0%}"
                print(f"| {name} | {variant} | {seconds:.2f} | {change} | {same} |", flush=True)


if __name__ == "__main__":
    main()
