"""``brief serve`` and the two editions of a briefing with internal content: a real server
on 127.0.0.1 over an output folder holding ``x.internal.html`` and ``x.external.html``."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.authoring.preview import PreviewServer, PreviewState, start_preview
from generator.builder import BriefResult
from generator.settings import default_settings


@pytest.fixture
def state() -> PreviewState:
    return PreviewState()


@pytest.fixture
def server(tmp_path: Path, state: PreviewState) -> Iterator[PreviewServer]:
    settings = default_settings(tmp_path)
    settings.output_dir.mkdir(parents=True)
    for edition in ("internal", "external"):
        page = f"<html><body><p>{edition} edition</p></body></html>"
        (settings.output_dir / f"x.{edition}.html").write_text(page, encoding="utf-8")
    running = start_preview(settings, state, host="127.0.0.1", port=0, home="x.html")
    yield running
    running.shutdown()
    running.server_close()


def fetch(server: PreviewServer, path: str) -> tuple[int, dict[str, str], str]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def test_the_home_of_a_briefing_with_two_editions_is_its_internal_edition(server) -> None:
    status, headers, _ = fetch(server, "/")
    assert (status, headers["Location"]) == (302, "/x.internal.html")
    status, _, body = fetch(server, "/x.external.html")
    assert status == 200 and "external edition" in body


def test_a_failed_build_shows_on_both_editions(server, state: PreviewState) -> None:
    state.failures["x"] = BriefResult("x", "briefs/x.yaml", "failed", error="it broke")
    for name in ("x.internal.html", "x.external.html"):
        status, _, body = fetch(server, f"/{name}")
        assert status == 500 and "briefs/x.yaml cannot be built" in body
