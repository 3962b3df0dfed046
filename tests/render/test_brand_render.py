"""The house style in the outputs: HTML read with an HTML5 parser, PDF read back.

With a test brand (other colours and fonts, an SVG logo, every line set) the HTML shows
the organisation, logo (a data: URI in an <img>), document number, citation, contact and
colophon, and sets the palette as CSS custom properties; the PDF has the same text, the
logo as an image and only the fonts chosen. Without a brand, or with today's, the
outputs are those of a project without brand.yaml, byte for byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from generator.config import Brand, load_brand
from generator.errors import RenderError
from generator.render import brand_view, build_view, language_for
from generator.render.html import IndexEntry, render_html, render_index_page
from generator.render.pdf import render_pdf
from tests.support.brand_samples import LOGO_SVG, TEST_BRAND, png, write_brand
from tests.support.render_samples import TEMPLATES, make_sheet, minimal_data, rich_data

CITATION = (
    "Office of Transport Policy (2026). Hong Kong courts mainland EV makers for a New "
    "Territories assembly base. Mei Ling Chan and Daniel Okafor. OTP-2026-HK."
)


@pytest.fixture(scope="module")
def brand(tmp_path_factory: pytest.TempPathFactory) -> Brand:
    root = tmp_path_factory.mktemp("branded")
    write_brand(root)
    return load_brand(root, TEMPLATES)


@pytest.fixture(scope="module")
def page(brand: Brand) -> ET.Element:
    return tinyhtml5.parse(render_html(make_sheet(rich_data()), "hk", TEMPLATES, brand=brand).html)


@pytest.fixture(scope="module")
def pdf(brand: Brand, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    rendered = render_html(make_sheet(rich_data()), "hk", TEMPLATES, target="pdf", brand=brand)
    pdf = render_pdf(rendered.html, TEMPLATES, images=rendered.images).pdf
    path = tmp_path_factory.mktemp("pdf") / "hk.pdf"
    path.write_bytes(pdf)
    return pdf, path


def local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def custom_properties(root: ET.Element) -> dict[str, str]:
    """Every ``--name: value`` the page's stylesheets set on ``:root``, the last one winning."""
    found: dict[str, str] = {}
    for style in (e for e in root.iter() if local(e) == "style"):
        for block in re.findall(r":root\s*\{([^}]*)\}", style.text or ""):
            for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block):
                found[name] = " ".join(value.split())
    return found


def logo_pixels(pdf: Path) -> int:
    """How many pixels of page 1 have the test logo's colour (#2a9d8f), at 50 dpi."""
    from PIL import Image

    png_path = pdf.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(png_path),
        ],
        check=True,
    )
    with Image.open(png_path.with_suffix(".png")) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if abs(r - 42) + abs(g - 157) + abs(b - 143) < 30)


def test_the_html_shows_every_line_of_the_brand(page: ET.Element) -> None:
    (masthead,) = with_class(page, "masthead")
    assert text_of(masthead) == "Office of Transport Policy"
    (number,) = with_class(page, "document-number")
    assert text_of(number) == "OTP-2026-HK"
    (colophon,) = with_class(page, "colophon")
    assert local(colophon) == "footer"
    assert [text_of(p) for p in colophon if local(p) == "p"] == [
        f"Suggested citation: {CITATION}",
        "Contact: Policy desk · policy@example.org",
        "Prepared by the policy desk from public sources.",
        "Not an official position of the Office.",
    ]


def test_the_logo_is_an_img_of_its_own_bytes_never_markup(page: ET.Element) -> None:
    (logo,) = with_class(page, "brand-logo")
    assert local(logo) == "img" and logo.get("alt") == "Office of Transport Policy logo"
    head, _, data = logo.get("src", "").partition(",")
    assert head == "data:image/svg+xml;base64"
    assert base64.b64decode(data) == LOGO_SVG.encode()
    # The only inline SVG is the briefing's own graphics (the timeline strip), each
    # the drawing of a figure.graphic: the logo's markup is never inlined.
    graphics = [svg for f in with_class(page, "graphic") for svg in f.iter() if local(svg) == "svg"]
    inline = [e for e in page.iter() if local(e) == "svg"]
    assert len(inline) == len(graphics) and all(any(s is g for g in graphics) for s in inline)


