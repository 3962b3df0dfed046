"""A syntax check of the stylesheets under ``templates/static/``.

Browsers and WeasyPrint skip CSS they cannot parse and carry on, so a stray brace or a
missing colon would silently drop part of the layout from every briefing. The check
finds such mistakes before anything is rendered, each with its line and column: rules
without their ``{ }`` block, declarations that are not ``property: value``, strings and
``url()`` cut short, brackets and comments never closed. Whether a property or value is
known is WeasyPrint's business, not this check's.

Every stylesheet goes through :func:`check_stylesheet`: the briefing's under
``templates/static/`` and the email's ``templates/email/email.css`` alike (a mail client
drops a broken rule just as silently).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import tinycss2

from generator.errors import Diagnostic, TemplateError

#: At-rules whose block holds rules; the others (``@page``, ``@font-face``, margin boxes)
#: hold declarations.
RULE_BLOCKS = frozenset({"media", "supports", "layer", "container", "document"})
_ERROR_TOKENS = {
    "bad-string": "a string is not closed on its line",
    "bad-url": "a url( ) is malformed",
    ")": "an unmatched ')'",
    "]": "an unmatched ']'",
    "}": "an unmatched '}'",
}
_STRINGS_AND_COMMENTS = re.compile(r"/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)


@dataclass(frozen=True, order=True)
class CssProblem:
    """A syntax error in a stylesheet, 1-based."""

    line: int
    col: int
    message: str


def check_css(css: str) -> list[CssProblem]:
    """Every syntax error found in ``css``, in order."""
    return list(_problems(css))


@functools.lru_cache(maxsize=64)
def _problems(css: str) -> tuple[CssProblem, ...]:
    # By the text itself: every render reads the same few stylesheets, and parsing them
    # all again cost each render of a small briefing some 10 ms.
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    problems = list(_in_rules(rules))
    problems += _unclosed(css)
    return tuple(sorted(set(problems)))


def check_stylesheet(css: str, shown: str) -> None:
    """Raise :class:`TemplateError` listing every syntax error of ``css``, the file shown
    as ``shown`` (``templates/static/print.css``); the message names the first one."""
    problems = check_css(css)
    if not problems:
        return
    diagnostics = [
        Diagnostic(shown, p.line, p.col, "", f"CSS syntax error: {p.message}", code="stylesheet")
        for p in problems
    ]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise TemplateError(diagnostics[0].format() + more, diagnostics)


def _in_rules(rules: Sequence[Any]) -> Iterator[CssProblem]:
    for rule in rules:
        if rule.type == "error":
            yield _problem(rule, "a rule without its { } block")
        elif rule.type == "qualified-rule":
            yield from _in_declarations(rule.content)
        elif rule.type == "at-rule" and rule.content is not None:
            if rule.lower_at_keyword in RULE_BLOCKS:
                yield from _in_rules(tinycss2.parse_rule_list(rule.content, True, True))
            else:
                yield from _in_declarations(rule.content)


def _in_declarations(content: Sequence[Any]) -> Iterator[CssProblem]:
    for item in tinycss2.parse_declaration_list(content, True, True):
        if item.type == "error":
            yield _problem(item, "a declaration is not of the form 'property: value'")
        elif item.type == "declaration":
            yield from _in_tokens(item.value)
        elif item.type == "at-rule" and item.content is not None:
            yield from _in_declarations(item.content)


def _in_tokens(tokens: Sequence[Any]) -> Iterator[CssProblem]:
    for token in tokens:
        if token.type == "error":
            yield _problem(token, _ERROR_TOKENS.get(token.kind, f"invalid CSS ({token.kind})"))
        elif token.type in ("() block", "[] block", "function"):
            yield from _in_tokens(token.arguments if token.type == "function" else token.content)


def _unclosed(css: str) -> list[CssProblem]:
    """Blocks and comments never closed: CSS lets the end of the file close them."""
    bare = _STRINGS_AND_COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    problems = []
    comment = bare.find("/*")
    if comment >= 0:
        problems.append(CssProblem(*_position(css, comment), "a comment is never closed"))
    opened: list[int] = []
    for match in re.finditer(r"[{}]", bare):
        if match.group() == "{":
            opened.append(match.start())
        elif opened:
            opened.pop()
    problems += [CssProblem(*_position(css, at), "a '{' is never closed") for at in opened]
    return problems


def _problem(node: Any, message: str) -> CssProblem:
    return CssProblem(node.source_line, node.source_column, message)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
