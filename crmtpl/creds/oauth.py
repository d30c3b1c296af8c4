"""OAuth2 authorization-code login (RFC 6749 + PKCE, RFC 7636) and token refresh.

What the PBX does on the wire is not documented (spec §10.3, §18 U9). crmtpl's choices,
documented in docs/auth.md:

* **Authorization URL**: the rendered ``AuthEndPoint``, then the rendered
  ``AdditionalQueryString``, then the standard parameters ``response_type=code``,
  ``client_id``, ``redirect_uri``, ``scope`` (the ``Scope`` parameter sent as written:
  comma- or space-separated, as the CRM expects), ``state`` and PKCE S256
  (``code_challenge``, ``code_challenge_method``). A parameter the endpoint or the
  AdditionalQueryString already carries is never added twice: the template's value wins.
* **Token request**: ``POST`` to the rendered ``TokenEndPoint`` (its query kept as
  rendered), form-encoded, ``grant_type=authorization_code`` with ``code``,
  ``redirect_uri`` and ``code_verifier``. The client authenticates with
  ``client_secret_post`` by default (``client_id`` and ``client_secret`` in the form);
  ``basic`` sends HTTP Basic (RFC 6749 §2.3.1), ``query`` appends them to the
  TokenEndPoint URL as the spec's own example writes it (``?client_id=..&client_secret=..``).
* **Refresh**: ``grant_type=refresh_token`` the same way; a rotated refresh token is
  saved by the caller before anything else (see :mod:`crmtpl.creds.tokens`).

Secrets (client secret, code, verifier, tokens) never appear in messages or exceptions.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from crmtpl.controlchars import make_visible
from crmtpl.creds.tokenbasics import DEFAULT_LOGIN_COMMAND, Clock
from crmtpl.creds.tokenset import BEARER, TokenSet
from crmtpl.errors import AuthError, NetworkError
from crmtpl.http import HttpClient, HttpRequest, HttpResponse, describe_body_start
from crmtpl.secrets import Masker, mask_error, masker_for, redact_url, safe_text

log = logging.getLogger("crmtpl.creds")

DEFAULT_REDIRECT_URI = "http://127.0.0.1:9999/callback"
Grant = Literal["authorization_code", "refresh_token", "bearer"]

#: Response fields tried, in order, for the access token (spec §18 U10: field unknown).
ACCESS_TOKEN_FIELDS = ("access_token", "token", "accessToken")
_OAUTH_ERROR_CODES = (
    "invalid_redirect_uri",
    "redirect_uri_mismatch",
    "invalid_client",
    "unauthorized_client",
    "invalid_request",
    "invalid_scope",
    "access_denied",
    "unsupported_response_type",
    "server_error",
    "temporarily_unavailable",
)


class ClientAuth(StrEnum):
    """How the client authenticates at the token endpoint (``--client-auth``)."""

    POST = "post"  # client_secret_post: client_id and client_secret in the form body
    BASIC = "basic"  # client_secret_basic: Authorization: Basic base64(id:secret)
    QUERY = "query"  # appended to TokenEndPoint's query, as the spec's example shows


# -- PKCE and the authorization URL ------------------------------------------------------


@dataclass(frozen=True)
class Pkce:
    """A PKCE pair (RFC 7636): the secret verifier and its S256 challenge."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"


def pkce_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_pkce() -> Pkce:
    """A fresh verifier of 64 unreserved characters and its challenge."""
    verifier = secrets.token_urlsafe(48)
    return Pkce(verifier, pkce_challenge(verifier))


@dataclass(frozen=True)
class AuthorizationRequest:
    """The URL to open, and what the redirect and the code exchange must match."""

    url: str
    state: str
    redirect_uri: str
    client_id: str | None
    code_verifier: str | None = field(default=None, repr=False)
    template_redirect_uri: str | None = None


def _query_params(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query.lstrip("?&"), keep_blank_values=True)


