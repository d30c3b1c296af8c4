"""A contacts API that accepts only tokens an OAuth2 server vouches for (RFC 7662).

Each request's ``Authorization: Bearer <token>`` is checked at the authorization server's
introspection endpoint; an inactive or missing token gets ``401 {"error": "invalid_token"}``
(what the example template's TokenErrorMap looks for). Stdlib only, 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
import urllib.parse
import urllib.request
from typing import Any

CONTACTS = [
    {
        "id": "c-1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company": "Analytical Engines",
        "email": "ada@example.test",
        "phone": "+15550100",
    },
    {
        "id": "c-2",
        "first_name": "Charles",
        "last_name": "Babbage",
        "company": "Difference Engines",
        "email": "charles@example.test",
        "phone": "+15550199",
    },
]
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ResourceServer:
    """``GET /contacts?phone=N`` for holders of an active token of ``issuer``."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self.accepted: list[str] = []
        self.rejected: list[str] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The API's base URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ResourceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token_is_active(self, token: str) -> bool:
        """Ask the authorization server (introspection, client_secret_basic)."""
        request = urllib.request.Request(
            f"{self.issuer}/token/introspection",
            data=urllib.parse.urlencode({"token": token}).encode(),
            headers={
                "Authorization": f"Basic {self._basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with _NO_PROXY.open(request, timeout=10) as answer:
            return bool(json.load(answer).get("active"))

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
                if scheme.lower() != "bearer" or not token or not server.token_is_active(token):
                    server.rejected.append(token)
                    self._json(401, {"error": "invalid_token", "error_description": "inactive"})
                    return
                server.accepted.append(token)
                if parts.path != "/contacts":
                    self._json(404, {"error": "not_found"})
                    return
                phone = urllib.parse.parse_qs(parts.query).get("phone", [""])[0]
                found = [c for c in CONTACTS if phone and c["phone"] == phone]
                self._json(200, {"data": found})

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        return Handler
