"""brand.yaml: read and checked like delivery.yaml, every mistake a located message.

The fixtures under tests/data/brand/ are brand files with mistakes and, beside each, the
messages it must give (each also in docs/troubleshooting.md: tests/test_docs.py). The
logo's rules need files, so they are tested here with real ones.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.config import DEFAULT_PALETTE, SHIPPED_FONTS, Brand, load_brand
from generator.config.logo import MAX_LOGO_BYTES
from generator.errors import ConfigError
from generator.render import FONT_STACKS, PALETTE_PROPERTIES
from tests.support.brand_samples import LOGO_SVG, TEST_BRAND, png, write_brand

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
FIXTURES = sorted((REPO / "tests" / "data" / "brand").glob("*.yaml"))


def problems(root: Path, templates: Path = TEMPLATES) -> list[str]:
    """The formatted diagnostics of the project's brand.yaml (which must fail)."""
    with pytest.raises(ConfigError) as caught:
        load_brand(root, templates)
    return [d.format() for d in caught.value.diagnostics] or [str(caught.value)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_mistake_gives_its_located_messages(tmp_path: Path, fixture: Path) -> None:
    shutil.copy(fixture, tmp_path / "brand.yaml")
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert problems(tmp_path) == expected


def test_no_brand_file_and_the_shipped_one_are_todays_look(tmp_path: Path) -> None:
    assert load_brand(tmp_path, TEMPLATES) == Brand()
    assert load_brand(REPO, TEMPLATES) == Brand()


def test_the_defaults_are_the_stylesheets_colours_and_fonts() -> None:
    css = (TEMPLATES / "static" / "screen.css").read_text(encoding="utf-8")
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    for role, colour in DEFAULT_PALETTE.items():
        assert f"{PALETTE_PROPERTIES[role]}: {colour};" in root, role
    assert set(FONT_STACKS) == set(SHIPPED_FONTS)
    for family, files in SHIPPED_FONTS.items():
        assert all((TEMPLATES / "static" / "fonts" / name).is_file() for name in files), family
        assert FONT_STACKS[family].html.replace(" ", "").replace("\n", "") in root.replace(
            " ", ""
        ).replace("\n", "")


def test_a_full_brand_is_read_with_its_logo(tmp_path: Path) -> None:
    write_brand(tmp_path)
    brand = load_brand(tmp_path, TEMPLATES)
    assert brand.organisation == "Office of Transport Policy"
    assert dict(brand.palette)["primary"] == "#7a1f5c"
    assert dict(brand.palette_changes) == {
        "primary": "#7a1f5c",
        "link": "#a0306f",
        "tint": "#f6eef3",
    }
    assert (brand.heading_font, brand.body_font) == ("Noto Serif", "Noto Sans")
    assert brand.logo is not None and brand.logo.path == "brand/logo.svg"
    assert brand.logo.data == LOGO_SVG.encode() and brand.logo.mime == "image/svg+xml"
    assert brand.logo.data_uri.startswith("data:image/svg+xml;base64,PHN2Zy")
    assert brand.colophon is not None and "\n\n" in brand.colophon


def test_a_png_logo(tmp_path: Path) -> None:
    write_brand(tmp_path, TEST_BRAND.replace("logo.svg", "logo.png"), png())
    logo = load_brand(tmp_path, TEMPLATES).logo
    assert logo is not None and logo.mime == "image/png" and logo.data == png()


def test_colours_are_kept_lower_case_and_short_forms_allowed(tmp_path: Path) -> None:
    (tmp_path / "brand.yaml").write_text('palette:\n  primary: "#ABC"\n', encoding="utf-8")
    assert dict(load_brand(tmp_path, TEMPLATES).palette)["primary"] == "#abc"


def logo_problem(tmp_path: Path, name: str, content: str | bytes) -> str:
    """The one message for a logo file ``brand/<name>`` holding ``content``."""
    folder = tmp_path / "brand"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (tmp_path / "brand.yaml").write_text(f"logo: brand/{name}\n", encoding="utf-8")
    [found] = problems(tmp_path)
    assert found.startswith("brand.yaml:1:7: logo: "), found
    return found.removeprefix("brand.yaml:1:7: logo: ")


SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "has a <script> element; a logo must only draw"),
        ('<rect onload="alert(1)"/>', "has an event handler (onload); a logo must only draw"),
        (
            '<image href="https://example.org/x.png"/>',
            "refers to another file (https://example.org/x.png); a logo must stand alone",
        ),
        (
            '<rect style="fill: url(file:///etc/passwd)"/>',
            "refers to another file (file:///etc/passwd); a logo must stand alone",
        ),
        ("<style>@import 'x.css';</style>", "imports a stylesheet; a logo must stand alone"),
        ("<text>OTP</text>", "has text (<text>); convert the text to paths"),
        ("<foreignObject/>", "has a <foreignObject> element; a logo must only draw"),
    ],
)
def test_an_svg_logo_must_only_draw(tmp_path: Path, body: str, message: str) -> None:
    assert logo_problem(tmp_path, "logo.svg", SVG.format(body)) == f"'brand/logo.svg' {message}"