def build_authorization_request(
    auth_endpoint: str,
    *,
    client_id: str | None,
    redirect_uri: str,
    scope: str = "",
    additional_query: str = "",
    use_pkce: bool = True,
    state: str | None = None,
) -> AuthorizationRequest:
    """The authorization URL for a rendered AuthEndPoint and AdditionalQueryString.

    Parameters the template already carries (in the endpoint's query or the
    AdditionalQueryString) are kept and not added again: a ``client_id`` there is the
    client id of the whole login; a ``redirect_uri`` there is the one the code exchange
    must repeat; a ``state`` there is checked on the redirect; a ``code_challenge`` there
    means crmtpl cannot know the verifier and sends none.
    """
    parts = urlsplit(auth_endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AuthError(
            f"AuthEndPoint does not render to an http(s) URL: {redact_url(auth_endpoint)!r}",
            hint="check the AuthEndPoint parameter and the custom fields it uses",
        )
    extra = additional_query.strip().lstrip("?&")
    carried = dict(_query_params(parts.query) + _query_params(extra))
    chosen_client = carried.get("client_id") or client_id
    if not chosen_client:
        raise AuthError(
            "no OAuth2 client id: AuthEndPoint and AdditionalQueryString carry no "
            "client_id, and no custom field named client_id has a value",
            hint="store it with crmtpl auth set (or CRMTPL_VAR_client_id=...)",
        )
    pkce = new_pkce() if use_pkce and "code_challenge" not in carried else None
    chosen_state = carried.get("state") or state or secrets.token_urlsafe(24)
    standard: list[tuple[str, str]] = [
        ("response_type", "code"),
        ("client_id", chosen_client),
        ("redirect_uri", redirect_uri),
    ]
    if scope:
        standard.append(("scope", scope))
    standard.append(("state", chosen_state))
    if pkce is not None:
        standard += [("code_challenge", pkce.challenge), ("code_challenge_method", pkce.method)]
    added = urlencode([(k, v) for k, v in standard if k not in carried], quote_via=quote)
    query = "&".join(piece for piece in (parts.query, extra, added) if piece)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return AuthorizationRequest(
        url=url,
        state=chosen_state,
        redirect_uri=carried.get("redirect_uri") or redirect_uri,
        client_id=chosen_client,
        code_verifier=pkce.verifier if pkce else None,
        template_redirect_uri=carried.get("redirect_uri"),
    )


# -- the redirect ------------------------------------------------------------------------


def redirect_params(text: str) -> dict[str, str]:
    """The query parameters of a redirect: a full URL, ``?code=..``, or ``code=..&state=..``."""
    text = text.strip()
    if "://" in text:
        parts = urlsplit(text)
        query = parts.query or parts.fragment
    else:
        query = text.lstrip("?#")
    return dict(_query_params(query))


def code_from_redirect(text: str, expected_state: str) -> str:
    """The authorization code of a redirect, after checking ``state`` and ``error``."""
    params = redirect_params(text)
    got_state = params.get("state")
    if "error" in params and (got_state is None or _same(got_state, expected_state)):
        raise _authorization_refused(params.get("error", ""), params.get("error_description"))
    if got_state is None:
        raise AuthError(
            "the redirect carries no state parameter, so it cannot be matched to this login",
            hint="paste the whole URL the browser was sent to (it contains code= and state=)",
        )
    if not _same(got_state, expected_state):
        raise AuthError(
            "state mismatch: the redirect does not belong to this login (an older browser "
            "tab, or a forged link)",
            hint="run crmtpl auth login again and use the URL it prints now",
        )
    code = params.get("code")
    if not code:
        raise AuthError(
            "the redirect carries no authorization code",
            hint="paste the whole URL the browser was sent to after you approved the access",
        )
    return code


def _same(state: str, expected: str) -> bool:
    return secrets.compare_digest(state.encode(), expected.encode())


def _authorization_refused(error: str, description: str | None) -> AuthError:
    detail = f"{error}: {description}" if description else error
    hints = {
        "access_denied": "the access was declined on the consent page; run the login again "
        "and approve it",
        "invalid_scope": "the CRM does not accept the Scope; check the template's Scope "
        "parameter (or --scope)",
        "invalid_redirect_uri": "register the redirect URI with the CRM's app, or pass the "
        "registered one with --redirect-uri",
        "redirect_uri_mismatch": "register the redirect URI with the CRM's app, or pass the "
        "registered one with --redirect-uri",
        "invalid_client": "check the client id (crmtpl auth set) and the app registration",
        "unauthorized_client": "the CRM's app is not allowed to use the authorization-code "
        "grant; check its settings",
    }
    return AuthError(
        "the authorization server refused the login: "
        + make_visible(safe_text(detail, masker_for([])), one_line=True),
        hint=hints.get(error, "check the app registration in the CRM and the template"),
    )


def check_authorization_url(request: AuthorizationRequest, http: HttpClient) -> None:
    """Catch an obvious refusal (unknown client, unregistered redirect URI) before the browser.

    A GET of the authorization URL without cookies normally leads to a login page. Many
    servers check ``client_id`` and ``redirect_uri`` first and answer with an error page
    (and no redirect, by design): that page is read here and reported, instead of leaving
    the user with a browser error and a terminal that waits. Best effort: a network
    failure or anything unclear lets the login go on.
    """
    try:
        response = http.send(HttpRequest("GET", request.url, [("Accept", "text/html")]))
    except NetworkError as problem:
        log.debug("authorization URL pre-check skipped: %s", safe_text(str(problem), _NOTHING))
        return
    origin = urlsplit(request.url)[:2]
    if urlsplit(response.url)[:2] != origin:
        return
    if not 400 <= response.status < 500 or response.status in (401, 403, 407, 429):
        return
    error, description = describe_error_page(response)
    reason = safe_text(", ".join(part for part in (error, description) if part), _NOTHING)
    hint: str | None
    if "redirect" in reason.lower():
        hint = (
            f"register {request.redirect_uri} as a redirect (callback) URI of the CRM app, "
            "or pass the registered one with crmtpl auth login --redirect-uri URI"
        )
    else:
        hint = _authorization_refused(error or "", description).hint
    raise AuthError(
        f"the authorization endpoint refused the login request (HTTP {response.status}"
        + (f": {reason})" if reason else ")"),
        hint=hint,
    )


_NOTHING = masker_for([])


def describe_error_page(response: HttpResponse) -> tuple[str | None, str | None]:
    """``(error, error_description)`` found in an error answer (JSON or an HTML page)."""
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict) and data.get("error"):
        return str(data.get("error")), _optional_text(data.get("error_description"))
    text = response.text
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    error = None
    match = re.search(r"\berror\s*[:=]\s*([A-Za-z_]+)", text)
    if match:
        error = match.group(1)
    else:
        for code in _OAUTH_ERROR_CODES:
            if code in text:
                error = code
                break
    described = re.search(r"error_description\s*[:=]\s*(.+?)(?=\s+\w+\s*[:=]\s|$)", text)
    description = described.group(1)[:200] if described else None
    if error is None and description is None and text:
        description = text[:200]
    return error, description


