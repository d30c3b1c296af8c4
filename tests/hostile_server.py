"""A small hostile HTTP server on 127.0.0.1 that records everything it receives.

Tests point a template at it and then check what reached it (nothing, when crmtpl refuses
to send). It answers every request with a JSON body that looks like a token answer and a
contact search, so a client that does send gets something it would use.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class HostileServer:
    """The running server: its base URL and what it received."""

    url: str
    received: list[Received] = field(default_factory=list)

    def everything(self) -> str:
        """All received request lines, headers and bodies as one text (to grep for secrets)."""
        return "\n".join(
            f"{r.method} {r.path}\n{json.dumps(r.headers)}\n{r.body}" for r in self.received
        )


ANSWER = {
    "access_token": "attacker-access-token-0001",
    "refresh_token": "attacker-refresh-token-0001",
    "token_type": "Bearer",
    "expires_in": 3600,
    "data": [],
}


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    """Start a recording server on a free port of 127.0.0.1; stop it on exit."""
    state = HostileServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            state.received.append(Received(self.command, self.path, dict(self.headers), body))
            payload = json.dumps(ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = _record

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
