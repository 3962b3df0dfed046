"""Fact sheets are files of the project: a link in ``briefs/`` leading out of it is refused.

Over the real command. A link to a file outside the project is never read: ``brief check``
and ``brief build`` report a located error for that sheet (exit 1), the other sheets
still build, and nothing of the outside file shows in any output, message or state. A
link to a file inside the project is an ordinary fact sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import minimal_sheet

#: Text that only the outside file holds: it must appear nowhere brief writes.
CANARY = "canary-7f3a9c"
REFUSED = (
    "briefs/leak.yaml: the file is a link to a file outside the project;"
    " copy the file into briefs/ instead"
)
SUMMARY = re.compile(r"^(\d+) built, (\d+) up to date, (\d+) failed in \d+\.\d\d s$", re.M)


def _outside(tmp_path: Path, **overrides: object) -> Path:
    """A fact sheet outside the project, carrying the canary."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    path = folder / "secret.yaml"
    data = minimal_sheet(title=f"Plant {CANARY}", **overrides)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _everything_written(project: Path) -> str:
    """The text of every file under the project's output folder."""
    files = [p for p in (project / "output").rglob("*") if p.is_file()]
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in files)


def test_check_refuses_a_link_out_of_the_project_without_quoting_it(
    project: Path, tmp_path: Path, write_brief, run_brief
):
    write_brief("ok")
    # A bad value would be quoted in a diagnostic, were the file read.
    outside = _outside(tmp_path, status=CANARY)
    (project / "briefs" / "leak.yaml").symlink_to(outside)
    checked = run_brief("check")
    assert checked.returncode == 1
    assert REFUSED in checked.stderr.splitlines()
    assert CANARY not in checked.stdout + checked.stderr
    assert "checked 2 fact sheet(s): 1 error(s), 0 warning(s)" in checked.stdout
    assert "Traceback" not in checked.stderr


def test_check_json_names_the_refusal_with_its_code(
    project: Path, tmp_path: Path, write_brief, run_brief
):
    (project / "briefs" / "leak.yaml").symlink_to(_outside(tmp_path))
    checked = run_brief("check", "--format", "json", "leak")
    assert checked.returncode == 1
    assert '"outside-project"' in checked.stdout
    assert CANARY not in checked.stdout + checked.stderr


def test_build_refuses_the_link_and_builds_the_others(
    project: Path, tmp_path: Path, write_brief, run_brief
):
    write_brief("ok")
    (project / "briefs" / "leak.yaml").symlink_to(_outside(tmp_path))
    built = run_brief("build", "--formats", "html")
    assert built.returncode == 1
    assert SUMMARY.search(built.stdout).groups()[:3] == ("1", "0", "1")
    assert REFUSED in built.stderr
    assert (project / "output" / "ok.html").is_file()
    assert not (project / "output" / "leak.html").exists()
    assert CANARY not in built.stdout + built.stderr + _everything_written(project)


def test_a_sheet_moved_out_and_linked_back_is_noticed_by_the_next_build(
    project: Path, tmp_path: Path, write_brief, run_brief
):
    sheet = write_brief("leak")
    assert run_brief("build", "--formats", "html").returncode == 0
    # The very same bytes, now outside: its hash is unchanged, the link is not.
    outside = tmp_path / "moved.yaml"
    sheet.rename(outside)
    sheet.symlink_to(outside)
    preview = run_brief("build", "--dry-run", "--formats", "html")
    assert "briefs/leak.yaml is a link to a file outside the project" in preview.stdout
    built = run_brief("build", "--formats", "html")
    assert built.returncode == 1
    assert REFUSED in built.stderr


def test_a_briefs_folder_linked_out_of_the_project_is_refused(
    project: Path, tmp_path: Path, run_brief
):
    folder = tmp_path / "shared-briefs"
    folder.mkdir()
    (folder / "leak.yaml").write_text(
        yaml.safe_dump(minimal_sheet(status=CANARY), sort_keys=False), encoding="utf-8"
    )
    (project / "briefs").rmdir()
    (project / "briefs").symlink_to(folder)
    checked = run_brief("check")
    assert checked.returncode == 1
    assert "is in a folder that is a link to outside the project" in checked.stderr
    assert CANARY not in checked.stdout + checked.stderr


def test_links_inside_the_project_are_fact_sheets(project: Path, write_brief, run_brief):
    write_brief("alpha", title="Alpha plant")
    shared = project / "shared"
    shared.mkdir()
    (shared / "beta.yaml").write_text(
        yaml.safe_dump(minimal_sheet(title="Beta plant"), sort_keys=False), encoding="utf-8"
    )
    (project / "briefs" / "beta.yaml").symlink_to(Path("..") / "shared" / "beta.yaml")
    (project / "briefs" / "gamma.yaml").symlink_to("alpha.yaml")
    checked = run_brief("check")
    assert checked.returncode == 0, checked.stderr
    # Named by the link, not by the file it points at.
    assert "briefs/beta.yaml:" in checked.stderr and "shared/" not in checked.stderr
    built = run_brief("build", "--formats", "html")
    assert built.returncode == 0, built.stderr
    assert "Beta plant" in (project / "output" / "beta.html").read_text(encoding="utf-8")
    assert (project / "output" / "gamma.html").is_file()
    assert "built   briefs/beta.yaml -> output/beta.html (new)" in built.stderr.splitlines()
    again = run_brief("build", "--formats", "html")
    assert SUMMARY.search(again.stdout).groups()[:3] == ("0", "3", "0")
