"""The analyst's tools: starter sheets, the check report, the sources report, preview, watch.

The names below are what the rest of the code imports from this package. Each is
imported from its module on first use, so that using one does not load the
libraries of the others (a build with nothing to do stays free of pydantic).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["findings"],
    submod_attrs={
        "preview": ["PreviewState", "start_preview"],
        "sourcing": ["sourcing_report"],
        "starter": ["write_starter"],
        "watch": ["run_build", "watch_builds"],
    },
)
