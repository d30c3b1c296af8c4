"""Receiving the OAuth2 redirect on this machine: a loopback HTTP server for one login.

The browser is sent back to the redirect URI the user registered with the CRM (default
``http://127.0.0.1:9999/callback``). When that URI points at this machine, crmtpl listens
there (a stdlib ``http.server``, loopback only) until the redirect *of this login* arrives:
the first request to the registered path whose ``state`` is the one crmtpl sent, be it a
code or an ``error=``. Any web page can make the browser request a loopback URL (an
``<img src=http://127.0.0.1:9999/callback>``), so everything else is answered and ignored:
other paths get a 404 (the browser's ``/favicon.ico``), a wrong or missing ``state`` a 400,
and the wait goes on. Each connection has its own thread and an idle timeout, so a
connection that sends nothing holds up neither the login nor its end.
"""

from __future__ import annotations

import html
import http.server
import ipaddress
import secrets
import socket
import threading
from urllib.parse import urlsplit

from crmtpl.controlchars import make_visible
from crmtpl.creds.oauth import redirect_params
from crmtpl.errors import AuthError, UsageError

DEFAULT_WAIT_SECONDS = 300.0
#: A connection that sends no complete request within this time is closed.
IDLE_CONNECTION_SECONDS = 10.0

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


class _Server(http.server.ThreadingHTTPServer):
    """One daemon thread per connection; closing never waits for a stuck one."""

    daemon_threads = True
    block_on_close = False


class _ServerV6(_Server):
    address_family = socket.AF_INET6


class LoopbackReceiver:
    """Waits for the redirect of one login (its ``state``) to ``redirect_uri`` here.

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
        self._ignored = 0
        self._lock = threading.Lock()
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
        server_class = _ServerV6 if ":" in self.host else _Server
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
            ignored = (
                f" ({self._ignored} request{'s' if self._ignored != 1 else ''} with a wrong "
                "or missing state were ignored)"
                if self._ignored
                else ""
            )
            raise AuthError(
                f"no redirect reached {self.redirect_uri} within {self.timeout:g} s{ignored}",
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
        """Take the redirect of this login, ignore any other; the page to show for it."""
        params = redirect_params(urlsplit(target).query)
        state = params.get("state", "")
        if not secrets.compare_digest(state.encode(), self.expected_state.encode()):
            with self._lock:
                self._ignored += 1
            return (
                400,
                "Not this login",
                "This request does not belong to the login crmtpl started (its state does not "
                "match), so crmtpl ignored it and still waits for the real redirect.",
            )
        with self._lock:
            if self._done.is_set():
                return 409, "Already done", "crmtpl already received the redirect; close this tab."
            self._received = f"http://{self.host}:{self.port}{target}"
            self._done.set()
        if "error" in params:
            reason = make_visible(params.get("error_description") or params["error"])
            return 400, "Login refused", f"The CRM refused the login: {reason}."
        return (
            200,
            "Signed in",
            "crmtpl received the authorization. You can close this tab and go back to the "
            "terminal.",
        )

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = IDLE_CONNECTION_SECONDS

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
