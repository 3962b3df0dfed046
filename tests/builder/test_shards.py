"""``brief build --shard I/N``: a stable, balanced share of the briefings, built on its own.

The assignment is checked as a function (stable when briefings are added, a partition,
balanced, the same values on every machine and in every release), then through the real
command: each shard builds its share into ``output/shard-I-of-N`` with no index, a
briefing added later lands in one shard and rebuilds nothing else, and a malformed
``--shard`` is a usage error that writes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from generator.builder.manifest import STATE_NAME
from generator.builder.shards import Shard, parse_shard, shard_of
from tests.builder.test_build_cli import SUMMARY

IDS = [f"brief-{i:04d}" for i in range(3000)]


def test_a_briefing_keeps_its_shard_when_others_are_added_or_removed():
    before = {i: shard_of(i, 5) for i in IDS[:2000]}
    after = {i: shard_of(i, 5) for i in IDS}
    assert all(after[i] == shard for i, shard in before.items())
    shares = [Shard(k, 5).share(IDS[:1000]) for k in range(1, 6)]
    assert sorted(b for share in shares for b in share) == sorted(IDS[:1000])  # a partition


@pytest.mark.parametrize("count", [2, 3, 4, 8])
def test_shares_are_balanced_for_many_briefings(count: int):
    sizes = Counter(shard_of(i, count) for i in IDS)
    assert sorted(sizes) == list(range(1, count + 1))
    mean = len(IDS) / count
    assert max(abs(size - mean) for size in sizes.values()) < 0.10 * mean, sizes


def test_the_assignment_is_the_documented_one_on_every_machine():
    # SHA-256 of the id, first 8 bytes big-endian, modulo N, plus one: shards built by
    # different machines, Python versions and releases of brief must agree.
    assert [shard_of(i, 3) for i in ("alpha", "beta", "gamma", "full", "minimal")] == [
        3,
        1,
        1,
        2,
        1,
    ]
    assert [shard_of(i, 7) for i in ("alpha", "beta", "gamma")] == [1, 4, 3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/3", "shard 0 does not exist: shards are numbered 1 to 3"),
        ("4/3", "shard 4 does not exist: shards are numbered 1 to 3"),
        ("x", "'x' is not a shard: write I/N"),
        ("3", "'3' is not a shard: write I/N"),
        ("1/0", "the number of shards must be 1 to 10000, not 0"),
        ("-1/3", "'-1/3' is not a shard"),
    ],
)
def test_a_malformed_shard_is_a_usage_error_that_writes_nothing(
    project: Path, write_brief, run_brief, text: str, message: str
):
    write_brief("alpha")
    with pytest.raises(ValueError, match=message.split(":")[0]):
        parse_shard(text)
    result = run_brief("build", "--shard", text, "--formats", "html")
    assert result.returncode == 2
    assert message in result.stderr and "--shard" in result.stderr
    assert not (project / "output").exists()


def _shard_folders(project: Path) -> dict[int, set[str]]:
    return {
        k: {p.name for p in (project / "output" / f"shard-{k}-of-3").iterdir()} for k in (1, 2, 3)
    }


def test_each_shard_builds_its_share_into_its_own_folder_without_an_index(
    project: Path, write_brief, run_brief
):
    ids = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    for brief_id in ids:
        write_brief(brief_id, title=f"{brief_id} plant")
    for k in (1, 2, 3):
        result = run_brief("build", "--shard", f"{k}/3", "--formats", "html")
        assert result.returncode == 0, result.stderr
    folders = _shard_folders(project)
    for k in (1, 2, 3):
        share = Shard(k, 3).share(ids)
        assert folders[k] == {f"{b}.html" for b in share} | {STATE_NAME}
        state = json.loads((project / "output" / f"shard-{k}-of-3" / STATE_NAME).read_text())
        assert state["index"] is None
        assert (state["shard"]["index"], state["shard"]["count"]) == (k, 3)
        assert state["shard"]["ids"] == share and state["shard"]["whole"] is True
    assert sorted(p.name for p in (project / "output").iterdir()) == [
        "shard-1-of-3",
        "shard-2-of-3",
        "shard-3-of-3",
    ]
    # A briefing added later lands in its shard; nothing else is rebuilt anywhere.
    write_brief("eta", title="Eta plant")
    home = shard_of("eta", 3)
    for k in (1, 2, 3):
        again = run_brief("build", "--shard", f"{k}/3", "--formats", "html")
        built = SUMMARY.search(again.stdout).group(1)
        assert built == ("1" if k == home else "0"), (k, again.stdout)
    assert _shard_folders(project)[home] == folders[home] | {"eta.html"}


def test_named_briefings_and_a_dry_run_keep_to_the_shard(project: Path, write_brief, run_brief):
    for brief_id in ("alpha", "beta", "gamma"):
        write_brief(brief_id)
    # alpha is of shard 3/3, beta and gamma of shard 1/3.
    preview = run_brief("build", "-n", "--shard", "1/3", "--formats", "html", "alpha", "beta")
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.splitlines() == [
        "would build briefs/beta.yaml (html): new",
        "1 to build, 0 up to date, 0 to remove",
    ]
    out = project / "elsewhere"
    built = run_brief("build", "--shard", "3/3", "--out", str(out), "--formats", "html")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in out.iterdir()) == [STATE_NAME, "alpha.html"]
    # The same folder built again as a whole is no shard any more.
    whole = run_brief("build", "--out", str(out), "--formats", "html")
    assert whole.returncode == 0, whole.stderr
    assert "shard" not in json.loads((out / STATE_NAME).read_text())
    assert (out / "index.html").is_file()
