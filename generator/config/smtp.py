"""SMTP settings, read only from the environment and never from files in the repository.

The password is kept out of ``repr()``, out of every message this module builds and out of
everything derived from these settings; :meth:`SmtpSettings.describe` is what logs and
errors show.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.errors import ConfigError, Diagnostic

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[str, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
#: TCP ports are 16-bit; a larger one would be refused by the socket, not by us.
MAX_PORT = 65535
#: An hour, for a timeout or the first retry's wait: finite waits the socket and the
#: sleep can take (a socket's timeout overflows past about 10**9 seconds).
MAX_SECONDS = 3600.0
#: Tries per message; each waits up to five minutes, so more would keep a send for days.
MAX_TRIES = 100
#: Characters of a host name besides the dots: letters (any script, for internationalised
#: names), digits, ``-`` and ``_`` (not allowed in DNS host names, but used on intranets).
_HOST_CHAR = re.compile(r"[\w-]")

#: Environment variables, with what each is for (``brief doctor`` prints these).
ENV_VARS: dict[str, str] = {
    "BRIEF_SMTP_HOST": "the mail server's host name (required)",
    "BRIEF_SMTP_PORT": "its port (default 587 for starttls, 465 for ssl, 25 for none)",
    "BRIEF_SMTP_SECURITY": "starttls (default), ssl or none",
    "BRIEF_SMTP_USER": "login name (no login when unset)",
    "BRIEF_SMTP_PASSWORD": "password for the login",
    "BRIEF_SMTP_FROM": "sender address, overriding `sender` in delivery.yaml",
    "BRIEF_SMTP_CAFILE": "PEM file of extra certificate authorities to trust",
    "BRIEF_SMTP_TIMEOUT": "seconds to wait for the server (default 30)",
    "BRIEF_SMTP_TRIES": "attempts per message on temporary failures (default 4)",
    "BRIEF_SMTP_BACKOFF": "seconds before the first retry, doubled each time (default 2)",
}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; ``password`` never appears in ``repr()``."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    cafile: Path | None = None
    timeout: float = 30.0
    tries: int = 4
    backoff: float = 2.0

    def describe(self) -> str:
        """``user@host:port (starttls)``: how the settings are named in messages."""
        who = f"{self.user}@" if self.user else ""
        return f"{who}{self.host}:{self.port} ({self.security})"


def smtp_from_env(environ: Mapping[str, str]) -> SmtpSettings:
    """Read the ``BRIEF_SMTP_*`` variables; raise :class:`ConfigError` listing every problem."""
    problems: list[str] = []
    host = _host(environ.get("BRIEF_SMTP_HOST", "").strip(), problems)
    security = environ.get("BRIEF_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in SECURITIES:
        problems.append(f"BRIEF_SMTP_SECURITY is '{security}': use starttls, ssl or none")
        security = "starttls"
    port = _whole(environ, "BRIEF_SMTP_PORT", DEFAULT_PORTS[security], problems, MAX_PORT)
    user = environ.get("BRIEF_SMTP_USER") or None
    password = environ.get("BRIEF_SMTP_PASSWORD") or None
    if user and password is None:
        problems.append("BRIEF_SMTP_USER is set but BRIEF_SMTP_PASSWORD is not")
    cafile = _cafile(environ.get("BRIEF_SMTP_CAFILE"), problems)
    settings = SmtpSettings(
        host=host,
        port=port,
        security=security,  # type: ignore[arg-type]
        user=user,
        password=password,
        sender=environ.get("BRIEF_SMTP_FROM") or None,
        cafile=cafile,
        timeout=_number(environ, "BRIEF_SMTP_TIMEOUT", 30.0, problems, 1.0, MAX_SECONDS),
        tries=_whole(environ, "BRIEF_SMTP_TRIES", 4, problems, MAX_TRIES),
        backoff=_number(environ, "BRIEF_SMTP_BACKOFF", 2.0, problems, 0.0, MAX_SECONDS),
    )
    if problems:
        raise ConfigError(
            "the SMTP settings in the environment are incomplete or wrong",
            [Diagnostic("environment", None, None, "", p, code="smtp-setting") for p in problems],
        )
    return settings


def _host(raw: str, problems: list[str]) -> str:
    """``raw`` when it can name a mail server; else a problem saying why, naming the variable.

    Checked here because the resolver refuses such a name with an exception no network
    fault looks like (an empty label makes the IDNA codec raise UnicodeError).
    """
    if not raw:
        problems.append("BRIEF_SMTP_HOST is not set: export the mail server's host name")
    else:
        why = _host_problem(raw)
        if why:
            problems.append(
                f"BRIEF_SMTP_HOST is '{_short(raw)}': not a host name or IP address ({why})"
            )
    return raw


def _host_problem(host: str) -> str:
    """Why ``host`` is no host name or IP address, or ``""`` when it is one."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return ""
    if ":" in host and host.rpartition(":")[2].isdigit():
        return "put the port in BRIEF_SMTP_PORT"
    bad = next((c for c in host if c != "." and not _HOST_CHAR.fullmatch(c)), None)
    if bad is not None:
        return f"character {bad!r}"
    name = host.removesuffix(".")
    problem = _labels_problem(name)
    if problem:
        return problem
    try:
        # The resolver's own encoding: internationalised names become punycode, whose
        # labels may be longer than the ones written.
        return _labels_problem(name.encode("idna").decode("ascii"))
    except UnicodeError:
        return "it has no ASCII form the resolver could use"


def _labels_problem(name: str) -> str:
    """Why the dotted ``name`` breaks the rules of DNS names (lengths, dots, hyphens), or ``""``."""
    if len(name) > 253:
        return f"{len(name)} characters, longer than 253"
    for label in name.split("."):
        if not label:
            return "an empty label: two dots in a row, or a dot at the start"
        if len(label) > 63:
            return f"the label '{label[:20]}...' is longer than 63 characters"
        if label.startswith("-") or label.endswith("-"):
            return f"the label '{label}' starts or ends with '-'"
    return ""


def _whole(
    environ: Mapping[str, str], name: str, default: int, problems: list[str], maximum: int
) -> int:
    """A whole number from 1 to ``maximum``, in ASCII digits (``int()`` takes ``٣`` and ``1_0``)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum:
        return int(raw)
    problems.append(f"{name} is '{_short(raw)}': it must be a whole number from 1 to {maximum}")
    return default


def _number(
    environ: Mapping[str, str],
    name: str,
    default: float,
    problems: list[str],
    minimum: float,
    maximum: float,
) -> float:
    """A number of seconds from ``minimum`` to ``maximum`` (``nan`` and ``inf`` refused)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if minimum <= value <= maximum:
        return value
    problems.append(
        f"{name} is '{_short(raw)}': it must be a number from {minimum:g} to {maximum:g}"
    )
    return default


def _short(raw: str) -> str:
    """A value as messages quote it: a pasted-in screenful is cut short."""
    return raw if len(raw) <= 60 else raw[:57] + "..."


def _cafile(raw: str | None, problems: list[str]) -> Path | None:
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        problems.append(f"BRIEF_SMTP_CAFILE names '{raw}', which is not a readable file")
        return None
    return path
