"""``brief review`` over hostile and broken archives: each one a clear, one-line error
naming the file (exit status 1), never a traceback, never a byte of the sheet changed,
never an entity expanded or an outside file read."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import REPO
from tests.support.review_docx import SampleDocx

HK = "hong-kong-ev-assembly"
HK_SHEET = f"briefs/{HK}.yaml"

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY a "lollollollollollollollol">\n'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode() for i in range(9)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
)


def external_entity(secret: Path) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n'
        + f'<!ENTITY x SYSTEM "file://{secret}">\n'.encode()
        + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )


def rewritten(good: bytes, replace: dict[str, bytes | None], extra: int = 0) -> bytes:
    """``good`` with members replaced (None: dropped), plus ``extra`` empty members."""
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])
            else:
                target.writestr(info.filename, source.read(info))
        names = set(source.namelist())
        for name, part in replace.items():
            if name not in names and part is not None:
                target.writestr(name, part)
        for index in range(extra):
            target.writestr(f"word/media/empty{index}.bin", b"")
    return out.getvalue()


def declared_size(good: bytes, member: str, size: int) -> bytes:
    """``good`` with the sizes its headers declare for ``member`` set to ``size``."""
    data = bytearray(good)
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == name:
            struct.pack_into("<I", data, central + 24, size)
            local = struct.unpack_from("<I", data, central + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def damaged(good: bytes, member: str) -> bytes:
    """``good`` with bytes of ``member``'s packed data overwritten."""
    info = zipfile.ZipFile(io.BytesIO(good)).getinfo(member)
    data = bytearray(good)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    return bytes(data)


def bomb(good: bytes) -> bytes:
    """A document.xml of 40 MiB of one byte: about 40 KiB packed."""
    return rewritten(good, {"word/document.xml": b" " * (40 * 1024 * 1024)})


CASES: dict[str, tuple[Callable[[bytes, Path], bytes], str]] = {
    "not-a-zip": (
        lambda good, _: b"This is a plain text file, not a document.\n",
        "not a DOCX: the file is not a zip archive (or it is cut short)",
    ),
    "truncated": (
        lambda good, _: good[: len(good) * 2 // 3],
        "not a DOCX: the file is not a zip archive (or it is cut short)",
    ),
    "damaged-member": (
        lambda good, _: damaged(good, "word/document.xml"),
        "word/document.xml cannot be unpacked",
    ),
    "high-ratio": (
        lambda good, _: bomb(good),
        "word/document.xml would unpack",
    ),
    "huge-declared": (
        lambda good, _: declared_size(good, "word/styles.xml", 0xFFFFFFF0),
        "the archive declares more than 512 MiB once unpacked (word/styles.xml):"
        " refusing a possible zip bomb",
    ),
    "understated-size": (
        lambda good, _: declared_size(good, "word/document.xml", 100),
        "word/document.xml cannot be unpacked",
    ),
    "too-many-members": (
        lambda good, _: rewritten(good, {}, extra=2001),
        "the archive lists",
    ),
    "billion-laughs": (
        lambda good, _: rewritten(good, {"word/document.xml": LAUGHS}),
        "word/document.xml declares a DTD (<!DOCTYPE>), which a Word document never does:"
        " refusing its entities",
    ),
    "external-entity": (
        lambda good, secret: rewritten(good, {"word/document.xml": external_entity(secret)}),
        "word/document.xml declares a DTD (<!DOCTYPE>)",
    ),
    "entity-in-properties": (
        lambda good, _: rewritten(good, {"docProps/custom.xml": LAUGHS}),
        "docProps/custom.xml declares a DTD (<!DOCTYPE>)",
    ),
    "no-document": (
        lambda good, _: rewritten(good, {"word/document.xml": None}),
        "not a DOCX: the archive has no word/document.xml",
    ),
    "broken-xml": (
        lambda good, _: rewritten(good, {"word/document.xml": b"<w:document><w:body>"}),
        "word/document.xml is not well-formed XML",
    ),
}


@pytest.fixture
def good(project: Path) -> bytes:
    """A sound DOCX of the Hong Kong sheet, with a tracked change in it."""
    shutil.copy(REPO / HK_SHEET, project / HK_SHEET)
    sample = SampleDocx(project / HK_SHEET)
    sample.track("key_facts[6].value", "About half", "About 50 %")
    return sample.save(project / "good.docx").read_bytes()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_hostile_archive_is_a_clear_error(
    case: str, good: bytes, project: Path, tmp_path: Path, run_brief
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER\n", encoding="utf-8")
    make, message = CASES[case]
    (project / "returned.docx").write_bytes(make(good, secret))
    before = (project / HK_SHEET).read_bytes()
    done = run_brief("review", HK_SHEET, "returned.docx", "--apply", timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"Error: returned.docx: {message}"), line
    assert done.stdout == ""
    assert "TOP-SECRET" not in done.stderr
    assert (project / HK_SHEET).read_bytes() == before


def test_the_sound_archive_those_are_made_from_reviews(
    good: bytes, project: Path, run_brief
) -> None:
    done = run_brief("review", HK_SHEET, "good.docx")
    assert done.returncode == 0, done.stderr
    assert "key_facts[6].value" in done.stdout


def test_an_entity_is_never_expanded_even_in_a_part_read_quietly(
    good: bytes, tmp_path: Path
) -> None:
    """comments.xml with a DTD is refused too, rather than read with its entities."""
    from generator.authoring.review_archive import read_docx
    from generator.errors import GeneratorError

    path = tmp_path / "r.docx"
    path.write_bytes(rewritten(good, {"word/comments.xml": LAUGHS}))
    with pytest.raises(GeneratorError, match=r"word/comments.xml declares a DTD"):
        read_docx(path, "r.docx")


def test_a_fifo_in_place_of_the_docx_is_refused_without_blocking(
    good: bytes, project: Path, run_brief
) -> None:
    import os

    os.mkfifo(project / "returned.docx")
    done = run_brief("review", HK_SHEET, "returned.docx", timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: returned.docx: cannot read the file: not a regular file"
