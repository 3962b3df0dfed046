"""Run stale briefings through the worker pool: check and render HTML, then print the PDF.

Each briefing is two jobs: ``prepare`` (load, check, render the HTML) and, when a PDF is
wanted, ``print`` (HTML to PDF). Splitting them lets a second worker load WeasyPrint
while the first is still preparing, so even a single briefing is not slowed by the
import, and keeps PDF jobs on the workers that already have WeasyPrint loaded.

Who gets what, each time a worker is free: a waiting PDF job goes to a worker that has
WeasyPrint loaded, or to any worker when more PDF jobs wait than workers are loading it;
otherwise the next briefing is prepared; otherwise, if PDFs lie ahead and too few
workers have WeasyPrint, the worker loads it (``warm``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.builder import jobs
from generator.builder.plan import Work
from generator.builder.workers import JobOutcome, Pool, Worker
from generator.errors import Diagnostic
from generator.settings import Settings

PDF, STACK = "pdf", "stack"
TICK_SECONDS = 0.2
STAGES = {"prepare": "checking and rendering the HTML", "print": "rendering the PDF"}
STRICT_PAGE_LIMIT = "the PDF does not fit its template (warnings are errors under --strict)"


@dataclass
class FinishedBrief:
    """A briefing whose jobs are over: its HTML and PDF, or why it failed."""

    work: Work
    prepared: jobs.Prepared | None = None
    printed: jobs.Printed | None = None
    error: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    log: str = ""

    @property
    def failed(self) -> bool:
        """Whether the briefing produced no output."""
        return bool(self.error) or self.prepared is None or self.prepared.failed


@dataclass
class Pipeline:
    """The queues of one build; :meth:`run` drives them to the end."""

    pool: Pool
    settings: Settings
    today: dt.date
    template: str | None
    strict: bool
    pdf_variant: str
    describe: Callable[[JobOutcome, str], str]
    notes: set[str] = field(default_factory=set)
    _prepare: deque[Work] = field(default_factory=deque)
    _print: deque[tuple[Work, jobs.Prepared, str]] = field(default_factory=deque)
    _active: int = 0
    _pdf_left: int = 0
    _warm_failed: bool = False
    _retried: set[tuple[str, str]] = field(default_factory=set)

    def run(
        self,
        work: list[Work],
        on_finished: Callable[[FinishedBrief], None],
        on_tick: Callable[[], None],
    ) -> None:
        """Render every briefing of ``work``; ``on_finished`` hears of each as it ends."""
        self._prepare.extend(work)
        self._pdf_left = sum(PDF in w.targets for w in work)
        while self._prepare or self._print or self._active:
            self._assign()
            for outcome in self.pool.wait(TICK_SECONDS):
                finished = self._handle(outcome)
                if finished is not None:
                    self._pdf_left -= PDF in finished.work.targets
                    on_finished(finished)
            on_tick()

    def run_one(
        self, fn: Callable[[Any], Any], arg: Any, on_tick: Callable[[], None]
    ) -> JobOutcome:
        """Run one more job (the index page) on a free worker and wait for its outcome."""
        ticket = ("single", None)
        while True:
            idle = sorted(self.pool.idle(), key=lambda w: STACK not in w.tags)
            if idle and ticket[1] is None:
                ticket = ("single", object())
                self.pool.submit(idle[0], ticket, fn, arg, STACK)
            for outcome in self.pool.wait(TICK_SECONDS):
                if outcome.ticket is ticket:
                    return outcome
            on_tick()

    def _assign(self) -> None:
        for worker in sorted(self.pool.idle(), key=lambda w: PDF not in w.tags):
            if self._print and (PDF in worker.tags or len(self._print) > self._warming()):
                work, prepared, log = self._print.popleft()
                job = jobs.PrintJob(
                    tuple(prepared.printable.items()),
                    self.settings.templates_dir,
                    self.pdf_variant,
                    work.display,
                    prepared.template,
                    prepared.page_limit,
                )
                self._submit(worker, ("print", work, prepared, log), jobs.print_pdf, job, PDF)
            elif self._prepare:
                work = self._prepare.popleft()
                job = jobs.PrepareJob(
                    self.settings, work.path, work.targets, self.template, self.today, self.strict
                )
                self._submit(worker, ("prepare", work, None, ""), jobs.prepare_briefing, job, STACK)
            elif self._should_warm(worker):
                self.pool.submit(worker, ("warm", None, None, ""), jobs.warm_pdf, None, PDF)

    def _submit(self, worker: Worker, ticket: tuple, fn: Callable, job: object, tag: str) -> None:
        self._active += 1
        self.pool.submit(worker, ticket, fn, job, tag)

    def _warming(self) -> int:
        return sum(1 for w in self.pool.busy() if w.tag == PDF and PDF not in w.tags)

    def _should_warm(self, worker: Worker) -> bool:
        if PDF in worker.tags or self._warm_failed:
            return False
        ready = sum(1 for w in self.pool.workers if PDF in w.tags or (w.tag == PDF and w.busy))
        return ready < min(len(self.pool.workers), self._pdf_left)

    def _handle(self, outcome: JobOutcome) -> FinishedBrief | None:
        stage, work, prepared, log = outcome.ticket
        log += outcome.log
        if stage == "warm":
            if outcome.kind == "ok":
                self.notes.update(outcome.value)
            else:
                self._warm_failed = True
            return None
        self._active -= 1
        if outcome.kind == "crashed" and (stage, work.brief_id) not in self._retried:
            # A worker can die of what is not the briefing's fault (a thread it could not
            # start while the machine was short of memory): one more try, on a new worker.
            self._retried.add((stage, work.brief_id))
            if stage == "print":
                self._print.appendleft((work, prepared, log))
            else:
                self._prepare.appendleft(work)
            return None
        if outcome.kind != "ok":
            # The error's own diagnostics are already worded in its message.
            diagnostics = prepared.diagnostics if prepared is not None else ()
            error = self.describe(outcome, STAGES[stage])
            return FinishedBrief(work, prepared, None, error, diagnostics)
        if stage == "print":
            printed: jobs.Printed = outcome.value
            self.notes.update(printed.notes)
            found = prepared.diagnostics + printed.diagnostics
            if self.strict and printed.diagnostics:
                return FinishedBrief(work, prepared, None, STRICT_PAGE_LIMIT, found, log)
            return FinishedBrief(work, prepared, printed, "", found, log)
        ready: jobs.Prepared = outcome.value
        if ready.failed or PDF not in work.targets:
            return FinishedBrief(work, ready, None, "", ready.diagnostics, log)
        self._print.append((work, ready, log))
        return None
