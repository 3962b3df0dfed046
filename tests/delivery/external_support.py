"""What the tests of external editions share: a sheet with internal content everywhere,
delivery.yaml with an internal and an external list, and the text of what arrived.

The text is extracted here on its own terms (pypdf, tinyhtml5, the ``email`` package), not
with the leak check under test, so that the two can disagree.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path

import tinyhtml5
import yaml
from pypdf import PdfReader

from generator.delivery.sender import SendOptions, send
from generator.settings import default_settings

REPO = Path(__file__).resolve().parents[2]
EVERYWHERE = REPO / "tests" / "data" / "valid" / "internal-everywhere.yaml"
#: A word of every internal text of the fixture (and the ids of its internal sources),
#: none of which any external text has.
MARKERS = (
    "zanzibar",
    "quokka",
    "marmoset",
    "nightjar",
    "夜鷹",
    "pangolin",
    "axolotl",
    "wombat",
    "capybara",
    "narwhal",
    "ocelot",
    "tapir",
    "meerkat",
    "lemur",
    "iguana",
    "envoy-cable",
    "board-minutes",
)
#: When the tests' sends happen.
NOW = dt.datetime(2026, 1, 21, 9, 30, tzinfo=dt.UTC)
TEAM = ["ann@example.org", "bob@example.org"]
PARTNER = "pat@example.org"


def send_hk(project: Path, env: dict[str, str], lists=("team", "partners"), **options):
    """``brief send hk`` to ``lists`` at :data:`NOW`, through the SMTP server of ``env``."""
    return send(
        default_settings(project),
        ["hk"],
        list(lists),
        options=SendOptions(**options),
        clock=lambda: NOW,
        environ=env,
        sleep=lambda seconds: None,
    )


def sheet_text(**changes: object) -> str:
    """The fixture as a final briefing, with top-level keys changed."""
    data = yaml.safe_load(EVERYWHERE.read_text(encoding="utf-8"))
    data.update({"status": "final", **changes})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_delivery(project: Path, formats=("pdf", "html"), **partners: object) -> None:
    lists = {
        "team": {"recipients": TEAM},
        "partners": {"external": True, "recipients": [PARTNER], **partners},
    }
    data = {"sender": "EV Desk <desk@example.org>", "formats": list(formats), "lists": lists}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def squeeze(text: str) -> str:
    """Text as a search sees it: no soft hyphens, line-end hyphens or spaces; case folded."""
    text = re.sub(r"-\s*\n\s*", "", text.replace("\u00ad", ""))
    return re.sub(r"\s+", "", text).casefold()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return " ".join(page.extract_text() or "" for page in reader.pages) + " " + meta


def html_text(data: bytes | str) -> str:
    """Every text node, comment and attribute value of an HTML document."""
    root = tinyhtml5.parse(data)
    parts = []
    for element in root.iter():
        parts += [element.text or "", element.tail or "", *element.attrib.values()]
    return " ".join(parts)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def message_text(message: EmailMessage) -> str:
    """Subject, plain-text and HTML parts, attachment names and the attachments' text."""
    parts = [str(message["Subject"])]
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        content = part.get_content()
        if name:
            parts.append(name)
            parts.append(
                file_text(name, content if isinstance(content, bytes) else content.encode())
            )
        elif part.get_content_type() == "text/html":
            parts.append(html_text(content))
        else:
            parts.append(str(content))
    return " ".join(parts)


def file_text(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return pdf_text(data)
    if name.endswith(".html"):
        return html_text(data)
    if name.endswith(".docx"):
        return docx_text(data)
    return data.decode("utf-8", "replace")


def markers_in(text: str) -> list[str]:
    squeezed = squeeze(text)
    return [m for m in MARKERS if squeeze(m) in squeezed]
