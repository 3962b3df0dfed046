"""The SMTP transport against a real server: each answer becomes the right outcome."""

from __future__ import annotations

import socket
import threading
from email.message import EmailMessage

import pytest

from generator.config.smtp import smtp_from_env
from generator.delivery.transport import (
    SmtpSetupError,
    SmtpTransport,
    SmtpUnreachable,
    backoff_delay,
)

from .conftest import Handler, SmtpServer, free_port, start_server

SENDER = "desk@example.org"


def _message(to: str = "ann@example.org") -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, to, "Test"
    message.set_content("Hello.\n")
    return message.as_bytes()


def test_accepted_message_reaches_the_server(smtp_server):
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        outcome = transport.send(SENDER, "ann@example.org", _message())
    assert outcome.kind == "sent"
    assert outcome.reply.startswith("250 2.0.0 queued as 1")
    [got] = smtp_server.handler.received
    assert got.rcpt_tos == ("ann@example.org",)
    assert got.message["Subject"] == "Test"


def test_one_connection_serves_several_messages(smtp_server):
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        for name in ("ann", "bob", "cy"):
            assert transport.send(SENDER, f"{name}@example.org", _message()).kind == "sent"
    assert len(smtp_server.handler.received) == 3


def test_temporary_data_reply_is_temporary(smtp_server):
    smtp_server.handler.data_script = ["451 4.3.0 try later"]
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        first = transport.send(SENDER, "ann@example.org", _message())
        second = transport.send(SENDER, "ann@example.org", _message())
    assert (first.kind, first.reply) == ("temporary", "451 4.3.0 try later")
    assert second.kind == "sent"
    assert len(smtp_server.handler.received) == 1


def test_refused_recipient_is_permanent(smtp_server):
    smtp_server.handler.refuse = {"bob@example.org": "550 5.1.1 user unknown"}
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        outcome = transport.send(SENDER, "bob@example.org", _message("bob@example.org"))
        after = transport.send(SENDER, "ann@example.org", _message())
    assert (outcome.kind, outcome.reply) == ("permanent", "550 5.1.1 user unknown")
    assert after.kind == "sent"
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [("ann@example.org",)]


def test_drop_after_data_is_ambiguous(smtp_server):
    smtp_server.handler.data_script = ["drop"]
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        outcome = transport.send(SENDER, "ann@example.org", _message())
        again = transport.send(SENDER, "ann@example.org", _message())
    assert outcome.kind == "ambiguous"
    assert "after the message was sent" in outcome.reply
    assert again.kind == "sent"


def test_no_listener_is_unreachable():
    port = free_port()
    env = {
        "BRIEF_SMTP_HOST": "127.0.0.1",
        "BRIEF_SMTP_PORT": str(port),
        "BRIEF_SMTP_SECURITY": "none",
        "BRIEF_SMTP_TIMEOUT": "2",
    }
    with pytest.raises(SmtpUnreachable) as caught:
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    assert caught.value.reason == (
        f"the mail server 127.0.0.1:{port} (none) refused the connection "
        f"(nothing listens on port {port})"
    )


def test_unknown_host_is_unreachable():
    env = {"BRIEF_SMTP_HOST": "no-such-host.invalid", "BRIEF_SMTP_SECURITY": "none"}
    with pytest.raises(SmtpUnreachable, match=r"no-such-host\.invalid:25 \(none\) cannot be found"):
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())


def test_silent_server_is_unreachable_after_one_timeout(silent_server):
    env = {
        "BRIEF_SMTP_HOST": "127.0.0.1",
        "BRIEF_SMTP_PORT": str(silent_server.port),
        "BRIEF_SMTP_SECURITY": "none",
        "BRIEF_SMTP_TIMEOUT": "1",
    }
    with pytest.raises(SmtpUnreachable, match=r"did not answer within 1 s \(BRIEF_SMTP_TIMEOUT\)"):
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    assert len(silent_server.accepted) == 1


def test_server_answering_421_at_the_greeting_is_unreachable():
    listener = socket.create_server(("127.0.0.1", 0))

    def greet_busy():
        connection, _ = listener.accept()
        with connection:
            connection.sendall(b"421 4.3.2 too busy, come back later\r\n")

    thread = threading.Thread(target=greet_busy, daemon=True)
    thread.start()
    env = {
        "BRIEF_SMTP_HOST": "127.0.0.1",
        "BRIEF_SMTP_PORT": str(listener.getsockname()[1]),
        "BRIEF_SMTP_SECURITY": "none",
        "BRIEF_SMTP_TIMEOUT": "5",
    }
    try:
        with pytest.raises(SmtpUnreachable) as caught:
            SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    finally:
        thread.join(10)
        listener.close()
    assert caught.value.reason.endswith("is not taking mail: 421 4.3.2 too busy, come back later")


