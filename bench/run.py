"""Benchmark of ``brief build`` against make, ninja, WeasyPrint alone and the bare interpreter.

Run ``make bench`` (or ``python bench/run.py``; ``--help`` for the sizes). Everything
happens in a temporary folder with synthetic fact sheets (see ``bench/synthetic.py``).
Each figure is the median of several runs; each comparison has its baseline measured in
the same run, and prints the ratio. Peak memory is the largest resident set of any
process of the command's tree (``%M`` of GNU time). Sections 7 to 9 (against today's
print HTML in ``bench/baseline/``, one worker's memory, ``--shard``) are in
``bench/engine.py``, section 10 (four charts against none, warm) in ``bench/figures.py``;
``bench/constructs.py`` and ``bench/pixels.py`` are the stylesheet's.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import sheet_text, write_sheets  # noqa: E402

TEMPLATES = ("templates/base.html", "templates/brief.html", "templates/static/screen.css")
GNU_TIME = Path("/usr/bin/time").is_file()


@dataclass(frozen=True)
class Timing:
    """The median wall-clock and CPU seconds and the peak resident memory (KiB) of a command.

    CPU seconds (user and system, the whole process tree) show contention: a parallel
    run whose CPU time is no more than its wall time did not get a second core.
    """

    seconds: float
    peak_kib: int
    cpu: float = 0.0


def env() -> dict[str, str]:
    """The environment of every measured command: this checkout, bytecode caching on."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**base, "PYTHONPATH": str(REPO)}


def brief(project: Path, *args: str) -> list[str]:
    """The command line of ``brief -C PROJECT ARGS`` with this checkout's generator."""
    return [sys.executable, "-m", "generator", "-C", str(project), *args]


