"""One build of one output folder: plan, render what is stale, write, record, save.

The parent process owns every file: workers return bytes, and only here are outputs
written (atomically, through :mod:`generator.writer`) and recorded in the build state.
A record is made only after its output is in place, and the state file is saved from
time to time and at the end, even when the build is interrupted. So at any moment the
state file describes files that really are on disk: a build stopped in any way (Ctrl-C,
SIGKILL, a full disk) leaves complete outputs and a state that makes the next build
redo exactly what is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from generator import __version__
from generator.builder.editions import keys_of, split_key, target_key
from generator.builder.feedback import Progress, ProgressFn, describe_outcome
from generator.builder.inputs import MATPLOTLIB as CHART_TOOL
from generator.builder.inputs import PYTHON_DOCX, WEASYPRINT, input_probe, snapshot_templates
from generator.builder.manifest import (
    BriefRecord,
    Probe,
    build_state_path,
    load_state,
    save_state,
    sha256_bytes,
)
from generator.builder.plan import (
    BRIEFING_PARTS,
    DOCX_PARTS,
    INDEX_NAME,
    INTERMEDIATE,
    BuildPlan,
    Planner,
    Removal,
    Request,
    Work,
    index_entries,
    intermediate_base,
    sheet_key,
    template_key,
    with_base,
)
from generator.builder.report import BriefResult, BuildReport, InOrder
from generator.builder.shards import ShardRecord
from generator.errors import GeneratorError, OutputError
from generator.settings import Settings
from generator.writer import check_writable, output_path, write_atomic

if TYPE_CHECKING:
    from generator.builder.pipeline import FinishedBrief, Pipeline

log = logging.getLogger(__name__)

#: How often the build state is saved while a build runs.
SAVE_EVERY = 2.0


class Session:
    """The build state of ``settings.output_dir`` and one request against it."""

    def __init__(self, settings: Settings, request: Request, today: dt.date) -> None:
        self.settings = settings
        self.request = request
        self.today = today
        output_dir = settings.output_dir
        self.state, problem = load_state(output_dir, settings.display(build_state_path(output_dir)))
        if problem:
            log.warning("%s", problem)
        self.inputs = input_probe(settings, self.state)
        out = f"{output_dir}{os.sep}"
        self.outputs = Probe(lambda name: out + name, self.state.outputs)
        self.planner = Planner(settings, self.state, self.inputs, self.outputs, request)
        self._changed = False
        self._saved_at = time.monotonic()

    def plan(self) -> BuildPlan:
        """What this build would do (reads only; see :mod:`generator.builder.plan`)."""
        return self.planner.plan()

    def index_reasons(self) -> list[str]:
        """Why ``index.html`` would be written now ([] when it is up to date)."""
        entries = index_entries(self.state, self.outputs)
        return self.planner.index_reasons(self._entries_key(entries))

    def run(
        self,
        plan: BuildPlan,
        jobs_count: int,
        on_result: Callable[[BriefResult], None] | None = None,
        on_progress: ProgressFn | None = None,
    ) -> BuildReport:
        """Carry out ``plan`` with up to ``jobs_count`` workers: remove, render, write,
        record, index; save the state (also when interrupted)."""
        report = BuildReport()
        try:
            self._run(plan, max(1, jobs_count), report, on_result, on_progress)
        except BaseException:
            self._save_quietly()
            raise
        self.save()
        report.results.sort(key=lambda r: r.brief_id)
        return report

    def _run(
        self,
        plan: BuildPlan,
        jobs_count: int,
        report: BuildReport,
        on_result: Callable[[BriefResult], None] | None,
        on_progress: ProgressFn | None,
    ) -> None:
        self._record_shard(plan)
        if plan.work or plan.removals:
            # Fail before any rendering, not after the first briefing, on a read-only folder.
            check_writable(self.settings.output_dir)
        for removal in plan.removals:
            report.results.append(self._remove(removal))
            if on_result:
                on_result(report.results[-1])
        shown = self.settings.display(self.settings.briefs_dir)
        report.results += [BriefResult(b, f"{shown}/{b}.yaml", "up-to-date") for b in plan.fresh]
        ordered = InOrder([w.brief_id for w in plan.work], on_result)
        progress = Progress(len(plan.work), on_progress)

        def finished(item: FinishedBrief) -> None:
            result = self._finish(item)
            report.results.append(result)
            ordered.add(result)
            progress.step()

        with contextlib.ExitStack() as stack:
            pipeline = None
            if plan.work:
                per_brief = 2 if any("pdf" in w.targets for w in plan.work) else 1
                pipeline = self._pipeline(stack, min(jobs_count, len(plan.work) * per_brief))
                snapshot_templates(self.settings, self.inputs)
                pipeline.run(plan.work, finished, progress.tick)
            if self.request.shard is None:
                # A shard's folder holds a share: `brief merge` writes the one index.
                self._refresh_index(stack, pipeline, progress.tick)
            for note in sorted(pipeline.notes if pipeline else ()):
                log.warning("%s", note)

    def _pipeline(self, stack: contextlib.ExitStack, size: int) -> Pipeline:
        """A pipeline over a new pool of ``size`` workers, closed with ``stack``."""
        # Imported only when there is work: a build with nothing to do never needs them.
        from generator.builder.pipeline import Pipeline
        from generator.builder.workers import Limits, Pool
        from generator.locks import output_lock

        limits = Limits(self.settings.render_seconds, self.settings.render_memory)
        lock = str(output_lock(self.settings).resolve())
        pool = stack.enter_context(Pool(size, limits, release=(lock,)))
        return Pipeline(
            pool,
            self.settings,
            self.today,
            self.request.template,
            self.request.strict,
            self.request.pdf_variant,
            describe=partial(describe_outcome, self.settings),
            brand=self.inputs.brand(),
        )

    def _finish(self, item: FinishedBrief) -> BriefResult:
        """Write and record a finished briefing's outputs; its result."""
        work = item.work
        for line in item.log.splitlines():
            if line.strip():
                log.warning("%s: %s", work.display, line.rstrip())
        result = partial(BriefResult, work.brief_id, work.display, reasons=work.reasons)
        if item.failed or item.prepared is None:
            return result("failed", item.diagnostics, error=item.error)
        record: BriefRecord = self.state.briefs.get(work.brief_id) or {
            "targets": {},
            "index": {},
            "warnings": 0,
        }
        from generator.builder.leaks import external_leaks  # only a build with work needs it

        sha = item.prepared.sheet_sha
        files = self._files(item)
        shown = self.settings.display(self.settings.output_dir)
        leaks = external_leaks(item.prepared.guard, shown, work.brief_id, files)
        if leaks:
            return result(
                "failed", (*item.diagnostics, *leaks), error=self._unpublish(work, record)
            )
        written = [self._write(work, key, data, deps, record, sha) for key, data, deps in files]
        # The editions of another shape (the sheet gained or lost internal content) go.
        formats = [*work.targets, *([INTERMEDIATE] if item.printed is not None else [])]
        for key in [k for fmt in formats for k in keys_of(record["targets"], fmt)]:
            if f"{work.brief_id}.{key}" not in written:
                self._drop_output(work.brief_id, key, record)
        record["index"] = item.prepared.index
        record["warnings"] = sum(not d.is_error for d in item.diagnostics)
        self.state.briefs[work.brief_id] = record
        self._changed = True
        self._save_now_and_then()
        return result("built", item.diagnostics, tuple(written))

    def _unpublish(self, work: Work, record: BriefRecord) -> str:
        """A leak: nothing of this render is written, like any failed briefing, and an
        earlier external edition goes. Its record stays (dropped from a copy): the next
        build finds its files missing and renders the briefing again."""
        for key in [k for k in record["targets"] if split_key(k)[0] == "external"]:
            self._drop_output(work.brief_id, key, {**record, "targets": dict(record["targets"])})
        return "internal text in the external edition: nothing of it was written"

    def _write(
        self,
        work: Work,
        fmt: str,
        data: bytes,
        deps: dict[str, str],
        record: BriefRecord,
        sheet_sha: str,
    ) -> str:
        """Write one output (``fmt`` a target key) atomically, then record what it was
        built from; its name."""
        name = f"{work.brief_id}.{fmt}"
        write_atomic(output_path(self.settings.output_dir, name), data)
        sha = sha256_bytes(data)
        self.outputs.note_written(name, sha)
        record["targets"][fmt] = {
            # The bytes the worker rendered, not those hashed when planning: a sheet
            # saved in between must not pass for what this output shows.
            "sheet": sheet_sha or work.sheet_sha or "",
            "deps": self.state.intern_deps(deps),
            "options": self.request.options(split_key(fmt)[1]),
            "generator": __version__,
            "output": sha,
        }
        return name

    def _files(self, item: FinishedBrief) -> list[tuple[str, bytes, dict[str, str]]]:
        """(format, bytes, dependencies) of each output of a finished briefing."""
        prepared, printed = item.prepared, item.printed
        assert prepared is not None
        files = []
        extra = prepared.inputs
        # Only a briefing with charts depends on matplotlib: no other is rebuilt for it.
        tool = prepared.chart_tool
        charts = {CHART_TOOL: self._tool_sha("matplotlib", tool)} if tool else {}
        for key, html in prepared.html.items():
            files.append((key, html, self._deps(prepared.used["html"], extra) | charts))
        for key, docx in prepared.docx.items():
            deps = self._deps(prepared.used["docx"], extra, DOCX_PARTS)
            deps[PYTHON_DOCX] = self._tool_sha("python-docx", prepared.docx_tool)
            files.append((key, docx, deps))
        if printed is not None:
            deps = self._deps(prepared.used["pdf"] + printed.files_read, extra) | charts
            deps[WEASYPRINT] = self._tool_sha("weasyprint", printed.tool_file)
            base = intermediate_base(self.settings)
            for edition, pdf in printed.pdfs.items():
                files.append((target_key(edition, "pdf"), pdf, deps))
                if self.request.keeps_intermediate:
                    kept = with_base(prepared.printable[edition], base)
                    used = self._deps(prepared.used["pdf"], extra) | charts
                    files.append((target_key(edition, INTERMEDIATE), kept, used))
        return files

    def _drop_output(self, brief_id: str, key: str, record: BriefRecord) -> None:
        """An output this render no longer makes: the kept HTML of a PDF printed anew
        without ``--keep-intermediate`` (it no longer shows what was laid out), an edition
        of another shape. It goes, unless someone edited it."""
        target = record["targets"].pop(key, None)
        if target is None:
            return
        name = f"{brief_id}.{key}"
        if self.outputs.sha(name) == target["output"]:
            path = output_path(self.settings.output_dir, name)
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot remove {path}: {exc.strerror}") from None
        elif self.outputs.exists(name):
            log.warning(
                "kept %s/%s: it changed since brief wrote it, and no longer matches the build",
                self.settings.display(self.settings.output_dir),
                name,
            )
        self.outputs.forget(name)

    def _record_shard(self, plan: BuildPlan) -> None:
        """Write into the state which shard this folder holds, or that it holds no shard."""
        shard, request = self.request.shard, self.request
        record: ShardRecord | None = None
        if shard is not None:
            record = {
                "index": shard.index,
                "count": shard.count,
                "ids": sorted([w.brief_id for w in plan.work] + plan.fresh),
                "whole": not request.ids,
                "request": request.outputs(),
                "generator": __version__,
                "base": intermediate_base(self.settings),
            }
        if self.state.shard != record:
            self.state.shard = dict(record) if record is not None else None
            self._changed = True

    def _deps(
        self,
        names: tuple[str, ...],
        extra: tuple[str, ...] = (),
        parts: tuple[str, ...] = BRIEFING_PARTS,
    ) -> dict[str, str]:
        """The template files ``names`` and the project files ``extra`` with their hashes
        ("" for an absent one, such as an optional ``markings.yaml``), and the brand
        ``parts`` the output shows."""
        keys = [*(template_key(n) for n in names), *extra]
        deps = {key: self.inputs.sha(key) or "" for key in keys}
        return deps | self.inputs.brand_deps(parts)

    def _tool_sha(self, tool: str, path: str) -> str:
        if self.state.tools.get(tool) != path:
            self.state.tools[tool] = path
            self.inputs.forget(f"tool:{tool}")
        return self.inputs.sha(f"tool:{tool}") or ""

    def _remove(self, removal: Removal) -> BriefResult:
        for name in removal.outputs:
            path = output_path(self.settings.output_dir, name)
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot remove {path}: {exc.strerror}") from None
            self.outputs.forget(name)
        del self.state.briefs[removal.brief_id]
        self.inputs.forget(sheet_key(removal.brief_id))
        self._changed = True
        reason = f"{removal.display} deleted"
        return BriefResult(
            removal.brief_id, removal.display, "removed", (), removal.outputs, "", (reason,)
        )

    def _refresh_index(
        self, stack: contextlib.ExitStack, pipeline: Pipeline | None, tick: Callable[[], None]
    ) -> None:
        """Render and write the tracker (``index.html``, ``portfolio.pdf``) if it is stale."""
        from generator.builder import tracker

        entries = index_entries(self.state, self.outputs)
        key = tracker.entries_key(entries)
        if not self.planner.index_reasons(key):
            return
        fx = tracker.load_fx(self.settings)
        job = tracker.tracker_job(self.settings, entries, self.inputs.brand(), fx)
        if pipeline is None:
            pipeline = self._pipeline(stack, 1)
        outcome = pipeline.run_one(tracker.render_index, job, tick)
        if outcome.kind != "ok":
            why = describe_outcome(self.settings, outcome, "rendering")
            raise GeneratorError(f"cannot render {INDEX_NAME}: {why}")
        snapshot_templates(self.settings, self.inputs)
        probes = (self.outputs, self.inputs)
        self.state.index = tracker.write_tracker(
            self.settings, self.state, probes, outcome.value, key
        )
        self._changed = True

    @staticmethod
    def _entries_key(entries: list[dict[str, object]]) -> str:
        from generator.builder.tracker import entries_key

        return entries_key(entries)

    def _save_now_and_then(self) -> None:
        if time.monotonic() - self._saved_at >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        """Write the state file if anything changed."""
        if self._changed or self.inputs.dirty or self.outputs.dirty:
            save_state(self.settings.output_dir, self.state)
            self._changed = self.inputs.dirty = self.outputs.dirty = False
        self._saved_at = time.monotonic()

    def _save_quietly(self) -> None:
        """Save on the way out of a failed build; failing to must not hide why it failed."""
        try:
            self.save()
        except OutputError as exc:
            log.error("%s (the previous build state is kept)", exc)
