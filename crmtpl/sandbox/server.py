"""The HTTP server: ``SandboxServer`` binds 127.0.0.1, serves in a thread, stops cleanly."""

from __future__ import annotations

import errno
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from crmtpl.errors import NetworkError, UsageError
from crmtpl.sandbox.api import SandboxApp
from crmtpl.sandbox.body import BodyProblem, read_body
from crmtpl.sandbox.database import Database
from crmtpl.sandbox.guard import RequestHead, checked_host, write_refusal
from crmtpl.sandbox.settings import DEFAULT_PORT, DEFAULT_TOKEN_TTL, HOST, default_data_dir
from crmtpl.sandbox.wire import SandboxRequest, SandboxResponse, api_error, header_problem

_log = logging.getLogger("crmtpl.sandbox")
_SECRET_PARAMS = re.compile(
    r"((?:client_secret|code|code_verifier|refresh_token|access_token|password|api_key)=)[^&]*"
)


@dataclass(frozen=True)
class RequestRecord:
    """One answered request, for the foreground log (secrets in the query are masked)."""

    method: str
    target: str
    status: int
    milliseconds: float

    def line(self) -> str:
        """``GET /none/api/v1/users 200 1.2ms``."""
        return f"{self.method} {self.target} {self.status} {self.milliseconds:.1f}ms"


class PortInUseError(NetworkError):
    """Something else listens on the port the sandbox was asked to use."""


class SandboxServer:
    """A sandbox CRM and helpdesk on ``http://127.0.0.1:<port>``.

    ``port=0`` picks a free port (see :attr:`port` after :meth:`start`). ``on_request`` is
    called after every answer; ``clock`` (Unix seconds) decides token expiry.
    """

    def __init__(
        self,
        port: int = DEFAULT_PORT,
        data_dir: Path | str | None = None,
        token_ttl: int = DEFAULT_TOKEN_TTL,
        *,
        on_request: Callable[[RequestRecord], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if token_ttl < 1:
            raise UsageError(f"token lifetime must be at least 1 second, not {token_ttl}")
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.token_ttl = token_ttl
        self._requested_port = port
        self._on_request = on_request
        self._clock = clock
        self._http: _SandboxHTTPServer | None = None
        self._database: Database | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on (the chosen one when started with port 0)."""
        if self._http is None:
            return self._requested_port
        return int(self._http.server_address[1])

    @property
    def instance_id(self) -> str:
        """The secret that ``/health`` wants before it shows the pid (empty before start)."""
        return "" if self._http is None else self._http.app.instance_id

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Open the database (seeding it on first use), bind the port, serve in a thread."""
        if self._http is not None:
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise UsageError(
                f"cannot create the data directory {self.data_dir}: {problem.strerror}",
                hint="choose another one with --data DIR",
            ) from None
        database = Database(self.data_dir, self._clock)
        try:
            http = _SandboxHTTPServer(
                (HOST, self._requested_port),
                SandboxApp(database, self.token_ttl, self.data_dir),
                self._on_request,
            )
        except OSError as problem:
            database.close()
            if problem.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"port {self._requested_port} on {HOST} is already in use",
                    hint="stop what uses it (`crmtpl sandbox status` shows a sandbox), or pick"
                    " another port with --port P; the example templates use 8765, so change"
                    " their base URL to match",
                ) from None
            raise NetworkError(
                f"cannot listen on {HOST}:{self._requested_port}: {problem.strerror}"
            ) from None
        self._database = database
        self._http = http
        self._thread = threading.Thread(
            target=http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"crmtpl-sandbox-{self.port}"
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, wait for the thread, close the port and the database."""
        http, thread, database = self._http, self._thread, self._database
        if http is None:
            return
        http.shutdown()
        if thread is not None:
            thread.join()
        http.server_close()
        if database is not None:
            database.close()
        self._http = self._thread = self._database = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


class _SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        app: SandboxApp,
        on_request: Callable[[RequestRecord], None] | None,
    ) -> None:
        self.app = app
        self.on_request = on_request
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP into :class:`SandboxRequest` and :class:`SandboxResponse` back into HTTP."""

    server: _SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    #: TCP_NODELAY: the headers and the body leave as separate writes, and on a kept-alive
    #: connection Nagle's algorithm held the body until the client's delayed ACK, 40 ms
    #: into every request after the first (a run's 4 requests took ~130 ms instead of ~5).
    disable_nagle_algorithm = True
    server_version = "crmtpl-sandbox"
    timeout = 30

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def _answer(self) -> None:
        started = time.perf_counter()
        response = self._response()
        self._send(response)
        if self.server.on_request is not None:
            elapsed = (time.perf_counter() - started) * 1000
            target = _SECRET_PARAMS.sub(r"\1***", _printable(self.path))
            self.server.on_request(RequestRecord(self.command, target, response.status, elapsed))

    def _response(self) -> SandboxResponse:
        """Host and origin checks, then the body, then the app; the connection closes on
        anything that leaves the request stream in doubt."""
        port = int(self.server.server_address[1])
        path = urlsplit(self.path).path or "/"
        head = RequestHead(self.command, path, lambda name: self.headers.get_all(name) or [])
        host = checked_host(head, port)
        if isinstance(host, SandboxResponse):
            self.close_connection = True
            return host
        refused = write_refusal(head, port)
        if refused is not None:
            self.close_connection = True
            return refused
        try:
            body = read_body(
                self.rfile,
                _single(self.headers.get_all("Content-Length")),
                _single(self.headers.get_all("Transfer-Encoding")),
            )
        except BodyProblem as problem:
            self.close_connection = True
            return api_error(problem.status, "invalid_request", str(problem))
        return self._dispatch(body, f"http://{host}")

    def _dispatch(self, body: bytes, base_url: str) -> SandboxResponse:
        parts = urlsplit(self.path)
        request = SandboxRequest(
            method=self.command,
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url=base_url,
        )
        try:
            return self.server.app.handle(request)
        except Exception:  # a bug in the sandbox must not kill the connection silently
            _log.exception("sandbox: unexpected error answering %s %s", self.command, self.path)
            return _internal_error()

    def _send(self, response: SandboxResponse) -> None:
        problem = header_problem(response.headers)
        if problem is not None:  # never split a header line, whatever an endpoint computed
            _log.error("sandbox: refused to send a response: %s", problem)
            response = _internal_error()
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log; ``on_request`` reports answered requests."""

    def log_error(self, format: str, *args: object) -> None:
        _log.debug("sandbox: " + format, *args)


def _single(values: list[str] | None) -> str | None:
    """A header's one value; repeated values are joined so that the body reader refuses
    them as malformed (``5, 7`` is not a length)."""
    if not values:
        return None
    return ", ".join(values)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _internal_error() -> SandboxResponse:
    return api_error(
        500,
        "server_error",
        "the sandbox could not answer this request; its output (or sandbox.log) has the"
        " details, please report them",
    )
