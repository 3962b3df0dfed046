"""``brief serve`` survives its clients: odd headers, clients that leave, silent clients,
many at once. A real server on 127.0.0.1, real sockets."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.authoring import preview
from generator.authoring.preview import PreviewServer, PreviewState, start_preview
from generator.settings import default_settings


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PreviewServer]:
    # The real limits, checked here; the tests then wait one second, not ten.
    assert preview._Handler.timeout == preview.CLIENT_TIMEOUT <= 30
    assert preview.PreviewServer.request_queue_size >= 200
    monkeypatch.setattr(preview._Handler, "timeout", 1.0)
    settings = default_settings(tmp_path)
    settings.output_dir.mkdir(parents=True)
    # Large enough that a client leaving at once finds the server still writing.
    page = "<html><body>" + "<p>briefing</p>" * 400_000 + "</body></html>"
    (settings.output_dir / "index.html").write_text(page, encoding="utf-8")
    running = start_preview(settings, PreviewState(), host="127.0.0.1", port=0)
    yield running
    running.shutdown()
    running.server_close()


def raw(server: PreviewServer, request: bytes, *, read: bool = True) -> bytes:
    """Send ``request`` as is; what the server answered (nothing, with ``read=False``)."""
    with socket.create_connection(server.server_address[:2], timeout=10) as connection:
        connection.sendall(request)
        if not read:
            return b""
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def get(server: PreviewServer, path: str = "/__brief__/version") -> int:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_malformed_host_header_is_refused_not_a_crash(server, capfd) -> None:
    answer = raw(server, b"GET / HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 421 ")
    assert get(server) == 200
    assert "Traceback" not in capfd.readouterr().err


def test_clients_that_leave_mid_answer_are_no_error(server, capfd) -> None:
    for _ in range(5):
        with socket.create_connection(server.server_address[:2]) as connection:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            connection.sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    time.sleep(0.5)
    assert get(server, "/index.html") == 200
    assert "Traceback" not in capfd.readouterr().err


def test_silent_clients_are_let_go_and_hold_no_thread(server, capfd) -> None:
    silent = [socket.create_connection(server.server_address[:2]) for _ in range(40)]
    try:
        started = time.monotonic()
        assert get(server) == 200  # answered although more clients sit silent than it serves
        assert time.monotonic() - started < 15
        for connection in silent:
            connection.settimeout(15)
            assert connection.recv(1) == b""  # closed by the server after its timeout
    finally:
        for connection in silent:
            connection.close()
    assert "Traceback" not in capfd.readouterr().err


def test_two_hundred_clients_at_once_are_all_answered(server) -> None:
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(get(server))) for _ in range(200)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * 200
    # A listen backlog of 5 made some wait for retried connections (1, 3, 7 s...).
    assert time.monotonic() - started < 30
