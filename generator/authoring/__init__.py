"""The analyst's tools: starter sheets, the check report, the sources report, preview, watch.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["findings", "review_report"],
    submod_attrs={
        "preview": ["PreviewState", "start_preview"],
        "review": ["Review", "review_docx"],
        "sourcing": ["sourcing_report"],
        "starter": ["write_starter"],
        "watch": ["run_build", "watch_builds"],
    },
)