def test_a_refusal_keeps_the_connection_for_the_next_recipient(smtp_server):
    smtp_server.handler.refuse = {"bob@example.org": "550 5.1.1 user unknown"}
    smtp_server.handler.data_script = ["451 4.3.0 try later"]
    with SmtpTransport(smtp_from_env(smtp_server.env())) as transport:
        outcomes = [
            transport.send(SENDER, f"{name}@example.org", _message(f"{name}@example.org"))
            for name in ("ann", "bob", "cy", "dee")
        ]
    assert [o.kind for o in outcomes] == ["temporary", "permanent", "sent", "sent"]
    assert not any(o.broken for o in outcomes)
    assert smtp_server.handler.ehlo_calls == 1


def test_server_that_hangs_times_out(smtp_server):
    smtp_server.handler.data_script = ["hang"]
    env = smtp_server.env(BRIEF_SMTP_TIMEOUT="1")
    with SmtpTransport(smtp_from_env(env)) as transport:
        outcome = transport.send(SENDER, "ann@example.org", _message())
    assert (outcome.kind, outcome.broken) == ("ambiguous", True)
    assert "timed out after 1 s" in outcome.reply


def test_starttls_with_trusted_ca_and_login(tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password)
    with SmtpTransport(smtp_from_env(env)) as transport:
        assert transport.send(SENDER, "ann@example.org", _message()).kind == "sent"
    assert len(tls_server.handler.received) == 1


def test_self_signed_certificate_is_refused_without_cafile(tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password)
    del env["BRIEF_SMTP_CAFILE"]
    with pytest.raises(SmtpSetupError, match=r"not trusted.*BRIEF_SMTP_CAFILE"):
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    assert tls_server.handler.received == []


def test_wrong_password_is_a_setup_error_that_never_shows_the_password(tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD="wrong-" + password)
    with pytest.raises(SmtpSetupError) as caught:
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    assert "refused the login: 535" in str(caught.value)
    assert password not in str(caught.value) and password not in repr(caught.value)


def test_starttls_required_but_not_offered_is_refused(smtp_server):
    env = smtp_server.env(BRIEF_SMTP_SECURITY="starttls")
    with pytest.raises(SmtpSetupError, match="does not offer STARTTLS"):
        SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", _message())
    assert smtp_server.handler.received == []


def test_probe_logs_in_and_sends_nothing(tls_server, password):
    env = tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password)
    lines = SmtpTransport(smtp_from_env(env)).probe()
    assert any("AUTH" in line for line in lines)
    assert tls_server.handler.received == [] and tls_server.handler.rcpt_calls == 0


def test_settings_repr_hides_the_password(tls_server, password):
    settings = smtp_from_env(tls_server.env(BRIEF_SMTP_USER="desk", BRIEF_SMTP_PASSWORD=password))
    assert password not in repr(settings)
    assert password not in settings.describe()
    assert password not in repr(SmtpTransport(settings))


def test_backoff_doubles_and_is_capped():
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, 2.0, cap=10.0, rng=rng) for n in range(1, 6)]
    assert 1.0 <= delays[0] <= 2.0 and 2.0 <= delays[1] <= 4.0
    assert all(d <= 10.0 for d in delays)
    assert backoff_delay(3, 0.0) == 0.0


def test_message_over_the_servers_size_limit_is_refused_before_data():
    handler = Handler()
    controller = start_server(handler, data_size_limit=2000)
    try:
        env = SmtpServer(controller, handler).env()
        big = _message() + b"x" * 3000
        outcome = SmtpTransport(smtp_from_env(env)).send(SENDER, "ann@example.org", big)
    finally:
        controller.stop()
    assert outcome.kind == "permanent"
    assert "KiB is over the server's limit of 1.95 KiB (SIZE 2000)" in outcome.reply
    assert handler.rcpt_calls == 0 and handler.data_calls == 0


def test_refused_sender_is_permanent(smtp_server):
    async def refuse_mail(server, session, envelope, address, mail_options):
        return "550 5.7.1 sender not allowed"

    smtp_server.handler.handle_MAIL = refuse_mail
    outcome = SmtpTransport(smtp_from_env(smtp_server.env())).send(
        SENDER, "a@example.org", _message()
    )
    assert (outcome.kind, outcome.reply) == ("permanent", "550 5.7.1 sender not allowed")
    assert smtp_server.handler.rcpt_calls == 0
