"""``brief merge``: join the folders of a sharded build into one output folder.

Each ``brief build --shard I/N`` folder holds its share of the briefings and a build
state that says which shard it is and how it was built (:mod:`generator.builder.shards`).
A merge first checks everything and writes nothing until all is well:

- every folder is a shard of the same build: the same N, the same formats and options,
  the same generator; each of shards 1 to N is there (a shard given twice must hold the
  same bytes), checked in :mod:`generator.builder.merge_folders`;
- every shard was built from this project's inputs: each briefing's fact sheet, and every
  template, stylesheet, font and WeasyPrint file it was built from, has the bytes it has
  here; a shard of the whole project covers every fact sheet;
- every output is there and holds the bytes its shard's state records.

Then, under the output folder's lock, it copies the outputs, writes ``index.html`` and
writes the build state last, as a build of the whole project into that folder would
have left them: the next ``brief build`` there has nothing to do. Outputs the folder's
previous state records and the merge does not bring are removed (unless changed since,
as ``brief clean`` does). Each file is written atomically and the state last, so a merge
stopped halfway leaves a state that describes no file it did not write: the next build
redoes what differs, never trusts what it did not check.
"""

from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.builder.editions import wanted_keys
from generator.builder.inputs import input_probe, snapshot_templates
from generator.builder.manifest import (
    BriefRecord,
    Probe,
    State,
    read_state,
    save_state,
    sha256_bytes,
)
from generator.builder.merge_folders import ShardFolder, file_sha, shard_folders
from generator.builder.plan import (
    INDEX_NAME,
    INTERMEDIATE,
    PORTFOLIO_PDF,
    base_element,
    index_entries,
    intermediate_base,
    sheet_key,
    shown_key,
)
from generator.builder.runner import OUTPUT_LOCK_WAIT, _output_locked, _remove_if_unchanged
from generator.builder.shards import Shard
from generator.errors import GeneratorError, OutputError
from generator.settings import Settings
from generator.writer import describe_os_error, output_path, prepare_output_dir, write_atomic

log = logging.getLogger(__name__)


@dataclass
class MergeReport:
    """What a merge did: shards joined, briefings and files written, files removed."""

    shards: int = 0
    briefings: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """``merged 3 shards: 12 briefings, 25 files in 0.40 s``."""
        return (
            f"merged {self.shards} shards: {self.briefings} briefings, "
            f"{len(self.written)} files in {self.seconds:.2f} s"
        )


def merge_shards(
    settings: Settings, folders: Sequence[Path], *, lock_wait: float | None = OUTPUT_LOCK_WAIT
) -> MergeReport:
    """Join the shard ``folders`` into ``settings.output_dir``; see the module docstring.

    Raises :class:`GeneratorError` listing every problem found, having written nothing,
    when the folders are not the complete shards of one build of this project.
    """
    started = time.monotonic()
    target = settings.output_dir.resolve()
    if any(f.resolve() == target for f in folders):
        raise GeneratorError(f"the output folder {settings.display(target)} is one of the shards")
    shards = _refuse(shard_folders(settings, folders))
    plan = _Plan(settings, shards)
    _refuse(plan.check())
    with _output_locked(settings, lock_wait):
        prepare_output_dir(settings.output_dir)
        report = plan.write()
    report.shards = len(shards)
    report.seconds = time.monotonic() - started
    return report


def _refuse(found: tuple[list[ShardFolder], list[str]]) -> list[ShardFolder]:
    shards, problems = found
    if problems:
        lines = "\n  ".join(dict.fromkeys(problems))
        raise GeneratorError(f"nothing merged:\n  {lines}")
    return shards


