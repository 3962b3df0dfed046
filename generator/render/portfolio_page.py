"""The portfolio tracker's page parts that are not its view: the charts drawn, the script.

The script (``templates/static/tracker.js``) sorts and filters the table in the browser;
it is read through the template loader, so it is an input of the tracker like a
stylesheet, and inlined with its SHA-256, the one script the page's Content-Security-Policy
allows. Without it the page is the plain table, every row shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.render.templating import recording_loader

#: The policy but its script's hash: the page is one file that fetches nothing.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src"


def tracker_drawings(tracker: Any, templates_dir: Path, shown: Any, target: str) -> dict[str, Any]:
    """The tracker's charts drawn as a briefing's are (none: matplotlib is not loaded)."""
    if not tracker.charts:
        return {}
    from generator.render.charts import draw_charts

    return draw_charts(tracker.charts, templates_dir, shown.palette, target)


def tracker_script(env: jinja2.Environment, name: str) -> TrackerScript:
    """The tracker's script, read through the loader (so it is an input), and its hash."""
    import base64
    import hashlib

    code, _, _ = recording_loader(env).get_source(env, f"static/{name}")
    if "</" in code:
        raise jinja2.TemplateSyntaxError("'</' is not allowed in an inlined script", 1, name)
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    # Markup: the project's own file, checked not to close its <script> element.
    # Markup: fixed words and base64 in quotes, printed as written in the attribute.
    return TrackerScript(Markup(code), Markup(f"{POLICY} 'sha256-{digest}'"))


@dataclass(frozen=True)
class TrackerScript:
    """The inlined script and its CSP source expression."""

    code: Markup
    #: The page's Content-Security-Policy: no request, inline styles and the page's own
    #: images and fonts, and this script alone (its hash last: ``brief serve`` adds its own).
    policy: Markup
