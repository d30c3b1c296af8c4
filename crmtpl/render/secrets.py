"""Masking secrets in everything crmtpl prints (text, json, curl, logs, SARIF...).

Two complementary rules:

* **by value**: every value known to be secret (password custom fields, tokens,
  ``basic_string``...), and its URL-encoded, JSON-escaped and Base64 forms, is replaced
  wherever it appears;
* **by header name**: the values of headers that carry credentials (``Authorization``,
  ``X-Api-Key``, ``Token``...) are masked even when the secret is not known as a value,
  keeping the scheme word (``Bearer ********``) so the output still teaches.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "********"
#: Shorter secrets would mask ordinary text; they are still masked by header name.
MIN_SECRET_LENGTH = 4

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
