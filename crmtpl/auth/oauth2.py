"""``oauth2``: authorization-code login (consent page, then TokenEndPoint), refreshed tokens.

The token machinery (the OAuth client, the store, the manager) lives in :mod:`crmtpl.creds`;
this strategy wires it for the method. ``crmtpl auth login`` runs
:func:`crmtpl.creds.login.oauth2_login`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from crmtpl.auth.base import LoginSession, TokenRequest, TokenStrategy
from crmtpl.creds.settings import AuthSettings

if TYPE_CHECKING:  # the token machinery loads when a template uses this method
    from crmtpl.creds.login import LoginResult
    from crmtpl.creds.oauth import ClientAuth
    from crmtpl.creds.tokens import TokenManager
    from crmtpl.creds.tokenset import TokenSet


class OAuth2Auth(TokenStrategy):
    """Stored tokens from ``auth login``, refreshed with the refresh token."""

    name = "oauth2"
    #: Without a refresh token the access token cannot be renewed when it expires.
    needs_refresh_token = True

    def token_manager(
        self, settings: AuthSettings, data: Mapping[str, str], request: TokenRequest
    ) -> TokenManager:
        """A manager that hands out the stored token and refreshes it at TokenEndPoint."""
        from crmtpl.creds.endpoints import render_auth
        from crmtpl.creds.oauth import OAuthClient, TokenEndpoint
        from crmtpl.creds.tokens import TokenManager

        rendered = render_auth(settings, data, request.renderer)
        stored = request.chain.find_tokens()
        chosen = request.client_auth or _stored_client_auth(stored[0] if stored else None)
        endpoint = TokenEndpoint(
            rendered.token_endpoint, rendered.client_id, rendered.client_secret, chosen
        )
        client = OAuthClient(
            endpoint, request.http, clock=request.clock, login_command=request.login_command
        )
        return TokenManager(
            self.name,
            request.chain,
            oauth=client,
            clock=request.clock,
            login_command=request.login_command,
        )

    def login(
        self, settings: AuthSettings, data: Mapping[str, str], session: LoginSession
    ) -> LoginResult:
        """The authorization-code flow: consent page, loopback redirect, token exchange."""
        from crmtpl.creds.login import oauth2_login

        return oauth2_login(
            settings, data, session.chain, session.http, session.ui, session.options
        )


def _stored_client_auth(tokens: TokenSet | None) -> ClientAuth:
    from crmtpl.creds.oauth import ClientAuth

    if tokens is not None and tokens.client_auth in {mode.value for mode in ClientAuth}:
        return ClientAuth(tokens.client_auth)
    return ClientAuth.POST
