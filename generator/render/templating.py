"""The project's one Jinja recipe, for every template under ``templates/``.

:func:`make_environment` makes the environment of the briefing, the index page and both
parts of an email alike: one loader rooted at ``templates/`` that records every file it
serves, undefined names are errors, templates are never reloaded behind our back, and
every filter is registered. The only choice is the output: ``html`` escapes every value
whatever the template's file name; ``text`` (an email's plain-text part) escapes nothing
and keeps a template's final line break.

Neither is a sandboxed environment: template sources are project files, written by the
people who run the build, and fact-sheet text only ever reaches a template as a value to
print, never as template source.

A Jinja error becomes a :class:`TemplateError` naming ``templates/<file>:<line>``
(:func:`template_errors`); a stylesheet is read through the loader and syntax-checked
(:func:`read_stylesheet`), so a broken one is an error at its line and column, not a
rule the browser quietly drops.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.bccache
from markupsafe import Markup

from generator.errors import Diagnostic, TemplateError
from generator.render.css_text import css_string, page_counter
from generator.render.i18n import LOCALE_DIR, SOURCE_LANGUAGE, Language, language_for
from generator.render.markdown import render_markdown
from generator.render.metadata import shorten
from generator.render.numbers import format_date, format_number, format_partial_date
from generator.render.stylesheets import check_stylesheet

Output = Literal["html", "text"]


class RecordingLoader(jinja2.FileSystemLoader):
    """A file-system loader that remembers the name of every file it served."""

    def __init__(self, searchpath: Path) -> None:
        super().__init__(str(searchpath))
        self.root = searchpath
        self._used: list[str] = []

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """Load ``template`` as the file-system loader does, and record its name."""
        source = super().get_source(environment, template)
        self.record(template)
        return source

    def record(self, name: str) -> None:
        """Record a file under ``templates/`` read other than as a template (a font)."""
        if name not in self._used:
            self._used.append(name)

    @property
    def used(self) -> tuple[str, ...]:
        """The names served so far, sorted."""
        return tuple(sorted(self._used))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process: a briefing's render makes a new environment
    (its words and recorded files are its own), and compiling the page's some twenty
    templates again cost each render more than a tenth of a small briefing's time.

    Jinja keys an entry by the template's name and file and checks the source's
    checksum on every load, so an edited template is compiled anew; the loader is still
    asked for every source, so :class:`RecordingLoader` records each file as before.
    One cache per output, whose options (escaping, whitespace) change the code."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED: dict[Output, _CompiledTemplates] = {
    "html": _CompiledTemplates(),
    "text": _CompiledTemplates(),
}


def make_environment(
    templates_dir: Path, *, output: Output = "html", language: Language | None = None
) -> jinja2.Environment:
    """The Jinja environment of the project: strict, all filters; escaped for ``html``.

    Its words (``{% trans %}``, ``_()``) and its date filters are in ``language``
    (None: English); the catalog it read is recorded as a template input.
    """
    html = output == "html"
    language = language or language_for(SOURCE_LANGUAGE, templates_dir)
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=RecordingLoader(templates_dir),
        # A callable: select_autoescape() would leave "*.j2" and unknown names unescaped.
        autoescape=_always if html else False,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # In plain text the last line break is content; in HTML it is not, and the
        # briefings have always been written without it.
        keep_trailing_newline=not html,
        bytecode_cache=_COMPILED[output],
    )
    env.filters.update(
        markdown=_markdown_filter,
        markdown_inline=_markdown_inline_filter,
        cite=_cite_filter,
        long_date=functools.partial(long_date, locale=language.locale),
        partial_date=functools.partial(partial_date, locale=language.locale),
        number=functools.partial(format_number, locale=language.locale),
        sentence=sentence,
        css_string=css_string,
        page_counter=page_counter,
        shorten=shorten,
    )
    env.globals["stylesheet"] = functools.partial(stylesheet_text, env)
    env.globals["language"] = language
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    # Recorded even when absent (a fallback): adding the catalog later rebuilds the page.
    recording_loader(env).record(language.catalog or f"{LOCALE_DIR}/{language.tag}.po")
    return env


def recording_loader(env: jinja2.Environment) -> RecordingLoader:
    """The loader of an environment made by :func:`make_environment`."""
    loader = env.loader
    if not isinstance(loader, RecordingLoader):
        raise TypeError("environment was not made by make_environment()")
    return loader


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """``templates/<name>`` rendered with ``context``; a Jinja error is a located
    :class:`TemplateError`."""
    with template_errors(recording_loader(env).root, name):
        return env.get_template(name).render(**context)


def stylesheet_text(env: jinja2.Environment, name: str) -> Markup:
    """The text of ``templates/static/<name>``, read through the loader, safe to inline.

    Templates call it as ``{{ stylesheet("onepager.css") }}`` inside a ``<style>``
    element to add a stylesheet of their own after the shared ones.
    """
    return read_stylesheet(env, f"static/{name}")


def read_stylesheet(env: jinja2.Environment, path: str) -> Markup:
    """The text of ``templates/<path>``, read through the loader so it is recorded.

    Raises :class:`TemplateError` when the file is missing, contains ``</`` or has a
    syntax error (listing every one, the first with its line and column).
    """
    loader = recording_loader(env)
    with template_errors(loader.root, path):
        css, _, _ = loader.get_source(env, path)
        if "</" in css:
            # Inlined CSS must not be able to close its <style> element.
            raise jinja2.TemplateSyntaxError("'</' is not allowed in a stylesheet", 1, path)
    check_stylesheet(css, f"{loader.root.name}/{path}")
    return Markup(css)


def long_date(value: dt.date, locale: str = "en") -> str:
    """``2026-01-20`` in the locale's long form: ``20 January 2026`` (en-GB),
    ``January 20, 2026`` (en), ``2026年1月20日`` (ja); never the host's locale."""
    return format_date(value, locale)


