"""What a build has to do, and why: the stale targets, the deleted fact sheets, the index.

A *target* is one briefing in one format (``x.html``, ``x.pdf``, ``x.docx``). It is stale when
something it was built from is no longer what the build state recorded, and each such
difference is a reason worded for people: ``briefs/x.yaml changed``,
``templates/partials/brief/challenges.html changed``, ``output missing``,
``generator upgraded (0.1.0 -> 0.2.0)``, ``new``. Planning only reads file stats and, for
files whose stat changed, their bytes: no fact sheet is parsed and no template is loaded,
so a build with nothing to do is over in milliseconds.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.builder.editions import EDITIONS, keys_of, split_key
from generator.builder.manifest import BriefRecord, Probe, State, stable_json
from generator.builder.shards import Shard
from generator.factsheet import outside_sheets, pick, scan_sheets
from generator.settings import DEFAULT_PDF_VARIANT, Settings

#: Every format a build can write.
FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
#: What a build writes unless told (``--formats``): a DOCX only for those who ask for one.
DEFAULT_FORMATS: tuple[str, ...] = ("html", "pdf")
#: The formats the index page links to (its template knows of these two).
INDEXED_FORMATS: tuple[str, ...] = ("html", "pdf")
INDEX_NAME = "index.html"
#: The tracker's PDF, written with ``index.html``; its rates file, an input of both only.
PORTFOLIO_PDF, PORTFOLIO_KEY = "portfolio.pdf", "portfolio.yaml"
#: The kept intermediate (``--keep-intermediate``): the HTML WeasyPrint laid out for the
#: PDF, ``<id>.print.html``. Recorded as a target of its own, never a format one asks for.
INTERMEDIATE = "print.html"
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
#: Tools whose files are dependencies, and the names reasons give them.
TOOLS = {
    "tool:weasyprint": "WeasyPrint",
    "tool:python-docx": "python-docx",
    "tool:matplotlib": "matplotlib",
}
#: The house style's file at the project root, and the prefix of the input keys of its
#: parts (``brand:colophon``; see :mod:`generator.builder.inputs`).
BRAND_KEY = "brand.yaml"
BRAND_PREFIX = "brand:"
#: The parts of brand.yaml a briefing (HTML, PDF, either template) shows: all of them.
BRIEFING_PARTS: tuple[str, ...] = (
    "organisation",
    "logo",
    "contact",
    "palette",
    "fonts",
    "document_number",
    "citation",
    "colophon",
)
#: The parts a DOCX shows: its words and a PNG logo. Its colours, fonts and page furniture
#: are the reference document's (templates/reference.docx is Word's own house-style file).
DOCX_PARTS: tuple[str, ...] = (
    "organisation",
    "logo",
    "contact",
    "document_number",
    "citation",
    "colophon",
)
#: The parts the index page shows: no document number, citation or colophon.
INDEX_PARTS: tuple[str, ...] = ("organisation", "logo", "contact", "palette", "fonts")


@dataclass(frozen=True)
class Request:
    """What the user asked for: which briefs, which formats, with which options."""

    ids: tuple[str, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS
    template: str | None = None
    force: bool = False
    strict: bool = False
    pdf_variant: str = DEFAULT_PDF_VARIANT
    keep_intermediate: bool = False
    shard: Shard | None = None

    @property
    def keeps_intermediate(self) -> bool:
        """Whether this build writes ``<id>.print.html`` (it needs a PDF to print)."""
        return self.keep_intermediate and "pdf" in self.formats

    def options(self, fmt: str) -> str:
        """The options that change what a render in ``fmt`` produces, as canonical JSON."""
        if fmt == "pdf":
            return stable_json({"template": self.template, "pdf_variant": self.pdf_variant})
        if fmt == "docx":
            # A DOCX is always the full briefing: no page template, no option, applies.
            return stable_json({})
        return stable_json({"template": self.template})

    def outputs(self) -> dict[str, object]:
        """What every shard of one merge must have been asked for alike: the formats, the
        options that change their bytes and whether the intermediate is kept."""
        return {
            "formats": list(self.formats),
            "options": {fmt: self.options(fmt) for fmt in self.formats},
            "keep_intermediate": self.keeps_intermediate,
        }


@dataclass(frozen=True)
class Work:
    """A briefing to render: which formats, and why."""

    brief_id: str
    path: Path
    display: str
    sheet_sha: str | None
    targets: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Removal:
    """The outputs of a fact sheet that no longer exists."""

    brief_id: str
    display: str
    outputs: tuple[str, ...]


@dataclass
class BuildPlan:
    """The stale briefings (in id order), the up-to-date ones and the removals."""

    work: list[Work] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)


def intermediate_base(settings: Settings) -> str:
    """The ``<base href>`` of a kept intermediate: ``templates/static/`` relative to the
    output folder (``../templates/static/`` for ``output/``), so that the file lays out as
    the build laid it out, from the project's own stylesheets and fonts, wherever the
    project folder is; a file in a folder moved elsewhere finds them no more."""
    from urllib.parse import quote

    relative = os.path.relpath(settings.templates_dir / "static", settings.output_dir)
    return quote(Path(relative).as_posix(), safe="/") + "/"


def base_element(href: str) -> str:
    """The element a kept intermediate starts its head with."""
    from html import escape

    return f'\n<base href="{escape(href)}">'


def with_base(printable: str, href: str) -> bytes:
    """The HTML the PDF was printed from, with the base URL the print used written into it:
    a relative URL of the page (the fonts) resolves as it did for the PDF."""
    head = _HEAD.search(printable)
    at = head.end() if head else 0
    return (printable[:at] + base_element(href) + printable[at:]).encode("utf-8")


def sheet_key(brief_id: str) -> str:
    """The input key of a fact sheet: ``briefs/<id>.yaml``."""
    return f"briefs/{brief_id}.yaml"


def template_key(name: str) -> str:
    """The input key of a file under ``templates/`` given relative to that folder."""
    return f"templates/{name}"


class Planner:
    """Compares the project with the build state; see the module docstring."""

    def __init__(
        self, settings: Settings, state: State, inputs: Probe, outputs: Probe, request: Request
    ) -> None:
        self.state = state
        self.inputs = inputs
        self.outputs = outputs
        self.request = request
        self.root = settings.root
        self.briefs_dir = settings.briefs_dir
        self.briefs_shown = settings.display(settings.briefs_dir)
        self._outside: dict[str, str] = {}
        self.options = {fmt: request.options(fmt) for fmt in (*FORMATS, INTERMEDIATE)}
        self._deps_memo: dict[str, list[str]] = {}

    def plan(self) -> BuildPlan:
        """The plan of this build."""
        plan = BuildPlan()
        folder = scan_sheets(self.briefs_dir)
        sheets = {} if folder is None else folder.names
        if folder is not None:
            plan.removals = [self._removal(b) for b in sorted(self.state.briefs) if b not in sheets]
            # Resolves only links: a sheet that now leads out of the project is never
            # hashed (nor read), and is stale even if its bytes are those once built.
            self._outside = outside_sheets(folder, self.root)
        for brief_id in self.selected(sheets):
            work = self._work(brief_id, sheets[brief_id])
            if work is None:
                plan.fresh.append(brief_id)
            else:
                plan.work.append(work)
        return plan

    def selected(self, sheets: dict[str, str]) -> list[str]:
        """The ids this build covers, sorted: those asked for, of this shard only."""
        chosen = pick(sheets, self.request.ids, self.briefs_shown)
        shard = self.request.shard
        return shard.share(chosen) if shard is not None else sorted(chosen)

    def index_reasons(self, entries_key: str) -> list[str]:
        """Why ``index.html`` must be written, given the key of its entries ([] if not)."""
        record = self.state.index
        if self.request.force:
            return ["forced"]
        if record is None:
            return ["new"]
        reasons = self._upgraded(record["generator"])
        if record["entries"] != entries_key:
            reasons.append("briefings changed")
        reasons += self.deps_changed(record["deps"], INDEX_PARTS)
        if reasons:
            return reasons
        pdf = [f"{PORTFOLIO_PDF}: {r}" for r in self._output_reasons(PORTFOLIO_PDF, record["pdf"])]
        return self._output_reasons(INDEX_NAME, record["output"]) + pdf

    def deps_changed(self, depset_id: str, parts: tuple[str, ...] = BRIEFING_PARTS) -> list[str]:
        """Reasons for every file of a recorded dependency set that is not as it was."""
        memo = f"{depset_id} {parts == INDEX_PARTS}"
        if memo not in self._deps_memo:
            pairs = with_brand(self.state.depsets[depset_id], parts)
            self._deps_memo[memo] = list(self._compare(pairs))
        return self._deps_memo[memo]

    def _compare(self, pairs: list[list[str]]) -> Iterator[str]:
        for key, recorded in pairs:
            current = self.inputs.sha(key)
            # "" records a file that was absent (an optional markings.yaml): still absent
            # is unchanged.
            if current != recorded and not (current is None and recorded == ""):
                yield f"{shown_key(key)} {'changed' if current else 'removed'}"

    def _work(self, brief_id: str, name: str) -> Work | None:
        """The briefing's stale targets and why; None when it is up to date."""
        display = f"{self.briefs_shown}/{name}"
        path = self.briefs_dir / name
        if brief_id in self._outside:
            # Its build fails, reading nothing, with the sheet's located error.
            reason = f"{display} {self._outside[brief_id]}"
            return Work(brief_id, path, display, None, self.request.formats, (reason,))
        sheet_sha = self.inputs.sha(sheet_key(brief_id))
        record = self.state.briefs.get(brief_id)
        targets: list[str] = []
        reasons: dict[str, None] = {}
        for fmt in self.request.formats:
            found = self._format_reasons(brief_id, display, sheet_sha, record, fmt)
            if found:
                targets.append(fmt)
                reasons.update(dict.fromkeys(found))
        if self.request.keeps_intermediate and "pdf" not in targets:
            # The kept HTML comes from the PDF's render: a missing one reprints the PDF.
            found = self._format_reasons(brief_id, display, sheet_sha, record, INTERMEDIATE)
            if found:
                targets.append("pdf")
                reasons.update(dict.fromkeys(f"{INTERMEDIATE}: {r}" for r in found))
        if not targets:
            return None
        return Work(brief_id, path, display, sheet_sha, tuple(targets), tuple(reasons))

    def _format_reasons(
        self,
        brief_id: str,
        display: str,
        sheet_sha: str | None,
        record: BriefRecord | None,
        fmt: str,
    ) -> list[str]:
        """Why ``fmt`` is stale: any of its recorded editions' reasons; an output's own
        named by file when the sheet has two editions (``x.internal.pdf: output missing``)."""
        keys = keys_of(record["targets"], fmt) if record else []
        if len(keys) < 2:
            return self._target_reasons(brief_id, display, sheet_sha, record, keys or [fmt])
        found: dict[str, None] = {}
        for key in keys:
            for reason in self._target_reasons(brief_id, display, sheet_sha, record, [key]):
                own = reason.startswith("output ")
                found[f"{brief_id}.{key}: {reason}" if own else reason] = None
        return list(found)

    def _target_reasons(
        self,
        brief_id: str,
        display: str,
        sheet_sha: str | None,
        record: BriefRecord | None,
        keys: list[str],
    ) -> list[str]:
        if self.request.force:
            return ["forced"]
        key = keys[0]
        fmt = split_key(key)[1]
        target = record["targets"].get(key) if record else None
        if record is None or target is None:
            return ["new"]
        reasons = self._upgraded(target["generator"])
        if target["options"] != self.options[fmt]:
            changed = _changed_options(target["options"], self.options[fmt])
            reasons.append(f"options changed ({changed})")
        if sheet_sha is None:
            reasons.append(f"{display} cannot be read")
        elif target["sheet"] != sheet_sha:
            reasons.append(f"{display} changed")
        reasons += self.deps_changed(target["deps"])
        if self.request.strict and record["warnings"]:
            reasons.append("has warnings (--strict)")
        return reasons or self._output_reasons(f"{brief_id}.{key}", target["output"])

    def _upgraded(self, recorded: str) -> list[str]:
        if recorded == __version__:
            return []
        return [f"generator upgraded ({recorded} -> {__version__})"]

    def _output_reasons(self, name: str, recorded: str) -> list[str]:
        current = self.outputs.sha(name)
        if current is None:
            return ["output missing"]
        return [] if current == recorded else ["output changed since it was built"]

    def _removal(self, brief_id: str) -> Removal:
        names = [f"{brief_id}.{fmt}" for fmt in self.state.briefs[brief_id]["targets"]]
        present = tuple(name for name in names if self.outputs.exists(name))
        return Removal(brief_id, f"{self.briefs_shown}/{brief_id}.yaml", present)


