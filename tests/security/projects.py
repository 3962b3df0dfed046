"""Real projects for the hostile-input and fault tests: folders, builds, the CLI."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.builder.runner import BuildReport, build
from generator.settings import default_settings
from tests.support.cli import run_brief, start_brief

REPO = Path(__file__).resolve().parents[2]
#: A fixed "today" for builds, later than every date in the samples.
TODAY = dt.date(2026, 2, 1)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
    b'<rect width="4" height="4"/></svg>'
)


@dataclass
class Canary:
    """A local HTTP server that records every request: any request is a failure."""

    url: str
    hits: list[str] = field(default_factory=list)


@functools.cache
def build_help() -> str:
    """The help text of ``brief build``: which options the command has."""
    return run_brief("build", "--help", cwd=None, timeout=None).stdout


def make_project(root: Path) -> Path:
    """A project at ``root`` with the real templates and an empty briefs/ folder."""
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def write_sheet(root: Path, brief_id: str, data: dict[str, Any]) -> Path:
    """Write ``data`` as ``briefs/<brief_id>.yaml``."""
    path = root / "briefs" / f"{brief_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build_project(root: Path, formats: tuple[str, ...] = ("html", "pdf")) -> BuildReport:
    """Build every fact sheet of the project at ``root`` in this process, as the CLI does."""
    return build(default_settings(root), today=TODAY, formats=formats)


def cli(*args: str, cwd: Path, **popen: Any) -> subprocess.Popen[str]:
    """Start the real ``brief`` command in ``cwd`` (stdout and stderr piped)."""
    return start_brief(*args, cwd=cwd, **popen)
