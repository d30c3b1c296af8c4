"""What the sandbox refuses before a request reaches the CRM: other hosts, other origins.

The sandbox listens on 127.0.0.1, but a web page in the user's browser can still reach it:

* through **DNS rebinding**, a name such as ``attacker.example`` is made to resolve to
  127.0.0.1; the browser then sends ``Host: attacker.example``. Only the sandbox's own
  names are answered (``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT``), anything
  else gets 421, so links in answers always name the sandbox itself;
* with a **cross-origin write**: a page's form or ``fetch`` with ``text/plain`` POSTs
  without a CORS preflight. A write carrying an ``Origin`` (or ``Sec-Fetch-Site:
  cross-site``) that is not the sandbox's own is refused (403), and API writes must be
  ``application/json``, which a page cannot send to another origin without a preflight
  the sandbox never approves (415 for ``text/plain``, form and multipart bodies; a body
  without a Content-Type is read as JSON, as a template without the header sends it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from crmtpl.sandbox.settings import API_PATH
from crmtpl.sandbox.wire import SandboxResponse, api_error

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OWN_NAMES = ("127.0.0.1", "localhost", "[::1]")
_API_WRITE_PATH = re.compile(r"^/[^/]+" + re.escape(API_PATH) + r"(?:/|$)")


@dataclass(frozen=True)
class RequestHead:
    """The parts of a request the guard looks at (header names lower-case)."""

    method: str
    path: str
    headers: Callable[[str], list[str]]
    """Every value of a header, in the order received (an empty list when absent)."""


def own_hosts(port: int) -> frozenset[str]:
    """The ``Host`` values that name the sandbox on ``port`` (lower-case)."""
    hosts = {f"{name}:{port}" for name in _OWN_NAMES}
    if port == 80:
        hosts.update(_OWN_NAMES)
    return frozenset(hosts)


def own_origins(port: int) -> frozenset[str]:
    """The ``Origin`` values of the sandbox's own pages (``http://127.0.0.1:PORT``...)."""
    return frozenset(f"http://{host}" for host in own_hosts(port))


def checked_host(head: RequestHead, port: int) -> str | SandboxResponse:
    """The request's ``Host`` (lower-case) if it names the sandbox, else the refusal."""
    hosts = head.headers("host")
    if len(hosts) != 1:
        what = "has no Host header" if not hosts else "has more than one Host header"
        return api_error(400, "invalid_request", f"the request {what}; send exactly one")
    host = hosts[0].strip().lower()
    if host not in own_hosts(port):
        return api_error(
            421,
            "misdirected_request",
            "this sandbox answers only requests addressed to it:"
            f" 127.0.0.1:{port}, localhost:{port} or [::1]:{port}",
        )
    return host


def write_refusal(head: RequestHead, port: int) -> SandboxResponse | None:
    """Why a write from another origin, or a non-JSON API write, is refused; else None."""
    if head.method in _SAFE_METHODS:
        return None
    origins = head.headers("origin")
    if any(origin.strip().lower() not in own_origins(port) for origin in origins):
        return api_error(
            403,
            "cross_origin_write",
            "writes from another web origin are refused: a web page must not change the"
            " sandbox's data (use crmtpl, curl or the sandbox's own pages)",
        )
    if any(site.strip().lower() == "cross-site" for site in head.headers("sec-fetch-site")):
        return api_error(403, "cross_origin_write", "writes from another web site are refused")
    if _API_WRITE_PATH.match(head.path) and not _json_or_unlabelled(head.headers("content-type")):
        return api_error(
            415,
            "unsupported_media_type",
            "API writes must be sent as JSON: add the header Content-Type: application/json",
        )
    return None


def _json_or_unlabelled(content_types: list[str]) -> bool:
    """JSON, or no Content-Type at all (what a template without the header sends).

    Every type a web page can send cross-origin without a preflight (``text/plain``, form
    and multipart bodies) is refused; a browser never sends a body without a type *and*
    without an ``Origin``, which :func:`write_refusal` checks first.
    """
    if not content_types:
        return True
    if len(content_types) != 1:
        return False
    media_type = content_types[0].split(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
