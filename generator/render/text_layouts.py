"""WeasyPrint's Pango layouts set up from kept contexts, font descriptions and metrics,
and its struts kept per style.

WeasyPrint breaks and draws every line of text through a Pango layout, and sets each one
up from nothing (``weasyprint.text.line_break.Layout.setup``): a new Pango context from
the font map, its language and direction, a new font description built property by
property, and, for underlined text, the font's metrics asked of Pango again. A layout is
set up once to break a line and again to draw it, so the large synthetic briefing sets
up some 21,000: a tenth of its render, for a few dozen distinct contexts and fonts.

:func:`install` replaces ``Layout.setup`` by one that keeps, per font configuration,
the context of each (direction, language), the description of each font and the metrics
of each (context, font), and on each style which of them it uses and its font features
(1,700 styles for those 21,000 layouts). A kept context is never changed once made
(WeasyPrint sets a context's language, direction and glyph rounding only when it makes
one), so the layouts that share it shape their text as they did with one each, and the
PDF's bytes are the same. Everything else ``setup`` does (the layout itself, its font
features) is done as WeasyPrint does it.

The strut of a style (the height and baseline of a line of its font, asked for by every
line box and inline box: 17,000 times on the large briefing) is kept on the style, where
WeasyPrint formatted a key of fourteen properties to look it up at every call. A style's
font and line height never change once computed (WeasyPrint copies a style before it
changes one), so the kept strut is the one WeasyPrint would find.

Written against WeasyPrint 70's ``Layout.setup`` and ``strut``; :func:`install` raises
:class:`RuntimeError` for any other major version, so an upgrade is checked again rather
than silently set up the old way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Imported only to render a PDF (render/pdf.py imports this module there), so WeasyPrint
# is loaded once, not on every layout.
import weasyprint
from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, gobject, pango, unicode_to_char_p
from weasyprint.text.ffi import ffi as cffi
from weasyprint.text.fonts import font_features, get_font_description

#: WeasyPrint's own ``Layout.setup``, as this module found it (the tests compare).
WEASYPRINT_SETUP = line_break.Layout.setup
#: WeasyPrint's own ``strut``, as this module found it.
WEASYPRINT_STRUT = line_break.strut
#: The WeasyPrint major version whose ``Layout.setup`` this replaces.
WEASYPRINT_MAJOR = 70
#: Set on ``weasyprint.text.line_break`` once ``Layout.setup`` is replaced.
_MARK = "_brief_kept_layouts"
#: Set on a WeasyPrint font configuration: what its layouts share (:class:`_Kept`).
_KEPT = "_brief_kept_layouts"
#: Set on a WeasyPrint style: what its layouts are set up from (:class:`_StyleSetup`).
_SETUP = "_brief_layout_setup"
#: Set on a WeasyPrint style: its strut (line height, baseline), once asked for.
_STRUT = "_brief_strut"
#: The style properties that name a font, as ``get_font_description`` reads them.
FONT_PROPERTIES = (
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
)
#: The style properties that make a layout's font features, in ``font_features``' order.
FEATURE_PROPERTIES = (
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_caps",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)


class _Kept:
    """What the layouts of one font configuration share: contexts by (direction,
    language), font descriptions by font, metrics by (context, font)."""

    def __init__(self) -> None:
        self.contexts: dict[tuple[str, str | None], tuple[Any, Any]] = {}
        self.fonts: dict[tuple[Any, ...], Any] = {}
        self.metrics: dict[tuple[Any, ...], tuple[float, ...]] = {}


def install() -> None:
    """Replace WeasyPrint's ``Layout.setup`` (once per process). Raises
    :class:`RuntimeError` for a WeasyPrint this was not written for."""
    if getattr(line_break, _MARK, False):
        return
    major = int(weasyprint.__version__.split(".")[0])
    if major != WEASYPRINT_MAJOR:
        raise RuntimeError(
            f"render/text_layouts.py replaces WeasyPrint {WEASYPRINT_MAJOR}'s Layout.setup;"
            f" WeasyPrint {weasyprint.__version__} is installed: check it again"
        )
    line_break.Layout.setup = _setup
    _keep_struts()
    setattr(line_break, _MARK, True)


def _keep_struts() -> None:
    """Make every module that calls ``strut`` call :func:`_kept_strut` instead."""
    from weasyprint.css import computed_values, units
    from weasyprint.layout import inline

    for module in (line_break, inline, units, computed_values):
        if module.strut is WEASYPRINT_STRUT:
            module.strut = _kept_strut


def _kept_strut(style: Any) -> tuple[float, float]:
    """WeasyPrint's ``strut`` (the line height and baseline of a style's font), kept on
    the style: WeasyPrint looks it up by a key it formats anew at every call."""
    kept = style.__dict__.get(_STRUT)
    if kept is None:
        kept = style.__dict__[_STRUT] = WEASYPRINT_STRUT(style)
    return kept


@dataclass(frozen=True)
class _StyleSetup:
    """What a layout of one style is set up from, kept on the style."""

    context: Any
    language: Any
    description: Any
    #: The underline and line-through metrics (None: the style draws no such line).
    metrics: tuple[float, ...] | None
    #: The font features as WeasyPrint passes them to Pango (empty: none).
    features: bytes


def _setup(layout: Any, style: Any) -> None:
    """``Layout.setup`` of WeasyPrint 70, from what the style and its font
    configuration keep."""
    kept = style.__dict__.get(_SETUP)
    if kept is None:
        kept = style.__dict__[_SETUP] = _style_setup(style)
    layout.style = style
    layout.first_line_direction = 0
    layout.language = kept.language
    layout.layout = cffi.gc(pango.pango_layout_new(kept.context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(layout.layout, False)
    pango.pango_layout_set_font_description(layout.layout, kept.description)
    if kept.metrics is None:
        layout.ascent = layout.underline_position = layout.strikethrough_position = None
    else:
        (
            layout.ascent,
            layout.underline_position,
            layout.strikethrough_position,
            layout.underline_thickness,
            layout.strikethrough_thickness,
        ) = kept.metrics
    if kept.features:
        _set_font_features(layout, style, kept.features)


def _style_setup(style: Any) -> _StyleSetup:
    kept = _kept(style.font_config)
    context, language = _context(kept, style)
    font = tuple(_hashable(style[name]) for name in FONT_PROPERTIES)
    description = kept.fonts.get(font)
    if description is None:
        description = kept.fonts[font] = get_font_description(style)
    metrics = None
    if style["text_decoration_line"] != "none":
        metrics = kept.metrics.get((context, font))
        if metrics is None:
            metrics = kept.metrics[context, font] = _metrics(context, description, language)
    features = font_features(*(style[name] for name in FEATURE_PROPERTIES))
    encoded = ",".join(f"{key} {value}" for key, value in features.items()).encode()
    return _StyleSetup(context, language, description, metrics, encoded)


def _hashable(value: Any) -> Any:
    """A style value as a key: an SVG's text style gives its font families as a list."""
    return tuple(value) if isinstance(value, list) else value


