"""Extract the CJK faces the briefings use from the distribution's Noto CJK collections.

Usage: python scripts/cjk_fonts.py [TEMPLATES_DIR]   (run by `make fonts`)

The Debian package fonts-noto-cjk (bookworm, version 1:20220127+repack1-1, installed by
`scripts/setup-system.sh runtime`) ships each design as a TrueType collection of ten
faces (Japanese, Korean, Simplified and Traditional Chinese, Hong Kong, and their
monospaced cuts). Every face holds the same glyphs and the `locl` forms of the others,
so one face per design and weight is all a briefing needs: the Simplified Chinese one,
whose forms the element's `lang` (zh-Hant, zh-HK, ja, ko) switches.

The collections are pinned by their SHA-256: another version of the package stops this
script rather than silently changing the PDFs. The faces are written, byte for byte
reproducibly (their tables are copied, never recompiled), to
``templates/static/fonts/cjk/`` (git-ignored), where the PDF stage's confined fetcher
serves them and the build tracks them like every other bundled font.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SOURCE = Path("/usr/share/fonts/opentype/noto")
#: Collection file -> (its SHA-256, the face to extract, the file written, its SHA-256).
FACES = {
    "NotoSansCJK-Regular.ttc": (
        "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
        "NotoSansCJKsc-Regular",
        "NotoSansCJKsc-Regular.otf",
        "e67a2b986195ba174259130d5d69a09e25cabfe5668fd3e4b6ec031d0a6ae322",
    ),
    "NotoSansCJK-Bold.ttc": (
        "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
        "NotoSansCJKsc-Bold",
        "NotoSansCJKsc-Bold.otf",
        "4757792006b2598daa342799433a3b0f4a79e5dd1a65962ff394d176f27dc509",
    ),
    "NotoSerifCJK-Regular.ttc": (
        "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481",
        "NotoSerifCJKsc-Regular",
        "NotoSerifCJKsc-Regular.otf",
        "ef6c81db8487a2a68d438abf028d5bcbaf983a2db2940b80f0382465e9250613",
    ),
    "NotoSerifCJK-Bold.ttc": (
        "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac",
        "NotoSerifCJKsc-Bold",
        "NotoSerifCJKsc-Bold.otf",
        "e4c393f36cf8cc42b4cd70568684089448cc2eeee7c1ef1a0b4e1aff1cf8cc7b",
    ),
}
INSTALL_HINT = "install it with `bash scripts/setup-system.sh runtime` (or `make system`)"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract(collection: Path, face: str, target: Path) -> None:
    """Write the face named ``face`` (PostScript name) of ``collection`` to ``target``."""
    from fontTools.ttLib import TTCollection

    fonts = TTCollection(
        str(collection), lazy=True, recalcTimestamp=False, recalcBBoxes=False
    ).fonts
    chosen = next(f for f in fonts if f["name"].getDebugName(6) == face)
    partial = target.with_suffix(".part")
    chosen.save(str(partial), reorderTables=False)
    partial.replace(target)


def write_maps(templates: Path, folder: Path) -> None:
    """The character maps of every shipped font, beside the CJK faces: the glyph check's
    cache, which copies of the templates carry along (generator/factsheet/glyphs.py)."""
    if (folder / "font-cmaps.json").is_file():
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from generator.factsheet.glyphs import font_maps

    font_maps(templates, folder)


def main(templates: Path) -> int:
    folder = templates / "static" / "fonts" / "cjk"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "SOURCES.sha256"
    wanted = "".join(f"{f[3]}  {f[2]}\n" for _, f in sorted(FACES.items()))
    present = all((folder / f[2]).is_file() for f in FACES.values())
    if present and stamp.is_file() and stamp.read_text() == wanted:
        write_maps(templates, folder)
        return 0
    for name, (digest, face, out, written) in sorted(FACES.items()):
        source = SOURCE / name
        if not source.is_file():
            print(f"cjk_fonts: {source} is missing: {INSTALL_HINT}", file=sys.stderr)
            return 1
        if sha256(source) != digest:
            print(
                f"cjk_fonts: {source} is not the pinned fonts-noto-cjk 1:20220127+repack1-1"
                f" (SHA-256 {digest}); update the pins in scripts/cjk_fonts.py deliberately",
                file=sys.stderr,
            )
            return 1
        extract(source, face, folder / out)
        if sha256(folder / out) != written:
            print(
                f"cjk_fonts: {out} did not come out as pinned (SHA-256 {written})", file=sys.stderr
            )
            return 1
    stamp.write_text(wanted)
    write_maps(templates, folder)
    print(f"cjk_fonts: {len(FACES)} faces in {folder.relative_to(templates.parent)}")
    return 0


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "templates"
    sys.exit(main(root))
