"""The sharded-build examples under deploy/ parse, and their shard counts agree.

A workflow whose matrix lists four shards but whose command says ``/3`` would build a
shard twice and leave one out; an Indexed Job whose completions and parallelism differ
from the N of its command likewise. ``brief merge`` would refuse the result, but only
after the machines ran: these checks catch it in the example.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DEPLOY = Path(__file__).parents[2] / "deploy"


def test_the_github_actions_matrix_builds_every_shard_once_and_merges_them_all():
    workflow = yaml.safe_load((DEPLOY / "github-actions" / "brief-shards.yml").read_text())
    shard, merge = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    indices = shard["strategy"]["matrix"]["shard"]
    count = len(indices)
    assert indices == list(range(1, count + 1)) and count > 1
    steps = "\n".join(step.get("run", "") for step in shard["steps"])
    assert "--shard ${{ matrix.shard }}/" + str(count) in steps
    assert steps.count("--shard") == 1
    upload = next(s for s in shard["steps"] if s.get("uses", "").startswith("actions/upload-"))
    assert upload["with"]["include-hidden-files"] is True  # the build state is .brief-state.json
    assert upload["with"]["name"] == "shard-${{ matrix.shard }}-of-" + str(count)
    assert merge["needs"] == "shard"
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download"))
    assert download["with"]["pattern"] == f"shard-*-of-{count}"
    merging = next(s["run"] for s in merge["steps"] if "brief merge" in s.get("run", ""))
    assert merging.split()[2:] == [f"shards/shard-{k}-of-{count}" for k in indices]


def test_the_kubernetes_manifest_is_an_indexed_job_of_n_shards():
    job = yaml.safe_load((DEPLOY / "kubernetes" / "brief-shards.yaml").read_text())
    assert (job["apiVersion"], job["kind"]) == ("batch/v1", "Job")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    count = spec["completions"]
    assert count == spec["parallelism"] and count > 1
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    (container,) = pod["containers"]
    assert container["image"] and container["name"]
    script = "\n".join(container["command"])
    assert 'shard="$((JOB_COMPLETION_INDEX + 1))"' in script
    assert f'--shard "$shard/{count}"' in script
    assert f'"/shards/shard-$shard-of-{count}"' in script
    mounted = {m["name"] for m in container["volumeMounts"]}
    assert mounted == {v["name"] for v in pod["volumes"]}


def test_the_kubernetes_merge_job_merges_every_shard():
    shards = yaml.safe_load((DEPLOY / "kubernetes" / "brief-shards.yaml").read_text())
    merge = yaml.safe_load((DEPLOY / "kubernetes" / "brief-merge.yaml").read_text())
    assert (merge["apiVersion"], merge["kind"]) == ("batch/v1", "Job")
    count = shards["spec"]["completions"]
    (container,) = merge["spec"]["template"]["spec"]["containers"]
    script = " ".join(" ".join(container["command"]).replace("\\\n", " ").split())
    folders = " ".join(f"/shards/shard-{k}-of-{count}" for k in range(1, count + 1))
    assert f"brief merge {folders} --out" in script
    claims = {
        v["persistentVolumeClaim"]["claimName"]
        for doc in (shards, merge)
        for v in doc["spec"]["template"]["spec"]["volumes"]
        if "persistentVolumeClaim" in v
    }
    assert len(claims) == 1  # both Jobs mount the one shared volume