def partial_date(value: str, locale: str = "en") -> str:
    """``2024`` -> ``2024``, ``2024-03`` -> ``March 2024``, ``2024-03-05`` -> ``5 March 2024``."""
    return format_partial_date(value, locale)


def sentence(text: str) -> str:
    """``text`` ending in a full stop unless it already ends in punctuation."""
    return text if text.rstrip().endswith((".", "?", "!", "…")) else f"{text}."


def _always(_name: str | None) -> bool:
    return True


@jinja2.pass_context
def _markdown_filter(context: jinja2.runtime.Context, text: str, heading_level: int = 3) -> Markup:
    numbers = context.get("source_numbers", {})
    language = _language(context)
    return render_markdown(text, numbers, heading_level=heading_level, language=language)


@jinja2.pass_context
def _markdown_inline_filter(context: jinja2.runtime.Context, text: str) -> Markup:
    numbers = context.get("source_numbers", {})
    return render_markdown(text, numbers, inline=True, language=_language(context))


def _language(context: jinja2.runtime.Context) -> str | None:
    """The language whose quotes Markdown gets: the briefing's (``page.lang``), if any."""
    page = context.get("page")
    return getattr(page, "lang", None)


@jinja2.pass_context
def _cite_filter(context: jinja2.runtime.Context, ids: Sequence[str]) -> Markup:
    if not ids:
        return Markup("")
    group = "[" + "; ".join(f"@{source_id}" for source_id in ids) + "]"
    return render_markdown(group, context.get("source_numbers", {}), inline=True)


@contextlib.contextmanager
def template_errors(templates_dir: Path, name: str) -> Iterator[None]:
    """Turn any Jinja error raised inside the block into a located :class:`TemplateError`."""
    try:
        yield
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates_dir, name) from exc
    except RecursionError as exc:
        raise _loop_error(exc, templates_dir, name) from None


def _loop_error(exc: RecursionError, templates_dir: Path, name: str) -> TemplateError:
    """A template that includes or extends itself, directly or through others: named by
    the template file that stands most often in the runaway traceback."""
    root = templates_dir.resolve()
    seen: collections.Counter[tuple[str, int]] = collections.Counter()
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            seen[(path.resolve().relative_to(root).as_posix(), tb.tb_lineno)] += 1
        tb = tb.tb_next
    file, line = seen.most_common(1)[0][0] if seen else (name, None)
    message = "includes or extends itself, directly or through other templates"
    diagnostic = Diagnostic(
        f"{templates_dir.name}/{file}", line, None, "", message, code="template"
    )
    return TemplateError(diagnostic.format(), [diagnostic])


def template_error(exc: jinja2.TemplateError, templates_dir: Path, name: str) -> TemplateError:
    """A :class:`TemplateError` naming ``templates/<file>:<line>`` and what went wrong."""
    file, line = _error_location(exc, templates_dir, name)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found"
    else:
        message = exc.message or type(exc).__name__
    where = f"{templates_dir.name}/{file}"
    diagnostic = Diagnostic(where, line, None, "", message, code="template")
    return TemplateError(diagnostic.format(), [diagnostic])


def _error_location(
    exc: jinja2.TemplateError, templates_dir: Path, name: str
) -> tuple[str, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (exc.name or name), exc.lineno
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    root = templates_dir.resolve()
    location: tuple[str, int | None] | None = None
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename).resolve()
        if path.is_relative_to(root):
            location = (path.relative_to(root).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    if location is not None:
        return location
    if isinstance(exc, jinja2.TemplateNotFound):
        return exc.name or name, None
    return name, None
