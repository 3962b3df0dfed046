"""Which templates a fact sheet may select: the page templates of the project.

A page template is an ``.html`` file directly in ``templates/``, except the two files
there that the code gives another role: ``base.html``, the layout the pages extend, and
``index.html``, the index page. Partials live in ``templates/partials/`` and the email's
templates in ``templates/email/``, so neither can be chosen by mistake.

The list is read from the folder, not written down, because a project adds a page template
by writing ``templates/<name>.html`` (docs/templates.md) and nothing else; a list in the
code would refuse it. The rule sits here rather than in :mod:`generator.render` because
``brief check`` applies it, and the fact-sheet stage comes before rendering.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

#: Files directly in ``templates/`` that are not pages: the layout and the index page.
NOT_PAGES = frozenset({"base.html", "index.html"})


def page_templates(templates_dir: Path) -> tuple[str, ...] | None:
    """The names of the page templates in ``templates_dir`` (``brief``, ``onepager``),
    sorted; None when there is no such folder, so nothing can be said about a choice."""
    if not templates_dir.is_dir():
        return None
    return tuple(
        sorted(
            path.stem
            for path in templates_dir.glob("*.html")
            if path.name not in NOT_PAGES and path.is_file()
        )
    )


def not_a_page(name: str, choices: Sequence[str]) -> tuple[str, str | None] | None:
    """Why ``name`` cannot be selected, and the nearest page template if one is close;
    None when it is one of ``choices``."""
    if name in choices:
        return None
    if not choices:
        return f"'{name}' is not a page template; templates/ has none", None
    listed = ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]
    close = difflib.get_close_matches(name, choices, n=1)
    return f"'{name}' is not a page template; choose {listed}", close[0] if close else None