def test_the_palette_and_fonts_are_custom_properties_after_the_stylesheets(
    page: ET.Element,
) -> None:
    found = custom_properties(page)
    assert found["--navy"] == "#7a1f5c" and found["--link"] == "#a0306f"
    assert found["--tint"] == "#f6eef3"
    assert found["--ink"] == "#1f2328"  # not set by the brand: today's
    assert found["--font-heading"].startswith('"Brief Serif"')
    assert found["--font-body"].startswith('"Brief Sans"')


def test_the_html_makes_no_request(page: ET.Element) -> None:
    for element in page.iter():
        for name in ("src", "href"):
            value = element.get(name) or ""
            external = value.startswith("//") or "://" in value.split("#")[0]
            assert not external or local(element) == "a", value


def test_the_pdf_shows_the_brand_the_logo_and_the_fonts_chosen(pdf: tuple[bytes, Path]) -> None:
    data, path = pdf
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for line in (
        "Office of Transport Policy",
        "OTP-2026-HK · Facts as of 20 January 2026",
        f"Suggested citation: {CITATION}",
        "Contact: Policy desk · policy@example.org",
        "Not an official position of the Office.",
    ):
        assert line in text, line
    assert logo_pixels(path) > 50, "the logo (teal, unlike anything else) is drawn on page 1"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    names = {line.split()[0].split("+")[-1] for line in fonts.stdout.splitlines()[2:]}
    # Body text in Noto Sans (Brief Sans), headings in Noto Serif (Brief Serif Bold).
    assert {"Brief-Sans", "Brief-Serif-Bold"} <= names


