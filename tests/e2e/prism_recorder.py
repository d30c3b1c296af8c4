"""A recording pass-through in front of a Prism mock: what exactly did ``crmtpl run`` send,
and what did the vendor's contract say about it?

Prism validates every request against the vendor's OpenAPI spec and reports problems in
an ``sl-violations`` response header; the CLI does not print response headers, so the
end-to-end tests point the template's base URL at this recorder instead. It forwards each
request unchanged to Prism (loopback only, never a proxy), sends Prism's answer back, and
keeps an :class:`Exchange` per request: method, path, request headers and body, status and
the violations. Only violations located in the *request* concern the template; Prism also
reports where the vendor's own examples break the vendor's own schema (``response``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.e2e.peers import Reply, http

#: Request headers not forwarded: they describe this hop, not the request.
HOP_HEADERS = frozenset(
    {"host", "connection", "keep-alive", "content-length", "transfer-encoding", "accept-encoding"}
)


@dataclass(frozen=True)
class Exchange:
    """One request as Prism received it, and Prism's verdict."""

    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    status: int
    violations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def request_violations(self) -> list[dict[str, Any]]:
        """The violations about what was sent (path, query, headers, body, auth)."""
        return [v for v in self.violations if v.get("location", [])[:1] == ["request"]]

    @property
    def bare_path(self) -> str:
        """The request path without its query."""
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        """The decoded query parameters of the request path."""
        return dict(parse_qsl(urlsplit(self.path).query))

    @property
    def json_body(self) -> Any:
        """The request body as JSON."""
        return json.loads(self.body)

    def describe(self) -> str:
        """The exchange in one readable block, for assertion messages."""
        return (
            f"{self.method} {self.path} -> {self.status}\n"
            f"request violations: {json.dumps(self.request_violations, indent=1)}\n"
            f"body: {self.body[:1500]!r}"
        )


class PrismRecorder:
    """``with PrismRecorder(prism_url) as recorder:`` -> ``recorder.url`` to send to."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> PrismRecorder:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def take(self) -> list[Exchange]:
        """The exchanges recorded since the last call, oldest first."""
        with self._lock:
            taken, self.exchanges = self.exchanges, []
        return taken

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[Exchange, Reply]:
        """Send one request on to Prism, record the exchange, return Prism's reply."""
        reply = http(
            method,
            self.upstream + path,
            headers={k: v for k, v in headers.items() if k not in HOP_HEADERS},
            data=body or None,
        )
        violations = json.loads(reply.headers.get("sl-violations", "[]"))
        exchange = Exchange(method, path, headers, body, reply.status, violations)
        with self._lock:
            self.exchanges.append(exchange)
        return exchange, reply

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                _, reply = recorder.forward(self.command, self.path, headers, body)
                self.send_response(reply.status)
                for name in ("content-type", "sl-violations"):
                    if name in reply.headers:
                        self.send_header(name, reply.headers[name])
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _relay

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the exchanges are recorded, not logged."""

        return Handler


def assert_accepted(exchanges: list[Exchange], *, count: int) -> None:
    """``count`` requests reached Prism, each answered 2xx with no request violation."""
    summary = "\n\n".join(exchange.describe() for exchange in exchanges)
    assert len(exchanges) == count, summary
    for exchange in exchanges:
        assert 200 <= exchange.status < 300, exchange.describe()
        assert exchange.request_violations == [], exchange.describe()
