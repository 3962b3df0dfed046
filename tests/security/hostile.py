"""Hostile fact sheets and the readers that check what became of them.

``every_field_sheet`` puts a payload of markup, Jinja syntax and hostile links into every
free-text and Markdown field the format has: it starts from the rich sample (one entry
per list, every optional field present) and decorates each text value it finds, so a
field added to the format later is decorated too. The few text fields whose format
refuses such a payload (ids, dates, codes) are listed in ``CONSTRAINED`` and a test
checks that they really refuse it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from generator.factsheet.model import FactSheet, is_markdown
from generator.render.typography import smart_quotes
from tests.support.render_samples import rich_data

#: Markup and template syntax that must come out as the very same text.
MARKUP = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    "<style>#hostile{display:none}</style> <iframe src=https://example.org/f></iframe> "
    "<!-- hidden --> {{ 7*191 }} {% include 'x' %} {{ config }}"
)
#: The payload of a field with a length limit (``short_title``: 60 characters): the same
#: kinds of markup, cut to fit.
SHORT_MARKUP = "<script>alert(1)</script> {{ 7*191 }} <i>x</i>"
#: The fields that take ``SHORT_MARKUP``.
LIMITED = frozenset({"short_title"})
#: What a template engine evaluating ``{{ 7*191 }}`` would print.
EVALUATED = "1337"
#: A block of raw HTML, alone between blank lines, as Markdown would pass it through.
RAW_BLOCK = '<div onclick="alert(3)">\n<b>raw block</b>\n</div>\n\n<!-- comment block -->'
#: Links that must not become links, and the one that must.
BAD_LINKS = (
    "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [tab](java\tscript:alert(1)) "
    "[ent](&#106;avascript:alert(1)) [vb](vbscript:msgbox(1)) "
    "[dt](data:text/html,<script>alert(1)</script>) [svg](data:image/svg+xml;base64,PHN2Zz4=) "
    "[fl](file:///etc/passwd) [ftp](ftp://example.org/x) [png](data:image/png;base64,iVBORw0KGgo=) "
    "<javascript:alert(1)> [rf][bad-ref]"
)
GOOD_LINK = "[fine](https://example.org/fine)"
BAD_REFERENCE = "[bad-ref]: javascript:alert(1)"
#: A URL that tries to leave its href attribute.
URL_BREAKOUT = 'https://example.org/a"><script>alert(4)</script>'
#: Text paths the format constrains (ids, dates, codes, enums): no payload fits there.
#: Text fields whose value must be another field's: a chart's ``place`` names a section's
#: heading, so it takes that heading's payload rather than one of its own.
DERIVED = frozenset({"charts[].place"})
CONSTRAINED = re.compile(
    r"^(format|as_of|status|language|template|marking|initiative\.stage"
    r"|initiative\.investment\.currency"
    r"|key_facts\[\]\.sources\[\]|players\[\]\.(kind|local_name_lang|sources\[\])|timeline\[\]\.(date|sources\[\])"
    r"|challenges\[\]\.(category|severity|sources\[\])|sources\[\]\.(id|published|accessed|kind)"
    r"|key_facts\[\]\.value\.unit|data\[\]\.(id|unit|sources\[\]|points\[\]\.sources\[\])"
    r"|charts\[\]\.(id|kind|series\[\]))$"
)
#: Fields a briefing does not print in its body (tags go to the keywords metadata).
#: Fields that the body does not print: tags (metadata only), the running head's short
#: title (page margins; the HTML's print style holds it as a CSS string).
NOT_IN_BODY = re.compile(r"^(tags\[\d+\]|short_title)$")


@dataclass
class Decorated:
    """A fact sheet with a payload in each text field, and where each payload went."""

    data: dict[str, Any]
    #: Field path -> the marker that opens its payload (``Q07``).
    markers: dict[str, str] = field(default_factory=dict)
    #: Field path -> the URL written there.
    urls: dict[str, str] = field(default_factory=dict)
    markdown: set[str] = field(default_factory=set)

    def shown(self) -> dict[str, str]:
        """Field path -> the text a reader must see for it, for the fields in the body."""
        return {
            path: self.urls.get(path, f"{marker} {MARKUP}")
            for path, marker in self.markers.items()
            if not NOT_IN_BODY.match(path)
        }

    def printed(self) -> dict[str, str]:
        """:meth:`shown` as the HTML and PDF print it: with the sheet's typographic quotes
        (a URL shown as the text of its link stays as written)."""
        language = self.data.get("language", "en")
        return {
            path: text if path in self.urls else smart_quotes(text, language)
            for path, text in self.shown().items()
        }


def pattern_of(path: str) -> str:
    """``players[0].role`` -> ``players[].role``."""
    return re.sub(r"\[\d+\]", "[]", path)


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """``(path, value)`` of every scalar in plain data."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, node


