"""Pango layouts set up from what the font configuration keeps (render/text_layouts.py):
the same PDF bytes as WeasyPrint's own setup, for far fewer contexts; and renders that
pause the garbage collector (render/layout_cycles.py)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable

import pytest
import weasyprint
from weasyprint.css import computed_values, units
from weasyprint.layout import inline
from weasyprint.text import line_break

from generator.render import text_layouts
from generator.render.pdf import render_pdf, shared_fonts
from tests.support.pdf_samples import TEMPLATES, weasyprint_warnings

#: Text in several languages and both directions, underlined, struck through, with font
#: features, and an SVG whose text WeasyPrint lays out from a style of its own.
MIXED = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
body { font-family: "Brief Serif", "Brief Serif CJK" }
.u { text-decoration: underline } .s { text-decoration: line-through }
.n { font-variant-numeric: tabular-nums; font-kerning: none }
</style></head><body>
<p>Land costs <span class="u">rose</span> by <span class="s">12.5 %</span> in the
district, <span class="n">1,234,567</span> square metres.</p>
<p lang="ja">工場の建設は二〇二六年に始まる。</p>
<p lang="zh-Hans">电池工厂的土地成本上升。</p>
<p dir="rtl">Text set right to left.</p>
<p lang="fr" class="u">Le coût du foncier a augmenté.</p>
<svg width="200" height="40"><text x="10" y="20" font-family="Brief Serif">Chart
label</text></svg>
</body></html>"""


#: The modules that call WeasyPrint's ``strut``.
STRUT_CALLERS = (line_break, inline, units, computed_values)


def _weasyprint_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render with WeasyPrint's own ``Layout.setup`` and ``strut`` for the rest of the
    test."""
    monkeypatch.setattr(line_break.Layout, "setup", text_layouts.WEASYPRINT_SETUP)
    for module in STRUT_CALLERS:
        monkeypatch.setattr(module, "strut", text_layouts.WEASYPRINT_STRUT)


@pytest.mark.parametrize("sample", ["rich", "mixed"])
def test_the_pdf_is_the_same_bytes_as_with_weasyprint_s_own_setup_and_struts(
    sample: str, rich, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = rich.html if sample == "rich" else MIXED
    with weasyprint_warnings() as logged:
        kept = render_pdf(html, TEMPLATES).pdf
    assert line_break.Layout.setup is text_layouts._setup
    assert all(module.strut is text_layouts._kept_strut for module in STRUT_CALLERS)
    assert [record.getMessage() for record in logged] == []
    _weasyprint_s_own(monkeypatch)
    assert render_pdf(html, TEMPLATES).pdf == kept


def test_the_layouts_share_a_context_per_direction_and_language() -> None:
    render_pdf(MIXED, TEMPLATES)
    kept = shared_fonts(TEMPLATES.resolve()).__dict__[text_layouts._KEPT]
    directions_and_languages = set(kept.contexts)
    assert {("ltr", "en"), ("ltr", "ja"), ("ltr", "zh-Hans"), ("rtl", "en")} <= (
        directions_and_languages
    )
    assert len(kept.contexts) < 12
    # Underlined text in two languages: its metrics kept per context and font.
    assert len({context for context, _font in kept.metrics}) >= 2


def test_a_style_s_strut_is_weasyprint_s_and_asked_for_once() -> None:
    from weasyprint import HTML

    render_pdf(MIXED, TEMPLATES)
    document = HTML(string=MIXED, base_url=(TEMPLATES / "static").as_uri() + "/")
    page = document.render(font_config=shared_fonts(TEMPLATES.resolve())).pages[0]
    style = page._page_box.children[0].style
    style.__dict__.pop(text_layouts._STRUT, None)
    first = text_layouts._kept_strut(style)
    assert first == text_layouts.WEASYPRINT_STRUT(style)
    assert text_layouts._kept_strut(style) is first


def test_another_weasyprint_major_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    monkeypatch.delattr(line_break, text_layouts._MARK, raising=False)
    monkeypatch.setattr(line_break.Layout, "setup", text_layouts.WEASYPRINT_SETUP)
    with pytest.raises(RuntimeError, match=r"WeasyPrint 71\.0 is installed"):
        text_layouts.install()
    assert line_break.Layout.setup is text_layouts.WEASYPRINT_SETUP


def _collections_inside_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[int], Callable[[str, dict[str, int]], None]]:
    """The generations collected while ``render_pdf`` renders from now on, and the
    callback of ``gc.callbacks`` that notes them (for the caller to remove)."""
    from generator.render import pdf

    collections: list[int] = []
    inside: list[bool] = []
    original = pdf._render

    def tracked(*args: object) -> object:
        inside.append(True)
        try:
            return original(*args)
        finally:
            inside.pop()

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and inside:
            collections.append(info["generation"])

    monkeypatch.setattr(pdf, "_render", tracked)
    gc.callbacks.append(count)
    return collections, count


@pytest.mark.parametrize("enabled", [True, False])
def test_a_render_runs_no_collection_and_leaves_the_collector_as_it_was(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    was, thresholds = gc.isenabled(), gc.get_threshold()
    collections, count = _collections_inside_renders(monkeypatch)
    (gc.enable if enabled else gc.disable)()
    gc.set_threshold(700, 10, 10)  # Python's own: a collection every 700 allocations
    try:
        render_pdf(MIXED, TEMPLATES)
        assert gc.isenabled() is enabled
        assert collections == []
        # Without the pause, the same render collects.
        monkeypatch.setattr("generator.render.pdf.collector_paused", contextlib.nullcontext)
        render_pdf(MIXED, TEMPLATES)
        assert bool(collections) is enabled
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
        (gc.enable if was else gc.disable)()
