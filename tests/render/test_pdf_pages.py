"""pydyf's page references are made once per page (render/pdf_pages.py), and the PDF is
the same bytes as with pydyf's own property."""

from __future__ import annotations

import pydyf
import pytest

from generator.render.pdf import render_pdf
from generator.render.pdf_pages import _page_references, keep_page_references
from tests.support.pdf_samples import TEMPLATES


def test_the_references_follow_the_pages_added() -> None:
    keep_page_references()
    pdf = pydyf.PDF()
    assert pdf.page_references == ()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == (f"{pdf.objects[-1].number} 0 R".encode(),)
    assert pdf.page_references is first  # kept, not made again
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    numbers = [page.number for page in pdf.objects[-2:]]
    assert pdf.page_references == tuple(f"{n} 0 R".encode() for n in numbers)


def test_the_pdf_is_the_same_bytes_as_with_pydyf_s_own_property(
    rich, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pydyf.PDF.page_references.fget is _page_references
    # pydyf's own: the tuple made anew at every access.
    own = property(lambda pdf: tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3]))
    monkeypatch.setattr("generator.render.pdf_pages.keep_page_references", lambda: None)
    monkeypatch.setattr(pydyf.PDF, "page_references", own)
    again = render_pdf(rich.html, TEMPLATES)
    assert len(rich.reader.pages) > 2
    assert again.pdf == rich.pdf
