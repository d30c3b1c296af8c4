"""TokenManager: a valid access token whenever ``run`` needs one.

For ``oauth2`` it hands out the stored token, refreshes it shortly before it expires
(60 s, or a tenth of a short lifetime) and when the server rejected it (a TokenErrorMap
match: ``force_refresh=True``). A rotated refresh token is saved to the store it came
from *before* the new access token is handed out, so an interrupted run never loses it.
For ``bearertoken`` it fetches a token from TokenEndPoint when none is stored, when it
expires, or when it was rejected, and stores it when it can (best effort).

The manager is thread-safe: requests running in parallel that all see the same rejected
token cause one refresh, not one each (each passes the token it used as
``rejected_token``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from crmtpl.creds.oauth import (
    OAuthClient,
)
from crmtpl.creds.store import CredentialChain, CredentialStore
from crmtpl.creds.tokenbasics import DEFAULT_LOGIN_COMMAND, Clock
from crmtpl.creds.tokenset import DEFAULT_REFRESH_MARGIN, TokenSet
from crmtpl.errors import AuthError, CrmtplError

log = logging.getLogger("crmtpl.creds")


class TokenManager:
    """Hands out a valid access token for one template and profile (see the module doc)."""

    def __init__(
        self,
        method: str,
        chain: CredentialChain,
        *,
        oauth: OAuthClient | None = None,
        fetch_bearer: Callable[[], TokenSet] | None = None,
        clock: Clock = time.time,
        max_refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        login_command: str = DEFAULT_LOGIN_COMMAND,
    ) -> None:
        if method == "oauth2" and oauth is None:
            raise ValueError("an oauth2 TokenManager needs an OAuthClient")
        if method == "bearertoken" and fetch_bearer is None:
            raise ValueError("a bearertoken TokenManager needs fetch_bearer")
        self.method = method
        self.chain = chain
        self.oauth = oauth
        self.fetch_bearer = fetch_bearer
        self.clock = clock
        self.max_refresh_margin = max_refresh_margin
        self.login_command = login_command
        self.refresh_count = 0
        self._lock = threading.Lock()
        self._loaded = False
        self._tokens: TokenSet | None = None
        self._store: CredentialStore | None = None
        self._seen: list[str] = []

    @property
    def token_type(self) -> str:
        """The scheme for the Authorization header (``Bearer`` unless the server said else)."""
        tokens = self._tokens
        return tokens.token_type if tokens else "Bearer"

    def current(self) -> TokenSet | None:
        """The tokens in use now (loaded from the store on first use), without refreshing."""
        with self._lock:
            self._load()
            return self._tokens

    def secrets(self) -> list[str]:
        """Every token value this manager has seen: mask them in all output."""
        return list(self._seen)

    def access_token(
        self, force_refresh: bool = False, *, rejected_token: str | None = None
    ) -> str:
        """A valid access token.

        ``force_refresh=True`` means the server rejected the token (a TokenErrorMap match):
        it is refreshed (oauth2) or fetched again (bearertoken). Pass the token the
        rejected request carried as ``rejected_token``: when another thread refreshed it
        meanwhile, the newer token is returned without a second refresh. Raises
        :class:`~crmtpl.errors.AuthError` (exit 5) when no token can be had.
        """
        with self._lock:
            self._load()
            tokens = self._tokens
            if tokens is None:
                if self.method == "bearertoken":
                    return self._renew(None, "no token was stored yet")
                status = self.chain.keyring_status
                unreadable = (
                    f" (the OS keyring could not be read: {status.reason})"
                    if status is not None and not status.available and status.timed_out
                    else ""
                )
                raise AuthError(
                    f"no OAuth2 token is stored for template {self.chain.template_key!r} "
                    f"(profile {self.chain.profile}){unreadable}",
                    hint=f"run {self.login_command} first, or give a token you already have "
                    "in the environment variable CRMTPL_VAR_AccessToken",
                )
            if force_refresh:
                if rejected_token is not None and rejected_token != tokens.access_token:
                    return tokens.access_token
                return self._renew(tokens, "the server rejected the access token")
            if tokens.needs_refresh(self.clock(), self.max_refresh_margin):
                return self._renew(tokens, "the access token expires")
            return tokens.access_token

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        found = self.chain.find_tokens()
        if found is not None:
            self._tokens, self._store = found
            self._remember(self._tokens)

    def _remember(self, tokens: TokenSet) -> None:
        self._seen.extend(value for value in tokens.secrets() if value not in self._seen)

    def _renew(self, tokens: TokenSet | None, reason: str) -> str:
        if self.method == "bearertoken":
            assert self.fetch_bearer is not None
            fresh = self.fetch_bearer()
            self._remember(fresh)
            self._save_best_effort(fresh)
        else:
            assert self.oauth is not None and tokens is not None
            if not tokens.refresh_token:
                raise AuthError(
                    f"{reason}, and no refresh token is stored (the CRM issued none; some "
                    "issue one only for a scope such as offline_access)",
                    hint=f"run {self.login_command} again",
                )
            fresh = self.oauth.refresh(tokens.refresh_token).with_rotation(tokens)
            fresh = fresh.with_client_auth(tokens.client_auth)
            self._remember(fresh)
            self._save_rotated(fresh)
        self._tokens = fresh
        self.refresh_count += 1
        left = fresh.seconds_left(self.clock())
        log.info(
            "%s: got a new access token%s",
            reason,
            f" (valid for {left:.0f} s)" if left is not None else "",
        )
        return fresh.access_token

    def _save_rotated(self, fresh: TokenSet) -> None:
        """Save refreshed tokens before anything else; a lost rotated refresh token is fatal."""
        store = self._store or self.chain.writer
        if store is None:
            raise AuthError(
                "the access token was refreshed, but there is no store to save the new "
                "refresh token to",
                hint=f"run {self.login_command} again",
            )
        try:
            store.set_tokens(fresh)
        except CrmtplError as problem:
            raise AuthError(
                f"the access token was refreshed, but the new refresh token could not be "
                f"saved: {problem.message}",
                hint=f"fix the store ({problem.hint or store.description}), then run "
                f"{self.login_command} again",
            ) from None
        self._store = store

    def _save_best_effort(self, fresh: TokenSet) -> None:
        store = self._store or self.chain.writer
        if store is None:
            log.info("the bearer token is kept for this run only (no store to save it in)")
            return
        try:
            store.set_tokens(fresh)
            self._store = store
        except CrmtplError as problem:
            log.warning("the bearer token could not be saved: %s", problem.message)
