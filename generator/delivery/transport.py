"""SMTP transport: one try at handing one message for one recipient to the server.

The only module that speaks SMTP. Every server answer and network fault is turned into an
:class:`SmtpOutcome` the caller can act on — ``sent``, ``temporary`` (try again later),
``permanent`` (do not retry), ``ambiguous`` (the connection broke after the message was
handed over, so it may have been accepted) — or, when no connection can be opened at all
(refused, no such host, no greeting within the timeout, TLS handshake failed), into
:class:`SmtpUnreachable`, and for faults that no retry can cure (login refused, TLS
unavailable or not trusted) into :class:`SmtpSetupError`. The caller stops a run at
either: trying the next recipient against a server that cannot be reached would only
wait out one more timeout. The retry policy lives with the caller, which records every
try in the ledger.

TLS is never given up: with ``starttls`` a server that does not offer STARTTLS is refused,
and certificates are always verified (``BRIEF_SMTP_CAFILE`` adds authorities to trust).
"""

from __future__ import annotations

import random
import smtplib
import socket
import ssl
from dataclasses import dataclass
from typing import Any, Literal

from generator.config import SmtpSettings
from generator.errors import GeneratorError
from generator.settings import format_size

Kind = Literal["sent", "temporary", "permanent", "ambiguous"]


@dataclass(frozen=True)
class SmtpOutcome:
    """What became of one try: its kind and the server's reply (or the fault) as text.

    ``broken`` is true when the connection itself broke (rather than the server answering
    with an error): the next try reconnects at once, and there is nothing to wait for.
    """

    kind: Kind
    reply: str
    broken: bool = False


class SmtpSetupError(GeneratorError):
    """The server cannot be used at all: login refused, TLS missing or not trusted."""


class SmtpUnreachable(GeneratorError):
    """No connection could be opened: the server is down, unknown, silent or broke TLS.

    Nothing was handed over. ``reason`` names the server and the fault.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Tracked:
    """Remembers whether the message data was handed over, and the final DATA reply."""

    in_data = False
    data_reply: tuple[int, bytes] = (0, b"")

    def data(self, msg: Any) -> tuple[int, bytes]:
        """Send the message data as smtplib does, noting that it was handed over."""
        self.in_data = True
        reply = super().data(msg)  # type: ignore[misc]
        self.data_reply = reply
        return reply


class _SMTP(_Tracked, smtplib.SMTP):
    pass


class _SMTPSSL(_Tracked, smtplib.SMTP_SSL):
    pass


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """A verifying TLS context: the system's authorities plus ``BRIEF_SMTP_CAFILE``."""
    context = ssl.create_default_context()
    if settings.cafile is not None:
        try:
            context.load_verify_locations(cafile=str(settings.cafile))
        except (OSError, ssl.SSLError) as exc:
            raise SmtpSetupError(
                f"cannot read BRIEF_SMTP_CAFILE {settings.cafile}: {exc}"
            ) from None
    return context


def backoff_delay(
    attempt: int, base: float, cap: float = 300.0, rng: random.Random | None = None
) -> float:
    """Seconds to wait after try ``attempt`` (1-based): doubling from ``base``, capped, jittered."""
    if base <= 0:
        return 0.0
    delay = min(cap, base * 2 ** (attempt - 1))
    return delay * (0.5 + (rng or random.Random()).random() / 2)


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}".strip()


def _by_code(code: int, text: str) -> SmtpOutcome:
    return SmtpOutcome("temporary" if 400 <= code < 500 or code < 200 else "permanent", text)


