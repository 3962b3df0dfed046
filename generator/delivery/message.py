"""Composing the email of a briefing: a readable body, the attachments, safe headers.

The message is ``multipart/mixed``: a ``multipart/alternative`` body (plain text, then HTML
with its CSS inlined for mail clients) followed by the attachments (``<id>.pdf``, and
``<id>.html`` when configured). The body carries what a reader needs on a phone — what
changed since the list's last edition, the summary, the key facts, the challenges'
headlines — and the PDF carries the rest.

Both body parts are rendered from ``templates/email/`` with the project's one Jinja recipe
(``generator.render.make_environment``): the HTML escaped, the text without escaping.
Their Markdown filters are the email's (:mod:`generator.delivery.markup`): citations are
numbers against the body's own Sources list, never in-message anchors, and the text
part gets plain text, which is then wrapped at 72 columns as a whole. ``email.css`` is
read and syntax-checked like the briefing's stylesheets. Fact-sheet text only ever
arrives as values, never as template source. Header values are put on one line before
use, so a line break in a title cannot add a header.
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.config import Mailbox, header_text, render_subject
from generator.delivery.changes import Change
from generator.delivery.email_graphics import email_matrix
from generator.delivery.markup import (
    HEADING_LEVEL,
    citation_text,
    markdown_html,
    markdown_text,
    wrap_text,
)
from generator.errors import TemplateError
from generator.factsheet import FactSheet, cited_ids, number_sources
from generator.render import (
    CATEGORY_LABELS,
    SEVERITY_LABELS,
    STAGE_LABELS,
    STATUS_MARKS,
    Language,
    format_date,
    format_number,
    language_for,
    ordered_challenges,
)

if TYPE_CHECKING:
    import jinja2

#: CRLF line endings and 7-bit transfer encodings, so that any server takes the bytes as
#: they are. Headers are not folded at 78 characters: the standard library's folder adds a
#: space where it folds next to an encoded word ("plants  — as of"), and RFC 5322 allows
#: header lines of up to 998 characters.
POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=998)
EMAIL_TEMPLATES = "email"
CSS_NAME = "email.css"

_MIME = {
    "pdf": ("application", "pdf"),
    "html": ("text", "html"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@dataclass(frozen=True)
class FactLine:
    """One key fact as shown in the email."""

    label: str
    value: str


@dataclass(frozen=True)
class FigureLine:
    """One large figure of the key-figures panel, its sources' numbers written out."""

    label: str
    value: str
    year: int | None
    cites: str | None


@dataclass(frozen=True)
class ChallengeLine:
    """One challenge's headline."""

    title: str
    severity: str
    severity_label: str
    category: str


@dataclass(frozen=True)
class SourceLine:
    """One numbered source."""

    number: int
    title: str
    publisher: str
    url: str | None


@dataclass(frozen=True)
class EmailView:
    """Everything the email templates show, computed here so the templates only print."""

    brief_id: str
    title: str
    subtitle: str | None
    jurisdiction: str
    stage: str
    as_of: str
    status: str
    #: The briefing's own marking of a status that is not final (``FOR REVIEW``).
    status_mark: str
    summary: str
    numbers: Mapping[str, int]
    facts: tuple[FactLine, ...]
    challenges: tuple[ChallengeLine, ...]
    sources: tuple[SourceLine, ...]
    changes: tuple[str, ...] | None
    attachments: tuple[str, ...]
    #: From brand.yaml: who sends it and how to reach them, and the document number.
    organisation: str | None = None
    contact: str | None = None
    document_number: str | None = None
    #: The briefing's language: the templates' words, the labels, dates and numbers.
    language: Language | None = None
    #: The key-figures panel (format 2), as in the briefing; empty: no panel.
    figures: tuple[FigureLine, ...] = ()
    #: The risk matrix of the challenges (``render.RiskMatrix``; email_graphics.py), for
    #: the HTML part; None: no challenges.
    matrix: Any = None

    @property
    def summary_text(self) -> str:
        """The summary as plain text, its citations written as ``[1, 3]``."""
        return markdown_text(self.summary, self.numbers, self.quotes)

    @property
    def quotes(self) -> str | None:
        """The language whose quotes the Markdown fields get (None: as written)."""
        return self.language.tag if self.language is not None else None


@dataclass(frozen=True)
class Body:
    """The two renderings of a message body."""

    text: str
    html: str
    #: The language they are written in: the subject's words (:func:`subject_values`).
    language: Language | None = None


