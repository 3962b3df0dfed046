"""The URL fetcher's rules that tests/render/test_pdf_fetcher.py does not already pin.

Already pinned there: http, https, ftp, data:image/svg+xml, devices, other hosts, files
outside templates/, traversal, a symlinked file pointing out, a missing asset, a FIFO,
attachment links, a refusal inside an SVG. Here: redirects, every kind of ``data:``,
symlinked folders, what may stay inside, attachments pointing outside, and a missing
asset through the real command line.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.errors import RenderError
from generator.render.pdf import render_pdf
from tests.security.projects import REPO, SVG, Canary, cli, make_project, write_sheet
from tests.support.render_samples import minimal_data

SECRET = "SECRET-OUTSIDE-TEMPLATES"
#: A 1x1 PNG, so a refused data: image is refused for its scheme, not its bytes.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><p>Text</p>{body}</body></html>"


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    """A templates folder with an image and a shipped font (the PDF stage needs one), and
    a secret stylesheet and folder beside it."""
    root = tmp_path / "templates"
    (root / "static" / "fonts").mkdir(parents=True)
    shutil.copy(
        REPO / "templates" / "static" / "fonts" / "NotoSans-Regular.ttf", root / "static" / "fonts"
    )
    (root / "static" / "dot.svg").write_bytes(SVG)
    (tmp_path / "secret.css").write_text(f'body::after {{ content: "{SECRET}" }}')
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "dot.svg").write_bytes(SVG)
    return root


def test_a_redirect_is_never_followed_because_nothing_is_requested(
    templates: Path, canary: Canary
) -> None:
    with pytest.raises(RenderError, match="/redirect: refused"):
        render_pdf(page(f'<img src="{canary.url}/redirect">'), templates)
    assert canary.hits == []


@pytest.mark.parametrize(
    "markup",
    [
        f'<img src="data:image/png;base64,{PNG}">',
        '<img src="data:image/jpeg;base64,/9j/4AAQ">',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">',
        '<div style="background: url(data:image/png;base64,{png})">x</div>'.replace("{png}", PNG),
        '<link rel="stylesheet" href="data:text/css,p%7Bcolor:red%7D">',
        "<style>@font-face { font-family: X; src: url(data:font/ttf;base64,AAEAAA==) }"
        " p { font-family: X }</style>",
    ],
)
def test_every_data_url_is_refused(templates: Path, markup: str) -> None:
    with pytest.raises(RenderError, match=r"^data:.*refused"):
        render_pdf(page(markup), templates)


def test_the_templates_use_no_data_url_so_none_is_allowed() -> None:
    # The rule is "data: only for the image types the templates use": they use none.
    # Shipping one would need the fetcher to allow that type, and this test to say so.
    shipped = [p for p in (REPO / "templates").rglob("*") if p.is_file() and p.suffix != ".ttf"]
    assert shipped
    for path in shipped:
        assert not re.search(r"data:", path.read_text(encoding="utf-8", errors="replace")), path


def test_a_symlinked_folder_pointing_outside_is_refused(templates: Path) -> None:
    (templates / "static" / "images").symlink_to(templates.parent / "outside")
    with pytest.raises(RenderError, match=r"images/dot\.svg: refused"):
        render_pdf(page('<img src="images/dot.svg">'), templates)


def test_a_symlink_that_stays_inside_templates_is_served(templates: Path) -> None:
    (templates / "static" / "logo.svg").symlink_to(templates / "static" / "dot.svg")
    rendered = render_pdf(page('<img src="logo.svg" alt="">'), templates)
    assert rendered.files_read == ("static/dot.svg",)


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="attachment" href="{url}/attached.pdf">',
        '<a rel="attachment" href="{url}/attached.pdf">file</a>',
        '<a rel="attachment" href="{outside}">file</a>',
        '<link rel="attachment" href="file:///etc/passwd">',
    ],
)
def test_attachments_pointing_outside_are_neither_fetched_nor_embedded(
    templates: Path, canary: Canary, markup: str
) -> None:
    outside = (templates.parent / "secret.css").as_uri()
    html = markup.format(url=canary.url, outside=outside)
    pdf = render_pdf(page(html if html.startswith("<a") else "", html), templates).pdf
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    assert canary.hits == []
    assert SECRET.encode() not in pdf and b"root:" not in pdf


def test_a_missing_font_fails_the_build_and_ships_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    write_sheet(root, "x", minimal_data())
    (root / "templates" / "static" / "fonts" / "NotoSans-Regular.ttf").unlink()
    process = cli("build", cwd=root)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert (
        "failed  briefs/x.yaml: templates/static/fonts/NotoSans-Regular.ttf: missing:"
        " the templates use this file but it does not exist"
    ) in err
    assert "Traceback" not in err
    shipped = (p.name for p in (root / "output").iterdir() if p.name != ".brief-state.json")
    # The tracker needs the fonts too (portfolio.pdf): it is not written either.
    assert sorted(shipped) == []
    assert "cannot render index.html" in err


def test_a_missing_stylesheet_fails_the_build_naming_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    write_sheet(root, "x", minimal_data())
    shutil.rmtree(root / "templates" / "static" / "fonts")
    (root / "templates" / "static" / "fonts.css").unlink()
    process = cli("build", "--formats", "pdf", cwd=root)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "fonts.css" in err and "Traceback" not in err
    assert not (root / "output" / "x.pdf").exists()
