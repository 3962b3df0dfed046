"""The confined fetcher: the PDF stage reads regular files under templates/ and nothing else."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.errors import RenderError
from generator.render.pdf import confined_path, render_pdf
from tests.support.render_samples import TEMPLATES

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
    b'<rect width="4" height="4"/></svg>'
)
SENTINEL = "SENTINEL-OUTSIDE-TEMPLATES"


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><p>Text</p>{body}</body></html>"


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    """A templates folder with one image under static/, a shipped font (the PDF stage
    needs one), and a secret file beside it."""
    root = tmp_path / "templates"
    (root / "static" / "fonts").mkdir(parents=True)
    shutil.copy(TEMPLATES / "static" / "fonts" / "NotoSans-Regular.ttf", root / "static" / "fonts")
    (root / "static" / "dot.svg").write_bytes(SVG)
    (tmp_path / "secret.css").write_text(f'body::after {{ content: "{SENTINEL}" }}')
    return root


@pytest.fixture()
def canary() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that counts the requests it receives."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(SVG)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_file_under_templates_is_served_and_recorded(templates: Path) -> None:
    rendered = render_pdf(page('<img src="dot.svg" alt="">'), templates)
    assert rendered.files_read == ("static/dot.svg",)
    assert rendered.pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{url}/canary.svg">',
        '<div style="background: url({url}/bg.svg)">x</div>',
        '<link rel="stylesheet" href="{url}/style.css">',
    ],
)
def test_http_is_refused_and_never_requested(
    templates: Path, canary: tuple[str, list[str]], markup: str
) -> None:
    url, hits = canary
    html = page(markup.format(url=url))
    with pytest.raises(RenderError, match=f"^{re.escape(url)}/[a-z]+\\.[a-z]+: refused"):
        render_pdf(html, templates)
    assert hits == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.invalid/x.svg",
        "ftp://example.invalid/x.svg",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "file:///dev/zero",
        "file://otherhost/etc/hostname",
    ],
)
def test_other_schemes_and_places_are_refused(templates: Path, url: str) -> None:
    with pytest.raises(RenderError) as caught:
        render_pdf(page(f'<img src="{url}">'), templates)
    assert url[:40] in str(caught.value)
    assert caught.value.diagnostics[0].code == "resource"


def test_a_file_outside_templates_is_refused(templates: Path) -> None:
    outside = (templates.parent / "secret.css").as_uri()
    with pytest.raises(RenderError, match=r"secret\.css"):
        render_pdf(page("", f'<link rel="stylesheet" href="{outside}">'), templates)
    with pytest.raises(RenderError, match=r"secret\.css"):
        render_pdf(page("", f'<style>@import url("{outside}");</style>'), templates)


def test_traversal_out_of_templates_is_refused(templates: Path) -> None:
    html = page("", '<link rel="stylesheet" href="../../secret.css">')
    with pytest.raises(RenderError, match=r"secret\.css"):
        render_pdf(html, templates)


def test_a_symlink_pointing_outside_is_refused(templates: Path) -> None:
    (templates / "static" / "logo.css").symlink_to(templates.parent / "secret.css")
    with pytest.raises(RenderError, match=r"logo\.css"):
        render_pdf(page("", '<link rel="stylesheet" href="logo.css">'), templates)


def test_a_missing_asset_fails_the_render(templates: Path) -> None:
    with pytest.raises(RenderError, match=r"missing\.svg"):
        render_pdf(page('<img src="missing.svg">'), templates)


@pytest.mark.timeout(20)
def test_a_fifo_is_refused_without_hanging(templates: Path) -> None:
    os.mkfifo(templates / "static" / "pipe.svg")
    with pytest.raises(RenderError, match=r"pipe\.svg"):
        render_pdf(page('<img src="pipe.svg">'), templates)


def test_attachment_links_embed_nothing(templates: Path) -> None:
    html = page(
        '<a rel="attachment" href="dot.svg">file</a>',
        '<link rel="attachment" href="dot.svg" title="x">',
    )
    reader = PdfReader(io.BytesIO(render_pdf(html, templates).pdf))
    assert dict(reader.attachments) == {}


def test_confined_path(templates: Path) -> None:
    root = templates.resolve()
    inside = (root / "static" / "dot.svg").as_uri()
    assert confined_path(inside, root) == root / "static" / "dot.svg"
    assert confined_path(inside.replace("file://", "file://localhost"), root) is not None
    assert confined_path((root / "static").as_uri(), root) is None
    assert confined_path((root.parent / "secret.css").as_uri(), root) is None
    assert confined_path("http://localhost/static/dot.svg", root) is None
    assert confined_path(inside + "%00", root) is None


def test_importing_the_module_does_not_load_weasyprint() -> None:
    code = "import sys, generator.render.pdf; print('weasyprint' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "False"


def test_a_refusal_inside_an_svg_still_fails_the_render(templates: Path) -> None:
    outside = (templates.parent / "secret.css").as_uri()
    nested = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="4" height="4"><image xlink:href="{outside}" width="4" height="4"/></svg>'
    )
    (templates / "static" / "nested.svg").write_text(nested)
    with pytest.raises(RenderError, match=r"secret\.css"):
        render_pdf(page('<img src="nested.svg" alt="">'), templates)
