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
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.builder.manifest import (
    BriefRecord,
    Probe,
    build_state_path,
    load_state,
    save_state,
    sha256_bytes,
    stable_json,
)
from generator.builder.plan import (
    INDEX_NAME,
    BuildPlan,
    Planner,
    Removal,
    Request,
    Work,
    index_entries,
    sheet_key,
    template_key,
)
from generator.builder.report import BriefResult, BuildReport, InOrder
from generator.errors import GeneratorError, OutputError
from generator.settings import Settings, format_size
from generator.writer import check_writable, output_path, sweep_temporaries, write_atomic

if TYPE_CHECKING:
    from generator.builder.pipeline import FinishedBrief, Pipeline
    from generator.builder.workers import JobOutcome

log = logging.getLogger(__name__)

#: How often the build state is saved while a build runs.
SAVE_EVERY = 2.0
WEASYPRINT = "tool:weasyprint"

ProgressFn = Callable[[int, int], None]


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
        self.inputs = Probe(self._locate_input, self.state.inputs)
        out = f"{output_dir}{os.sep}"
        self.outputs = Probe(lambda name: out + name, self.state.outputs)
        self._root = f"{settings.root}{os.sep}"
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
        progress = _Progress(len(plan.work), on_progress)

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
                self._snapshot_templates()
                pipeline.run(plan.work, finished, progress.tick)
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
            describe=self._describe,
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
        sha = item.prepared.sheet_sha
        files = self._files(item)
        written = [self._write(work, fmt, data, deps, record, sha) for fmt, data, deps in files]
        record["index"] = item.prepared.index
        record["warnings"] = sum(not d.is_error for d in item.diagnostics)
        self.state.briefs[work.brief_id] = record
        self._changed = True
        self._save_now_and_then()
        return result("built", item.diagnostics, tuple(written))

    def _write(
        self,
        work: Work,
        fmt: str,
        data: bytes,
        deps: dict[str, str],
        record: BriefRecord,
        sheet_sha: str,
    ) -> str:
        """Write one output atomically, then record what it was built from; its name."""
        name = f"{work.brief_id}.{fmt}"
        write_atomic(output_path(self.settings.output_dir, name), data)
        sha = sha256_bytes(data)
        self.outputs.note_written(name, sha)
        record["targets"][fmt] = {
            # The bytes the worker rendered, not those hashed when planning: a sheet
            # saved in between must not pass for what this output shows.
            "sheet": sheet_sha or work.sheet_sha or "",
            "deps": self.state.intern_deps(deps),
            "options": self.request.options(fmt),
            "generator": __version__,
            "output": sha,
        }
        return name

    def _files(self, item: FinishedBrief) -> list[tuple[str, bytes, dict[str, str]]]:
        """(format, bytes, dependencies) of each output of a finished briefing."""
        prepared, printed = item.prepared, item.printed
        assert prepared is not None
        files = []
        if prepared.html is not None:
            files.append(("html", prepared.html, self._deps(prepared.used["html"])))
        if printed is not None:
            deps = self._deps(prepared.used["pdf"] + printed.files_read)
            deps[WEASYPRINT] = self._tool_sha("weasyprint", printed.tool_file)
            files.append(("pdf", printed.pdf, deps))
        return files

    def _deps(self, names: tuple[str, ...]) -> dict[str, str]:
        return {template_key(n): self.inputs.sha(template_key(n)) or "" for n in names}

    def _tool_sha(self, tool: str, path: str) -> str:
        if self.state.tools.get(tool) != path:
            self.state.tools[tool] = path
            self.inputs.forget(f"tool:{tool}")
        return self.inputs.sha(f"tool:{tool}") or ""

    def _snapshot_templates(self) -> None:
        """Hash every file under ``templates/`` before any render reads one (see
        :mod:`generator.builder.manifest`: a hash taken before use can only over-rebuild)."""
        root = self.settings.templates_dir
        for folder, _dirs, names in os.walk(root):
            for name in names:
                relative = Path(folder, name).relative_to(root).as_posix()
                self.inputs.sha(template_key(relative))

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
        entries = index_entries(self.state, self.outputs)
        key = self._entries_key(entries)
        if not self.planner.index_reasons(key):
            return
        if pipeline is None:
            pipeline = self._pipeline(stack, 1)
        from generator.builder import jobs

        job = jobs.IndexJob(tuple(entries), self.settings.templates_dir)
        outcome = pipeline.run_one(jobs.render_index, job, tick)
        if outcome.kind != "ok":
            why = self._describe(outcome, "rendering")
            raise GeneratorError(f"cannot render {INDEX_NAME}: {why}")
        rendered: jobs.RenderedIndex = outcome.value
        self._snapshot_templates()
        write_atomic(output_path(self.settings.output_dir, INDEX_NAME), rendered.html)
        sha = sha256_bytes(rendered.html)
        self.outputs.note_written(INDEX_NAME, sha)
        self.state.index = {
            "entries": key,
            "deps": self.state.intern_deps(self._deps(rendered.used)),
            "generator": __version__,
            "output": sha,
        }
        self._changed = True

    @staticmethod
    def _entries_key(entries: list[dict[str, object]]) -> str:
        return sha256_bytes(stable_json(entries).encode("utf-8"))

    def _describe(self, outcome: JobOutcome, stage: str) -> str:
        limits = self.settings
        if outcome.kind == "failed":
            return outcome.message
        if outcome.kind == "timeout":
            return f"{stage} exceeded the time limit of {limits.render_seconds:g} s"
        memory = format_size(limits.render_memory) if limits.render_memory else "none"
        if outcome.kind == "memory":
            return f"{stage} ran out of memory (limit {memory})"
        if outcome.kind == "crashed":
            said = [line.strip() for line in outcome.log.splitlines() if line.strip()]
            last = f"; it said: {said[-1]}" if said else ""
            return f"{stage} failed: {outcome.message} (memory limit {memory}){last}"
        return f"internal error while {stage}:\n{outcome.message.rstrip()}"

    def _locate_input(self, key: str) -> str | None:
        if key.startswith("tool:"):
            return self.state.tools.get(key.removeprefix("tool:"))
        return self._root + key

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


class _Progress:
    """Counts finished briefings and tells ``on_progress`` (also on every tick)."""

    def __init__(self, total: int, on_progress: ProgressFn | None) -> None:
        self.total, self.done, self.on_progress = total, 0, on_progress

    def step(self) -> None:
        self.done += 1
        self.tick()

    def tick(self) -> None:
        if self.on_progress:
            self.on_progress(self.done, self.total)


def prepare_output_dir(settings: Settings) -> None:
    """Create the output folder and sweep temporaries left by an interrupted build."""
    try:
        settings.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {settings.output_dir}: {exc.strerror}") from None
    sweep_temporaries(settings.output_dir)