def test_an_svg_may_refer_to_its_own_elements(tmp_path: Path) -> None:
    body = '<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>'
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.svg").write_text(SVG.format(body), encoding="utf-8")
    (tmp_path / "brand.yaml").write_text("logo: brand/logo.svg\n", encoding="utf-8")
    assert load_brand(tmp_path, TEMPLATES).logo is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg/>',
            "has a document type; save the SVG without one",
        ),
        (
            '<?xml-stylesheet href="https://example.org/x.css"?><svg/>',
            "imports a stylesheet; a logo must stand alone",
        ),
        ("<svg", "is not a well-formed SVG file (unclosed token: line 1, column 0)"),
        ("<html/>", "is not an SVG image (its root element is not <svg>)"),
    ],
)
def test_an_svg_logo_must_be_a_plain_svg_file(tmp_path: Path, content: str, message: str) -> None:
    assert logo_problem(tmp_path, "logo.svg", content) == f"'brand/logo.svg' {message}"


def test_a_png_logo_must_be_a_sound_and_reasonable_png(tmp_path: Path) -> None:
    assert logo_problem(tmp_path, "a.png", LOGO_SVG) == "'brand/a.png' is not a PNG image"
    huge = png(5000, 1)
    assert logo_problem(tmp_path, "b.png", huge) == (
        "'brand/b.png' is 5000×1 pixels; at most 4096 a side"
    )
    big = png() + b"\0" * MAX_LOGO_BYTES
    assert logo_problem(tmp_path, "c.png", big) == "'brand/c.png' is larger than 256 KB"
    assert logo_problem(tmp_path, "d.png", b"") == "'brand/d.png' is empty"


def test_a_logo_leading_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "brand").mkdir(parents=True)
    (tmp_path / "secret.svg").write_text(LOGO_SVG, encoding="utf-8")
    (root / "brand" / "logo.svg").symlink_to(tmp_path / "secret.svg")
    (root / "brand.yaml").write_text("logo: brand/logo.svg\n", encoding="utf-8")
    assert problems(root) == [
        "brand.yaml:1:7: logo: 'brand/logo.svg' leads outside the project; "
        "copy the file into the project"
    ]
    (root / "brand" / "logo.svg").unlink()
    (root / "brand").rmdir()
    (root / "brand").symlink_to(tmp_path)
    assert "leads outside the project" in problems(root)[0]


def test_a_logo_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "brand" / "logo.svg").mkdir(parents=True)
    (tmp_path / "brand.yaml").write_text("logo: brand/logo.svg\n", encoding="utf-8")
    assert problems(tmp_path) == ["brand.yaml:1:7: logo: 'brand/logo.svg' is not a regular file"]


def test_a_brand_file_leading_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "elsewhere.yaml").write_text(TEST_BRAND, encoding="utf-8")
    (root / "brand.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    [message] = problems(root)
    assert message == (
        "brand.yaml: the file is a link to a file outside the project; "
        "copy the file into the project instead"
    )


def test_a_font_the_project_no_longer_ships(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "static" / "fonts" / "NotoSerif-Italic.ttf").unlink()
    (tmp_path / "brand.yaml").write_text("fonts:\n  body: Noto Serif\n", encoding="utf-8")
    assert problems(tmp_path, templates) == [
        "brand.yaml:2:9: fonts.body: 'Noto Serif' is not shipped in this project: "
        "templates/static/fonts/NotoSerif-Italic.ttf is missing"
    ]


def test_a_colour_never_carries_css_text(tmp_path: Path) -> None:
    hostile = "#fff;}body{background:url(https://example.org/t)}"
    (tmp_path / "brand.yaml").write_text(f'palette:\n  tint: "{hostile}"\n', encoding="utf-8")
    [message] = problems(tmp_path)
    assert re.match(r"brand\.yaml:2:9: palette\.tint: '.*' is not a colour", message)