def email_view(
    sheet: FactSheet,
    brief_id: str,
    changes: Sequence[Change] | None,
    attachments: Sequence[str],
    brand: object = None,
    templates_dir: Path | None = None,
) -> EmailView:
    """The view model of one briefing's email; ``changes`` is None for a list's first edition.

    ``brand`` is the house style (``config.Brand``; None: no brand.yaml); the words are
    in the sheet's language, from the catalogs under ``templates_dir`` (None: English)."""
    from generator.render import brand_view, key_figures, typeset

    lang = _language(sheet.language, templates_dir)
    loc = lang.locale
    # Plain-text fields with the language's quotes, as the briefing prints them.
    sheet = typeset(sheet)

    house = brand_view(brand, brief_id=brief_id, sheet=sheet, locale=loc)
    panel = key_figures(sheet, lang)
    # The panel and the summary come first in the briefing too, so these numbers match
    # the PDF's.
    cited = [*(i for figure in panel for i in figure.sources), *cited_ids(sheet.summary)]
    numbers = number_sources(cited, [s.id for s in sheet.sources])
    shown = set(cited) & set(numbers)
    challenges = tuple(
        ChallengeLine(
            c.title,
            c.severity,
            lang.label(SEVERITY_LABELS, c.severity),
            lang.label(CATEGORY_LABELS, c.category),
        )
        for c in ordered_challenges(sheet.challenges)
    )
    return EmailView(
        brief_id=brief_id,
        title=sheet.title,
        subtitle=sheet.subtitle,
        jurisdiction=sheet.jurisdiction,
        stage=lang.label(STAGE_LABELS, sheet.initiative.stage),
        as_of=format_date(sheet.as_of, loc),
        status=sheet.status,
        status_mark=lang.gettext(STATUS_MARKS.get(sheet.status, "")),
        summary=sheet.summary,
        numbers={k: v for k, v in numbers.items() if k in shown},
        facts=tuple(FactLine(f.label, format_number(f.value, loc)) for f in sheet.key_facts),
        challenges=challenges,
        matrix=email_matrix(challenges, lang.gettext),
        sources=tuple(
            SourceLine(numbers[s.id], s.title, s.publisher, s.url)
            for s in sorted(sheet.sources, key=lambda s: numbers[s.id])
            if s.id in shown
        ),
        changes=None if changes is None else tuple(c.text for c in changes),
        attachments=tuple(attachments),
        organisation=house.organisation,
        contact=house.contact,
        document_number=house.document_number,
        language=lang,
        figures=tuple(
            FigureLine(
                f.label, f.value, f.year, citation_text(f.sources, numbers) if f.sources else None
            )
            for f in panel
        ),
    )


def _language(tag: str, templates_dir: Path | None) -> Language:
    """The language of a sheet's email; English words without a templates folder."""
    if templates_dir is None:
        return Language(tag, "en", gettext.NullTranslations())
    return language_for(tag, templates_dir)


def render_body(view: EmailView, templates_dir: Path) -> Body:
    """Render both body parts from ``templates/email/``; CSS is inlined into the HTML.

    Raises :class:`TemplateError` when a template or the stylesheet is missing or broken,
    its diagnostics naming the file, line and (for CSS) column, so that nothing goes out
    half-styled.
    """
    import css_inline

    from generator.render import make_environment, read_stylesheet, render_template

    try:
        lang = view.language
        html_env = make_environment(templates_dir, language=lang)
        html_env = _email_filters(html_env, html=True, language=view.quotes)
        css = read_stylesheet(html_env, f"{EMAIL_TEMPLATES}/{CSS_NAME}")
        page = render_template(
            html_env, f"{EMAIL_TEMPLATES}/brief.html", view=view, source_numbers=view.numbers
        )
        # The plain-text part is not HTML: the same recipe, without escaping.
        text_env = make_environment(templates_dir, output="text", language=lang)
        text_env = _email_filters(text_env, html=False, language=view.quotes)
        text = render_template(
            text_env, f"{EMAIL_TEMPLATES}/brief.txt", view=view, source_numbers=view.numbers
        )
    except TemplateError as exc:
        # The diagnostics say where; the message says what could not be done.
        message = f"the email of {view.brief_id} cannot be rendered"
        raise TemplateError(message, exc.diagnostics) from None
    inliner = css_inline.CSSInliner(
        load_remote_stylesheets=False, keep_at_rules=True, extra_css=str(css)
    )
    return Body(text=wrap_text(text), html=inliner.inline(page), language=view.language)


