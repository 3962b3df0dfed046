"""Scheduled runs: which slots are due, their history, time-limited child runs, the archive.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["history", "runner", "status"],
    submod_attrs={
        "job": ["resolve"],
        "runner": ["Context"],
        "slots": ["local_date", "timing", "upcoming"],
    },
)
