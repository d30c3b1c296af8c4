"""Receiving the OAuth2 redirect on this machine: a one-shot loopback HTTP server.

The browser is sent back to the redirect URI the user registered with the CRM (default
``http://127.0.0.1:9999/callback``). When that URI points at this machine, crmtpl listens
there (a stdlib ``http.server`` on a thread, loopback only), takes the first request to
the registered path, answers with a short page, and stops. Requests to other paths (the
browser's ``/favicon.ico``) get a 404 and do not end the wait.
"""

from __future__ import annotations

import html
import http.server
import ipaddress
import secrets
import socket
import threading
from urllib.parse import urlsplit

from crmtpl.creds.oauth import redirect_params
from crmtpl.errors import AuthError, UsageError

DEFAULT_WAIT_SECONDS = 300.0

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>crmtpl: {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}}
h1{{font-size:1.4em}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""


def is_loopback_uri(uri: str) -> bool:
    """True when a redirect URI points at this machine over plain HTTP."""
    parts = urlsplit(uri)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def check_redirect_uri(uri: str) -> str:
    """The redirect URI if it is an absolute http(s) URL; a usage error otherwise."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--redirect-uri {uri!r} is not an absolute http:// or https:// URL",
            hint="e.g. --redirect-uri http://127.0.0.1:9999/callback",
        )
    return uri


class _ServerV6(http.server.HTTPServer):
    address_family = socket.AF_INET6


class LoopbackReceiver:
    """Waits for one redirect to ``redirect_uri`` on this machine.

    Use as a context manager: ``start()`` binds the port (so a busy port is reported before
    the browser opens), ``wait()`` returns the full redirect URL the browser requested.
    """

    def __init__(
        self,
        redirect_uri: str,
        *,
        expected_state: str,
        timeout: float = DEFAULT_WAIT_SECONDS,
    ) -> None:
        if not is_loopback_uri(redirect_uri):
            raise UsageError(f"{redirect_uri} is not a loopback http:// URI")
        parts = urlsplit(redirect_uri)
        self.redirect_uri = redirect_uri
        self.path = parts.path or "/"
        self.host = "127.0.0.1" if parts.hostname == "localhost" else (parts.hostname or "")
        self.port = parts.port or 80
        self.timeout = timeout
        self.expected_state = expected_state
        self._received: str | None = None
        self._done = threading.Event()
        self._server: http.server.HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LoopbackReceiver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Listen on the redirect URI's host and port."""
        server_class = _ServerV6 if ":" in self.host else http.server.HTTPServer
        try:
            self._server = server_class((self.host, self.port), self._handler_class())
        except OSError as problem:
            raise AuthError(
                f"cannot listen for the OAuth2 redirect on {self.host}:{self.port}: "
                f"{problem.strerror or problem}",
                hint="another program uses that port: stop it, or register another redirect "
                "URI with the CRM and pass it with --redirect-uri; or use --no-browser",
            ) from None
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="crmtpl-oauth-redirect",
            daemon=True,
        )
        self._thread.start()

    def wait(self) -> str:
        """The redirect URL the browser was sent to; AuthError after ``timeout`` seconds."""
        if not self._done.wait(self.timeout):
            raise AuthError(
                f"no redirect reached {self.redirect_uri} within {self.timeout:g} s",
                hint="finish the login in the browser; if it shows an error about the "
                "redirect URI, register this one with the CRM app (or pass the registered "
                "one with --redirect-uri); on a machine without a browser use --no-browser",
            )
        assert self._received is not None
        return self._received

    def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _accept(self, target: str) -> tuple[int, str, str]:
        """Record a redirect; return the status, title and text of the page to show."""
        params = redirect_params(urlsplit(target).query)
        if self._done.is_set():
            return 409, "Already done", "crmtpl already received a redirect; close this tab."
        self._received = f"http://{self.host}:{self.port}{target}"
        self._done.set()
        if "error" in params:
            reason = params.get("error_description") or params["error"]
            return 400, "Login refused", f"The CRM refused the login: {reason}."
        state = params.get("state", "")
        if not secrets.compare_digest(state.encode(), self.expected_state.encode()):
            return (
                400,
                "Login not accepted",
                "This redirect does not belong to the login crmtpl started (state mismatch). "
                "Run crmtpl auth login again.",
            )
        return (
            200,
            "Signed in",
            "crmtpl received the authorization. You can close this tab and go back to the "
            "terminal.",
        )

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if urlsplit(self.path).path != receiver.path:
                    self._page(404, "Not found", "This is crmtpl's OAuth2 redirect receiver.")
                    return
                status, title, text = receiver._accept(self.path)
                self._page(status, title, text)

            def _page(self, status: int, title: str, text: str) -> None:
                body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Silence: the request line carries the authorization code."""

        return Handler
