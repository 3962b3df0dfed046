"""Do two documents look the same? Rasterise every page of both and compare pixels.

    python bench/pixels.py A B [--dpi 100]
    python bench/pixels.py --baseline       # this tree's PDFs against bench/baseline/
    python bench/pixels.py --before main    # this tree's PDFs against those of a commit

``A`` and ``B`` are PDFs, or print HTML files (``.html`` or ``.html.gz``) that are first
rendered with WeasyPrint, relative URLs resolved against the file's own folder (a kept
``output/<id>.print.html`` has ``<base href="../templates/static/">``). Every page is
rasterised with ``pdftoppm`` and compared pixel by pixel. The report gives the page
counts, the pages that differ and how many pixels differ on each; the exit status is 0
when both have the same pages and no pixel differs, 1 otherwise.

``--baseline`` builds the briefings of ``bench/baseline/`` (the large and the small
synthetic sheet, the Hong Kong briefing) with this tree's ``brief build`` and compares
each PDF with the baseline print HTML rendered by WeasyPrint: the check to run after
every change to the print stylesheet that keeps the baseline's look. Since the look
changed on purpose after the baseline was kept (fonts, quotes, hyphenation, the timeline
strip and risk matrix), ``--before REV`` is the check of a change meant to keep what the
reader sees: the same three briefings built by commit ``REV`` (``git archive``, with this
tree's git-ignored CJK faces) and by this tree, page by page.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The real briefing of the baseline, under briefs/.
BRIEFING = "hong-kong-ev-assembly.yaml"


@dataclass(frozen=True)
class Comparison:
    """Page counts of both documents and, per differing page (1-based), pixels that differ."""

    pages: tuple[int, int]
    differing: dict[int, int]

    @property
    def same(self) -> bool:
        """Same number of pages and not one pixel apart."""
        return self.pages[0] == self.pages[1] and not self.differing

    def summary(self) -> str:
        """One line for a person."""
        head = f"pages {self.pages[0]} / {self.pages[1]}"
        if self.same:
            return f"{head}: identical pixels"
        pixels = sum(self.differing.values())
        listed = ", ".join(f"p{p}: {n}" for p, n in sorted(self.differing.items())[:12])
        return f"{head}: {len(self.differing)} pages differ, {pixels} pixels ({listed})"


def to_pdf(path: Path, folder: Path) -> Path:
    """``path`` itself if it is a PDF, else the PDF WeasyPrint makes of that HTML file."""
    if path.suffix.lower() == ".pdf":
        return path
    import weasyprint

    raw = path.read_bytes()
    html = gzip.decompress(raw) if path.suffix == ".gz" else raw
    out = folder / (path.name.split(".")[0] + f"-{abs(hash(str(path)))}.pdf")
    weasyprint.HTML(string=html.decode("utf-8"), base_url=path.resolve().as_uri()).write_pdf(
        out, pdf_identifier=None
    )
    return out


def rasterise(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    """Every page of ``pdf`` as a PNG in ``folder``, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def differing_pixels(a: Path, b: Path) -> int:
    """How many pixels of two page images differ (a size mismatch counts every pixel)."""
    from PIL import Image, ImageChops

    with Image.open(a) as first, Image.open(b) as second:
        if first.size != second.size:
            return max(first.width * first.height, second.width * second.height)
        mask = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).convert("L")
        return sum(mask.point(lambda v: 255 if v else 0).histogram()[1:])


def compare(a: Path, b: Path, dpi: int = 100, reference: list[Path] | None = None) -> Comparison:
    """Compare the pages of documents ``a`` and ``b`` (PDF or print HTML).

    ``reference``: the pages of ``a`` already rasterised at ``dpi`` (then ``a`` is unused).
    """
    with tempfile.TemporaryDirectory(prefix="brief-pixels-") as folder:
        root = Path(folder)
        pages_a = (
            reference if reference is not None else rasterise(to_pdf(a, root), root / "a", dpi)
        )
        pages_b = rasterise(to_pdf(b, root), root / "b", dpi)
        differing = {}
        for number, (one, two) in enumerate(zip(pages_a, pages_b, strict=False), start=1):
            count = differing_pixels(one, two)
            if count:
                differing[number] = count
        return Comparison((len(pages_a), len(pages_b)), differing)


