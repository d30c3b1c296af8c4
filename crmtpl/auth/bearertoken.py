"""``bearertoken``: the PBX calls TokenEndPoint itself (no consent page) for a bearer token.

The token is fetched again when it expires (``TokenRefreshInterval``) or is rejected.
``crmtpl auth login`` runs :func:`crmtpl.creds.login.bearer_login`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from crmtpl.auth.base import LoginSession, TokenRequest, TokenStrategy
from crmtpl.creds.settings import AuthSettings

if TYPE_CHECKING:  # the token machinery loads when a template uses this method
    from crmtpl.creds.login import LoginResult
    from crmtpl.creds.tokens import TokenManager
    from crmtpl.creds.tokenset import TokenSet


class BearerTokenAuth(TokenStrategy):
    """Tokens fetched from TokenEndPoint when none is stored, expired or rejected."""

    name = "bearertoken"
    needs_refresh_token = False

    def token_manager(
        self, settings: AuthSettings, data: Mapping[str, str], request: TokenRequest
    ) -> TokenManager:
        """A manager that fetches a token from TokenEndPoint whenever it needs one."""
        from crmtpl.creds.bearer import fetch_bearer_token
        from crmtpl.creds.endpoints import render_auth
        from crmtpl.creds.tokens import TokenManager

        rendered = render_auth(settings, data, request.renderer)
        field_secrets = [data[name] for name in settings.secret_field_names if data.get(name)]

        def fetch() -> TokenSet:
            return fetch_bearer_token(
                rendered.token_endpoint,
                http=request.http,
                method=request.bearer_method,
                refresh_interval_minutes=settings.refresh_interval_minutes,
                secrets=[*field_secrets, rendered.client_secret],
                clock=request.clock,
            )

        return TokenManager(
            self.name,
            request.chain,
            fetch_bearer=fetch,
            clock=request.clock,
            login_command=request.login_command,
        )

    def login(
        self, settings: AuthSettings, data: Mapping[str, str], session: LoginSession
    ) -> LoginResult:
        """Fetch a first token from TokenEndPoint and store it."""
        from crmtpl.creds.login import bearer_login

        return bearer_login(settings, data, session.chain, session.http, session.options)