class _Plan:
    """The merged build state, checked against the project, and its writing."""

    def __init__(self, settings: Settings, shards: list[ShardFolder]) -> None:
        self.settings = settings
        self.shards = shards
        self.state = State()
        self.inputs = input_probe(settings, self.state)
        out = f"{settings.output_dir}{os.sep}"
        self.outputs = Probe(lambda name: out + name, self.state.outputs)
        self.sources: dict[str, tuple[ShardFolder, str]] = {}
        self.base = intermediate_base(settings)

    def check(self) -> tuple[list[ShardFolder], list[str]]:
        """Gather every shard's records into the merged state; the problems found."""
        from generator.factsheet import scan_sheets

        folder = scan_sheets(self.settings.briefs_dir)
        sheets = {} if folder is None else folder.names
        problems: list[str] = []
        built_by = self.shards[0].record["generator"]
        if built_by != __version__:
            problems.append(f"the shards were built by generator {built_by}, this is {__version__}")
        if any("pdf" in s.targets() for s in self.shards):
            self.state.tools["weasyprint"] = _engine_file()
        if any("docx" in s.targets() for s in self.shards):
            self.state.tools["python-docx"] = _docx_engine_file()
        if any("matplotlib" in s.state.tools for s in self.shards):
            from generator.render import chart_engine_file

            self.state.tools["matplotlib"] = chart_engine_file()
        for shard in self.shards:
            for brief_id in shard.record["ids"]:
                problems += self._take(shard, brief_id, sheets)
        if self.shards[0].record["whole"]:
            covered = {b for s in self.shards for b in s.record["ids"]}
            shown = self.settings.display(self.settings.briefs_dir)
            problems += [
                f"{shown}/{sheets[b]} is in no shard: the shards were built before it was added"
                for b in sorted(set(sheets) - covered)
            ]
        return self.shards, problems

    def _take(self, shard: ShardFolder, brief_id: str, sheets: dict[str, str]) -> list[str]:
        """Check one briefing of ``shard`` and add its record to the merged state."""
        key = sheet_key(brief_id)
        if not Shard(shard.record["index"], shard.record["count"]).holds(brief_id):
            return [f"{shard.name} lists {brief_id}, which is not of that shard"]
        if brief_id not in sheets:
            return [f"{shard.name} holds {brief_id}, but this project has no {key}"]
        record = shard.state.briefs.get(brief_id)
        wanted = wanted_keys(record["targets"], shard.targets()) if record else None
        if record is None or wanted is None:
            return [f"{key} was not built in {shard.name}: its build failed or was stopped"]
        problems = []
        merged: BriefRecord = copy.deepcopy(record)
        merged["targets"] = {t: merged["targets"][t] for t in wanted}
        for target, recorded in merged["targets"].items():
            if recorded["sheet"] != self.inputs.sha(key):
                problems.append(f"{shard.name} was built from another {key} than this project's")
            problems += self._deps(shard, recorded["deps"])
            problems += self._output(shard, f"{brief_id}.{target}", recorded["output"])
            self.state.depsets[recorded["deps"]] = shard.state.depsets[recorded["deps"]]
        self.state.briefs[brief_id] = merged
        return problems

    def _deps(self, shard: ShardFolder, depset_id: str) -> list[str]:
        problems = []
        for key, sha in shard.state.depsets.get(depset_id, []):
            if (self.inputs.sha(key) or "") != sha:  # "": recorded absent (plan.py)
                shown = shown_key(key)
                problems.append(f"{shard.name} was built with another {shown} than this project's")
        return problems

    def _output(self, shard: ShardFolder, name: str, recorded: str) -> list[str]:
        path = shard.path / name
        self.sources[name] = (shard, str(path))
        if (found := file_sha(path)) == recorded:
            if name.endswith(INTERMEDIATE) and not self._rebase(shard, path.read_bytes()):
                return [f"{shard.shown}/{name} lacks the base URL its build wrote into it"]
            return []
        why = "is missing" if found is None else "is not what its build wrote (changed since)"
        return [f"{shard.shown}/{name} {why}"]

    def _rebase(self, shard: ShardFolder, data: bytes) -> bytes | None:
        """A kept intermediate with the base URL of the merged folder (None: it has none)."""
        old = base_element(shard.record["base"]).encode("utf-8")
        if old not in data:
            return None
        return data.replace(old, base_element(self.base).encode("utf-8"), 1)

    def write(self) -> MergeReport:
        """Write every output, the index and, last, the build state."""
        from generator.builder.tracker import load_fx

        # A portfolio.yaml with errors stops the merge before a file is copied.
        fx = load_fx(self.settings)
        report = MergeReport(briefings=len(self.state.briefs))
        previous, problem = read_state(self.settings.output_dir)
        if previous is None:
            log.warning("the build state of %s %s: replacing it", self._shown_out(), problem)
        for brief_id in sorted(self.state.briefs):
            for target, recorded in self.state.briefs[brief_id]["targets"].items():
                name = f"{brief_id}.{target}"
                recorded["output"] = self._copy(name, recorded["output"])
                report.written.append(name)
        self._index(fx)
        report.written += [INDEX_NAME, PORTFOLIO_PDF]
        if previous is not None:
            report.removed = self._remove_stale(previous, set(report.written))
        self._snapshot_inputs()
        save_state(self.settings.output_dir, self.state)
        return report

    def _copy(self, name: str, recorded: str) -> str:
        """Copy one output from its shard (checking its bytes again); its new SHA-256."""
        shard, source = self.sources[name]
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read {source}: {describe_os_error(exc)}") from None
        if sha256_bytes(data) != recorded:
            raise GeneratorError(f"{shard.shown}/{name} changed while being merged; merge again")
        if name.endswith(INTERMEDIATE):
            data = self._rebase(shard, data) or data
        write_atomic(output_path(self.settings.output_dir, name), data)
        sha = sha256_bytes(data)
        self.outputs.note_written(name, sha)
        return sha

    def _index(self, fx: object) -> None:
        """Render and write the tracker (``index.html``, ``portfolio.pdf``) from the merged
        records, as a build would: the same job, in this process."""
        from generator.builder import tracker

        entries = index_entries(self.state, self.outputs)
        job = tracker.tracker_job(self.settings, entries, self.inputs.brand(), fx)
        rendered = tracker.render_index(job)
        key = tracker.entries_key(entries)
        probes = (self.outputs, self.inputs)
        self.state.index = tracker.write_tracker(self.settings, self.state, probes, rendered, key)

    def _remove_stale(self, previous: State, written: set[str]) -> list[str]:
        """Remove what the folder's previous state records and this merge did not write."""
        recorded = {
            f"{brief_id}.{target}": record["output"]
            for brief_id, briefs in previous.briefs.items()
            for target, record in briefs["targets"].items()
        }
        removed = []
        for name in sorted(set(recorded) - written):
            try:
                path = output_path(self.settings.output_dir, name)
            except OutputError:
                continue
            if _remove_if_unchanged(self.settings, path, recorded[name]):
                removed.append(name)
        return removed

    def _snapshot_inputs(self) -> None:
        """Hash the inputs a build of the whole project would have, for its stat cache."""
        for brief_id in self.state.briefs:
            self.inputs.sha(sheet_key(brief_id))
        snapshot_templates(self.settings, self.inputs)
        for tool in self.state.tools:
            self.inputs.sha(f"tool:{tool}")

    def _shown_out(self) -> str:
        return self.settings.display(self.settings.output_dir)


def _docx_engine_file() -> str:
    """The python-docx file in use here, as a build on this machine would record it."""
    from generator.render import docx_engine_file

    return docx_engine_file()


def _engine_file() -> str:
    """The WeasyPrint file in use here: the one a build on this machine would record."""
    from generator.render import engine_file

    return engine_file()
