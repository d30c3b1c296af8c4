"""Credentials: the store chain (keyring, opt-in file), OAuth2 login, tokens that refresh.

Public API (import from the submodules; this package imports nothing heavy itself)::

    from crmtpl.creds.store import open_credentials, load_credentials, CredentialStore
    from crmtpl.creds.settings import AuthSettings, CustomField
    from crmtpl.creds.tokens import TokenManager
    from crmtpl.creds.tokenset import TokenSet
    from crmtpl.creds.oauth import ClientAuth, OAuthClient, build_authorization_request
    from crmtpl.creds.bearer import fetch_bearer_token
    from crmtpl.creds.tokenbasics import BearerMethod, Clock, DEFAULT_LOGIN_COMMAND
    from crmtpl.creds.login import oauth2_login, bearer_login, LoginOptions, LoginUi

Which auth method uses which of these is decided by the strategies of :mod:`crmtpl.auth`
(``crmtpl.auth.registry.token_manager_for``); this package never imports them.

``store`` imports ``keyring`` only when the keyring is probed; ``oauth``, ``bearer``,
``tokens`` and ``login`` send HTTP through :mod:`crmtpl.http`.
"""
