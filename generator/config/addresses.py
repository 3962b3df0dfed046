"""Email addresses as written in ``delivery.yaml``: parsed, checked for syntax, normalised.

Syntax only (offline, no DNS): an address is checked with ``email-validator``; an
internationalised domain is kept in its ASCII (punycode) form so that every server can
take it, and addresses are compared ignoring case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

_NAMED = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>\s*$")
_LINE_BREAK = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


class AddressError(ValueError):
    """An address or display name that cannot be used, with the reason as its message."""


@dataclass(frozen=True)
class Mailbox:
    """One recipient or sender: the address to send to and an optional display name."""

    address: str
    name: str | None = None

    @property
    def key(self) -> str:
        """What two mailboxes are compared by: the address, ignoring case."""
        return self.address.casefold()

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


def check_address(address: str) -> str:
    """The address in the form to send to; raise :class:`AddressError` explaining why not."""
    text = address.strip()
    try:
        valid = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise AddressError(f"'{text}' is not a valid email address ({exc})") from None
    return valid.ascii_email or valid.normalized


def check_name(name: str) -> str:
    """A display name on one line; raise :class:`AddressError` for line breaks or controls."""
    if _LINE_BREAK.search(name):
        raise AddressError(f"display name {name!r} contains a line break or control character")
    return " ".join(name.split())


def parse_mailbox(text: str) -> Mailbox:
    """``'Name <a@b.org>'`` or ``'a@b.org'`` as a :class:`Mailbox`."""
    match = _NAMED.match(text)
    if match is None:
        if "<" in text or ">" in text:
            raise AddressError(f"'{text}' is not of the form 'Name <address>' or 'address'")
        return Mailbox(check_address(text))
    name = check_name(match["name"].strip().strip('"').strip())
    return Mailbox(check_address(match["address"]), name or None)


def make_mailbox(address: str, name: str | None) -> Mailbox:
    """A :class:`Mailbox` from separately given address and display name."""
    return Mailbox(check_address(address), check_name(name) or None if name else None)
