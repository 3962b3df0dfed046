"""The single Markdown recipe of the project, with the citation rule.

Every Markdown field of a fact sheet goes through :func:`render_markdown`, the only
place where Markdown output becomes :class:`markupsafe.Markup`. The recipe is
CommonMark with tables, raw HTML off (it stays visible, escaped), links limited to
``http:``, ``https:``, ``mailto:`` and scheme-less (relative or ``#fragment``) targets,
images shown as their alt text whatever their address (nothing is ever fetched or
embedded), headings demoted below the briefing's own (the field's top heading becomes
h4 unless the caller chooses another level) and tables printed with scoped header cells
in a scrolling region (:mod:`generator.render.md_tables`).

Citations ``[@a]`` and ``[@a; @b]`` become one group of numbered links::

    <span class="cite">[<a href="#source-1">1</a>, <a href="#source-3">3</a>]</span>

``source-N`` is the element id of source number N in the Sources section. Numbers in a
group are sorted and repeats dropped; an id with no number shows as ``?id`` so the
mistake stays visible (the rule checker reports it). Numbers come in through
``env["source_numbers"]``; the ids cited come out in ``env["cited_ids"]``.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as image_rule
from markdown_it.token import Token
from markupsafe import Markup

from generator.factsheet import CITATION_RE, parse_group
from generator.render.md_tables import table_plugin
from generator.render.typography import enable_typographer

#: Schemes a link may use; a link without a scheme (relative, ``#fragment``) is allowed.
ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
#: Level a ``#`` heading written in a Markdown field becomes when none is given.
DEFAULT_HEADING_LEVEL = 4

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL and controls or spaces around it,
# so ``java\tscript:`` must be judged as ``javascript:``.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
# A dropped citation must not leave "claim ." behind.
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
# Enough rounds of entity and percent decoding to see through double encoding.
_DECODE_ROUNDS = 3


def is_safe_link(url: str) -> bool:
    """True if ``url`` may become an ``href``: an allowed scheme, or no scheme at all.

    The scheme is judged after removing what browsers ignore and after decoding
    entities and percent escapes (repeatedly), so no spelling of ``javascript:``,
    ``vbscript:``, ``file:`` or ``data:`` gets through.
    """
    candidate = url
    for _ in range(_DECODE_ROUNDS):
        match = _SCHEME.match(_IGNORED_IN_URL.sub("", candidate).lower())
        if match and match.group(1) not in ALLOWED_SCHEMES:
            return False
        decoded = html.unescape(unquote(candidate))
        if decoded == candidate:
            break
        candidate = decoded
    return True


def citation_plugin(md: MarkdownIt) -> None:
    """Recognise ``[@a]`` / ``[@a; @b]`` as citation groups and render them as links.

    The inline rule runs before the link rule so a group is never read as a link
    label; a group may span lines because the paragraph's inline text keeps them.
    """
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    # Validation mode only serves link-label scanning, which refuses any token that
    # starts with "[" as a nested link; read as plain brackets, a group balances and
    # ``[text [@a]](url)`` stays a link.
    if silent or state.src[state.pos] != "[":
        return False
    match = CITATION_RE.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    ids = parse_group(match.group(1))
    token = state.push("citation", "", 0)
    token.content = match.group(0)
    # A citation inside link text must not open a second, nested link.
    token.meta = {"ids": ids, "linked": state.linkLevel == 0}
    state.env.setdefault("cited_ids", []).extend(ids)
    state.pos = match.end()
    return True


def _render_citation(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    token = tokens[idx]
    return citation_html(token.meta["ids"], env.get("source_numbers", {}), token.meta["linked"])


def citation_html(ids: Sequence[str], numbers: Mapping[str, int], linked: bool = True) -> str:
    """The HTML of one citation group (a plain string; callers decide when it is safe)."""
    known = sorted({numbers[i] for i in ids if i in numbers})
    unknown = list(dict.fromkeys(i for i in ids if i not in numbers))
    parts = [f'<a href="#source-{n}">{n}</a>' if linked else str(n) for n in known]
    parts += [f'<span class="cite-unknown">?{escapeHtml(i)}</span>' for i in unknown]
    return '<span class="cite">[' + ", ".join(parts) + "]</span>"


def demote_headings_plugin(md: MarkdownIt) -> None:
    """Shift headings below the briefing's own, keeping their order.

    The field's top heading becomes ``env["heading_level"]`` (so ``#`` -> h4 by
    default, and a field that starts at ``##`` does not skip a level); deeper ones
    follow, capped at h6.
    """
    md.core.ruler.push("demote_headings", _demote_headings)


def _demote_headings(state: StateCore) -> None:
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    top = min(int(t.tag[1:]) for t in headings)
    shift = state.env.get("heading_level", DEFAULT_HEADING_LEVEL) - top
    for token in headings:
        token.tag = f"h{min(6, int(token.tag[1:]) + shift)}"


def cjk_line_breaks_plugin(md: MarkdownIt) -> None:
    """Drop a line break of the source between two Chinese or Japanese characters.

    A Markdown line break prints as a space, and Chinese and Japanese put no space
    between words: ``计划\n成为`` must read ``计划成为``, not ``计划 成为``. Korean keeps
    it (Hangul words are spaced), as does any break beside other text.
    """
    md.core.ruler.push("cjk_line_breaks", _cjk_line_breaks)


def _cjk_line_breaks(state: StateCore) -> None:
    from generator.render.script_marks import is_unspaced

    for block in state.tokens:
        children = block.children or []
        for index, token in enumerate(children):
            if token.type != "softbreak" or not 0 < index < len(children) - 1:
                continue
            before, after = children[index - 1].content, children[index + 1].content
            texts = children[index - 1].type == children[index + 1].type == "text"
            if texts and before and after and is_unspaced(before[-1]) and is_unspaced(after[0]):
                token.type, token.tag, token.content = "text", "", ""


def _image_rule(state: StateInline, silent: bool) -> bool:
    # An image is only ever shown as its alt text, so its address is never used, fetched
    # or printed: any address is accepted here, so that an image pointing at a refused
    # scheme (file:, data:, javascript:) shows its alt text rather than raw Markdown.
    md = state.md
    check = md.validateLink
    md.validateLink = _any_address  # type: ignore[method-assign]
    try:
        found = image_rule(state, silent)
    finally:
        md.validateLink = check  # type: ignore[method-assign]
    if found and not silent:
        state.tokens[-1].attrs["src"] = ""
    return found


def _any_address(url: str) -> bool:
    return True


def _render_image_as_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping
) -> str:
    return escapeHtml(self.renderInlineAsText(tokens[idx].children, options, env))


def make_markdown(language: str | None = None) -> MarkdownIt:
    """Build the project's Markdown parser: the one recipe, configured explicitly.

    With a ``language``, straight quotes become that language's typographic quotes
    (:mod:`generator.render.typography`); without, text is kept as written.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    if language is not None:
        enable_typographer(md, language)
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    md.inline.ruler.at("image", _image_rule)
    md.add_render_rule("image", _render_image_as_text)
    md = md.use(citation_plugin).use(demote_headings_plugin).use(cjk_line_breaks_plugin)
    return md.use(table_plugin)


