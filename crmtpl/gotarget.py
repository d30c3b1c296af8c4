"""The request target (path) Go's ``net/http`` client puts on the wire for a URL.

Go parses the URL with ``net/url`` and sends ``URL.RequestURI()``: the path *as written*
when it is a valid encoding (``EscapedPath`` keeps ``RawPath``), so dot segments such as
``/api/contacts/../../admin`` reach the server unchanged. httpx (like a browser) removes
them (``/admin``). A phone number ``../../admin`` in a template's URL path would then reach
another endpoint from crmtpl than from the PBX; crmtpl sends what the PBX sends.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: Characters Go's ``validEncoded`` accepts as written in a path (plus ``%XX`` escapes).
_VALID_PATH = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/]|%[0-9A-Fa-f]{2})*$")
#: What Go's ``escape(path, encodePath)`` leaves as it is.
_PATH_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@"
)


def _go_escape_path(path: str) -> str:
    """Go's ``url.escape(path, encodePath)`` of an unescaped path."""
    out: list[str] = []
    for byte in path.encode("utf-8"):
        char = chr(byte)
        out.append(char if char in _PATH_SAFE else f"%{byte:02X}")
    return "".join(out)


def go_path(url: str) -> str:
    """The path Go sends for ``url``: as written when validly encoded, else Go-escaped."""
    raw = urlsplit(url).path
    if not raw:
        return "/"
    if _VALID_PATH.match(raw):
        return raw
    return _go_escape_path(unquote(raw))


def go_request_target(url: str, encoded_query: str) -> bytes:
    """The request target: Go's path and ``encoded_query`` (already valid on the wire)."""
    target = go_path(url)
    if encoded_query:
        target += "?" + encoded_query
    return target.encode("ascii")
