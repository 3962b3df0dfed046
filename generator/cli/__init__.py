"""The brief command: click, exit codes, logging and progress; thin adapters over the stages.

The names below are what the rest of the code imports from this package. Each is
imported from its module on first use, so that using one does not load the
libraries of the others (a build with nothing to do stays free of pydantic).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "app": ["main"],
    },
)
