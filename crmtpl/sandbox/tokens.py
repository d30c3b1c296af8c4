"""Access tokens, refresh tokens and authorization codes, as an OAuth2 server keeps them.

Two flows issue tokens, and a token works only under the prefix of its flow:

* ``client_credentials`` (``/bearer/oauth/token``) → access tokens for ``/bearer/api/v1``;
* ``authorization_code`` (``/oauth/authorize`` + ``/oauth/token``) → access and refresh
  tokens for ``/oauth/api/v1``. Refresh tokens rotate: each is single use; presenting a used
  one again revokes every token of that login (the reuse detection real servers do).

Only SHA-256 hashes of tokens and codes are stored. Tokens survive a restart of the sandbox.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from crmtpl.sandbox.database import Database
from crmtpl.sandbox.settings import AUTHORIZATION_CODE_TTL, REFRESH_TOKEN_TTL

Flow = Literal["client_credentials", "authorization_code"]
PKCE_METHODS = ("S256", "plain")


class OAuthError(Exception):
    """An OAuth2 error response (RFC 6749 §5.2): ``error`` code, description, HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class InvalidToken(Exception):
    """An API request's access token is unknown, expired, revoked or of the wrong flow."""


@dataclass(frozen=True)
class IssuedTokens:
    """What a token endpoint answers."""

    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None

    def as_json(self) -> dict[str, object]:
        """The RFC 6749 §5.1 response body."""
        body: dict[str, object] = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        if self.scope:
            body["scope"] = self.scope
        return body


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request waiting for the user's approval."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def pkce_s256(verifier: str) -> str:
    """The S256 code challenge of a verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class TokenService:
    """Issues and checks the sandbox's tokens and codes."""

    def __init__(self, database: Database, access_token_ttl: int) -> None:
        self._db = database
        self.access_token_ttl = access_token_ttl

    # -- issuing ------------------------------------------------------------------------

    def client_credentials(self, client_id: str) -> IssuedTokens:
        """An access token for ``/bearer/api/v1`` (no refresh token, as RFC 6749 §4.4.3)."""
        family = secrets.token_hex(8)
        with self._db.transaction():
            access = self._store("access", "client_credentials", client_id, "", family)
        return IssuedTokens(access, self.access_token_ttl, "")

    def create_code(self, request: AuthorizationRequest, *, redirect_uri_given: bool) -> str:
        """A single-use authorization code for an approved request."""
        code = "sbx_code_" + secrets.token_urlsafe(24)
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO authorization_codes (code_hash, client_id, redirect_uri,"
                " redirect_uri_given, scope, code_challenge, code_challenge_method, family,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _hash(code),
                    request.client_id,
                    request.redirect_uri,
                    int(redirect_uri_given),
                    request.scope,
                    request.code_challenge,
                    request.code_challenge_method,
                    secrets.token_hex(8),
                    self._db.now() + AUTHORIZATION_CODE_TTL,
                ),
            )
        return code

    def exchange_code(
        self, client_id: str, code: str, redirect_uri: str | None, code_verifier: str | None
    ) -> IssuedTokens:
        """Redeem an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6)."""
        now = self._db.now()
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT * FROM authorization_codes WHERE code_hash = ?", (_hash(code),)
            ).fetchone()
            if row is None or row["client_id"] != client_id:
                raise OAuthError("invalid_grant", "unknown authorization code")
            replayed = row["used_at"] is not None
            if replayed:
                self._revoke_family(row["family"])
            else:
                db.execute(
                    "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ?",
                    (now, row["code_hash"]),
                )
        # Checked after the commit: a code is spent by its first use, right or wrong.
        if replayed:
            raise OAuthError(
                "invalid_grant",
                "the authorization code was already used; the tokens issued for it are revoked now",
            )
        if row["expires_at"] <= now:
            raise OAuthError("invalid_grant", "the authorization code expired")
        if row["redirect_uri_given"] and redirect_uri != row["redirect_uri"]:
            raise OAuthError(
                "invalid_grant",
                f"redirect_uri must be the one sent to /oauth/authorize ({row['redirect_uri']})",
            )
        _check_pkce(row["code_challenge"], row["code_challenge_method"], code_verifier)
        return self._issue_login_tokens(client_id, row["scope"], row["family"])

    def refresh(self, client_id: str, refresh_token: str) -> IssuedTokens:
        """Rotate a refresh token: the old one is spent, a new pair comes back."""
        now = self._db.now()
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT * FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
                (_hash(refresh_token),),
            ).fetchone()
            if row is None or row["client_id"] != client_id:
                raise OAuthError("invalid_grant", "unknown refresh token")
            reused = row["used_at"] is not None and row["revoked_at"] is None
            if reused:
                self._revoke_family(row["family"])
            elif row["used_at"] is None and row["revoked_at"] is None:
                db.execute(
                    "UPDATE tokens SET used_at = ? WHERE token_hash = ?", (now, row["token_hash"])
                )
        if reused:
            raise OAuthError(
                "invalid_grant",
                "the refresh token was already used (refresh tokens rotate: use the newest"
                " one); every token of this login is revoked now, log in again",
            )
        if row["revoked_at"] is not None:
            raise OAuthError("invalid_grant", "the refresh token was revoked; log in again")
        if row["used_at"] is not None:
            raise OAuthError("invalid_grant", "the refresh token was already used")
        if row["expires_at"] <= now:
            raise OAuthError("invalid_grant", "the refresh token expired; log in again")
        return self._issue_login_tokens(client_id, row["scope"], row["family"])

    def _issue_login_tokens(self, client_id: str, scope: str, family: str) -> IssuedTokens:
        access = self._store("access", "authorization_code", client_id, scope, family)
        refresh = self._store("refresh", "authorization_code", client_id, scope, family)
        return IssuedTokens(access, self.access_token_ttl, scope, refresh)

    def _store(self, kind: str, flow: Flow, client_id: str, scope: str, family: str) -> str:
        prefix = "sbx_at_" if kind == "access" else "sbx_rt_"
        token = prefix + secrets.token_urlsafe(24)
        ttl = self.access_token_ttl if kind == "access" else REFRESH_TOKEN_TTL
        now = self._db.now()
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO tokens (token_hash, kind, flow, client_id, scope, family, issued_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_hash(token), kind, flow, client_id, scope, family, now, now + ttl),
            )
        return token

    def _revoke_family(self, family: str) -> None:
        with self._db.transaction() as db:
            db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL",
                (self._db.now(), family),
            )

    # -- checking -----------------------------------------------------------------------

    def check_access_token(self, token: str, flow: Flow) -> str:
        """The client id of a valid access token of ``flow``, or :class:`InvalidToken`."""
        with self._db.transaction() as db:
            row = db.execute(
                "SELECT * FROM tokens WHERE token_hash = ?", (_hash(token),)
            ).fetchone()
        if row is None:
            raise InvalidToken("the access token is not one this sandbox issued")
        if row["kind"] != "access":
            raise InvalidToken("that is a refresh token; send the access token")
        if row["revoked_at"] is not None:
            raise InvalidToken("the access token was revoked")
        if row["expires_at"] <= self._db.now():
            raise InvalidToken("the access token expired; get a new one")
        if row["flow"] != flow:
            where = "/bearer/oauth/token" if row["flow"] == "client_credentials" else "/oauth/token"
            wanted = "/bearer/oauth/token" if flow == "client_credentials" else "/oauth/token"
            raise InvalidToken(
                f"the access token was issued by {where}; this prefix takes tokens from {wanted}"
            )
        return str(row["client_id"])


def _check_pkce(challenge: str | None, method: str | None, verifier: str | None) -> None:
    if challenge is None:
        if verifier:
            raise OAuthError(
                "invalid_grant", "code_verifier sent, but the authorization had no code_challenge"
            )
        return
    if not verifier:
        raise OAuthError("invalid_grant", "code_verifier is required: the authorization used PKCE")
    computed = pkce_s256(verifier) if method == "S256" else verifier
    if not secrets.compare_digest(computed, challenge):
        raise OAuthError(
            "invalid_grant", f"code_verifier does not match the code_challenge ({method})"
        )