def _kept(font_config: Any) -> _Kept:
    kept = font_config.__dict__.get(_KEPT)
    if kept is None:
        kept = font_config.__dict__[_KEPT] = _Kept()
    return kept


def _context(kept: _Kept, style: Any) -> tuple[Any, Any]:
    """The Pango context of the style's direction and language, and that language."""
    if style["font_language_override"] != "normal":
        override = style["font_language_override"]
        lang = LST_TO_ISO.get(override.lower(), override)
    else:
        lang = style["lang"] or None
    key = (style["direction"], lang)
    context = kept.contexts.get(key)
    if context is None:
        context = kept.contexts[key] = _new_context(style, lang)
    return context


def _new_context(style: Any, lang: str | None) -> tuple[Any, Any]:
    context = cffi.gc(
        pango.pango_font_map_create_context(style.font_config.font_map),
        gobject.g_object_unref,
    )
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    if not lang:
        return context, pango.pango_language_get_default()
    lang_p, _ = unicode_to_char_p(lang)
    language = pango.pango_language_from_string(lang_p)
    pango.pango_context_set_language(context, language)
    return context, language


def _metrics(context: Any, description: Any, language: Any) -> tuple[float, ...]:
    metrics = cffi.gc(
        pango.pango_context_get_metrics(context, description, language),
        pango.pango_font_metrics_unref,
    )
    return tuple(
        FROM_UNITS * read(metrics)
        for read in (
            pango.pango_font_metrics_get_ascent,
            pango.pango_font_metrics_get_underline_position,
            pango.pango_font_metrics_get_strikethrough_position,
            pango.pango_font_metrics_get_underline_thickness,
            pango.pango_font_metrics_get_strikethrough_thickness,
        )
    )


def _set_font_features(layout: Any, style: Any, features: bytes) -> None:
    """The layout's OpenType features, set exactly as WeasyPrint 70 sets them."""
    attr = style.font_config.font_features.setdefault(
        features, pango.pango_attr_font_features_new(features)
    )
    attr_list = pango.pango_attr_list_new()
    pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)
