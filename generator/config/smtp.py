"""SMTP settings, read only from the environment and never from files in the repository.

The password is kept out of ``repr()``, out of every message this module builds and out of
everything derived from these settings; :meth:`SmtpSettings.describe` is what logs and
errors show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.errors import ConfigError, Diagnostic

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[str, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}

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
    host = environ.get("BRIEF_SMTP_HOST", "").strip()
    if not host:
        problems.append("BRIEF_SMTP_HOST is not set: export the mail server's host name")
    security = environ.get("BRIEF_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in SECURITIES:
        problems.append(f"BRIEF_SMTP_SECURITY is '{security}': use starttls, ssl or none")
        security = "starttls"
    port = _number(environ, "BRIEF_SMTP_PORT", DEFAULT_PORTS[security], problems, whole=True)
    user = environ.get("BRIEF_SMTP_USER") or None
    password = environ.get("BRIEF_SMTP_PASSWORD") or None
    if user and password is None:
        problems.append("BRIEF_SMTP_USER is set but BRIEF_SMTP_PASSWORD is not")
    cafile = _cafile(environ.get("BRIEF_SMTP_CAFILE"), problems)
    settings = SmtpSettings(
        host=host,
        port=int(port),
        security=security,  # type: ignore[arg-type]
        user=user,
        password=password,
        sender=environ.get("BRIEF_SMTP_FROM") or None,
        cafile=cafile,
        timeout=_number(environ, "BRIEF_SMTP_TIMEOUT", 30.0, problems),
        tries=int(_number(environ, "BRIEF_SMTP_TRIES", 4, problems, whole=True)),
        backoff=_number(environ, "BRIEF_SMTP_BACKOFF", 2.0, problems, minimum=0.0),
    )
    if problems:
        raise ConfigError(
            "the SMTP settings in the environment are incomplete or wrong",
            [Diagnostic("environment", None, None, "", p, code="smtp-setting") for p in problems],
        )
    return settings


def _number(
    environ: Mapping[str, str],
    name: str,
    default: float,
    problems: list[str],
    *,
    whole: bool = False,
    minimum: float = 1.0,
) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        problems.append(f"{name} is '{raw}': it must be {kind}")
        return default
    if not value >= minimum or value == float("inf"):
        problems.append(f"{name} is '{raw}': it must be at least {minimum:g}")
        return default
    return value


def _cafile(raw: str | None, problems: list[str]) -> Path | None:
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        problems.append(f"BRIEF_SMTP_CAFILE names '{raw}', which is not a readable file")
        return None
    return path
