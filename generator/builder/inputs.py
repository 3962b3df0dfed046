"""The inputs of a build as its state names them, where their files are, and hashing them.

An input key is a path relative to the project root (``briefs/<id>.yaml``,
``templates/<name>``), or ``tool:<name>`` for a file of a tool the build used
(WeasyPrint, python-docx): that one lies outside the project, so the state records its path, which
changes when the tool is upgraded or moved. A build and a merge find and hash inputs
through the same functions, so a merged folder's state is one the next build trusts.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.builder.manifest import Probe, State
from generator.builder.plan import template_key
from generator.settings import Settings

#: The input key of the WeasyPrint file a PDF was printed with.
WEASYPRINT = "tool:weasyprint"
#: The input key of the python-docx file a DOCX was made with.
PYTHON_DOCX = "tool:python-docx"


def input_probe(settings: Settings, state: State) -> Probe:
    """A :class:`Probe` of the project's inputs, through the stat cache of ``state``."""
    root = f"{settings.root}{os.sep}"

    def locate(key: str) -> str | None:
        if key.startswith("tool:"):
            # Looked up at each call: a build records a tool's path when it first uses it.
            return state.tools.get(key.removeprefix("tool:"))
        return root + key

    return Probe(locate, state.inputs)


def snapshot_templates(settings: Settings, inputs: Probe) -> None:
    """Hash every file under ``templates/`` before any render reads one (see
    :mod:`generator.builder.manifest`: a hash taken before use can only over-rebuild)."""
    root = settings.templates_dir
    for folder, _dirs, names in os.walk(root):
        for name in names:
            inputs.sha(template_key(Path(folder, name).relative_to(root).as_posix()))
