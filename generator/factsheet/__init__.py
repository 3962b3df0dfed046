"""Fact sheets: read one YAML file, validate it against the format, run the rules.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["loader", "yamlsrc"],
    submod_attrs={
        "audience": [
            "EDITIONS",
            "ONLY",
            "InternalText",
            "edition_sheet",
            "editions",
            "external_sheet",
            "has_internal",
            "internal_sources",
            "internal_texts",
            "plain_words",
        ],
        "check": [
            "Checked",
            "check_all",
            "check_file",
            "discover",
            "project_markings",
            "select",
            "sheet_display",
        ],
        "formats": ["format_errors", "sheet_format"],
        "markings": ["DEFAULT_MARKINGS", "MARKINGS_FILE", "Markings", "load_markings"],
        "listing": [
            "SheetFolder",
            "brief_id_of",
            "list_sheets",
            "outside_sheets",
            "pick",
            "scan_sheets",
        ],
        "citations": ["CITATION_RE", "cited_ids", "number_sources", "parse_group"],
        "fields": ["iter_fields"],
        "figure_rules": ["x_kind"],
        "glyphs": ["covered", "font_maps", "prints_nothing"],
        "loader": [
            "MAX_BRIEF_ID",
            "LoadedSheet",
            "load",
            "load_bytes",
            "read_sheet",
            "validate_model",
        ],
        "model": [
            "AFTER_KEY_FACTS",
            "SLUG_PATTERN",
            "CATEGORY_ORDER",
            "LATEST_FORMAT",
            "Challenge",
            "FactSheet",
            "Initiative",
            "Player",
            "SEVERITY_ORDER",
            "Source",
            "TimelineEvent",
            "author_names",
            "is_markdown",
            "quoted",
        ],
        "pages": ["not_a_page", "page_templates"],
        "schema": ["schema_text", "write_schema"],
        "locations": ["FieldPath", "format_path", "position_key"],
    },
)