def _optional_text(value: object) -> str | None:
    return str(value)[:300] if value not in (None, "") else None


# -- the token endpoint ------------------------------------------------------------------


@dataclass(frozen=True)
class TokenEndpoint:
    """A rendered TokenEndPoint and the client credentials to present there."""

    url: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    client_auth: ClientAuth = ClientAuth.POST

    def secrets(self) -> list[str]:
        """Values to mask in messages."""
        return [self.client_secret] if self.client_secret else []


class OAuthClient:
    """Talks to one token endpoint: code exchange and refresh (RFC 6749 §4.1.3, §6)."""

    def __init__(
        self,
        endpoint: TokenEndpoint,
        http: HttpClient,
        *,
        clock: Clock = time.time,
        login_command: str = DEFAULT_LOGIN_COMMAND,
    ) -> None:
        self.endpoint = endpoint
        self.http = http
        self.clock = clock
        self.login_command = login_command

    def exchange_code(
        self, code: str, *, redirect_uri: str, code_verifier: str | None = None
    ) -> TokenSet:
        """Trade an authorization code for tokens."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._request(form, "authorization_code", [code, code_verifier])

    def refresh(self, refresh_token: str) -> TokenSet:
        """Use a refresh token; the answer may carry a new (rotated) refresh token."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self._request(form, "refresh_token", [refresh_token])

    def _request(
        self, form: dict[str, str], grant: Grant, secret_values: list[str | None]
    ) -> TokenSet:
        endpoint = self.endpoint
        url = endpoint.url
        headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ]
        secret = endpoint.client_secret
        if secret is None:  # a public client only names itself (RFC 6749 §4.1.3)
            if endpoint.client_id:
                form["client_id"] = endpoint.client_id
        elif endpoint.client_auth is ClientAuth.BASIC:
            pair = f"{quote_plus(endpoint.client_id or '')}:{quote_plus(secret)}"
            headers.append(("Authorization", "Basic " + base64.b64encode(pair.encode()).decode()))
        elif endpoint.client_auth is ClientAuth.QUERY:
            url = _with_query(url, endpoint.client_id, secret)
        else:
            if endpoint.client_id:
                form["client_id"] = endpoint.client_id
            form["client_secret"] = secret
        masker = masker_for([*secret_values, *endpoint.secrets()])
        request = HttpRequest("POST", url, headers, urlencode(form).encode())
        response = send_token_request(self.http, request, masker)
        return parse_token_response(
            response,
            grant=grant,
            now=self.clock(),
            secrets=[*secret_values, *endpoint.secrets()],
            login_command=self.login_command,
            client_auth=endpoint.client_auth,
        )


