"""The one secrecy policy, and the Masker every printer uses (text, json, curl, logs...).

**What is secret.** A value is secret when its field uses the ``password`` editor or when
its name contains one of :data:`SECRET_NAME_PARTS` (``private_key``, ``client_secret``,
``api_token``...). ``auth``, ``render``, ``run`` and every later command ask
:func:`is_secret_field` / :func:`is_secret_name`; nothing else keeps a list of its own.

**How it is hidden.** Two complementary rules:

* **by value**: every value known to be secret (secret custom fields, tokens,
  ``basic_string``...), and its URL-encoded, JSON-escaped and Base64 forms, is replaced
  wherever it appears;
* **by header name**: the values of headers that carry credentials (``Authorization``,
  ``X-Api-Key``, ``Token``...) are masked even when the secret is not known as a value,
  keeping the scheme word (``Bearer ********``) so the output still teaches.

URLs and server answers quoted in messages go through :func:`redact_url` and
:func:`safe_text` (credential query parameters, passwords in the authority).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

MASK = "********"
#: Shorter secrets would mask ordinary text; they are still masked by header name.
MIN_SECRET_LENGTH = 4
#: The editor of custom fields whose value is always secret (spec §5.2).
PASSWORD_EDITOR = "password"  # noqa: S105 - an Editor attribute value, not a password
#: A variable or field whose name contains one of these (any case) holds a secret.
SECRET_NAME_PARTS = (
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "api_key",
    "private",
)
_SECRET_NAME = re.compile("|".join(re.escape(part) for part in SECRET_NAME_PARTS), re.I)


def is_secret_name(name: str) -> bool:
    """True when a variable or field name says it holds a secret (:data:`SECRET_NAME_PARTS`)."""
    return bool(_SECRET_NAME.search(name))


def is_secret_field(name: str, editor: str | None = None) -> bool:
    """The policy: a password-editor field, or a name that says it holds a secret."""
    return (editor or "").strip().lower() == PASSWORD_EDITOR or is_secret_name(name)


SENSITIVE_HEADER_PATTERN = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|token|"
    r"x-[a-z0-9-]*(token|key|secret|auth|password)[a-z0-9-]*|"
    r"[a-z0-9-]*(api-?key|apikey|access-?token|secret|password)[a-z0-9-]*)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(Basic|Bearer|Token|Zoho-oauthtoken|Digest|token)\s+", re.IGNORECASE)


def is_sensitive_header(name: str) -> bool:
    """True for headers whose value is a credential."""
    return bool(SENSITIVE_HEADER_PATTERN.match(name.strip()))


class Masker:
    """Replaces known secret values (and their encodings) with ``********``."""

    def __init__(self, secrets: Iterable[str] = (), *, enabled: bool = True) -> None:
        self.enabled = enabled
        forms: set[str] = set()
        for secret in secrets:
            if len(secret) < MIN_SECRET_LENGTH:
                continue
            forms.add(secret)
            forms.add(quote(secret, safe=""))
            forms.add(quote_plus(secret))
            forms.add(json.dumps(secret)[1:-1])
            forms.add(base64.b64encode(secret.encode()).decode())
        ordered = sorted((f for f in forms if len(f) >= MIN_SECRET_LENGTH), key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None

    def text(self, value: str) -> str:
        """``value`` with every secret replaced."""
        if not self.enabled or self._pattern is None:
            return value
        return self._pattern.sub(MASK, value)

    def header(self, name: str, value: str) -> str:
        """A header value for display: masked by value, and wholly when the name is sensitive."""
        if not self.enabled:
            return value
        if is_sensitive_header(name):
            scheme = _SCHEME.match(value)
            return (scheme.group(0) if scheme else "") + MASK if value else value
        return self.text(value)


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
