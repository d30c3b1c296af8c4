"""Requests and responses as the sandbox's handlers see them, independent of the HTTP server."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from crmtpl.sandbox.validation import load_json

#: What no header name or value may contain: CR and LF would start a new header line (or
#: the body), and other control characters are refused by well-behaved clients anyway.
_UNSAFE_HEADER_TEXT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class ParameterConflict(Exception):
    """A parameter was sent more than once with different values."""


@dataclass(frozen=True)
class SandboxRequest:
    """One HTTP request: method, path (no query), query, headers (lower-case names), body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    base_url: str
    """``http://host:port`` as the client addressed the sandbox (for links in answers)."""

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        """A header's value, or None (names are case-insensitive)."""
        return self.headers.get(name.lower())

    def form(self) -> dict[str, str]:
        """Parameters from the query and a form or JSON body, as OAuth endpoints accept them.

        A name may repeat only with the same value (RFC 6749 §3.1 forbids repeats; the
        sandbox tolerates a template's endpoint URL and a client adding the same value).
        """
        sources = [self.query]
        content_type = (self.header("content-type") or "").split(";")[0].strip().lower()
        if self.body.strip():
            if content_type == "application/json":
                try:
                    decoded = load_json(self.body)
                except ValueError:  # includes UnicodeDecodeError and too deep nesting
                    decoded = None
                if isinstance(decoded, dict):
                    sources.append({k: [str(v)] for k, v in decoded.items() if v is not None})
            else:
                text = self.body.decode("utf-8", errors="replace")
                sources.append(parse_qs(text, keep_blank_values=True))
        merged: dict[str, str] = {}
        for source in sources:
            for name, values in source.items():
                for value in values:
                    if name in merged and merged[name] != value:
                        raise ParameterConflict(f"{name} was sent twice with different values")
                    merged[name] = value
        return merged


@dataclass
class SandboxResponse:
    """What to send back."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> SandboxResponse:
    """A JSON answer, pretty enough to read in a terminal."""
    body = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return SandboxResponse(status, body, headers=dict(headers or {}))


def api_error(
    status: int, error: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> SandboxResponse:
    """The API's error shape: ``{"error": code, "message": sentence, ...}``."""
    return json_response(status, {"error": error, "message": message, **extra}, headers)


def html_response(status: int, html: str) -> SandboxResponse:
    """An HTML page."""
    return SandboxResponse(status, html.encode("utf-8"), "text/html; charset=utf-8")


def redirect(location: str) -> SandboxResponse:
    """A 302 redirect."""
    return SandboxResponse(302, b"", "text/plain; charset=utf-8", {"Location": location})


def header_problem(headers: Mapping[str, str]) -> str | None:
    """Why these response headers must not be sent (a line break, a bad name), or None.

    The last line of defence against header injection: whatever an endpoint computed from
    a request, no header line it sends can be split into two.
    """
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            return f"the header name {name!r} is not a valid token"
        if _UNSAFE_HEADER_TEXT.search(value):
            return f"the value of the header {name} contains a line break or control character"
    return None
