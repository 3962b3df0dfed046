"""Sections 7 to 9 of the benchmark: against today's print HTML, memory, shards.

7. The large and the small briefing's PDF through ``brief build``, against WeasyPrint in
   a fresh process on *today's* print HTML (``bench/baseline/``, the stylesheet before it
   was made cheaper). The content checks that must hold: every source and every timeline
   entry is in both PDFs. What no longer can: the same page count, text and pixels, since
   the look changed on purpose after the baseline was kept (Noto CJK, typographic quotes,
   hyphenation and break rules, the timeline strip's numbers and the risk matrix); those
   are printed as information, and a change that must keep the look is checked against
   the tree before it (``bench/pixels.py --before REV``).
8. Memory of one worker over many briefings: the resident set of a worker after 1, 10
   and all of ``count`` briefings (prepare and print, as a build runs them).
9. ``brief build --shard`` against building the shard's share alone.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.pixels import compare
from bench.run import brief, build_all, measure, measure_pair, project_with, report, section
from bench.synthetic import sheet_text

BASELINE = Path(__file__).resolve().parent / "baseline"
FONT_HASHES = re.compile(r"^([0-9a-f]{64})  (\S+\.ttf)$", re.MULTILINE)
WEASYPRINT_ALONE = (
    "import sys, weasyprint; "
    "weasyprint.HTML(filename=sys.argv[1]).write_pdf("
    "sys.argv[2], pdf_variant='pdf/ua-1', pdf_identifier=None)"
)


def check_fonts(templates: Path) -> None:
    """Give ``templates`` the fonts the baseline HTML names that the project no longer
    ships (``bench/baseline/fonts/``); stop if a font differs from the one the baseline
    was laid out with."""
    import hashlib

    for kept in sorted((BASELINE / "fonts").glob("*.ttf")):
        target = templates / "static" / "fonts" / kept.name
        if not target.exists():
            shutil.copy(kept, target)
    for digest, name in FONT_HASHES.findall((BASELINE / "README.md").read_text()):
        data = (templates / "static" / "fonts" / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise SystemExit(f"templates/static/fonts/{name} is not the baseline's font")


def today_html(project: Path, name: str) -> Path:
    """Today's print HTML of ``name``, where its ``<base href>`` finds the templates."""
    folder = project / "today"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.print.html"
    path.write_bytes(gzip.decompress((BASELINE / f"{name}.print.html.gz").read_bytes()))
    return path


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` as ``pdftotext`` reads it."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


#: A timeline entry's first line: its month, after the strip's number where there is one
#: (``<span class="strip-number">N</span> January 2000``; the baseline has no numbers).
#: The year may wrap to the next line ("September" is the widest month of the column).
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATED_LINE = re.compile(
    rf"^[ ]*(?:(\d+)[ ]+)?(?:{MONTHS})(?:[ ]+(?:19|20)\d\d\b|[ ]{{2,}}|[ ]*$)", re.MULTILINE
)


def timeline_entries(text: str) -> tuple[int, list[int]]:
    """How many timeline entries ``text`` shows (lines starting with a date) and the
    strip numbers they carry, in order."""
    found = DATED_LINE.findall(text)
    return len(found), [int(n) for n in found if n]


def content_check(mine: Path, today: Path, size: str) -> str:
    """Which checks hold between brief's PDF and the baseline's: every source and every
    timeline entry (must hold), and page count, text and pixels (information only)."""
    text, theirs = pdf_text(mine), pdf_text(today)
    sources = int(re.search(r"sources=(\d+)", _shape(size)).group(1))
    events = int(re.search(r"events=(\d+)", _shape(size)).group(1))
    missing = [i for i in range(sources) if f"Report number {i}." not in text]
    missing_there = [i for i in range(sources) if f"Report number {i}." not in theirs]
    dated, numbers = timeline_entries(text)
    dated_there, _ = timeline_entries(theirs)
    entries_hold = dated == events == dated_there and numbers == list(range(1, events + 1))
    pixels = compare(today, mine)
    return "\n  ".join(
        (
            f"every source: {_holds(not missing and not missing_there)} ({sources - len(missing)}"
            f" of {sources} in brief's PDF, {sources - len(missing_there)} in the baseline's)",
            f"every timeline entry: {_holds(entries_hold)} ({dated} dated entries, numbered"
            f" {_span(numbers)}, of {events} in the sheet; {dated_there} in the baseline's)",
            f"same page count: {_told(pixels.pages[0] == pixels.pages[1])} (baseline"
            f" {pixels.pages[0]}, brief {pixels.pages[1]})",
            f"same text: {_told(text == theirs)}",
            f"same pixels: {_told(pixels.same)} ({pixels.summary()})",
        )
    )


def _holds(ok: bool) -> str:
    return "holds" if ok else "FAILS"


def _told(same: bool) -> str:
    """A check the deliberate look changes since the baseline keep from holding."""
    return "yes" if same else "no, as expected (the look changed on purpose since the baseline)"


def _span(numbers: list[int]) -> str:
    return f"{numbers[0]} to {numbers[-1]}" if numbers else "none"


def _shape(size: str) -> str:
    from bench.synthetic import SHAPES

    return repr(SHAPES[size])


def against_today(root: Path, size: str, runs: int, target: str) -> None:
    """7. ``brief build`` of one briefing against WeasyPrint on today's print HTML."""
    name = size
    project = project_with(root / f"today-{size}", 0)
    check_fonts(project / "templates")
    sheet = project / "briefs" / f"{name}.yaml"
    sheet.write_text(sheet_text(1, size), encoding="utf-8")
    build_all(project, "--formats", "pdf")
    html = today_html(project, name)
    today_pdf = project / "today" / f"{name}.pdf"
    alone = [sys.executable, "-c", WEASYPRINT_ALONE, str(html), str(today_pdf)]

    def edit(i: int) -> None:
        sheet.write_text(sheet_text(1, size) + f"# edit {i}\n", encoding="utf-8")

    base, mine = measure_pair(alone, brief(project, "build", "--formats", "pdf"), runs, edit)
    report(f"WeasyPrint alone on today's print HTML, {size} brief", base)
    report(f"brief build, {size} brief edited, against that", mine, base, target)
    print(f"  {content_check(project / 'output' / f'{name}.pdf', today_pdf, size)}", flush=True)


def worker_rss(_: object) -> int:
    """The resident set of this process in KiB (run inside a worker)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_flat(root: Path, count: int) -> None:
    """8. One worker preparing and printing ``count`` small briefings in turn."""
    from generator.builder.jobs import PrepareJob, PrintJob, prepare_briefing, print_pdf
    from generator.builder.workers import Limits, Pool
    from generator.settings import default_settings

    section(f"8. one worker, {count} small briefings one after another (prepare and print)")
    project = project_with(root / "memory", count)
    settings = default_settings(project)
    today = __import__("datetime").date(2026, 1, 20)
    marks = {1, 10, count}
    limits = Limits(600.0, settings.render_memory, max_jobs=0)
    with Pool(1, limits) as pool:
        worker = pool.workers[0]
        for number, path in enumerate(sorted((project / "briefs").glob("*.yaml")), start=1):
            prepared = _run(
                pool,
                worker,
                prepare_briefing,
                PrepareJob(settings, path, ("pdf",), None, today, False),
            )
            _run(
                pool,
                worker,
                print_pdf,
                PrintJob(
                    tuple(prepared.printable.items()),
                    settings.templates_dir,
                    "pdf/ua-1",
                    path.stem,
                    "brief",
                    None,
                    prepared.images,
                ),
            )
            if number in marks:
                kib = _run(pool, worker, worker_rss, None)
                print(
                    f"  resident set after {number:4d} briefings: {kib / 1024:7.1f} MiB", flush=True
                )


def _run(pool: object, worker: object, fn: object, arg: object) -> object:
    """Run one job on ``worker`` and return its value; stop the benchmark if it fails."""
    pool.submit(worker, "job", fn, arg)
    while True:
        for outcome in pool.wait(1.0):
            if outcome.kind != "ok":
                raise SystemExit(f"job failed ({outcome.kind}): {outcome.message}")
            return outcome.value


def shard_overhead(root: Path, count: int, runs: int) -> None:
    """9. ``brief build --shard 2/3 --force`` against a project of that share alone."""
    from generator.builder.shards import parse_shard

    section(f"9. --shard 2/3 of {count} small briefings, against building that share alone")
    project = project_with(root / "shards", count)
    share = parse_shard("2/3").share(p.stem for p in (project / "briefs").glob("*.yaml"))
    alone = project_with(root / "share-alone", 0)
    for brief_id in share:
        shutil.copy(project / "briefs" / f"{brief_id}.yaml", alone / "briefs")
    build_all(project, "--shard", "2/3")
    build_all(alone)
    single = measure(brief(alone, "build", "--force"), runs)
    sharded = measure(brief(project, "build", "--force", "--shard", "2/3"), runs)
    report(f"brief build --force of the share alone ({len(share)} briefings)", single)
    report("brief build --force --shard 2/3, against that", sharded, single, "target < x1.10")
