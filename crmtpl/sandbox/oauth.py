"""The sandbox's OAuth2 endpoints: token endpoints for both flows and the consent page.

* ``/bearer/oauth/token`` — client credentials (RFC 6749 §4.4), what a ``bearertoken``
  template's ``TokenEndPoint`` calls. GET or POST; parameters in the query, a form body or
  a JSON body; the client authenticates with ``client_id``/``client_secret`` parameters or
  HTTP Basic.
* ``/oauth/authorize`` — GET shows a consent page; POST with ``decision=approve`` (the
  page's button) redirects to ``redirect_uri`` with ``code`` and ``state``. PKCE S256 and
  plain (RFC 7636).
* ``/oauth/token`` — ``authorization_code`` and ``refresh_token`` grants, with
  ``client_secret_basic`` or ``client_secret_post``; refresh tokens rotate.

Errors follow RFC 6749 §5.2: ``{"error": ..., "error_description": ...}``.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from urllib.parse import unquote_plus, urlencode, urlsplit

from crmtpl.sandbox import pages
from crmtpl.sandbox.settings import CREDENTIALS, SandboxCredentials
from crmtpl.sandbox.tokens import (
    PKCE_METHODS,
    AuthorizationRequest,
    OAuthError,
    TokenService,
)
from crmtpl.sandbox.wire import (
    ParameterConflict,
    SandboxRequest,
    SandboxResponse,
    html_response,
    json_response,
    redirect,
)

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_REDIRECT_URI_TEXT = re.compile(r"[\x21-\x5b\x5d-\x7e]{1,2000}")


class OAuthEndpoints:
    """The three OAuth2 endpoints, bound to a token service."""

    def __init__(self, tokens: TokenService, credentials: SandboxCredentials = CREDENTIALS) -> None:
        self._tokens = tokens
        self._credentials = credentials

    # -- token endpoints ----------------------------------------------------------------

    def client_credentials_token(self, request: SandboxRequest) -> SandboxResponse:
        """``/bearer/oauth/token``: ``grant_type=client_credentials`` only."""
        try:
            params = _params(request)
            client_id = self._authenticate_client(request, params)
            grant = params.get("grant_type")
            if grant != "client_credentials":
                raise _grant_error(grant, "client_credentials")
            issued = self._tokens.client_credentials(client_id)
        except OAuthError as problem:
            return _oauth_error(problem, request)
        return json_response(200, issued.as_json(), _NO_STORE)

    def token(self, request: SandboxRequest) -> SandboxResponse:
        """``/oauth/token``: ``authorization_code`` and ``refresh_token`` grants."""
        try:
            params = _params(request)
            client_id = self._authenticate_client(request, params)
            grant = params.get("grant_type")
            if grant == "authorization_code":
                code = params.get("code")
                if not code:
                    raise OAuthError("invalid_request", "code is required")
                issued = self._tokens.exchange_code(
                    client_id, code, params.get("redirect_uri"), params.get("code_verifier")
                )
            elif grant == "refresh_token":
                refresh_token = params.get("refresh_token")
                if not refresh_token:
                    raise OAuthError("invalid_request", "refresh_token is required")
                issued = self._tokens.refresh(client_id, refresh_token)
            else:
                raise _grant_error(grant, "authorization_code or refresh_token")
        except OAuthError as problem:
            return _oauth_error(problem, request)
        return json_response(200, issued.as_json(), _NO_STORE)

    def _authenticate_client(self, request: SandboxRequest, params: dict[str, str]) -> str:
        """Client id after checking client_secret_basic or client_secret_post (RFC 6749 §2.3)."""
        from_header = _basic_client(request.header("authorization"))
        if from_header is not None:
            client_id, secret = from_header
            if params.get("client_secret") not in (None, secret):
                raise OAuthError("invalid_request", "use one client authentication method, not two")
            if params.get("client_id") not in (None, client_id):
                raise OAuthError("invalid_request", "client_id differs from the Basic header's")
        else:
            client_id = params.get("client_id") or ""
            secret = params.get("client_secret") or ""
        if not client_id:
            raise OAuthError(
                "invalid_client",
                "client authentication is required: send client_id and client_secret as"
                " parameters or in an Authorization: Basic header",
                401,
            )
        if client_id != self._credentials.client_id:
            raise OAuthError(
                "invalid_client",
                f"unknown client_id {client_id!r}; the sandbox's is {self._credentials.client_id}",
                401,
            )
        if not secrets.compare_digest(secret.encode(), self._credentials.client_secret.encode()):
            raise OAuthError(
                "invalid_client", "client_secret is missing or wrong for this client", 401
            )
        return client_id

    # -- authorization endpoint ---------------------------------------------------------

    def authorize(self, request: SandboxRequest) -> SandboxResponse:
        """``/oauth/authorize``: GET shows the consent page, POST records the decision."""
        try:
            params = request.form() if request.method == "POST" else _query(request)
        except ParameterConflict as conflict:
            return html_response(400, pages.authorize_error(str(conflict)))
        client_id = params.get("client_id", "")
        if client_id != self._credentials.client_id:
            return html_response(
                400,
                pages.authorize_error(
                    f"unknown client_id {client_id!r}; the sandbox's client is"
                    f" {self._credentials.client_id}"
                ),
            )
        redirect_uri = params.get("redirect_uri", "")
        uri_problem = _redirect_uri_problem(redirect_uri)
        if uri_problem:
            return html_response(400, pages.authorize_error(uri_problem))
        state = params.get("state")
        if params.get("response_type") != "code":
            return _redirect_error(
                redirect_uri, state, "unsupported_response_type", "response_type must be code"
            )
        challenge = params.get("code_challenge") or None
        method = params.get("code_challenge_method") or None
        if challenge is None and method is not None:
            return _redirect_error(
                redirect_uri, state, "invalid_request", "code_challenge_method without challenge"
            )
        if challenge is not None:
            method = method or "plain"
            if method not in PKCE_METHODS:
                return _redirect_error(
                    redirect_uri, state, "invalid_request", "code_challenge_method: S256 or plain"
                )
            if not _PKCE_CHALLENGE.match(challenge):
                return _redirect_error(
                    redirect_uri, state, "invalid_request", "code_challenge is malformed"
                )
        pending = AuthorizationRequest(
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=params.get("scope", ""),
            state=state,
            code_challenge=challenge,
            code_challenge_method=method,
        )
        if request.method != "POST":
            return html_response(200, pages.consent(pending, params))
        decision = params.get("decision")
        if decision == "deny":
            return _redirect_error(redirect_uri, state, "access_denied", "the user said no")
        if decision != "approve":
            return html_response(400, pages.authorize_error("decision must be approve or deny"))
        code = self._tokens.create_code(pending, redirect_uri_given=True)
        answer = {"code": code} | ({"state": state} if state is not None else {})
        return redirect(_with_query(redirect_uri, answer))


def _params(request: SandboxRequest) -> dict[str, str]:
    try:
        return request.form()
    except ParameterConflict as conflict:
        raise OAuthError("invalid_request", str(conflict)) from None


def _query(request: SandboxRequest) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, values in request.query.items():
        for value in values:
            if name in merged and merged[name] != value:
                raise ParameterConflict(f"{name} was sent twice with different values")
            merged[name] = value
    return merged


def _basic_client(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "the Basic header is not valid base64", 401) from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise OAuthError("invalid_client", "the Basic header must hold client_id:secret", 401)
    return unquote_plus(client_id), unquote_plus(secret)


def _grant_error(grant: str | None, wanted: str) -> OAuthError:
    if grant is None:
        return OAuthError("invalid_request", f"grant_type is required ({wanted})")
    return OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not {wanted} here")


def _oauth_error(problem: OAuthError, request: SandboxRequest) -> SandboxResponse:
    headers = dict(_NO_STORE)
    authorization = request.header("authorization") or ""
    if problem.status == 401 and authorization.lower().startswith("basic "):
        headers["WWW-Authenticate"] = 'Basic realm="crmtpl-sandbox"'
    body = {"error": problem.error, "error_description": problem.description}
    return json_response(problem.status, body, headers)


def _redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` is not a redirect URI the sandbox will put in a ``Location`` header.

    Strict on purpose: the URI comes from any web page's link, and it goes into a response
    header, so only visible ASCII is accepted (no CR/LF, spaces, controls or backslashes).
    """
    if not uri:
        return "redirect_uri is required (the sandbox accepts any http or https URI)"
    if not _REDIRECT_URI_TEXT.fullmatch(uri):
        return (
            "redirect_uri must be a URL of visible ASCII characters (no spaces, line breaks,"
            " control characters or backslashes); percent-encode anything else"
        )
    parts = urlsplit(uri)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "redirect_uri has a port that is not a number from 0 to 65535"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"redirect_uri must be an absolute http(s) URI, not {uri!r}"
    if parts.username is not None or parts.password is not None:
        return "redirect_uri must not contain a user name or password"
    if parts.fragment or "#" in uri:
        return "redirect_uri must not have a #fragment"
    return None


def _with_query(uri: str, params: dict[str, str]) -> str:
    joiner = "&" if urlsplit(uri).query else ("" if uri.endswith("?") else "?")
    return uri + joiner + urlencode(params)


def _redirect_error(
    redirect_uri: str, state: str | None, error: str, description: str
) -> SandboxResponse:
    params = {"error": error, "error_description": description}
    if state is not None:
        params["state"] = state
    return redirect(_with_query(redirect_uri, params))
