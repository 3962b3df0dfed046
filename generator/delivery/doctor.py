"""``brief doctor``: is everything a delivery needs in place? Each check says how to fix it.

Checks, in order: the SMTP settings in the environment; the server (reachable, and
accepting EHLO, STARTTLS and the login — no message is sent); ``delivery.yaml``; the
bundled fonts; HarfBuzz's subsetting library. Nothing here raises for a failed check;
every outcome is a :class:`Check`.
"""

from __future__ import annotations

import ctypes.util
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.config import ENV_VARS, SmtpSettings, smtp_from_env
from generator.errors import GeneratorError
from generator.settings import Settings

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


@dataclass(frozen=True)
class Check:
    """One check: its name, whether it passed, what was found, and how to fix a failure."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(settings: Settings, environ: Mapping[str, str]) -> list[Check]:
    """Every check of the delivery set-up, in a stable order."""
    checks: list[Check] = []
    smtp = _smtp_settings(environ, checks)
    checks.append(_server(smtp) if smtp else _skipped_server())
    checks.append(_delivery_file(settings))
    checks.append(_fonts(settings))
    checks.append(_harfbuzz())
    return checks


def _smtp_settings(environ: Mapping[str, str], checks: list[Check]) -> SmtpSettings | None:
    try:
        smtp = smtp_from_env(environ)
    except GeneratorError as exc:
        problems = "; ".join(d.message for d in exc.diagnostics) or str(exc)
        names = "\n".join(f"  {name}: {what}" for name, what in ENV_VARS.items())
        checks.append(Check("SMTP settings", False, problems, f"export these variables:\n{names}"))
        return None
    login = "with login" if smtp.user else "without login"
    checks.append(Check("SMTP settings", True, f"{smtp.describe()}, {login}"))
    return smtp


def _skipped_server() -> Check:
    return Check(
        "SMTP server",
        False,
        "not tried: the SMTP settings are incomplete",
        "fix the SMTP settings first",
    )


def _server(smtp: SmtpSettings) -> Check:
    from generator.delivery.transport import SmtpTransport

    steps = {"none": "EHLO", "starttls": "EHLO, STARTTLS", "ssl": "TLS, EHLO"}[smtp.security]
    if smtp.user:
        steps += ", AUTH"
    try:
        SmtpTransport(smtp).probe()
    except GeneratorError as exc:
        return Check("SMTP server", False, str(exc), _server_fix(str(exc)))
    except smtplib.SMTPException as exc:
        return Check(
            "SMTP server",
            False,
            f"{smtp.describe()} answered unexpectedly: {exc}",
            "check BRIEF_SMTP_PORT and BRIEF_SMTP_SECURITY (ssl for port 465, starttls for 587)",
        )
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return Check(
            "SMTP server",
            False,
            f"cannot reach {smtp.host}:{smtp.port}: {reason}",
            "check BRIEF_SMTP_HOST and BRIEF_SMTP_PORT, and that this machine may connect",
        )
    return Check("SMTP server", True, f"{smtp.describe()} accepted {steps}; nothing was sent")


def _server_fix(message: str) -> str:
    if "login" in message:
        return "check BRIEF_SMTP_USER and BRIEF_SMTP_PASSWORD"
    if "certificate" in message:
        return "set BRIEF_SMTP_CAFILE to the PEM file of the authority that signed it"
    if "STARTTLS" in message:
        return "use BRIEF_SMTP_SECURITY=ssl with the server's TLS port, or another server"
    return "check the SMTP settings"


def _delivery_file(settings: Settings) -> Check:
    from generator.config import load_delivery

    display = settings.display(settings.delivery_file)
    try:
        delivery = load_delivery(settings.delivery_file, display)
    except GeneratorError as exc:
        lines = [d.format() for d in exc.diagnostics] or [str(exc)]
        return Check("delivery.yaml", False, "\n".join(lines), f"correct {display} as shown")
    sizes = ", ".join(f"{name} ({len(people)})" for name, people in delivery.recipients.items())
    return Check("delivery.yaml", True, f"valid; lists: {sizes or 'none'}")


def _fonts(settings: Settings) -> Check:
    folder = settings.templates_dir / "static" / "fonts"
    fonts = (
        sorted(p.name for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
        if folder.is_dir()
        else []
    )
    if not fonts:
        return Check(
            "fonts",
            False,
            f"no font files in {settings.display(folder)}",
            "restore templates/static/fonts/ from the repository",
        )
    cjk = sorted(p.name for p in (folder / "cjk").glob("*.otf")) if folder.is_dir() else []
    if not cjk:
        return Check(
            "fonts",
            False,
            f"the CJK faces are missing from {settings.display(folder / 'cjk')}: Chinese,"
            " Japanese and Korean text cannot be printed",
            "run `make fonts` (it extracts them from the distribution's fonts-noto-cjk)",
        )
    shown = settings.display(folder)
    return Check("fonts", True, f"{len(fonts)} font file(s) and {len(cjk)} CJK faces in {shown}")


def _harfbuzz() -> Check:
    found = ctypes.util.find_library("harfbuzz-subset")
    if found is None:
        return Check(
            "HarfBuzz subsetter",
            False,
            "libharfbuzz-subset is not installed; PDF fonts are subset by the slower fallback",
            "run `make system` (installs libharfbuzz-subset0)",
        )
    return Check("HarfBuzz subsetter", True, found)
