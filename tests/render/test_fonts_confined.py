"""Only the shipped fonts ever reach the PDF, whatever fonts the host has.

Each render runs in a fresh process (fontconfig reads its configuration once per
process), with HOME and XDG_DATA_HOME pointing at folders where a planted font stands
under the family names the stylesheets ask for, and FONTCONFIG_FILE naming a host
configuration that lists them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.support.render_samples import TEMPLATES, minimal_data

REPO = Path(__file__).resolve().parents[2]
SHIPPED = {
    "Brief-Serif",
    "Brief-Serif-Bold",
    "Brief-Serif-Italic",
    "Brief-Serif-Bold-Italic",
    "Brief-Sans",
    "Brief-Sans-Bold",
    "Brief-Math",
    "Brief-Symbols",
    "Brief-Serif-CJK",
    "Brief-Serif-CJK-Bold",
    "Brief-Sans-CJK",
    "Brief-Sans-CJK-Bold",
}
KOREAN = "현대자동차"
RENDER = """
import json, sys
from pathlib import Path
from generator.factsheet import FactSheet
from generator.render import render_html, render_pdf
templates = Path(sys.argv[1])
sheet = FactSheet.model_validate(json.loads(sys.argv[2]))
html = render_html(sheet, "sample", templates, target="pdf").html
Path(sys.argv[3]).write_bytes(render_pdf(html, templates).pdf)
"""


def sheet() -> dict:
    """Latin with arrows and comparison signs, and a Korean name."""
    data = minimal_data()
    data["title"] = "Exports ≥ 5% → 2030, costs ≈ ≤ 3 × today"
    data["players"] = [
        {"name": "Hyundai Motor", "local_name": KOREAN, "kind": "automaker", "role": "Maker."}
    ]
    return data


def plant(home: Path) -> dict[str, str]:
    """A font renamed to every family the stylesheets name, where fontconfig would look."""
    font = TTFont(str(TEMPLATES / "static" / "fonts" / "NotoSansSymbols2-Regular.ttf"))
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = "Brief Serif" if record.nameID != 6 else "Planted-Host-Font"
    folders = [home / ".fonts", home / "data" / "fonts"]
    for folder in folders:
        folder.mkdir(parents=True)
        font.save(str(folder / "planted.ttf"))
    conf = home / "host-fonts.conf"
    dirs = "".join(f"<dir>{f}</dir>" for f in folders)
    conf.write_text(f'<?xml version="1.0"?><fontconfig>{dirs}</fontconfig>', encoding="utf-8")
    return {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "FONTCONFIG_FILE": str(conf)}


def render(out: Path, extra_env: dict[str, str]) -> bytes:
    env = {**os.environ, **extra_env}
    args = [sys.executable, "-c", RENDER, str(TEMPLATES), json.dumps(sheet()), str(out)]
    subprocess.run(args, check=True, cwd=REPO, env=env, timeout=240)
    return out.read_bytes()


def pdffonts(pdf: Path) -> set[str]:
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines}


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("confined")
    clean_home = root / "clean"
    clean_home.mkdir()
    clean = root / "clean.pdf"
    render(clean, {"HOME": str(clean_home), "XDG_DATA_HOME": str(clean_home)})
    planted = root / "planted.pdf"
    render(planted, plant(root / "planted-home"))
    return clean, planted


def test_a_planted_host_font_changes_no_byte(renders: tuple[Path, Path]) -> None:
    clean, planted = renders
    assert clean.read_bytes() == planted.read_bytes()
    assert "Planted-Host-Font" not in pdffonts(planted)


def test_pdffonts_lists_only_shipped_fonts(renders: tuple[Path, Path]) -> None:
    fonts = pdffonts(renders[0])
    assert fonts <= SHIPPED
    # The arrows and signs come from Noto Sans Math, the Korean name from Noto Sans CJK.
    assert "Brief-Math" in fonts
    assert {"Brief-Sans-CJK", "Brief-Serif-CJK"} & fonts


def test_the_korean_name_and_the_signs_read_back(renders: tuple[Path, Path]) -> None:
    text = subprocess.run(
        ["pdftotext", str(renders[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert KOREAN in text
    assert "≥ 5% → 2030" in text and "≈ ≤ 3 ×" in text


def _glyph_pixels(tmp: Path, lang: str) -> bytes:
    """The pixels of 骨 and 直 (their forms differ between the CJK languages) in ``lang``."""
    from generator.render import render_pdf

    html = (
        '<html><head><link rel="stylesheet" href="fonts.css">'
        '<link rel="stylesheet" href="fonts-cjk.css"></head>'
        f'<body><p lang="{lang}" style="font: 60pt \'Brief Sans CJK\'">骨直</p></body></html>'
    )
    pdf = tmp / f"{lang}.pdf"
    pdf.write_bytes(render_pdf(html, TEMPLATES).pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-singlefile", str(pdf), str(pdf)], check=True)
    return pdf.with_suffix(".pdf.pgm").read_bytes()


def test_lang_chooses_the_glyph_forms(tmp_path: Path) -> None:
    forms = {lang: _glyph_pixels(tmp_path, lang) for lang in ("zh-Hans", "zh-Hant", "ja", "ko")}
    assert forms["zh-Hant"] != forms["ja"]
    assert forms["zh-Hant"] != forms["zh-Hans"]
    assert forms["ja"] != forms["zh-Hans"]