class SmtpTransport:
    """A reusable connection to one server; :meth:`send` makes exactly one try."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._conn: _SMTP | _SMTPSSL | None = None

    def __repr__(self) -> str:
        return f"SmtpTransport({self.settings.describe()})"

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> _SMTP | _SMTPSSL:
        """Open, secure and log in; raise :class:`SmtpSetupError` for incurable faults."""
        s = self.settings
        conn: _SMTP | _SMTPSSL | None = None
        try:
            if s.security == "ssl":
                conn = _SMTPSSL(s.host, s.port, timeout=s.timeout, context=tls_context(s))
            else:
                conn = _SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise SmtpSetupError(
                        f"{s.describe()} does not offer STARTTLS; refusing to send in plain text"
                    )
                conn.starttls(context=tls_context(s))
                conn.ehlo()
            if s.user:
                _login(conn, s)
        except BaseException as exc:
            if conn is not None:
                _quietly_close(conn)
            raise _setup_error(exc, s) from None
        return conn

    def send(self, sender: str, recipient: str, message: bytes) -> SmtpOutcome:
        """Hand ``message`` to the server for ``recipient``: one try, on the open connection
        or a new one. Faults on a connection become a ``temporary`` or ``ambiguous``
        :class:`SmtpOutcome`; when no connection can be opened it raises
        :class:`SmtpUnreachable` (or :class:`SmtpSetupError`), and nothing was handed over."""
        if self._conn is None:
            self._conn = self._open()
        conn = self._conn
        try:
            too_big = self._over_server_limit(conn, len(message))
            if too_big:
                return SmtpOutcome("permanent", too_big)
            conn.in_data = False
            refused = conn.sendmail(sender, [recipient], message)
            if refused:
                code, text = refused.get(recipient, next(iter(refused.values())))
                return _by_code(code, _reply_text(code, text))
            return SmtpOutcome("sent", _reply_text(*conn.data_reply))
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (550, b"recipient refused"))
            return self._answered(_by_code(code, _reply_text(code, text)))
        except smtplib.SMTPResponseException as exc:
            return self._answered(
                _by_code(exc.smtp_code, _reply_text(exc.smtp_code, exc.smtp_error))
            )
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            outcome = self._network_fault(exc)
            self.close()
            return outcome

    def _open(self) -> _SMTP | _SMTPSSL:
        """:meth:`connect`, with every fault a later run may cure as :class:`SmtpUnreachable`."""
        try:
            return self.connect()
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpUnreachable(self._unreachable(exc)) from None

    def _unreachable(self, exc: BaseException) -> str:
        """Why no connection could be opened, naming the server."""
        s = self.settings
        where = f"the mail server {s.describe()}"
        cause = exc.__context__ if isinstance(exc, smtplib.SMTPServerDisconnected) else exc
        if isinstance(cause, (socket.timeout, TimeoutError)):
            return f"{where} did not answer within {s.timeout:g} s (BRIEF_SMTP_TIMEOUT)"
        if isinstance(exc, socket.gaierror):
            return f"{where} cannot be found: {exc.strerror or exc}"
        if isinstance(exc, ConnectionRefusedError):
            return f"{where} refused the connection (nothing listens on port {s.port})"
        if isinstance(exc, ssl.SSLError):
            return f"{where}: the TLS handshake failed: {exc.reason or exc}"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"{where} is not taking mail: {_reply_text(exc.smtp_code, exc.smtp_error)}"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return f"{where} closed the connection before it was ready"
        return f"{where} cannot be reached: {getattr(exc, 'strerror', None) or exc}"

    def _answered(self, outcome: SmtpOutcome) -> SmtpOutcome:
        """A refusal on a working connection: keep it for the next recipient, unless the
        server closed it (a 421) or smtplib gave up on it."""
        if self._conn is not None and (self._conn.sock is None or outcome.reply.startswith("421")):
            self.close()
        return outcome

    def _over_server_limit(self, conn: smtplib.SMTP, size: int) -> str:
        limit = conn.esmtp_features.get("size", "").strip()
        if limit.isdigit() and int(limit) > 0 and size > int(limit):
            return (
                f"message {format_size(size)} is over the server's limit of "
                f"{format_size(int(limit))} (SIZE {limit})"
            )
        return ""

    def _network_fault(self, exc: BaseException) -> SmtpOutcome:
        handed_over = self._conn is not None and self._conn.in_data
        cause = exc.__context__ if isinstance(exc, smtplib.SMTPServerDisconnected) else exc
        if isinstance(cause, (socket.timeout, TimeoutError)):
            reason = f"timed out after {self.settings.timeout:g} s"
        elif isinstance(exc, ConnectionRefusedError):
            reason = f"connection refused by {self.settings.host}:{self.settings.port}"
        else:
            reason = f"connection lost: {exc or type(exc).__name__}"
        if handed_over:
            return SmtpOutcome(
                "ambiguous", f"{reason} after the message was sent, before a reply", broken=True
            )
        return SmtpOutcome("temporary", reason, broken=True)

    def probe(self) -> list[str]:
        """Connect, secure, log in and quit without sending; return what the server said."""
        conn = self.connect()
        try:
            greeting = (conn.ehlo_resp or b"").decode("utf-8", "replace").splitlines()
            return [line for line in greeting if line]
        finally:
            _quietly_close(conn)

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        if self._conn is not None:
            _quietly_close(self._conn)
            self._conn = None


def _setup_error(exc: BaseException, s: SmtpSettings) -> BaseException:
    """The faults no retry can cure, as :class:`SmtpSetupError`; others unchanged."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        reply = _reply_text(exc.smtp_code, exc.smtp_error)
        return SmtpSetupError(f"{s.describe()} refused the login: {reply}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SmtpSetupError(
            f"the certificate of {s.host} is not trusted ({exc.verify_message}); "
            "for a private or self-signed authority set BRIEF_SMTP_CAFILE to its PEM file"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SmtpSetupError(f"{s.describe()}: {exc}")
    return exc


def _login(conn: smtplib.SMTP, settings: SmtpSettings) -> None:
    try:
        conn.login(settings.user or "", settings.password or "")
    except (smtplib.SMTPResponseException, smtplib.SMTPServerDisconnected):
        raise
    except smtplib.SMTPException as exc:  # no AUTH offered, or no method in common
        raise SmtpSetupError(f"{settings.describe()} cannot log in: {exc}") from None


def _quietly_close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()
