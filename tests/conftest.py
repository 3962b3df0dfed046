"""Shared fixtures: a temporary project, minimal fact sheets, the real CLI in a subprocess."""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings as hypothesis_settings

from tests.support import cli

# Property tests: a few seconds' worth of examples, the same ones every run, in
# `make test`; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more, new ones each time.
hypothesis_settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
hypothesis_settings.register_profile("fuzz", max_examples=5000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = cli.REPO

# A test run started in the background by a non-interactive shell (a loop, nohup, some CI
# runners) inherits SIGINT ignored, and so would every `brief` it starts: the Ctrl-C tests
# would then signal a process that cannot hear them. Python installs its handler at start
# only where SIGINT is not ignored, so give the run, and through it its children, the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

MINIMAL: dict[str, Any] = {
    "title": "Test initiative",
    "jurisdiction": "Testland",
    # British English, as the sample briefing: "Labour", "20 January 2026".
    "language": "en-GB",
    "as_of": "2026-01-20",
    "status": "final",
    "authors": ["Analyst"],
    "summary": "Bottom line [@src-a].",
    "initiative": {"name": "Assembly plant", "stage": "talks"},
    "key_facts": [{"label": "Jobs", "value": 100, "sources": ["src-a"]}],
    "challenges": [
        {
            "category": "land_cost",
            "title": "Land is dear",
            "severity": "high",
            "body": "Industrial land is costly [@src-a].",
        }
    ],
    "sources": [
        {
            "id": "src-a",
            "title": "Source A",
            "publisher": "Publisher",
            "url": "https://example.org/a",
            "kind": "news",
        }
    ],
}


def minimal_sheet(**overrides: Any) -> dict[str, Any]:
    """A valid fact sheet as data, with top-level keys replaced by ``overrides``."""
    data = copy.deepcopy(MINIMAL)
    data.update(overrides)
    return data


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project folder with the real templates and an empty briefs/."""
    root = tmp_path / "project"
    (root / "briefs").mkdir(parents=True)
    copy_templates(root / "templates")
    return root


def copy_templates(target: Path) -> None:
    """The real templates at ``target``; the extracted CJK fonts (80 MB, never written to
    by a test) as hard links where the file system allows, copies elsewhere."""
    shutil.copytree(REPO / "templates", target, ignore=shutil.ignore_patterns("cjk"))
    cjk = REPO / "templates" / "static" / "fonts" / "cjk"
    if cjk.is_dir():
        shutil.copytree(cjk, target / "static" / "fonts" / "cjk", copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture
def write_brief(project: Path) -> Callable[..., Path]:
    """Write ``briefs/<brief_id>.yaml`` in the project: a minimal sheet or given text."""

    def write(brief_id: str, text: str | None = None, **overrides: Any) -> Path:
        path = project / "briefs" / f"{brief_id}.yaml"
        if text is None:
            text = yaml.safe_dump(minimal_sheet(**overrides), sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_brief(project: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``brief`` CLI in a subprocess inside the project (``tests.support.cli``)."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 120, **options: Any):
        return cli.run_brief(*args, cwd=cwd or project, timeout=timeout, **options)

    return run
