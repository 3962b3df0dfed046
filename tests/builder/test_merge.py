"""``brief merge``: three shards joined are one build of the whole project, byte for byte.

Over the real commands: the fact sheets of tests/data/valid and a few more are built
once as a whole and once as three shards (PDFs and kept intermediates included); the
merged folder holds the same files with the same bytes, and a build state that differs
from the whole build's only in the stat cache (sizes, times and inodes of this machine's
files), from which the next ``brief build`` has nothing to do.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.builder.manifest import STATE_NAME
from tests.builder.test_build_cli import SUMMARY
from tests.conftest import REPO, minimal_sheet
from tests.support.cli import run_brief

VALID = Path(__file__).parents[1] / "data" / "valid"
MORE = {"alpha": "Alpha plant", "beta": "Beta plant", "gamma": "Gamma plant"}
SHARDS = [f"output/shard-{k}-of-3" for k in (1, 2, 3)]
INVESTMENTS = [
    {"amount": 1.5e9, "currency": "EUR"},
    {"amount": 2500000000, "currency": "USD"},
    {"amount": 9e10, "currency": "JPY"},
]
RATES = """\
currency: USD
fx:
  - {from: EUR, to: USD, rate: 1.08, as_of: 2026-06-30, source: {title: ECB, url: "https://www.ecb.europa.eu/"}}
  - {from: JPY, to: USD, rate: 0.0064, as_of: 2026-06-30, source: {title: BoJ, url: "https://www.boj.or.jp/"}}
"""


def _new_project(root: Path) -> Path:
    (root / "briefs").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    for sheet in sorted(VALID.glob("*.yaml")):
        shutil.copy(sheet, root / "briefs" / sheet.name)
    for (brief_id, title), money in zip(MORE.items(), INVESTMENTS, strict=True):
        initiative = {"name": title, "stage": "announced", "investment": money}
        sheet = minimal_sheet(title=title, initiative=initiative)
        text = yaml.safe_dump(sheet, sort_keys=False)
        (root / "briefs" / f"{brief_id}.yaml").write_text(text, encoding="utf-8")
    # The tracker converts with the project's rates: its PDF and HTML are merged outputs too.
    (root / "portfolio.yaml").write_text(RATES, encoding="utf-8")
    return root


def _brief(project: Path, *args: str):
    result = run_brief(*args, cwd=project, timeout=600)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built as a whole into whole/ and as shards 1-3 of 3 into output/."""
    project = _new_project(tmp_path_factory.mktemp("merge") / "project")
    whole = _brief(project, "build", "--keep-intermediate", "--out", "whole")
    assert whole.returncode == 0, whole.stderr
    for k in (1, 2, 3):
        shard = _brief(project, "build", "--keep-intermediate", "--shard", f"{k}/3")
        assert shard.returncode == 0, shard.stderr
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project of this module, for one test."""
    return Path(shutil.copytree(built, tmp_path / "project", symlinks=True))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _without_stats(state: dict[str, Any]) -> dict[str, Any]:
    """The build state with only the hashes of its stat cache (sizes, times, inodes go)."""
    return {
        **state,
        "inputs": {k: v[0] for k, v in state["inputs"].items()},
        "outputs": {k: v[0] for k, v in state["outputs"].items()},
    }


def test_three_shards_merged_are_byte_identical_to_one_build(project: Path):
    merged = _brief(project, "merge", *SHARDS)
    assert merged.returncode == 0, merged.stderr
    # internal-everywhere has two editions: 6 files where the others have 3; then the
    # tracker's two files.
    assert merged.stdout.startswith("merged 3 shards: 8 briefings, 29 files in ")
    ours, theirs = _files(project / "output"), _files(project / "whole")
    assert sorted(ours) == sorted(theirs)
    assert {"index.html", "portfolio.pdf"} <= set(ours)
    tracker = ours["index.html"].decode("utf-8")
    # The valid sheets give HKD too, which has no rate: the rates given, and no total.
    assert "1 JPY = 0.0064 USD" in tracker and "no rate for HKD" in tracker
    assert {n for n in ours if n.endswith(".print.html")} == {
        *(
            f"{b}.print.html"
            for b in ("alpha", "beta", "figures", "full", "gamma", "minimal", "yaml-text")
        ),
        *(f"internal-everywhere.{e}.print.html" for e in ("internal", "external")),
    }
    different = [n for n in ours if n != STATE_NAME and ours[n] != theirs[n]]
    assert different == []
    state, whole = (json.loads(x[STATE_NAME]) for x in (ours, theirs))
    assert _without_stats(state) == _without_stats(whole)
    assert "shard" not in state and state["index"] is not None


def test_the_next_build_after_a_merge_has_nothing_to_do(project: Path):
    assert _brief(project, "merge", *SHARDS).returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}
    preview = _brief(project, "build", "-n", "--keep-intermediate")
    assert preview.stdout.splitlines() == ["0 to build, 8 up to date, 0 to remove"]
    again = _brief(project, "build", "--keep-intermediate")
    assert again.returncode == 0, again.stderr
    assert SUMMARY.search(again.stdout).groups()[:3] == ("0", "8", "0")
    after = {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}
    assert {n: t for n, t in after.items() if n != STATE_NAME} == {
        n: t for n, t in before.items() if n != STATE_NAME
    }


def test_a_missing_shard_is_refused_and_nothing_is_written(project: Path):
    result = _brief(project, "merge", SHARDS[0], SHARDS[2], "--out", "merged")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: nothing merged:\n  shard 2/3 is missing (given: output/shard-1-of-3 (shard"
        " 1/3), output/shard-3-of-3 (shard 3/3))\n"
    )
    assert not (project / "merged").exists()


def test_shards_built_from_other_inputs_are_refused(project: Path):
    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    sheet = project / "briefs" / "alpha.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = _files(project / "whole")
    result = _brief(project, "merge", *SHARDS, "--out", "whole")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for k in (1, 2, 3):
        assert (
            f"output/shard-{k}-of-3 (shard {k}/3) was built with another templates/base.html"
            " than this project's"
        ) in result.stderr
    home = next(k for k in (1, 2, 3) if (project / SHARDS[k - 1] / "alpha.html").exists())
    assert (
        f"output/shard-{home}-of-3 (shard {home}/3) was built from another briefs/alpha.yaml"
    ) in result.stderr
    assert _files(project / "whole") == before  # the folder merged into is untouched


def test_overlapping_shards_with_different_bytes_are_refused(project: Path):
    home = next(k for k in (1, 2, 3) if (project / SHARDS[k - 1] / "beta.html").exists())
    shutil.copytree(project / SHARDS[home - 1], project / "copy")
    # The same shard, identical: merged as one.
    same = _brief(project, "merge", *SHARDS, "copy", "--out", "merged")
    assert same.returncode == 0, same.stderr
    shutil.rmtree(project / "merged")
    # The same shard built again from another beta.yaml: two different beta briefings.
    text = yaml.safe_dump(minimal_sheet(title="Beta plant, revised"), sort_keys=False)
    (project / "briefs" / "beta.yaml").write_text(text, encoding="utf-8")
    rebuilt = _brief(project, "build", "--keep-intermediate", "--shard", f"{home}/3")
    assert rebuilt.returncode == 0, rebuilt.stderr
    result = _brief(project, "merge", *SHARDS, "copy", "--out", "merged")
    assert result.returncode == 1
    assert (
        f"beta is in both {SHARDS[home - 1]} and copy with different bytes (beta.html differs)"
    ) in result.stderr
    assert not (project / "merged").exists()
