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
import functools
import json
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from crmtpl.errors import CrmtplError

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


def how_to_give(name: str, template: str = "TEMPLATE", *, secret: bool | None = None) -> str:
    """The hint for giving a value of ``name``. Ordinary values: ``--var`` or the environment.
    Secrets (:func:`is_secret_name`, or ``secret=True``): ``crmtpl auth set``, the environment
    or stdin, never the command line, where every local user can read it (``ps``) and the
    shell history keeps it."""
    if not (is_secret_name(name) if secret is None else secret):
        return f"pass --var {name}=VALUE (or set CRMTPL_VAR_{name})"
    return (
        f"store it with crmtpl auth set {template} {name} (asked without echo; or pipe "
        f"'{name}=VALUE' into crmtpl auth set {template} --from-stdin), or set the environment "
        f"variable CRMTPL_VAR_{name} for one run; never put a secret on the command line "
        "(--var): every local user can read it"
    )


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


@functools.lru_cache(maxsize=4096)
def _char_pattern(char: str) -> str:
    """A regex for one character of a secret in every form a message can carry it: itself,
    percent-encoded (either hex case; ``+`` for a space), JSON-escaped (``\\u00e9``, ``\\/``)."""
    percent = "".join(f"%[{hi}{hi.lower()}][{lo}{lo.lower()}]" for hi, lo in _hex_pairs(char))
    forms = {re.escape(char), percent}
    if char == " ":
        forms.add(re.escape("+"))
    for escaped in (json.dumps(char)[1:-1], json.dumps(char, ensure_ascii=False)[1:-1]):
        forms.add(re.escape(escaped))
    if ord(char) < 0x10000:
        code = f"{ord(char):04x}"
        forms.add(re.escape("\\u") + "".join(f"[{c}{c.upper()}]" for c in code))
    if char == "/":
        forms.add(re.escape("\\/"))
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


def _hex_pairs(char: str) -> list[tuple[str, str]]:
    return [(f"{byte:02X}"[0], f"{byte:02X}"[1]) for byte in char.encode("utf-8")]


def _secret_pattern(secret: str) -> str:
    """A regex for ``secret`` in any mix of its raw, URL-encoded and JSON-escaped forms."""
    return "".join(_char_pattern(char) for char in secret)


#: Base64 (standard or URL-safe alphabet) long enough to hold a secret: Basic auth's
#: ``user:password``, a key inside an encoded blob.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{6,}={0,2}")


def _decode_base64(run: str) -> str | None:
    text = run.rstrip("=")
    padded = text + "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except ValueError:
        return None
    return raw.decode("utf-8", "replace")


class Masker:
    """Replaces known secret values, in every encoding a message can carry, with ``********``.

    A secret is found raw, URL-encoded (``quote``, ``quote_plus``, any hex case, any mix of
    escaped and unescaped characters), JSON-escaped, and inside Base64: a Base64 run whose
    decoded text contains a secret (Basic auth's ``base64(user:password)``) is masked whole.
    """

    def __init__(self, secrets: Iterable[str] = (), *, enabled: bool = True) -> None:
        self.enabled = enabled
        kept = sorted(
            {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH},
            key=len,
            reverse=True,
        )
        self._secrets = kept
        self._pattern = (
            re.compile("|".join(_secret_pattern(secret) for secret in kept)) if kept else None
        )

    def _in_base64(self, match: re.Match[str]) -> str:
        assert self._pattern is not None
        decoded = _decode_base64(match.group(0))
        if decoded is not None and self._pattern.search(decoded):
            return MASK
        return match.group(0)

    def text(self, value: str) -> str:
        """``value`` with every secret replaced."""
        if not self.enabled or self._pattern is None:
            return value
        value = _BASE64_RUN.sub(self._in_base64, value)
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


def mask_error(failure: CrmtplError, masker: Masker) -> CrmtplError:
    """Mask every secret (any encoding) and URL credential in an error's message and hint,
    in place (its class, exit code and ``retryable`` stay as they were); returns it."""
    failure.message = safe_text(failure.message, masker)
    failure.args = (failure.message,)
    if failure.hint:
        failure.hint = safe_text(failure.hint, masker)
    return failure
