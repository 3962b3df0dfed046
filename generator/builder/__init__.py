"""The build: bring output/ up to date, rebuilding only what changed, in worker processes.

The names below are what the rest of the code imports from this package. Each is
imported from its module on first use, so that using one does not load the
libraries of the others (a build with nothing to do stays free of pydantic).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "report": ["BriefResult", "BuildReport"],
        "runner": ["FORMATS", "Preview", "build", "clean", "preview"],
    },
)
