"""What a redirect may carry: crmtpl's rule, and what Go's ``net/http`` (the PBX) does.

crmtpl follows redirects itself (``crmtpl.http``) so that it decides, hop by hop, which
headers go on. Its rule: a header that carries a secret never goes to another origin
(scheme, host and port). A header carries a secret when

* its name is one of ``Authorization``, ``Proxy-Authorization``, ``Cookie``,
  ``WWW-Authenticate``, or any header :func:`crmtpl.secrets.is_sensitive_header` names
  (``X-Api-Key``, ``X-Auth-Token``...), or
* its value contains a value the secrecy policy knows as secret (a custom field such as
  ``api_key``, a token), in any encoding the :class:`~crmtpl.secrets.Masker` knows.

Go's client is less careful: "when following redirects, the Client will forward all headers
set on the initial Request except when forwarding sensitive headers like Authorization,
WWW-Authenticate, and Cookie to untrusted targets" (a domain that is neither the initial one
nor a subdomain of it). A custom header such as ``X-Api-Key`` therefore reaches the other
host from the PBX; :func:`go_would_forward` names those headers so that a run can warn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crmtpl.secrets import Masker, is_sensitive_header

#: Followed redirect statuses (as Go's client: 301, 302, 303, 307, 308).
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Headers never forwarded to another origin, whatever their value.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "cookie2"})
#: What Go drops on a redirect to an untrusted domain (net/http shouldCopyHeaderOnRedirect).
GO_DROPPED_HEADERS = frozenset({"authorization", "www-authenticate", "cookie", "cookie2"})
_BODY_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding"})

Header = tuple[str, str]


@dataclass
class RedirectHop:
    """One redirect followed: where from, where to, and the headers left behind."""

    status: int
    from_url: str
    to_url: str
    left_origin: bool
    dropped_headers: list[str] = field(default_factory=list)
    #: Headers crmtpl dropped that Go's client (the PBX) would still have sent there.
    go_would_forward: list[str] = field(default_factory=list)


def origin(url: str) -> tuple[str, str, int | None]:
    """The origin of a URL: scheme, host (lower case) and port (the default one filled in)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def carries_secret(name: str, value: str, masker: Masker) -> bool:
    """True when a header must not leave its origin (by its name, or a secret in its value)."""
    lowered = name.strip().lower()
    if lowered in CREDENTIAL_HEADERS or lowered == "www-authenticate":
        return True
    return is_sensitive_header(name) or masker.text(value) != value


def _go_trusts(initial_url: str, new_url: str) -> bool:
    """Go forwards sensitive headers to the initial domain and its subdomains only."""
    initial = (urlsplit(initial_url).hostname or "").lower()
    new = (urlsplit(new_url).hostname or "").lower()
    return new == initial or new.endswith("." + initial)


def go_would_forward(initial_url: str, new_url: str, dropped: Iterable[str]) -> list[str]:
    """Of the headers crmtpl dropped, those Go's ``net/http`` would send to ``new_url``."""
    if _go_trusts(initial_url, new_url):
        return list(dropped)
    return [name for name in dropped if name.lower() not in GO_DROPPED_HEADERS]


def redirect_method(status: int, method: str) -> tuple[str, bool]:
    """The method of the next hop and whether the body goes with it (as Go decides)."""
    if status in (307, 308):
        return method, True
    if method in ("GET", "HEAD"):
        return method, False
    return "GET", False


def next_hop_headers(
    headers: Sequence[Header],
    *,
    initial_url: str,
    from_url: str,
    to_url: str,
    status: int,
    keep_body: bool,
    masker: Masker,
) -> tuple[list[Header], RedirectHop]:
    """The headers to send on the next hop, and the record of the hop."""
    left = origin(from_url) != origin(to_url)
    kept: list[Header] = []
    dropped: list[str] = []
    for name, value in headers:
        if not keep_body and name.lower() in _BODY_HEADERS:
            continue
        if left and carries_secret(name, value, masker):
            if name not in dropped:
                dropped.append(name)
            continue
        kept.append((name, value))
    hop = RedirectHop(
        status=status,
        from_url=from_url,
        to_url=to_url,
        left_origin=left,
        dropped_headers=dropped,
        go_would_forward=go_would_forward(initial_url, to_url, dropped),
    )
    return kept, hop
