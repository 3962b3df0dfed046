"""``brief clean`` removes what brief wrote, as its build state records, and nothing else.

Over the real command: a folder brief never built into is left alone, a file the user
put beside the outputs stays, an output changed since it was built stays (with a warning
naming it), and a damaged build state removes nothing but brief's temporary files.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator import locks
from generator.builder.manifest import STATE_NAME, read_state, save_state, sha256_bytes
from generator.builder.runner import clean
from generator.settings import default_settings
from generator.writer import TEMP_PREFIX


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_folder_without_build_state_is_left_alone(tmp_path: Path, run_brief):
    folder = tmp_path / "thesis"
    folder.mkdir()
    for name in ("thesis.pdf", "notes.html", f"{TEMP_PREFIX}mine.pdf"):
        (folder / name).write_text(f"the user's own {name}\n", encoding="utf-8")
    cleaned = run_brief("clean", "--out", str(folder))
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout == "removed 0 file(s)\n"
    assert f"nothing to clean: {folder.resolve()} has no build state of brief" in cleaned.stderr
    assert _names(folder) == sorted([".tmp-mine.pdf", "notes.html", "thesis.pdf"])
    assert "Traceback" not in cleaned.stderr


def test_a_missing_folder_is_nothing_to_clean(tmp_path: Path, run_brief):
    cleaned = run_brief("clean", "--out", str(tmp_path / "never"))
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout == "removed 0 file(s)\n"
    assert "nothing to clean" in cleaned.stderr
    assert not (tmp_path / "never").exists()


def test_only_recorded_outputs_go_and_the_users_files_stay(project: Path, write_brief, run_brief):
    write_brief("alpha")
    out = project / "output"
    assert run_brief("build", "--formats", "html").returncode == 0
    (out / "thesis.pdf").write_bytes(b"%PDF-1.7 not brief's\n")
    (out / "notes.html").write_text("<p>mine</p>\n", encoding="utf-8")
    (out / f"{TEMP_PREFIX}4242-alpha.html").write_bytes(b"half written")
    cleaned = run_brief("clean", "--out", str(out))
    assert cleaned.returncode == 0, cleaned.stderr
    # alpha.html, index.html, portfolio.pdf, the build state and the temporary file.
    assert cleaned.stdout == "removed 5 file(s)\n"
    assert _names(out) == ["notes.html", "thesis.pdf"]


def test_an_output_changed_since_it_was_built_is_kept_with_a_warning(
    project: Path, write_brief, run_brief
):
    write_brief("alpha")
    write_brief("beta")
    out = project / "output"
    assert run_brief("build", "--formats", "html").returncode == 0
    (out / "alpha.html").write_text("<p>edited by hand</p>\n", encoding="utf-8")
    cleaned = run_brief("clean")
    assert cleaned.returncode == 0, cleaned.stderr
    # beta.html, index.html, portfolio.pdf, the state
    assert cleaned.stdout == "removed 4 file(s)\n"
    assert _names(out) == ["alpha.html"]
    assert "kept output/alpha.html: it changed since brief wrote it" in cleaned.stderr
    assert (out / "alpha.html").read_text(encoding="utf-8") == "<p>edited by hand</p>\n"


def test_a_link_in_place_of_an_output_is_kept(project: Path, write_brief, run_brief, tmp_path):
    write_brief("alpha")
    out = project / "output"
    assert run_brief("build", "--formats", "html").returncode == 0
    elsewhere = tmp_path / "precious.html"
    elsewhere.write_bytes((out / "alpha.html").read_bytes())
    (out / "alpha.html").unlink()
    (out / "alpha.html").symlink_to(elsewhere)
    cleaned = run_brief("clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert (out / "alpha.html").is_symlink() and elsewhere.is_file()
    assert "kept output/alpha.html" in cleaned.stderr


def test_a_damaged_build_state_removes_only_temporary_files(project: Path, write_brief, run_brief):
    write_brief("alpha")
    out = project / "output"
    assert run_brief("build", "--formats", "html").returncode == 0
    (out / STATE_NAME).write_text("{ not json", encoding="utf-8")
    (out / f"{TEMP_PREFIX}4242-alpha.html").write_bytes(b"half written")
    cleaned = run_brief("clean")
    assert cleaned.returncode == 1
    assert "Traceback" not in cleaned.stderr
    assert (
        f"Error: build state output/{STATE_NAME} is damaged: brief cannot tell which files"
        " it wrote, so it removed none" in cleaned.stderr
    )
    assert "brief build" in cleaned.stderr  # how to fix it
    assert _names(out) == [STATE_NAME, "alpha.html", "index.html", "portfolio.pdf"]


def test_after_a_clean_the_next_build_starts_afresh(project: Path, write_brief, run_brief):
    write_brief("alpha")
    assert run_brief("build", "--formats", "html").returncode == 0
    assert run_brief("clean").stdout == "removed 4 file(s)\n"
    again = run_brief("clean")
    assert again.returncode == 0 and again.stdout == "removed 0 file(s)\n"
    assert "nothing to clean: output has no build state of brief" in again.stderr
    assert run_brief("build", "--formats", "html").returncode == 0
    assert _names(project / "output") == [STATE_NAME, "alpha.html", "index.html", "portfolio.pdf"]


def test_a_clean_waits_for_a_build_holding_the_folder(project: Path, write_brief, run_brief):
    write_brief("alpha")
    assert run_brief("build", "--formats", "html").returncode == 0
    settings = default_settings(project)
    held = locks.hold(locks.output_lock(settings), purpose="brief build", what="the folder")
    with held, pytest.raises(locks.LockBusy):
        clean(settings, lock_wait=0)
    assert (project / "output" / "alpha.html").is_file()
    assert len(clean(settings, lock_wait=0)) == 4


def test_a_name_in_the_state_that_leaves_the_folder_is_never_acted_on(
    project: Path, write_brief, run_brief, caplog
):
    write_brief("alpha")
    assert run_brief("build", "--formats", "html").returncode == 0
    out = project / "output"
    victim = project / "victim.html"
    victim.write_bytes(b"precious")
    state, problem = read_state(out)
    assert state is not None and not problem
    state.briefs["../victim"] = copy.deepcopy(state.briefs["alpha"])
    state.briefs["../victim"]["targets"]["html"]["output"] = sha256_bytes(b"precious")
    save_state(out, state)
    removed = clean(default_settings(project), lock_wait=0)
    assert victim.read_bytes() == b"precious"
    assert sorted(p.name for p in removed) == [
        STATE_NAME,
        "alpha.html",
        "index.html",
        "portfolio.pdf",
    ]
    assert "not removing '../victim.html': not a plain file name" in caplog.text