def run_once(command: Sequence[str], cwd: Path | None = None) -> tuple[float, int, float]:
    """Run ``command``: its wall-clock seconds, the peak RSS (KiB) of its process tree and
    its CPU seconds.

    The peak comes from GNU time when installed: a child's ``ru_maxrss`` starts at the
    size of the process that forked it, and this benchmark is a fat Python process.
    """
    with tempfile.NamedTemporaryFile("r") as peak_file:
        wrapper = ["/usr/bin/time", "-f", "%M %U %S", "-o", peak_file.name] if GNU_TIME else []
        started = time.perf_counter()
        result = subprocess.run(
            [*wrapper, *command],
            cwd=cwd,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = time.perf_counter() - started
        said = peak_file.read().split()
    if result.returncode not in (0, 1):
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    if len(said) < 3:
        return elapsed, 0, 0.0
    return elapsed, int(said[-3]), float(said[-2]) + float(said[-1])


def measure(
    command: Sequence[str],
    runs: int,
    before: Callable[[int], None] | None = None,
    cwd: Path | None = None,
) -> Timing:
    """The median of ``runs`` runs of ``command`` (``before(i)`` runs untimed before each)."""
    times, peaks, cpus = [], [], []
    for i in range(runs):
        if before:
            before(i)
        seconds, peak, cpu = run_once(command, cwd)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
    return Timing(statistics.median(times), max(peaks), statistics.median(cpus))


def measure_pair(
    first: Sequence[str],
    second: Sequence[str],
    runs: int,
    before_second: Callable[[int], None] | None = None,
) -> tuple[Timing, Timing]:
    """The medians of ``runs`` runs of each command, taken in turns (first, second, first,
    ...): on a shared machine whose speed drifts over minutes, a ratio of two blocks of
    runs taken one after the other measures the drift as much as the commands."""
    firsts: list[tuple[float, int, float]] = []
    seconds: list[tuple[float, int, float]] = []
    for i in range(runs):
        firsts.append(run_once(first, None))
        if before_second:
            before_second(i)
        seconds.append(run_once(second, None))
    return _median_timing(firsts), _median_timing(seconds)


def _median_timing(runs: Sequence[tuple[float, int, float]]) -> Timing:
    return Timing(
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def report(label: str, timing: Timing, baseline: Timing | None = None, target: str = "") -> None:
    """Print one line: the figure, and its ratio to the baseline."""
    line = f"  {label:<56} {timing.seconds:7.3f} s  cpu {timing.cpu:6.2f} s"
    line += f"  {timing.peak_kib / 1024:6.1f} MiB"
    if baseline is not None:
        line += f"  x{timing.seconds / baseline.seconds:.2f}"
        if baseline.cpu:
            line += f" (cpu x{timing.cpu / baseline.cpu:.2f})"
    if target:
        line += f"   ({target})"
    print(line, flush=True)


def project_with(root: Path, count: int, size: str = "small") -> Path:
    """A project folder with the real templates and ``count`` synthetic sheets."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    write_sheets(root / "briefs", count, size)
    return root


def section(title: str) -> None:
    """Print a section's title and the machine's load when it starts."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{title}  [load average {load}]", flush=True)


def build_all(project: Path, *args: str) -> None:
    """Build ``project`` once, untimed, and fail loudly if that does not work."""
    run_once(brief(project, "build", *args))


def makefile_project(project: Path) -> Path:
    """A Makefile with one target per fact sheet, each depending on it and 3 templates."""
    stamps = project / "stamps"
    stamps.mkdir()
    names = sorted(p.stem for p in (project / "briefs").glob("*.yaml"))
    deps = " ".join(TEMPLATES)
    lines = ["all: " + " ".join(f"stamps/{n}" for n in names), ""]
    for name in names:
        lines += [f"stamps/{name}: briefs/{name}.yaml {deps}", "\t@touch $@", ""]
    (project / "Makefile").write_text("\n".join(lines))
    rules = ["rule stamp", "  command = touch $out", ""]
    rules += [f"build stamps/{n}: stamp briefs/{n}.yaml {deps}" for n in names]
    (project / "build.ninja").write_text("\n".join(rules) + "\n")
    return project


def machine() -> None:
    """Print what the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    print(f"machine: {os.cpu_count()} CPUs ({model}), {int(memory) / 1024**2:.1f} GiB RAM")
    print(f"python {platform.python_version()}, load average {os.getloadavg()}")


def no_op(root: Path, count: int, runs: int, formats: str) -> None:
    """1. a build with nothing to do over ``count`` sheets, against make and ninja."""
    section(f"1. no-op build over {count} fact sheets ({formats})")
    project = makefile_project(project_with(root / "noop", count))
    build_all(project, "--formats", formats)
    build_all(project, "--formats", formats)  # once more: settle the stat cache
    subprocess.run(["make", "-s", "-j2"], cwd=project, check=True)
    mine = measure(brief(project, "build", "--formats", formats), runs)
    make = measure(["make", "-s", "-j2"], runs, cwd=project)
    make_r = measure(["make", "-s", "-r", "-j2"], runs, cwd=project)
    report("make -j2 (nothing to do)", make)
    report("make -r -j2 (nothing to do)", make_r)
    if shutil.which("ninja"):
        subprocess.run(["ninja", "-j2"], cwd=project, check=True, capture_output=True)
        ninja = measure(["ninja", "-j2"], runs, cwd=project)
        report("ninja -j2 (nothing to do)", ninja)
        report("brief build (nothing to do), against ninja", mine, ninja)
    else:
        print("  ninja not installed: run `scripts/setup-system.sh bench` for that baseline")
    report("brief build (nothing to do), against make -j2", mine, make, "target < x1, < 0.1 s")
    one_edited(project, root, count, runs, formats)


def one_edited(project: Path, root: Path, count: int, runs: int, formats: str) -> None:
    """2. one sheet edited among ``count``: against building that one briefing alone."""
    section(f"2. one fact sheet edited among {count} ({formats})")
    alone = project_with(root / "alone", 0)
    shutil.copy(project / "briefs" / "brief-0007.yaml", alone / "briefs" / "brief-0007.yaml")
    build_all(alone, "--formats", formats)

    def editor(folder: Path) -> Callable[[int], None]:
        def edit(i: int) -> None:
            text = sheet_text(7) + f"# edit {i}\n"
            (folder / "briefs" / "brief-0007.yaml").write_text(text, encoding="utf-8")

        return edit

    single = measure(brief(alone, "build", "--formats", formats), runs, editor(alone))
    among = measure(brief(project, "build", "--formats", formats), runs, editor(project))
    report("the same edit, in a project of that one sheet", single)
    report(f"one edited among {count}, against that one alone", among, single, "target <= x1.2")


def pdf_alone(root: Path, size: str, runs: int, target: str) -> None:
    """3. one briefing's PDF through brief build, against WeasyPrint on the same HTML."""
    from generator.factsheet import load
    from generator.render import render_html
    from generator.settings import default_settings

    project = project_with(root / f"pdf-{size}", 0)
    (project / "briefs" / f"{size}.yaml").write_text(sheet_text(1, size), encoding="utf-8")
    build_all(project, "--formats", "pdf")
    settings = default_settings(project)
    loaded = load(project / "briefs" / f"{size}.yaml", f"briefs/{size}.yaml")
    page = render_html(loaded.sheet, size, settings.templates_dir, target="pdf")
    html = root / f"{size}.print.html"
    html.write_text(page.html, encoding="utf-8")
    script = (
        "import sys, weasyprint; "
        "weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf("
        "sys.argv[3], pdf_variant=sys.argv[4], pdf_identifier=None)"
    )
    static = (project / "templates" / "static").as_uri() + "/"
    alone = [sys.executable, "-c", script, str(html), static, str(root / "alone.pdf"), "pdf/ua-1"]

    def edit(i: int) -> None:
        text = sheet_text(1, size) + f"# edit {i}\n"
        (project / "briefs" / f"{size}.yaml").write_text(text, encoding="utf-8")

    base, mine = measure_pair(alone, brief(project, "build", "--formats", "pdf"), runs, edit)
    report(f"WeasyPrint alone, {size} brief, fresh process", base)
    report(f"brief build, {size} brief edited, against WeasyPrint alone", mine, base, target)
    if base.peak_kib:
        ratio = mine.peak_kib / base.peak_kib
        print(f"  peak memory: x{ratio:.2f} of WeasyPrint's own (target <= x1.2)")


def parallel(root: Path, count: int, runs: int) -> Path:
    """4. ``count`` small briefings with -j 2 against -j 1 (HTML and PDF, forced)."""
    section(f"4. {count} small briefings, -j 2 against -j 1 (html and pdf, --force)")
    project = project_with(root / "parallel", count)
    build_all(project)
    serial = measure(brief(project, "build", "--force", "-j", "1"), runs)
    two = measure(brief(project, "build", "--force", "-j", "2"), runs)
    report("brief build --force -j 1", serial)
    report("brief build --force -j 2, speed-up over -j 1", two, serial)
    print(f"  speed-up: x{serial.seconds / two.seconds:.2f} (target >= x1.7 on 2 cores)")
    if two.seconds:
        print(f"  CPUs kept busy by -j 2: {two.cpu / two.seconds:.2f} (2.00 on an idle machine)")
    return project


def diy(project: Path, runs: int) -> None:
    """5. make -j2 running the weasyprint command per HTML file, against brief -j2."""
    section("5. do-it-yourself: make -j2 calling `weasyprint` on each HTML brief (today's CSS)")
    command = shutil.which("weasyprint", path=str(Path(sys.executable).parent))
    if command is None:
        print("  the weasyprint command is not installed next to this Python; skipped")
        return
    count = len(list((project / "briefs").glob("*.yaml")))
    today = today_project(project.parent / "diy-today", count)
    names = sorted(p.stem for p in (today / "output").glob("brief-*.html"))
    lines = ["all: " + " ".join(f"diy/{n}.pdf" for n in names), ""]
    for name in names:
        lines += [f"diy/{name}.pdf: output/{name}.html", f"\t@{command} -q $< $@", ""]
    (today / "diy.mk").write_text("\n".join(lines))
    (today / "diy").mkdir(exist_ok=True)
    theirs = measure(["make", "-s", "-B", "-j2", "-f", "diy.mk"], runs, cwd=today)
    mine = measure(brief(project, "build", "--force", "-j", "2"), runs)
    report(f"make -B -j2, weasyprint per briefing ({len(names)})", theirs)
    report("brief build --force -j 2 from the fact sheets", mine, theirs)
    print(f"  brief is x{theirs.seconds / mine.seconds:.2f} faster (target >= x2)")


def today_project(root: Path, count: int) -> Path:
    """The same ``count`` sheets built to HTML with today's stylesheets (bench/baseline/):
    the make route's input stays what brief produced before the print stylesheet changed."""
    project = project_with(root, count)
    for name in ("print.css", "fonts.css"):
        shutil.copy(REPO / "bench" / "baseline" / name, project / "templates" / "static" / name)
    build_all(project, "--formats", "html")
    return project


def startup(root: Path, runs: int) -> None:
    """6. ``brief --help`` and ``brief check`` of one sheet against ``python -c pass``."""
    section("6. start-up, against the bare interpreter")
    project = project_with(root / "startup", 1)
    bare = measure([sys.executable, "-c", "pass"], runs)
    helped = measure(brief(project, "--help"), runs)
    checked = measure(brief(project, "check", "brief-0000"), runs)
    report("python -c pass", bare)
    report("brief --help", helped, bare, "target <= x10")
    report("brief check (one fact sheet)", checked, bare, "target <= x25")
    for args in (["--help"], ["check", "brief-0000"]):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", *brief(project, *args)[1:]],
            env=env(),
            capture_output=True,
            text=True,
            check=False,
        )
        loaded = "weasyprint" in result.stderr
        print(f"  brief {args[0]}: WeasyPrint imported: {'yes' if loaded else 'no'}")