def _with_query(url: str, client_id: str | None, client_secret: str | None) -> str:
    parts = urlsplit(url)
    carried = dict(_query_params(parts.query))
    extra = [
        (name, value)
        for name, value in (("client_id", client_id), ("client_secret", client_secret))
        if value is not None and name not in carried
    ]
    if not extra:
        return url
    query = "&".join(p for p in (parts.query, urlencode(extra, quote_via=quote)) if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def send_token_request(http: HttpClient, request: HttpRequest, masker: Masker) -> HttpResponse:
    """Send a token request; a network failure is re-raised with the URL redacted."""
    try:
        return http.send(request)
    except NetworkError as problem:
        raise mask_error(problem, masker) from None


def parse_token_response(
    response: HttpResponse,
    *,
    grant: Grant,
    now: float,
    secrets: Iterable[str | None] = (),
    login_command: str = DEFAULT_LOGIN_COMMAND,
    client_auth: ClientAuth | None = None,
    refresh_interval_minutes: float | None = None,
) -> TokenSet:
    """A TokenSet from a token endpoint's answer, or an AuthError that says what to do."""
    masker = masker_for(secrets)
    where = redact_url(response.url)
    data = _decode_token_body(response)
    if data is None:
        snippet = safe_text(describe_body_start(response.content), masker) or "(empty body)"
        raise AuthError(
            f"the token endpoint {where} answered HTTP {response.status} "
            f"({response.content_type or 'no Content-Type'}), not JSON: {snippet}",
            hint="check TokenEndPoint in the template: it must be the CRM's token API "
            "(not a web page), and the CRM must be reachable from here",
        )
    error = data.get("error")
    if error or not response.ok:
        raise _token_error(
            response.status,
            str(error or ""),
            _optional_text(data.get("error_description") or data.get("message")),
            grant=grant,
            masker=masker,
            login_command=login_command,
            client_auth=client_auth,
        )
    token = _first_text(data, ACCESS_TOKEN_FIELDS)
    if token is None and isinstance(data.get("data"), dict):
        token = _first_text(data["data"], ACCESS_TOKEN_FIELDS)
        data = {**data, **data["data"]}
    if token is None:
        names = ", ".join(sorted(str(key) for key in data)) or "none"
        raise AuthError(
            f"the token endpoint {where} answered without an access token "
            f"(fields in the answer: {names})",
            hint="crmtpl looks for access_token, token or accessToken",
        )
    expires_at = _expiry(data.get("expires_in"), now)
    if expires_at is None and refresh_interval_minutes:
        expires_at = now + refresh_interval_minutes * 60
    token_type = str(data.get("token_type") or BEARER)
    if token_type.lower() == BEARER.lower():
        token_type = BEARER
    return TokenSet(
        access_token=token,
        token_type=token_type,
        refresh_token=_first_text(data, ("refresh_token", "refreshToken")),
        expires_at=expires_at,
        obtained_at=now,
        scope=_optional_text(data.get("scope")),
        method="bearertoken" if grant == "bearer" else "oauth2",
        client_auth=client_auth.value if client_auth else None,
    )


def _decode_token_body(response: HttpResponse) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        if "x-www-form-urlencoded" in response.content_type.lower():
            pairs = dict(parse_qsl(response.text, keep_blank_values=True))
            return dict(pairs) if pairs else None
        return None
    return data if isinstance(data, dict) else None


def _first_text(data: dict[str, Any], names: Iterable[str]) -> str | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def _expiry(value: object, now: float) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return now + float(value)
    if isinstance(value, str) and value.strip().isdigit():
        return now + float(value.strip())
    return None


def _token_error(
    status: int,
    error: str,
    description: str | None,
    *,
    grant: Grant,
    masker: Masker,
    login_command: str,
    client_auth: ClientAuth | None,
) -> AuthError:
    detail = ", ".join(part for part in (error, description) if part) or "no error details"
    detail = safe_text(detail, masker)
    lowered = f"{error} {description or ''}".lower()
    what = {
        "authorization_code": "exchanging the authorization code",
        "refresh_token": "refreshing the access token",
        "bearer": "fetching a bearer token",
    }[grant]
    if error == "invalid_client" or (status == 401 and not error):
        how = f" (this request used --client-auth {client_auth.value})" if client_auth else ""
        return AuthError(
            f"the token endpoint rejected the client credentials while {what} "
            f"(HTTP {status}: {detail})",
            hint="check the client id and secret (crmtpl auth set TEMPLATE) and how they "
            f"are sent: run {login_command} --client-auth post|basic|query{how}",
        )
    if error == "redirect_uri_mismatch" or "redirect" in lowered:
        return AuthError(
            f"the token endpoint rejected the redirect URI while {what} (HTTP {status}: {detail})",
            hint="the redirect URI must be registered with the CRM app and be the same in "
            f"the login and the token request; run {login_command} --redirect-uri URI",
        )
    if error == "invalid_grant" and grant == "authorization_code":
        return AuthError(
            f"the authorization code was rejected (HTTP {status}: {detail}); codes can be "
            "used once and expire within minutes",
            hint=f"run {login_command} again",
        )
    if error == "invalid_grant" and grant == "refresh_token":
        return AuthError(
            f"the refresh token was rejected (HTTP {status}: {detail}): it expired, was "
            "revoked, or was used already (refresh tokens rotate)",
            hint=f"run {login_command} again",
        )
    if grant == "bearer":
        return AuthError(
            f"the token endpoint refused to issue a bearer token (HTTP {status}: {detail})",
            hint="check TokenEndPoint and the custom fields it uses (crmtpl auth set TEMPLATE)",
        )
    return AuthError(
        f"the token endpoint refused {what} (HTTP {status}: {detail})",
        hint=f"check the template's TokenEndPoint and the CRM app; then run {login_command}",
    )