def test_one_family_for_everything_embeds_only_that_family(tmp_path: Path) -> None:
    (tmp_path / "brand.yaml").write_text(
        "fonts:\n  heading: Noto Sans\n  body: Noto Sans\n", encoding="utf-8"
    )
    brand = load_brand(tmp_path, TEMPLATES)
    rendered = render_html(make_sheet(minimal_data()), "m", TEMPLATES, target="pdf", brand=brand)
    path = tmp_path / "m.pdf"
    path.write_bytes(render_pdf(rendered.html, TEMPLATES).pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "Brief-Sans" in fonts.stdout and "Brief-Serif" not in fonts.stdout


@pytest.mark.parametrize("target", ["html", "pdf"])
@pytest.mark.parametrize("template", ["brief", "onepager"])
def test_no_brand_and_todays_brand_give_todays_bytes(target: str, template: str) -> None:
    sheet = make_sheet(rich_data())
    bare = render_html(sheet, "hk", TEMPLATES, target=target, template=template)  # type: ignore[arg-type]
    today = render_html(sheet, "hk", TEMPLATES, target=target, template=template, brand=Brand())  # type: ignore[arg-type]
    assert bare.html == today.html and bare.images == today.images == ()
    body = bare.html.split("</head>")[1]
    assert "masthead" not in body and "colophon" not in body and "/* brand.yaml */" not in bare.html


def test_the_index_page_shows_organisation_logo_and_contact_not_the_colophon(
    brand: Brand,
) -> None:
    entry = IndexEntry(
        "hk", "Title", "Hong Kong", "talks", "final", dt.date(2026, 1, 2), "hk.html", None
    )
    root = tinyhtml5.parse(render_index_page([entry], TEMPLATES, brand).html)
    (masthead,) = with_class(root, "masthead")
    assert text_of(masthead) == "Office of Transport Policy"
    assert with_class(root, "brand-logo")[0].get("src", "").startswith("data:image/svg+xml;")
    (colophon,) = with_class(root, "colophon")
    assert text_of(colophon) == "Contact: Policy desk · policy@example.org"
    assert "Prepared by the policy desk" not in text_of(root)
    assert custom_properties(root)["--navy"] == "#7a1f5c"


def test_the_view_carries_what_a_docx_writer_needs(brand: Brand) -> None:
    view = build_view(make_sheet(rich_data()), "hk", brand).brand
    assert view.document_number == "OTP-2026-HK" and view.citation == CITATION
    assert view.logo_mime == "image/svg+xml" and view.logo_data == LOGO_SVG.encode()
    assert view.palette["primary"] == "#7a1f5c" and view.palette["text"] == "#1f2328"
    assert (view.heading_font, view.body_font) == ("Noto Serif", "Noto Sans")
    assert view.colophon == (
        "Prepared by the policy desk from public sources.",
        "Not an official position of the Office.",
    )
    assert build_view(make_sheet(rich_data()), "hk").brand == brand_view(None)


def test_every_pattern_field_is_filled(tmp_path: Path) -> None:
    text = TEST_BRAND.replace(
        'document_number: "OTP-{year}-{ID}"',
        'document_number: "{year}/{month}/{day}/{id}/{ID}"',
    ).replace(
        'citation: "{organisation} ({year}). {title}. {authors}. {document_number}."',
        'citation: "{title}|{authors}|{year}|{date}|{organisation}|{document_number}|{id}"',
    )
    write_brand(tmp_path, text)
    sheet, brand = make_sheet(minimal_data()), load_brand(tmp_path, TEMPLATES)
    view = build_view(sheet, "m-1", brand, None, language_for(sheet.language, TEMPLATES)).brand
    as_of = make_sheet(minimal_data()).as_of
    number = f"{as_of:%Y/%m/%d}/m-1/M-1"
    assert view.document_number == number
    assert view.citation is not None and view.citation.endswith(
        f"|{as_of.year}|{as_of.day} {as_of:%B} {as_of.year}|Office of Transport Policy|{number}|m-1"
    )


def test_a_png_logo_is_an_image_of_the_pdf(tmp_path: Path) -> None:
    write_brand(tmp_path, TEST_BRAND.replace("logo.svg", "logo.png"), png(8, 4))
    brand = load_brand(tmp_path, TEMPLATES)
    rendered = render_html(make_sheet(minimal_data()), "m", TEMPLATES, target="pdf", brand=brand)
    assert rendered.images and rendered.images[0].startswith("data:image/png;base64,")
    path = tmp_path / "m.pdf"
    path.write_bytes(render_pdf(rendered.html, TEMPLATES, images=rendered.images).pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    rows = listing.stdout.splitlines()[2:]
    assert len(rows) == 1 and rows[0].split()[3:5] == ["8", "4"]


def test_the_printer_serves_only_the_images_it_is_given(brand: Brand) -> None:
    rendered = render_html(make_sheet(minimal_data()), "m", TEMPLATES, target="pdf", brand=brand)
    with pytest.raises(RenderError, match=r"^data:image/svg\+xml;base64,.*refused"):
        render_pdf(rendered.html, TEMPLATES)
    other = "data:image/png;base64," + base64.b64encode(png()).decode()
    html = rendered.html.replace("</body>", f'<img src="{other}" alt="x"></body>')
    with pytest.raises(RenderError, match=r"^data:image/png;base64,.*refused"):
        render_pdf(html, TEMPLATES, images=rendered.images)


def test_brand_text_is_printed_as_text(tmp_path: Path) -> None:
    (tmp_path / "brand.yaml").write_text(
        'organisation: "<script>alert(1)</script> & Co"\n'
        'contact: "**bold** [link](https://example.org) {{ page }}"\n'
        'colophon: "<img src=x onerror=alert(1)>"\n',
        encoding="utf-8",
    )
    brand = load_brand(tmp_path, TEMPLATES)
    html = render_html(make_sheet(minimal_data()), "m", TEMPLATES, brand=brand).html
    root = tinyhtml5.parse(html)
    assert not [e for e in root.iter() if local(e) == "script"]
    assert text_of(with_class(root, "brand-organisation")[0]) == "<script>alert(1)</script> & Co"
    (contact,) = with_class(root, "contact")
    assert text_of(contact) == "Contact: **bold** [link](https://example.org) {{ page }}"
    (colophon,) = with_class(root, "colophon")
    assert [local(e) for e in colophon.iter()] == ["footer", "p", "span", "p"]
    assert text_of(with_class(root, "colophon-text")[0]) == "<img src=x onerror=alert(1)>"