def text_leaves(node: Any) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every text value in plain data."""
    return ((path, value) for path, value in leaves(node) if isinstance(value, str))


def model_leaves(model: type[BaseModel] = FactSheet, prefix: str = "") -> dict[str, bool]:
    """Path pattern -> is Markdown, for every scalar field the format has."""
    found: dict[str, bool] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        for member, suffix in _members(info.annotation, ""):
            if isinstance(member, type) and issubclass(member, BaseModel):
                found.update(model_leaves(member, path + suffix))
            else:
                found[path + suffix] = is_markdown(info)
    return found


def _members(tp: Any, suffix: str) -> Iterator[tuple[Any, str]]:
    origin = get_origin(tp)
    if origin is Annotated:
        yield from _members(get_args(tp)[0], suffix)
    elif origin is list:
        yield from _members(get_args(tp)[0], suffix + "[]")
    elif origin is Union or type(tp).__name__ == "UnionType":
        for member in get_args(tp):
            if member is not type(None):
                yield from _members(member, suffix)
    else:
        yield tp, suffix


def compact_rich_data() -> dict[str, Any]:
    """The rich sample with one entry per list (two authors: one of each form)."""
    data = rich_data()
    for key in ("key_facts", "players", "timeline", "challenges", "sections"):
        data[key] = data[key][:1]
    data["initiative"]["locations"] = data["initiative"]["locations"][:1]
    data["initiative"]["target_markets"] = data["initiative"]["target_markets"][:1]
    data["key_facts"][0]["value"] = "text"
    data.update(format=2, sector="Electric vehicles", template="brief", marking="OFFICIAL")
    data["short_title"] = "Short title"
    # Every key of the format is given; nothing is internal, so there is one edition.
    for key in ("key_facts", "players", "timeline", "challenges", "sections", "sources"):
        for entry in data[key]:
            entry["internal"] = False
    data["challenges"][0]["mitigations_internal"] = False
    data["players"][0]["local_name_lang"] = "zh-Hans"
    _add_figures(data)
    return data


def _add_figures(data: dict[str, Any]) -> None:
    """Format 2's figures, one of each: a value with a unit, a series, a chart, a site."""
    source = data["key_facts"][0]["sources"][0]
    data["key_facts"].append(
        {"label": "Capacity", "value": {"amount": 40, "unit": "GWh"}, "year": 2026,
         "highlight": True, "sources": [source], "internal": False}
    )  # fmt: skip
    data["data"] = [
        {"id": "capacity", "title": "Capacity", "unit": "GWh", "sources": [source],
         "points": [{"x": "Phase 1", "y": 40, "sources": [source]}]}
    ]  # fmt: skip
    data["charts"] = [
        {"id": "capacity-chart", "title": "Capacity by phase", "kind": "column",
         "series": ["capacity"], "note": "Planned.", "place": "after_key_facts"}
    ]  # fmt: skip
    data["initiative"]["sites"] = [{"name": "Plant", "lat": 22.5, "lon": 114.1}]


def every_field_sheet(extra_markdown: str = "") -> Decorated:
    """The compact rich sample with a payload in every free-text and Markdown field.

    Markdown fields also get the raw HTML block, the hostile links and ``extra_markdown``.
    """
    markdown_fields = {path for path, markdown in model_leaves().items() if markdown}
    data = compact_rich_data()
    result = Decorated(data)
    for number, (path, text) in enumerate(list(text_leaves(data)), start=1):
        pattern = pattern_of(path)
        if CONSTRAINED.match(pattern) or pattern in DERIVED:
            continue
        marker = f"Q{number:02d}"
        result.markers[path] = marker
        if pattern.endswith(".url"):
            new = result.urls[path] = f"{URL_BREAKOUT}?m={marker}"
        elif pattern in markdown_fields:
            result.markdown.add(path)
            new = (
                f"{text}\n\n{marker} {MARKUP}\n\n{RAW_BLOCK}\n\n{BAD_LINKS} {GOOD_LINK}"
                f" {extra_markdown}\n\n{BAD_REFERENCE}\n"
            )
        else:
            new = f"{marker} {SHORT_MARKUP if pattern in LIMITED else MARKUP}"
        _set(data, path, new)
    data["charts"][0]["place"] = data["sections"][0]["heading"]
    return result


def _set(data: Any, path: str, value: str) -> None:
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    node = data
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


class Html(HTMLParser):
    """What a browser would build from a document: elements, attributes, text, comments.

    The content of ``style`` and ``script`` elements is kept apart from the text.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.comments: list[str] = []
        self.texts: list[str] = []
        self.styles: list[str] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if self._skip:
            self.styles.append(data)
        else:
            self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def attribute_values(self, name: str) -> list[str]:
        return [attrs[name] for _, attrs in self.elements if name in attrs]

    def text(self) -> str:
        return "".join(self.texts)


def squeeze(text: str) -> str:
    """Text without any whitespace or hyphenation: lines of a PDF may break anywhere (a
    line-end hyphen is a soft hyphen in the PDF's text)."""
    return re.sub(r"\u00ad\s+|\s+", "", text)
