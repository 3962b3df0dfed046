"""`brief doctor` says when the CJK faces have not been extracted (`make fonts`)."""

from __future__ import annotations

import shutil
from pathlib import Path


def test_doctor_fails_the_fonts_check_without_the_cjk_faces(project: Path, run_brief) -> None:
    ready = run_brief("doctor")
    assert "CJK faces in templates/static/fonts" in ready.stdout
    shutil.rmtree(project / "templates" / "static" / "fonts" / "cjk")
    missing = run_brief("doctor")
    assert "FAIL  fonts" in missing.stdout
    assert "run `make fonts`" in missing.stdout + missing.stderr
