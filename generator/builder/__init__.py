"""The build: bring output/ up to date, rebuilding only what changed, in worker processes.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "editions": ["edition_files", "recorded_files"],
        "leaks": [
            "Guard",
            "Leak",
            "find_leaks",
            "fold",
            "guard_for",
            "leak_diagnostics",
            "locator",
            "needles",
            "search",
            "sheet_texts",
        ],
        "manifest": ["built_from"],
        "report": ["BriefResult", "BuildReport"],
        "merge": ["MergeReport", "merge_shards"],
        "plan": ["DEFAULT_FORMATS", "FORMATS"],
        "runner": ["Preview", "build", "clean", "preview"],
        "shards": ["Shard", "parse_shard", "shard_of"],
    },
)
