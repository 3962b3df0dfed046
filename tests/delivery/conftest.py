"""A real SMTP server on 127.0.0.1 for the delivery tests, with scripted misbehaviour.

The server is aiosmtpd, started on a free port inside the test. Its handler records every
message it accepted (envelope and raw bytes) and can be told to refuse chosen recipients,
to answer DATA with a temporary error, to drop the connection after the message data, or
to hang. Tests then parse what the server really received with the ``email`` package.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PASSWORD = "s3cret-Pa55-do-not-print"


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed as a mail client would."""
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    """Records accepted messages; ``data_script`` scripts the next DATA answers."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    data_script: list[str] = field(default_factory=list)
    data_calls: int = 0
    rcpt_calls: int = 0
    #: EHLO commands received: on a server without STARTTLS, one per connection.
    ehlo_calls: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlo_calls += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls += 1
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        action = self.data_script.pop(0) if self.data_script else "accept"
        if action == "drop":
            server.transport.close()
            return "250 2.0.0 never seen by the client"
        if action == "slow":
            await asyncio.sleep(0.3)
            action = "accept"
        if action == "hang":
            await asyncio.sleep(5)
            return "451 4.3.0 too late"
        if action != "accept":
            return action
        self.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return f"250 2.0.0 queued as {len(self.received)}"

    def to(self, address: str) -> list[Received]:
        """The accepted messages addressed (in the envelope) to ``address``."""
        return [r for r in self.received if address.lower() in (a.lower() for a in r.rcpt_tos)]


class _FreePortController(Controller):
    """aiosmtpd's controller on port 0: it learns the port the system picked."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class SmtpServer:
    """A running server: where it listens and what it has received."""

    controller: Controller
    handler: Handler
    cafile: str | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.controller.port)

    def env(self, **extra: str) -> dict[str, str]:
        """``BRIEF_SMTP_*`` variables pointing at this server, fast retries."""
        env = {
            "BRIEF_SMTP_HOST": "127.0.0.1",
            "BRIEF_SMTP_PORT": str(self.port),
            "BRIEF_SMTP_SECURITY": "none",
            "BRIEF_SMTP_TIMEOUT": "5",
            "BRIEF_SMTP_BACKOFF": "0",
            "BRIEF_SMTP_TRIES": "3",
        }
        if self.cafile:
            env |= {"BRIEF_SMTP_SECURITY": "starttls", "BRIEF_SMTP_CAFILE": self.cafile}
        return env | extra


def start_server(handler: Handler, **kwargs: Any) -> Controller:
    """Start aiosmtpd on 127.0.0.1, on a port the system picks, with ``kwargs`` for SMTP."""
    controller = _FreePortController(handler, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    return controller


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word: the
    mail server that hangs before its greeting. It counts the connections it accepted."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)  # held open, never answered

    def stop(self) -> None:
        """Stop accepting and close every connection."""
        self._stop.set()
        self._thread.join()
        for connection in [*self.accepted, self.listener]:
            connection.close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A server that accepts connections and never answers (see :class:`SilentServer`)."""
    server = SilentServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server (no TLS, no login) on 127.0.0.1."""
    handler = Handler()
    controller = start_server(handler)
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()


@pytest.fixture
def password() -> str:
    """The password the TLS server accepts; tests check that it is never printed."""
    return PASSWORD


@pytest.fixture
def ca() -> trustme.CA:
    """A certificate authority made for this test."""
    return trustme.CA()


def _tls_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def tls_server(ca: trustme.CA, tmp_path) -> Iterator[SmtpServer]:
    """A server with a certificate signed by the test's own CA, requiring STARTTLS and login."""
    cafile = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    handler = Handler()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    controller = start_server(
        handler,
        tls_context=_tls_context(ca),
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    try:
        yield SmtpServer(controller, handler, str(cafile))
    finally:
        controller.stop()
