"""Secrets out of recordings: placeholders ``{{secret:NAME}}`` in every encoding.

Three rules, applied in this order, so a recording can be committed:

* **by value**: every known secret (secret custom fields, tokens, ``basic_string``...) in
  its raw, URL-encoded (``%`` and ``+`` forms), JSON-escaped and Base64 forms becomes
  ``{{secret:NAME}}``, in URLs, headers and bodies;
* **by header name**: credential headers (``Authorization``, ``X-Api-Key``, cookies...)
  keep only their scheme word (``Bearer {{secret:authorization}}``);
* **by field name**: JSON string values and form or query parameters whose name says they
  hold a secret (``access_token``, ``client_secret``, ``refresh_token``...) become a
  placeholder even when the value was never known (a token endpoint's answer).

:meth:`Redactor.leaks` is the final check: a text that still holds a known secret form is
never written.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from urllib.parse import quote, quote_plus, unquote_plus

from crmtpl.secrets import (
    MIN_SECRET_LENGTH,
    is_secret_name,
    is_sensitive_header,
    is_sensitive_param,
)

PLACEHOLDER_PREFIX = "{{secret:"
_PLACEHOLDER = re.compile(r"\{\{secret:[A-Za-z0-9_.-]*\}\}")
_JSON_STRING_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"')
_FORM_PAIR = re.compile(r"(^|[&;?])([^=&;?#]*)=([^&;#]*)")
_SCHEME = re.compile(r"^(Basic|Bearer|Token|Zoho-oauthtoken|Digest)\s+", re.IGNORECASE)


def placeholder(name: str) -> str:
    """The placeholder written in place of the secret called ``name``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "value"
    return f"{PLACEHOLDER_PREFIX}{safe}}}}}"


def is_placeholder(value: str) -> bool:
    """True when ``value`` is exactly one placeholder."""
    return bool(_PLACEHOLDER.fullmatch(value))


def encodings(secret: str) -> set[str]:
    """The forms a secret can take on the wire: raw, URL-encoded, JSON-escaped, Base64."""
    raw_b64 = base64.b64encode(secret.encode()).decode()
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        raw_b64,
        raw_b64.rstrip("="),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
    }
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class Redactor:
    """Replaces secrets (known by value, or by the name of their header or field)."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        by_form: dict[str, str] = {}
        for name, value in secrets.items():
            if len(value) < MIN_SECRET_LENGTH or is_placeholder(value):
                continue
            for form in encodings(value):
                by_form.setdefault(form, placeholder(name))
        # A placeholder given as a replay value, URL-encoded or JSON-escaped, reads back as itself.
        for value in secrets.values():
            if is_placeholder(value):
                for form in encodings(value) - {value}:
                    by_form.setdefault(form, value)
        ordered = sorted(by_form, key=len, reverse=True)
        self._by_form = by_form
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def text(self, value: str) -> str:
        """``value`` with every known secret form replaced by its placeholder."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda match: self._by_form[match.group(0)], value)

    def leaks(self, value: str) -> bool:
        """True when ``value`` still holds a known secret in any form."""
        return self._pattern is not None and self._pattern.search(value) is not None

    def header(self, name: str, value: str) -> str:
        """A header value: wholly replaced for credential headers, scheme word kept."""
        value = self.text(value)
        if not is_sensitive_header(name) or not value:
            return value
        scheme = _SCHEME.match(value)
        rest = value[scheme.end() :] if scheme else value
        if is_placeholder(rest):
            return value
        return (scheme.group(0) if scheme else "") + placeholder(name.lower())

    def url(self, url: str) -> str:
        """A URL with secrets and credential query parameters replaced."""
        return _redact_pairs(self.text(url))

    def body(self, text: str) -> str:
        """A request or response body: secrets, then secret JSON members and form fields."""
        redacted = self.text(text)
        stripped = redacted.lstrip()
        if stripped.startswith(("{", "[")):
            return _redact_json_members(redacted)
        if "=" in redacted and "\n" not in stripped:
            return _redact_pairs(redacted)
        return redacted


def _redact_json_members(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        key, colon, value = match.groups()
        if not value or not is_secret_name(key) or is_placeholder(value) or _is_kind(key):
            return match.group(0)
        return f'"{key}"{colon}"{placeholder(key)}"'

    return _JSON_STRING_MEMBER.sub(swap, text)


def _is_kind(key: str) -> bool:
    """``token_type`` and the like name a kind of secret, not a secret."""
    return key.lower().endswith(("_type", "type"))


def _redact_pairs(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        lead, name, value = match.groups()
        if not value or not is_sensitive_param(name) or is_placeholder(unquote_plus(value)):
            return match.group(0)
        return f"{lead}{name}={placeholder(unquote_plus(name))}"

    return _FORM_PAIR.sub(swap, text)