@functools.lru_cache(maxsize=64)
def _shared_markdown(language: str | None) -> MarkdownIt:
    """The recipe's parser for ``language``, made once: a briefing renders hundreds of
    fields, and a parser costs more to make than most fields to render. Only callers
    that never change it share it (an email's adds rules of its own to a fresh one)."""
    return make_markdown(language)


def render_markdown(
    text: str,
    numbers: Mapping[str, int],
    *,
    inline: bool = False,
    heading_level: int = DEFAULT_HEADING_LEVEL,
    language: str | None = None,
) -> Markup:
    """Render a Markdown field to safe HTML, citations numbered from ``numbers``.

    ``inline`` renders a single paragraph without the ``<p>`` wrapper (table cells);
    ``heading_level`` is the level a ``#`` heading in ``text`` becomes; ``language``
    chooses the typographic quotes (None: quotes stay as written).
    """
    env: dict[str, Any] = {"source_numbers": numbers, "heading_level": heading_level}
    md = _shared_markdown(language)
    rendered = md.renderInline(text, env) if inline else md.render(text, env)
    return Markup(rendered)


def plain_text(text: str) -> str:
    """The words of a Markdown field without markup or citations, on one line."""
    words: list[str] = []
    for block in _shared_markdown(None).parse(text, {}):
        for token in block.children or []:
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
        words.append(" ")
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join("".join(words).split()))
