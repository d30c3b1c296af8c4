"""Keeping secrets out of messages: URLs with credentials in the query, server answers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from crmtpl.render.secrets import MASK, Masker

_SENSITIVE_PARAM = re.compile(
    r"^(code|.*secret.*|.*password.*|.*passwd.*|.*token.*|.*verifier.*|.*api_?key.*|apikey|"
    r"assertion|signature|sig|key)$",
    re.IGNORECASE,
)
_QUERY_PAIR = re.compile(r"(^|[&;])([^=&;]*)=([^&;#]*)")


def is_sensitive_param(name: str) -> bool:
    """True for query or form parameters that carry credentials."""
    return bool(_SENSITIVE_PARAM.match(unquote_plus(name)))


def redact_query(query: str) -> str:
    """A query string with the values of credential parameters replaced by ``********``."""

    def swap(match: re.Match[str]) -> str:
        lead, name, value = match.groups()
        return f"{lead}{name}={MASK}" if value and is_sensitive_param(name) else match.group(0)

    return _QUERY_PAIR.sub(swap, query)


def redact_url(url: str) -> str:
    """A URL safe to print: no password in it, no credential parameter values."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_query(url)
    netloc = parts.netloc
    if parts.password:
        netloc = netloc.replace(f":{parts.password}@", f":{MASK}@", 1)
    return urlunsplit(
        (parts.scheme, netloc, parts.path, redact_query(parts.query), redact_query(parts.fragment))
    )


def masker_for(values: Iterable[str | None]) -> Masker:
    """A :class:`Masker` for the given secret values (None and empty ones are skipped)."""
    return Masker([value for value in values if value])


def safe_text(text: str, masker: Masker) -> str:
    """Text from outside (a server's answer, an exception) with URLs and secrets masked."""
    masked = masker.text(text)
    return re.sub(r"https?://[^\s\"'<>]+", lambda m: redact_url(m.group(0)), masked)