def _email_filters(
    env: jinja2.Environment, *, html: bool, language: str | None = None
) -> jinja2.Environment:
    """Replace the briefing's Markdown filters with the email's, in ``env``.

    The briefing's filters link citations to ``#source-N``, an anchor mail clients drop;
    the email's number them against the body's Sources list, and give the text part
    plain text. A project's own email templates get the same filters by the same names.
    Quotes are ``language``'s, as in the briefing.
    """
    import jinja2

    def numbers(context: jinja2.runtime.Context) -> Mapping[str, int]:
        return context.get("source_numbers", {})

    @jinja2.pass_context
    def markdown(
        context: jinja2.runtime.Context, text: str, heading_level: int = HEADING_LEVEL
    ) -> str:
        if html:
            return markdown_html(
                text, numbers(context), heading_level=heading_level, language=language
            )
        return markdown_text(text, numbers(context), language)

    @jinja2.pass_context
    def markdown_inline(context: jinja2.runtime.Context, text: str) -> str:
        if html:
            return markdown_html(text, numbers(context), inline=True, language=language)
        return " ".join(markdown_text(text, numbers(context), language).split())

    @jinja2.pass_context
    def cite(context: jinja2.runtime.Context, ids: Sequence[str]) -> str:
        text = citation_text(ids, numbers(context)) if ids else ""
        return Markup('<span class="cite">{}</span>').format(text) if html and text else text

    env.filters.update(markdown=markdown, markdown_inline=markdown_inline, cite=cite)
    return env


def message_id(content_hash: str, recipient: Mailbox, generation: int, domain: str) -> str:
    """``<hash.recipient@domain>``: the same for the same edition, recipient and generation."""
    who = hashlib.sha256(recipient.key.encode("utf-8")).hexdigest()[:20]
    resend = f".r{generation}" if generation else ""
    return f"<{content_hash[:20]}.{who}{resend}@{domain}>"


def subject_values(
    sheet: FactSheet, brief_id: str, language: Language | None = None
) -> dict[str, str]:
    """The fields a subject template may use, as plain text; ``{stage}`` is the stage's
    label in ``language`` (the body's; None: English), as the briefing writes it, and
    the title and jurisdiction have the sheet's language's quotes, as the body's."""
    from generator.render import smart_quotes

    words = language or Language(sheet.language, "en", gettext.NullTranslations())
    return {
        "title": smart_quotes(sheet.title, sheet.language),
        "as_of": sheet.as_of.isoformat(),
        "jurisdiction": smart_quotes(sheet.jurisdiction, sheet.language),
        "status": sheet.status,
        "id": brief_id,
        "stage": words.label(STAGE_LABELS, sheet.initiative.stage),
    }


def compose(
    body: Body,
    *,
    subject_template: str,
    values: Mapping[str, str],
    sender: Mailbox,
    recipient: Mailbox,
    date: dt.datetime,
    msg_id: str,
    attachments: Mapping[str, bytes],
) -> EmailMessage:
    """One message for one recipient: headers, both body parts, the attachments."""
    message = EmailMessage(policy=POLICY)
    message["From"] = _address(sender)
    message["To"] = _address(recipient)
    message["Subject"] = render_subject(subject_template, values)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = msg_id
    message.set_content(body.text, subtype="plain", charset="utf-8")
    message.add_alternative(body.html, subtype="html", charset="utf-8")
    for name, data in attachments.items():
        maintype, subtype = _MIME[name.rsplit(".", 1)[-1]]
        params = {"charset": "utf-8"} if maintype == "text" else {}
        message.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=name, params=params
        )
    _fix_boundaries(message, msg_id)
    return message


def _address(mailbox: Mailbox) -> Address:
    local, _, domain = mailbox.address.rpartition("@")
    return Address(display_name=header_text(mailbox.name or ""), username=local, domain=domain)


def _fix_boundaries(message: EmailMessage, msg_id: str) -> None:
    """Boundaries derived from the Message-ID, so a repeat of a message is byte-identical."""
    seed = hashlib.sha256(msg_id.encode("utf-8")).hexdigest()[:24]
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_brief_{seed}_{number}")