def options(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; ``--quick`` scales every section down for a look in minutes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=1000, help="sheets of the no-op test")
    parser.add_argument("--parallel", type=int, default=16, help="sheets of tests 4, 5, 9")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--memory", type=int, default=100, help="briefings of test 8")
    parser.add_argument("--noop-formats", default="html,pdf", help="formats of tests 1, 2")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10", help="which comparisons to run")
    parser.add_argument(
        "--quick", action="store_true", help="--sheets 200 --runs 3 --memory 20 (minutes)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sheets, args.runs, args.memory = 200, 3, 20
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark; ``--sheets`` and ``--runs`` scale it down for a quick look."""
    from bench import engine, figures

    args = options(argv)
    chosen = set(args.only.split(","))
    machine()
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as folder:
        root = Path(folder)
        if "1" in chosen:
            no_op(root, args.sheets, args.runs, args.noop_formats)
        if "3" in chosen:
            section("3. one briefing's PDF through brief build, against WeasyPrint alone")
            pdf_alone(root, "large", args.runs, "target <= x1.05")
            pdf_alone(root, "small", args.runs, "target <= x1.10")
        if chosen & {"4", "5"}:
            project = parallel(root, args.parallel, args.runs)
            if "5" in chosen:
                diy(project, args.runs)
        if "6" in chosen:
            startup(root, args.runs)
        if "7" in chosen:
            section("7. one briefing's PDF through brief build, against today's print HTML")
            engine.against_today(root, "large", args.runs, "target <= x0.6")
            engine.against_today(root, "small", args.runs, "target <= x0.8")
        if "8" in chosen:
            engine.memory_flat(root, args.memory)
        if "9" in chosen:
            engine.shard_overhead(root, args.parallel, args.runs)
        if "10" in chosen:
            figures.charts_cost(args.runs * 2)
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