def index_entries(state: State, outputs: Probe) -> list[dict[str, object]]:
    """The tracker's entries: every recorded briefing with an output, in id order, with
    the facts its record keeps (:func:`generator.builder.tracker.tracker_facts`)."""
    entries: list[dict[str, object]] = []
    for brief_id in sorted(state.briefs):
        record = state.briefs[brief_id]
        present = {
            fmt: fmt in record["targets"] and outputs.exists(f"{brief_id}.{fmt}")
            for fmt in INDEXED_FORMATS
        }
        editions = {
            edition: {
                fmt: _present(outputs, brief_id, record, f"{edition}.{fmt}")
                for fmt in INDEXED_FORMATS
            }
            for edition in EDITIONS
        }
        if any(present.values()):
            entries.append({**record["index"], "id": brief_id, **present})
        elif any(any(files.values()) for files in editions.values()):
            # A sheet with internal content: both editions listed (and only then the key,
            # so the entries of other sheets, and their hash, are what they were).
            entries.append({**record["index"], "id": brief_id, **present, "editions": editions})
    return entries


def with_brand(pairs: list[list[str]], parts: tuple[str, ...]) -> list[list[str]]:
    """A recorded dependency set, with today's look standing for the brand ``parts`` of
    one recorded before brand.yaml existed: a brand set since then rebuilds it."""
    if any(key.startswith(BRAND_PREFIX) for key, _ in pairs):
        return pairs
    from generator.config import Brand  # brand_values.py: plain values, no pydantic

    prints = Brand().fingerprints()
    return [*pairs, *([BRAND_PREFIX + part, prints[part]] for part in parts)]


def shown_key(key: str) -> str:
    """An input key as reasons name it: ``WeasyPrint``, ``brand.yaml (document number)``."""
    if key.startswith(BRAND_PREFIX):
        return f"{BRAND_KEY} ({key.removeprefix(BRAND_PREFIX).replace('_', ' ')})"
    return TOOLS.get(key, key)


def _present(outputs: Probe, brief_id: str, record: BriefRecord, key: str) -> bool:
    return key in record["targets"] and outputs.exists(f"{brief_id}.{key}")


def _changed_options(recorded: str, current: str) -> str:
    """The options (``--template``, ``--pdf_variant``) whose recorded and current values
    differ, for people."""
    try:
        before, after = json.loads(recorded), json.loads(current)
        names = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
    except (ValueError, TypeError, AttributeError):
        names = []
    return ", ".join(f"--{name.replace('_', '-')}" for name in names) or "options"
