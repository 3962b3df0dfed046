"""Rendering: the view model, Markdown, the HTML page, the PDF (the only WeasyPrint user), DOCX.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "labels": [
            "CATEGORY_LABELS",
            "INITIATIVE_LABELS",
            "PART_LABELS",
            "PLAYER_KIND_LABELS",
            "SEVERITY_LABELS",
            "STAGE_LABELS",
            "STATUS_LABELS",
            "STATUS_MARKS",
        ],
        "branding": [
            "FONT_STACKS",
            "PALETTE_PROPERTIES",
            "BrandView",
            "brand_css",
            "brand_view",
            "join_names",
        ],
        "charts": ["chart_engine_file"],
        "field_marks": ["bookmark_name", "field_path"],
        "docx_writer": [
            "DOCX_FORMAT",
            "REFERENCE_DOCX",
            "RenderedDocx",
            "docx_engine_file",
            "render_docx",
        ],
        "docx_styles": ["make_reference_docx"],
        "marking": ["INTERNAL_NOTICE", "Banner", "banner_for"],
        "numbers": [
            "currency_sign",
            "format_amount",
            "format_count",
            "format_date",
            "format_money",
            "format_number",
            "format_partial_date",
        ],
        "i18n": ["CATALOG_TEMPLATE", "LOCALE_DIR", "Language", "N_", "language_for"],
        "html": ["EditionLinks", "IndexEntry", "render_html", "render_index_page"],
        "markdown": ["make_markdown", "plain_text"],
        "pdf": ["engine_file", "release_fonts", "render_pdf", "warm_up"],
        "fitting": ["FIT_CLASSES", "render_fitted_pdf"],
        "templating": ["make_environment", "read_stylesheet", "render_template"],
        "order": ["ordered_challenges", "partial_date_key"],
        "script_marks": ["mark_languages", "text_language"],
        "typography": ["quotes_for", "smart_quotes", "typeset"],
        "view": ["build_view"],
        "figures": ["ChartView", "KeyFigure", "chart_views", "key_figures"],
        "graphic_style": ["GRAPHIC_COLOURS", "graphic_colours", "graphic_font"],
        "locator_map": ["LocatorMap", "locator_map"],
        "risk_matrix": ["RiskMatrix", "risk_matrix"],
        "timeline_strip": ["TimelineStrip", "date_span", "timeline_strip"],
    },
)
