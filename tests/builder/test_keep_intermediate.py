"""``brief build --keep-intermediate``: the HTML WeasyPrint laid out, kept beside the PDF.

Over the real command: the kept file prints, through WeasyPrint alone (its Python API and
its own command, from the project folder), to a PDF of the same pages, text and fonts as
the build's; it is recorded like every output (``brief clean`` removes it), dropped when a
build reprints the PDF without the flag, and never attached by ``brief send``.
"""

from __future__ import annotations

import email
import io
import json
import shutil
import subprocess
import sys
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pypdf import PdfReader

from generator.builder.manifest import STATE_NAME

VALID = Path(__file__).parents[1] / "data" / "valid"


def _text_pages_fonts(pdf: bytes) -> tuple[str, int, set[str]]:
    """A PDF's text (whitespace collapsed), page count and font names (subset tag dropped)."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages), fonts


class _Tags(HTMLParser):
    """The start tags of a document and their attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _targets(project: Path, brief_id: str) -> set[str]:
    state = json.loads((project / "output" / STATE_NAME).read_text(encoding="utf-8"))
    return set(state["briefs"][brief_id]["targets"])


def test_the_kept_html_prints_to_the_same_pdf_through_weasyprint_alone(project: Path, run_brief):
    shutil.copy(VALID / "full.yaml", project / "briefs" / "full.yaml")
    plain = run_brief("build", "--formats", "pdf")
    assert plain.returncode == 0, plain.stderr
    assert not (project / "output" / "full.print.html").exists()
    kept = run_brief("build", "--formats", "pdf", "--keep-intermediate")
    assert kept.returncode == 0, kept.stderr
    assert "-> output/full.pdf, output/full.print.html (print.html: new)" in kept.stderr
    page = project / "output" / "full.print.html"
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    names = [tag for tag, _ in parser.tags]
    assert names[:3] == ["html", "head", "base"] and names.count("body") == 1
    assert parser.tags[2][1] == {"href": "../templates/static/"}
    import weasyprint

    reprinted = weasyprint.HTML(filename=str(page)).write_pdf()
    built = (project / "output" / "full.pdf").read_bytes()
    text, pages, fonts = _text_pages_fonts(reprinted)
    assert (text, pages, fonts) == _text_pages_fonts(built)
    assert pages >= 2 and "Brief-Serif" in fonts  # the project's fonts, found from output/


def test_the_weasyprint_command_prints_it_from_the_project_folder(project: Path, run_brief):
    shutil.copy(VALID / "minimal.yaml", project / "briefs" / "minimal.yaml")
    assert run_brief("build", "--formats", "pdf", "--keep-intermediate").returncode == 0
    command = [sys.executable, "-m", "weasyprint", "output/minimal.print.html", "x.pdf"]
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr and "Failed to load" not in done.stderr
    built = (project / "output" / "minimal.pdf").read_bytes()
    assert _text_pages_fonts((project / "x.pdf").read_bytes()) == _text_pages_fonts(built)


def test_it_is_kept_while_the_pdf_stands_and_dropped_when_it_is_reprinted(
    project: Path, write_brief, run_brief
):
    write_brief("alpha")
    out = project / "output"
    assert run_brief("build", "--formats", "pdf", "--keep-intermediate").returncode == 0
    assert _targets(project, "alpha") == {"pdf", "print.html"}
    # A build without the flag leaves it while the PDF it was printed from is current.
    assert run_brief("build", "--formats", "pdf").returncode == 0
    assert (out / "alpha.print.html").is_file()
    # Missing: the next build with the flag prints the PDF again to keep it.
    (out / "alpha.print.html").unlink()
    again = run_brief("build", "--formats", "pdf", "--keep-intermediate")
    assert "output/alpha.pdf, output/alpha.print.html (print.html: output missing)" in again.stderr
    # The PDF printed again without the flag: the kept HTML is stale, and goes.
    forced = run_brief("build", "--formats", "pdf", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (out / "alpha.print.html").exists()
    assert _targets(project, "alpha") == {"pdf"}
    assert run_brief("build", "--formats", "pdf", "--keep-intermediate").returncode == 0
    # One edited by hand is not removed, but no longer recorded: it is the user's now.
    (out / "alpha.print.html").write_text("<p>my experiment</p>", encoding="utf-8")
    edited = run_brief("build", "--formats", "pdf", "--force")
    assert "kept output/alpha.print.html: it changed since brief wrote it" in edited.stderr
    assert _targets(project, "alpha") == {"pdf"}
    (out / "alpha.print.html").unlink()
    assert run_brief("build", "--formats", "pdf", "--keep-intermediate").returncode == 0
    cleaned = run_brief("clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert sorted(p.name for p in out.iterdir()) == []


def test_send_never_attaches_the_intermediate(project: Path, write_brief, run_brief):
    write_brief("alpha")
    delivery = {
        "sender": "desk@example.org",
        "formats": ["pdf", "html"],
        "lists": {"team": {"recipients": ["ann@example.org"]}},
    }
    (project / "delivery.yaml").write_text(yaml.safe_dump(delivery), encoding="utf-8")
    assert run_brief("build", "--keep-intermediate").returncode == 0
    sent = run_brief("send", "alpha", "--to", "team", "--dry-run")
    assert sent.returncode == 0, sent.stderr
    assert (project / "output" / "alpha.print.html").is_file()  # still there, not attached
    messages = list((project / "output" / "outbox").rglob("*.eml"))
    assert messages
    for path in messages:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        names = {part.get_filename() for part in message.iter_attachments()}
        assert names == {"alpha.pdf", "alpha.html"}, path
