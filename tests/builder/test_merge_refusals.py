"""What ``brief merge`` refuses, with which words and exit status, and what it leaves alone.

Each refusal exits 1 (2 for a usage mistake), names the folder and the problem, and
writes nothing. HTML-only shards keep these quick; the byte-for-byte merge of PDFs is
in test_merge.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.builder.manifest import STATE_NAME
from generator.builder.shards import shard_of

IDS = ("alpha", "beta", "gamma", "delta")
SHARDS = [f"output/shard-{k}-of-3" for k in (1, 2, 3)]


@pytest.fixture
def sharded(project: Path, write_brief, run_brief) -> Path:
    """Four briefings built as shards 1-3 of 3 (HTML only) into output/shard-K-of-3."""
    for brief_id in IDS:
        write_brief(brief_id, title=f"{brief_id} plant")
    for k in (1, 2, 3):
        result = run_brief("build", "--formats", "html", "--shard", f"{k}/3")
        assert result.returncode == 0, result.stderr
    return project


def _refused(run_brief, *args: str) -> str:
    result = run_brief("merge", *args)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("Error: nothing merged:\n"), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_folders_that_are_no_shards_are_refused(sharded: Path, run_brief, tmp_path: Path):
    assert run_brief("build", "--formats", "html", "--out", "whole").returncode == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    damaged = sharded / "damaged"
    damaged.mkdir()
    (damaged / STATE_NAME).write_text("{not json", encoding="utf-8")
    said = _refused(run_brief, "whole", str(empty), "damaged", "--out", "merged")
    assert "whole holds a whole build, not a shard (built without --shard)" in said
    assert f"{empty} has no build state of brief (not a `brief build` folder)" in said
    assert "the build state of damaged is damaged" in said
    assert not (sharded / "merged").exists()


def test_shards_of_different_builds_are_refused(sharded: Path, run_brief):
    assert (
        run_brief("build", "--formats", "html", "--shard", "1/2", "--out", "half").returncode == 0
    )
    said = _refused(run_brief, *SHARDS, "half", "--out", "merged")
    assert (
        "half (shard 1/2) is not a shard of the same build: output/shard-1-of-3 is shard 1/3"
        in (said)
    )
    other = ("build", "--formats", "html,pdf", "--shard", "2/3", "--out", "both")
    assert run_brief(*other).returncode == 0
    said = _refused(run_brief, SHARDS[0], "both", SHARDS[2], "--out", "merged")
    assert (
        "both (shard 2/3) is not a shard of the same build: output/shard-1-of-3 has the "
        "formats html"
    ) in said
    assert not (sharded / "merged").exists()


def test_a_briefing_that_failed_in_its_shard_is_refused(sharded: Path, write_brief, run_brief):
    write_brief("gamma", initiative={"name": "X", "stage": "dreaming"})
    home = shard_of("gamma", 3)
    failed = run_brief("build", "--formats", "html", "--shard", f"{home}/3")
    assert failed.returncode == 1
    said = _refused(run_brief, *SHARDS, "--out", "merged")
    # The shard keeps gamma's earlier output, from another sheet: refused either way.
    assert (
        f"output/shard-{home}-of-3 (shard {home}/3) was built from another briefs/gamma.yaml"
        in (said)
    )
    (sharded / SHARDS[home - 1] / "gamma.html").unlink()
    state_file = sharded / SHARDS[home - 1] / STATE_NAME
    state = json.loads(state_file.read_text())
    del state["briefs"]["gamma"]
    state_file.write_text(json.dumps(state))
    said = _refused(run_brief, *SHARDS, "--out", "merged")
    assert (
        f"briefs/gamma.yaml was not built in output/shard-{home}-of-3 (shard {home}/3): its "
        "build failed or was stopped"
    ) in said


def test_a_sheet_in_no_shard_and_a_changed_output_are_refused(
    sharded: Path, write_brief, run_brief
):
    write_brief("epsilon")
    home = shard_of("alpha", 3)
    (sharded / SHARDS[home - 1] / "alpha.html").write_text("tampered", encoding="utf-8")
    said = _refused(run_brief, *SHARDS, "--out", "merged")
    assert "briefs/epsilon.yaml is in no shard: the shards were built before it was added" in said
    assert f"output/shard-{home}-of-3/alpha.html is not what its build wrote" in said
    assert not (sharded / "merged").exists()


def test_usage_mistakes_exit_2(sharded: Path, run_brief):
    assert run_brief("merge").returncode == 2
    missing = run_brief("merge", "nowhere")
    assert missing.returncode == 2 and "'nowhere' does not exist" in missing.stderr
    itself = run_brief("merge", *SHARDS, "--out", SHARDS[0])
    assert itself.returncode == 2
    assert "output/shard-1-of-3 is the output folder" in itself.stderr


def test_merging_into_a_built_folder_removes_what_it_no_longer_holds(
    sharded: Path, write_brief, run_brief
):
    write_brief("old")
    assert run_brief("build", "--formats", "html").returncode == 0
    (sharded / "briefs" / "old.yaml").unlink()
    (sharded / "output" / "notes.txt").write_text("mine\n", encoding="utf-8")
    merged = run_brief("merge", *SHARDS)
    assert merged.returncode == 0, merged.stderr
    assert "removed output/old.html" in merged.stderr
    names = sorted(p.name for p in (sharded / "output").iterdir() if p.is_file())
    kept = [STATE_NAME, "index.html", "portfolio.pdf", "notes.txt"]
    assert names == sorted([*kept, *(f"{b}.html" for b in IDS)])
    again = run_brief("build", "--formats", "html")
    assert again.stdout.startswith("0 built, 4 up to date, 0 failed"), again.stdout
