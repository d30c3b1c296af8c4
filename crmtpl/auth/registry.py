"""Auth strategies by name, and the token manager of a template."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from crmtpl.auth.base import ACCESS_TOKEN, AuthStrategy, TokenRequest
from crmtpl.auth.basic import BasicAuth
from crmtpl.auth.bearertoken import BearerTokenAuth
from crmtpl.auth.none import NoAuth
from crmtpl.auth.oauth2 import OAuth2Auth
from crmtpl.creds.settings import AuthSettings
from crmtpl.creds.store import CredentialChain, open_credentials
from crmtpl.creds.tokenbasics import DEFAULT_LOGIN_COMMAND, BearerMethod, Clock
from crmtpl.http import HttpClient
from crmtpl.variables import VariableContext

if TYPE_CHECKING:  # loaded by the strategies that use tokens, when they do
    from crmtpl.creds.endpoints import Renderer
    from crmtpl.creds.oauth import ClientAuth
    from crmtpl.creds.tokens import TokenManager

#: Every auth method crmtpl knows, by its AuthType / AuthMethod value.
STRATEGIES: dict[str, AuthStrategy] = {
    strategy.name: strategy for strategy in (NoAuth(), BasicAuth(), OAuth2Auth(), BearerTokenAuth())
}


def strategy_for(method: str | None) -> AuthStrategy:
    """The strategy of an auth method; unknown or empty methods add nothing (lint says why)."""
    return STRATEGIES.get((method or "").strip().lower(), STRATEGIES["none"])


def needs_token_manager(method: str | None, context: VariableContext) -> bool:
    """True when ``run`` must obtain tokens: a token method, and no token given by the user."""
    return strategy_for(method).uses_tokens and not context.user_given(ACCESS_TOKEN)


def token_manager_for(
    settings: AuthSettings,
    data: Mapping[str, str],
    *,
    http: HttpClient,
    chain: CredentialChain | None = None,
    profile: str | None = None,
    client_auth: ClientAuth | None = None,
    bearer_method: BearerMethod = BearerMethod.POST,
    renderer: Renderer | None = None,
    login_command: str = DEFAULT_LOGIN_COMMAND,
    clock: Clock = time.time,
) -> TokenManager | None:
    """The TokenManager for a template, or None for auth methods without tokens.

    ``data`` are the variables as the template engine sees them (custom fields from every
    source, ``redirect_uri``...): TokenEndPoint is rendered with them. ``client_auth``
    defaults to what ``auth login`` used (stored with the tokens), else ``post``.
    """
    strategy = strategy_for(settings.method)
    if not strategy.uses_tokens:
        return None
    request = TokenRequest(
        http=http,
        chain=chain or open_credentials(settings.template_key, profile),
        login_command=login_command,
        clock=clock,
        client_auth=client_auth,
        bearer_method=bearer_method,
        renderer=renderer,
    )
    return strategy.token_manager(settings, data, request)
