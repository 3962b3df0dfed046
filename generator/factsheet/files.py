"""Fact sheets are files of the project: where a sheet really is, and refusing one that is not.

Fact sheets live in ``<root>/briefs/``. A symbolic link there may name another file of
the project (one sheet under two names, a folder of shared sheets), but never lead out
of it: a sheet's bytes are built, quoted in diagnostics and emailed, so a link committed
as ``briefs/x.yaml -> ~/.ssh/id_rsa`` must not be read at all. As the PDF fetcher does
for templates (``render/pdf.py``, ``confined_path``), the rule is on the real path, every
link resolved, compared with the real project folder.

Plain ``os.path`` and no heavy import: the planner of a build with nothing to do uses it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

#: The code of the diagnostic for a sheet that is not a file of the project.
OUTSIDE_CODE = "outside-project"


class Outside(NamedTuple):
    """Why a fact sheet is not a file of the project: what it is, and what to do."""

    what: str
    fix: str

    @property
    def message(self) -> str:
        """The diagnostic's message: ``the file is a link to ...; copy the file ...``."""
        return f"the file {self.what}; {self.fix}"


LINK_OUT = Outside("is a link to a file outside the project", "copy the file into briefs/ instead")
FOLDER_OUT = Outside(
    "is in a folder that is a link to outside the project",
    "keep the fact sheets in briefs/ as a folder of the project, not a link",
)


def confine(path: Path, root: Path) -> tuple[str, Outside | None]:
    """The real path of ``path``, and why it is not a file of the project at ``root``
    (None when it is one).

    A link that leads nowhere resolves to where it points, so a missing file is left for
    the read to report, and a missing file outside the project is refused like any other.
    A link loop resolves to itself and fails when read.
    """
    real = os.path.realpath(path)
    if Path(real).is_relative_to(os.path.realpath(root)):
        return real, None
    return real, LINK_OUT if os.path.islink(path) else FOLDER_OUT
