"""``brief serve``: a local preview of the built briefings that reloads itself.

A small HTTP server answers from the output folder only (``index.html``, ``<id>.html``,
``<id>.pdf``). Every HTML page it serves gets a short script, added to the response and
never to the files, that asks ``/__brief__/version`` once a second and reloads the page
when a rebuild has happened. A briefing whose last build failed is answered with a page
listing its problems (status 500) instead of the stale file. The server listens on
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import html
import logging
import re
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from generator.errors import GeneratorError, OutputError
from generator.writer import output_path

if TYPE_CHECKING:
    from generator.authoring.watch import Rebuild
    from generator.builder import BriefResult
    from generator.settings import Settings

log = logging.getLogger(__name__)

VERSION_PATH = "/__brief__/version"
#: Host names a loopback-only server answers to; any other ``Host`` header is refused, so
#: a web page cannot read the briefings through a name it points at 127.0.0.1.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
#: Seconds a client may stay silent before its connection is closed: a connection that
#: never sends a request must not hold a thread for ever.
CLIENT_TIMEOUT = 10.0
#: Requests answered at once; further connections wait in the listen queue.
MAX_CLIENTS = 32
#: Connections the kernel queues before refusing: a page and its reload polling, several
#: tabs, a link checker, never a 15-second wait for a retried connection.
LISTEN_BACKLOG = 256
#: A client that goes away mid-answer is its own business, not an error of the preview.
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
_SERVABLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(html|pdf)$")
#: The edition part of an output's name (``x.internal``): the briefing is ``x``.
_EDITION = re.compile(r"\.(internal|external)$")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
_RELOAD_SCRIPT = """<script>/* brief serve: reload after a rebuild */
(function () {
  var seen = "%s";
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(
      function (now) { if (now !== seen) { location.reload(); } else { setTimeout(poll, 1000); } },
      function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
</script>
"""
#: The tracker's policy (templates/index.html): where the reload script joins its own.
_POLICY_SCRIPTS = re.compile(
    r'(?<=<meta http-equiv="Content-Security-Policy" content=")[^"]*script-src '
)
_POLICY_END = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*)(">)')
_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(title)s</title>
<style>
body { font-family: sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.4rem; color: #8b0000; }
pre { white-space: pre-wrap; background: #f6f6f6; border-left: 4px solid #8b0000;
      padding: 1rem; line-height: 1.5; }
</style>
</head>
<body>
<h1>%(title)s</h1>
<p>Fix the problems below and save: this page rebuilds and reloads by itself.</p>
<pre>%(problems)s</pre>
</body>
</html>
"""


@dataclass
class PreviewState:
    """What the server knows about the builds: a version that changes with every build,
    the briefings whose last build failed, and an error that stopped a whole build."""

    version: int = 0
    failures: dict[str, BriefResult] = field(default_factory=dict)
    build_error: GeneratorError | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, rebuild: Rebuild) -> None:
        """Take in the outcome of one build."""
        with self.lock:
            self.version += 1
            self.build_error = rebuild.error
            if rebuild.report is None:
                return
            if not rebuild.ids:
                self.failures.clear()
            for result in rebuild.report.results:
                if result.status == "failed":
                    self.failures[result.brief_id] = result
                else:
                    self.failures.pop(result.brief_id, None)

    def problems(self, brief_id: str | None) -> tuple[str, list[str]] | None:
        """``(title, lines)`` of the problems to show for ``brief_id``, or None if none."""
        with self.lock:
            if self.build_error is not None:
                error = self.build_error
                return "The build stopped", [str(error), *(d.format() for d in error.diagnostics)]
            result = self.failures.get(brief_id) if brief_id else None
        if result is None:
            return None
        lines = [d.format() for d in result.diagnostics]
        if result.error:
            lines.append(result.error)
        return f"{result.display} cannot be built", lines


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server, bound to one address, serving one output folder."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self, address: tuple[str, int], settings: Settings, state: PreviewState, home: str
    ) -> None:
        super().__init__(address, _Handler)
        self.settings = settings
        self.state = state
        self.home = home
        self._slots = threading.BoundedSemaphore(MAX_CLIENTS)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Answer in a thread of its own, at most ``MAX_CLIENTS`` at once."""
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that disconnected or fell silent is logged quietly; anything else is a
        fault of the preview and keeps its traceback."""
        if isinstance(sys.exc_info()[1], _CLIENT_GONE):
            log.debug("%s went away", client_address[0])
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"


def start_preview(
    settings: Settings, state: PreviewState, *, host: str, port: int, home: str = "index.html"
) -> PreviewServer:
    """Bind the server and start answering in a background thread; ``home`` is the page
    ``/`` shows. Raises :class:`GeneratorError` when the address cannot be used."""
    try:
        server = PreviewServer((host, port), settings, state, home)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GeneratorError(f"cannot listen on {host}:{port}: {reason}") from None
    threading.Thread(target=server.serve_forever, name="brief-serve", daemon=True).start()
    return server


def with_reload(page: bytes, version: int) -> bytes:
    """``page`` with the reload script added before its last ``</body>``; a page with a
    Content-Security-Policy (the tracker allows its own script alone) allows it too."""
    script = _RELOAD_SCRIPT % (version, VERSION_PATH)
    text = page.decode("utf-8", errors="replace")
    ends = list(_BODY_END.finditer(text))
    at = ends[-1].start() if ends else len(text)
    return _allow(text[:at] + script + text[at:], script).encode("utf-8")


def _allow(text: str, script: str) -> str:
    """``text`` whose policy, if any, allows ``script`` (by its hash) and its polling."""
    import base64
    import hashlib

    code = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    allowed = f"\\g<0>'sha256-{digest}' "
    text = _POLICY_SCRIPTS.sub(allowed, text, count=1)
    return _POLICY_END.sub("\\g<1>; connect-src 'self'\\g<2>", text, count=1)


def error_page(title: str, lines: list[str]) -> bytes:
    """A page listing problems; everything from the input is escaped."""
    problems = "\n".join(html.escape(line) for line in lines)
    page = _ERROR_PAGE % {"title": html.escape(title), "problems": problems}
    return page.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the output folder, the version endpoint and error pages."""

    server: PreviewServer
    server_version = "brief-serve"
    timeout = CLIENT_TIMEOUT

    def do_GET(self) -> None:
        """Answer a GET request."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD request."""
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are logged at debug level, not printed."""
        log.debug("%s " + format, self.address_string(), *args)

    def _answer(self, *, send_body: bool) -> None:
        if not self._host_allowed():
            page = error_page("Unknown host", ["this preview answers to 127.0.0.1 only"])
            return self._send(
                HTTPStatus.MISDIRECTED_REQUEST, _CONTENT_TYPES["html"], page, send_body
            )
        path = unquote(urlsplit(self.path).path)
        state = self.server.state
        if path == VERSION_PATH:
            return self._send(HTTPStatus.OK, "text/plain", str(state.version).encode(), send_body)
        name = path.lstrip("/") or self.server.home
        if path == "/" and self.server.home != "index.html":
            return self._redirect("/" + self._home())
        match = _SERVABLE.match(name)
        if match is None:
            return self._not_found(send_body)
        brief_id = None if name == "index.html" else _EDITION.sub("", name.rsplit(".", 1)[0])
        problems = state.problems(brief_id)
        if problems is not None:
            page = with_reload(error_page(*problems), state.version)
            status = HTTPStatus.INTERNAL_SERVER_ERROR
            return self._send(status, _CONTENT_TYPES["html"], page, send_body)
        return self._send_file(name, match.group(1), send_body)

    def _home(self) -> str:
        """The briefing's page: ``x.html``, or its internal edition when it has two."""
        home = self.server.home
        internal = home.removesuffix(".html") + ".internal.html"
        output = self.server.settings.output_dir
        if not (output / home).exists() and (output / internal).exists():
            return internal
        return home

    def _host_allowed(self) -> bool:
        if self.server.server_address[0] not in LOOPBACK_NAMES:
            return True  # listening elsewhere was asked for with --host
        try:
            host = urlsplit(f"//{self.headers.get('Host', '')}").hostname or ""
        except ValueError:  # ``Host: [::1`` and the like: no host this preview answers to
            return False
        return host in LOOPBACK_NAMES

    def _send_file(self, name: str, kind: str, send_body: bool) -> None:
        try:
            data = output_path(self.server.settings.output_dir, name).read_bytes()
        except (OSError, OutputError):
            return self._not_found(send_body)
        if kind == "html":
            data = with_reload(data, self.server.state.version)
        self._send(HTTPStatus.OK, _CONTENT_TYPES[kind], data, send_body)

    def _not_found(self, send_body: bool) -> None:
        page = error_page("Not found", [f"{self.path} is not a briefing of this project"])
        self._send(HTTPStatus.NOT_FOUND, _CONTENT_TYPES["html"], page, send_body)

    def _redirect(self, target: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)
