"""``crmtpl auth login``: the OAuth2 authorization-code flow and the bearer-token fetch.

The core does not print: the CLI passes callbacks that show the URL, open the browser
and read a pasted redirect. The store to write to is checked *before* the browser opens,
so a machine without a keyring fails in a second, not after the consent page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from crmtpl.creds.bearer import fetch_bearer_token
from crmtpl.creds.endpoints import RenderedAuth, Renderer, render_auth
from crmtpl.creds.oauth import (
    DEFAULT_REDIRECT_URI,
    AuthorizationRequest,
    ClientAuth,
    OAuthClient,
    TokenEndpoint,
    build_authorization_request,
    check_authorization_url,
    code_from_redirect,
)
from crmtpl.creds.redirect import DEFAULT_WAIT_SECONDS, LoopbackReceiver, is_loopback_uri
from crmtpl.creds.settings import AuthSettings
from crmtpl.creds.store import CredentialChain, CredentialStore
from crmtpl.creds.tokenbasics import DEFAULT_LOGIN_COMMAND, BearerMethod, Clock
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import AuthError
from crmtpl.http import HttpClient


@dataclass(frozen=True)
class LoginOptions:
    """The choices of ``auth login`` (each maps to one option)."""

    redirect_uri: str = DEFAULT_REDIRECT_URI
    open_browser: bool = True
    client_auth: ClientAuth = ClientAuth.POST
    scope: str | None = None
    use_pkce: bool = True
    preflight: bool = True
    wait_seconds: float = DEFAULT_WAIT_SECONDS
    bearer_method: BearerMethod = BearerMethod.POST
    login_command: str = DEFAULT_LOGIN_COMMAND


@dataclass(frozen=True)
class LoginUi:
    """How the login talks to the user (the CLI provides these).

    ``show_url(url, opening_browser, receiving)`` tells the user where to go;
    ``open_browser(url) -> bool`` opens it; ``read_redirect() -> str`` returns the URL
    the user pasted; ``notice(text)`` says something worth knowing.
    """

    show_url: Callable[[str, bool, bool], None]
    open_browser: Callable[[str], bool]
    read_redirect: Callable[[], str]
    notice: Callable[[str], None]


@dataclass(frozen=True)
class LoginResult:
    """What a login stored, and where."""

    tokens: TokenSet
    store: CredentialStore
    authorization: AuthorizationRequest | None = None


def oauth2_login(
    settings: AuthSettings,
    data: Mapping[str, str],
    chain: CredentialChain,
    http: HttpClient,
    ui: LoginUi,
    options: LoginOptions = LoginOptions(),
    *,
    renderer: Renderer | None = None,
    clock: Clock = time.time,
) -> LoginResult:
    """Run the authorization-code flow (with PKCE) and store the tokens."""
    store = chain.require_writer()
    variables = {**data, "redirect_uri": options.redirect_uri}
    rendered = render_auth(settings, variables, renderer)
    _require_endpoints(rendered, settings)
    request = build_authorization_request(
        rendered.auth_endpoint,
        client_id=rendered.client_id,
        redirect_uri=options.redirect_uri,
        scope=options.scope if options.scope is not None else rendered.scope,
        additional_query=rendered.additional_query,
        use_pkce=options.use_pkce,
    )
    if request.template_redirect_uri and request.template_redirect_uri != options.redirect_uri:
        ui.notice(
            f"the template sends redirect_uri={request.template_redirect_uri} itself; the "
            "login uses that one"
        )
    receive = options.open_browser and is_loopback_uri(request.redirect_uri)
    if options.open_browser and not receive:
        ui.notice(
            f"{request.redirect_uri} is not on this machine, so crmtpl cannot receive the "
            "redirect: paste the URL the browser ends up on"
        )
    if receive:
        with LoopbackReceiver(
            request.redirect_uri, expected_state=request.state, timeout=options.wait_seconds
        ) as receiver:
            if options.preflight:
                check_authorization_url(request, http)
            ui.show_url(request.url, True, True)
            if not ui.open_browser(request.url):
                ui.notice(
                    "no browser could be opened here: open the URL above in a browser on "
                    "this machine, or run the login again with --no-browser"
                )
            redirect = receiver.wait()
    else:
        if options.preflight and is_loopback_uri(request.redirect_uri):
            check_authorization_url(request, http)
        ui.show_url(request.url, False, False)
        redirect = ui.read_redirect()
    code = code_from_redirect(redirect, request.state)
    endpoint = TokenEndpoint(
        rendered.token_endpoint, request.client_id, rendered.client_secret, options.client_auth
    )
    client = OAuthClient(endpoint, http, clock=clock, login_command=options.login_command)
    tokens = client.exchange_code(
        code, redirect_uri=request.redirect_uri, code_verifier=request.code_verifier
    ).with_client_auth(options.client_auth.value)
    store.set_tokens(tokens)
    return LoginResult(tokens, store, request)


def bearer_login(
    settings: AuthSettings,
    data: Mapping[str, str],
    chain: CredentialChain,
    http: HttpClient,
    options: LoginOptions = LoginOptions(),
    *,
    renderer: Renderer | None = None,
    clock: Clock = time.time,
) -> LoginResult:
    """Fetch a bearer token from TokenEndPoint and store it."""
    store = chain.require_writer()
    rendered = render_auth(settings, data, renderer)
    if not rendered.token_endpoint:
        raise AuthError(
            "the template's TokenEndPoint is empty, so no bearer token can be fetched",
            hint="set the TokenEndPoint parameter of the AuthMethod scenario",
        )
    secrets = [data[name] for name in settings.secret_field_names if data.get(name)]
    tokens = fetch_bearer_token(
        rendered.token_endpoint,
        http=http,
        method=options.bearer_method,
        refresh_interval_minutes=settings.refresh_interval_minutes,
        secrets=[*secrets, rendered.client_secret],
        clock=clock,
    )
    store.set_tokens(tokens)
    return LoginResult(tokens, store)


def _require_endpoints(rendered: RenderedAuth, settings: AuthSettings) -> None:
    missing = [
        name
        for name, value in (
            ("AuthEndPoint", rendered.auth_endpoint),
            ("TokenEndPoint", rendered.token_endpoint),
        )
        if not value
    ]
    if missing:
        raise AuthError(
            f"the template {settings.template_name!r} has no {' or '.join(missing)}, so "
            "the OAuth2 login cannot run",
            hint="set them in the AuthMethod scenario (spec §10.3)",
        )