def baseline_project(root: Path) -> Path:
    """A project with the current templates and the sheets of ``bench/baseline/``."""
    repo = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repo))
    from bench.synthetic import sheet_text

    project = root / "project"
    shutil.copytree(repo / "templates", project / "templates")
    # The baseline HTML names fonts the project no longer ships (bench/baseline/fonts/).
    for kept in sorted((repo / "bench" / "baseline" / "fonts").glob("*.ttf")):
        shutil.copy(kept, project / "templates" / "static" / "fonts" / kept.name)
    (project / "briefs").mkdir()
    for size in ("large", "small"):
        (project / "briefs" / f"{size}.yaml").write_text(sheet_text(1, size), encoding="utf-8")
    shutil.copy(repo / "briefs" / BRIEFING, project / "briefs" / BRIEFING)
    return project


def against_baseline(dpi: int) -> bool:
    """Build the baseline's briefings with this tree; compare each PDF with the baseline."""
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="brief-pixels-tree-") as folder:
        project = baseline_project(Path(folder))
        command = [sys.executable, "-m", "generator", "-C", str(project), "build"]
        subprocess.run([*command, "--formats", "pdf"], check=True, capture_output=True)
        same = True
        for name in ("large", "small", Path(BRIEFING).stem):
            # The kept HTML's <base href="../templates/static/"> resolves from output/.
            kept = project / "output" / f"{name}.baseline.html.gz"
            shutil.copy(repo / "bench" / "baseline" / f"{name}.print.html.gz", kept)
            result = compare(kept, project / "output" / f"{name}.pdf", dpi)
            print(f"{name}: {result.summary()}", flush=True)
            same = same and result.same
        return same


def against_commit(rev: str, dpi: int) -> bool:
    """Build the baseline's briefings with commit ``rev`` and with this tree; compare."""
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="brief-pixels-rev-") as folder:
        before = Path(folder) / "before"
        before.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", rev], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        shutil.copytree(
            repo / "templates" / "static" / "fonts" / "cjk",
            before / "templates" / "static" / "fonts" / "cjk",
            dirs_exist_ok=True,
        )
        built = [_built(tree, Path(folder) / name) for tree, name in ((before, "a"), (repo, "b"))]
        same = True
        for name in ("large", "small", Path(BRIEFING).stem):
            result = compare(built[0] / f"{name}.pdf", built[1] / f"{name}.pdf", dpi)
            print(f"{name}: {result.summary()}", flush=True)
            same = same and result.same
        return same


def _built(tree: Path, root: Path) -> Path:
    """The output folder of the baseline's briefings built by the code and templates of
    ``tree``."""
    import os

    project = baseline_project(root)
    shutil.rmtree(project / "templates")
    shutil.copytree(tree / "templates", project / "templates")
    command = [sys.executable, "-m", "generator", "-C", str(project), "build", "--formats", "pdf"]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=tree)
    return project / "output"


def main(argv: list[str] | None = None) -> int:
    """Compare two documents given on the command line; 0 if they look the same."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, nargs="?")
    parser.add_argument("b", type=Path, nargs="?")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of the rasters")
    parser.add_argument("--baseline", action="store_true", help="this tree against the baseline")
    parser.add_argument("--before", metavar="REV", help="this tree against commit REV")
    args = parser.parse_args(argv)
    if args.baseline:
        return 0 if against_baseline(args.dpi) else 1
    if args.before:
        return 0 if against_commit(args.before, args.dpi) else 1
    if args.a is None or args.b is None:
        parser.error("give two documents, or --baseline")
    result = compare(args.a, args.b, args.dpi)
    print(f"{args.a.name} / {args.b.name}: {result.summary()}")
    return 0 if result.same else 1


if __name__ == "__main__":
    sys.exit(main())
