"""The last look before anything leaves: no internal text in a message to an external list.

Run on every message composed for the external edition of a briefing with internal
content, after the pre-send checks and before any connection is opened (a dry run
included): the message's headers, plain-text and HTML parts, attachment names and
attachments are searched by :func:`generator.builder.find_leaks`. Any hit refuses the
whole run, naming the field of the fact sheet, the message (by the file it is archived
under) and where in it the text appeared.
"""

from __future__ import annotations

import datetime as dt

from generator.config import Delivery, Mailbox
from generator.delivery import editions as archive
from generator.delivery.plan import SendPlan, build_message
from generator.delivery.prepare import Edition
from generator.errors import Diagnostic
from generator.settings import Settings


def message_leaks(
    work: SendPlan, delivery: Delivery, sender: Mailbox, date: dt.datetime, settings: Settings
) -> list[Diagnostic]:
    """The leaks of internal text into any message due to go to an external list."""
    from generator.builder import leak_diagnostics, needles, search, sheet_texts

    cache: dict = {}
    wanted: dict[str, list] = {}
    problems: list[Diagnostic] = []
    for item in work.items:
        edition = item.edition
        if item.state != "send" or edition.kind != "external" or not edition.internal:
            continue
        if edition.content_hash not in wanted:
            wanted[edition.content_hash] = needles(edition.internal, sheet_texts(edition.sheet))
        body = work.bodies[(edition.brief_id, item.list_name)]
        _, data = build_message(item, body, delivery, sender, date)
        name = _message_name(settings, edition, item.list_name, item.recipient.key)
        leaks = search(wanted[edition.content_hash], [(name, data)], cache)
        problems += leak_diagnostics(leaks, edition.display, edition.locate)
    return problems


def _message_name(settings: Settings, edition: Edition, list_name: str, key: str) -> str:
    """The file the message is archived under, as the project shows it."""
    return settings.display(archive.eml_path(edition.folder, list_name, key))
