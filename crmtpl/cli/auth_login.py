"""``crmtpl auth login``: the OAuth2 authorization-code flow, or fetch a bearer token."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.auth.hints import auth_command
from crmtpl.cli.auth import (
    expiry_text,
    insecure_choice,
    remember_storage,
    report_binding,
    template_settings,
    warn_if_insecure,
)
from crmtpl.cli.common import (
    DEFAULT_TIMEOUT,
    CaBundleOption,
    InsecureStorageOption,
    ProfileOption,
    TemplateArg,
    TimeoutOption,
    VarOption,
)
from crmtpl.cli.findings import default_note
from crmtpl.cli.messages import notice, warning
from crmtpl.cli.options import console
from crmtpl.errors import UsageError

if TYPE_CHECKING:
    from crmtpl.creds.login import LoginUi
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.creds.store import CredentialChain
    from crmtpl.http import HttpClient


def _http_client(
    timeout: float,
    ca_bundle: Path | None,
    template: Path,
    chain: CredentialChain,
    var: list[str] | None,
) -> HttpClient:
    """A client that sends stored credentials only to the hosts approved for them."""
    from crmtpl.cli.loading import load
    from crmtpl.creds.binding import BoundHttpClient
    from crmtpl.http import HttpSettings
    from crmtpl.render.origins import login_binding

    settings = HttpSettings(read_timeout=timeout, ca_bundle=ca_bundle)
    return BoundHttpClient(settings, login_binding(load(template), chain, template, var or []))


def _variables(
    settings: AuthSettings, chain: CredentialChain, assignments: list[str] | None
) -> dict[str, str]:
    from crmtpl.cli.messages import notice
    from crmtpl.variables import (
        Source,
        VariableContext,
        env_variables,
        parse_assignment,
    )

    context = VariableContext(env_variables())
    for variable in chain.variables(settings.field_names, settings.secret_field_names):
        context.add(variable)
    for text in assignments or []:
        try:
            name, value = parse_assignment(text)
        except ValueError as problem:
            raise UsageError(str(problem), hint="write --var NAME=VALUE") from None
        context.set(name, value, Source.FLAG, "--var")
    for custom in settings.custom_fields:
        default = custom.default
        if default is not None and custom.name not in context:
            context.set(custom.name, default, Source.DEFAULT, "the template's Value")
            notice(default_note(custom.name, default))
    return context.data()


def login_command(
    template: TemplateArg,
    profile: ProfileOption = None,
    insecure_storage: InsecureStorageOption = False,
    redirect_uri: Annotated[
        str,
        typer.Option(
            "--redirect-uri",
            help="The redirect (callback) URI registered with the CRM's app. A loopback "
            "http:// URI is received here; any other means pasting the final URL.",
        ),
    ] = "http://127.0.0.1:9999/callback",
    no_browser: Annotated[
        bool,
        typer.Option(
            "--no-browser",
            help="Print the authorization URL instead of opening a browser, then read the "
            "URL the browser was redirected to from stdin (for SSH sessions).",
        ),
    ] = False,
    client_auth: Annotated[
        str,
        typer.Option(
            "--client-auth",
            metavar="post|basic|query",
            help="How the client id and secret reach the token endpoint: form body "
            "(client_secret_post, RFC 6749), HTTP Basic, or TokenEndPoint's query.",
        ),
    ] = "post",
    scope: Annotated[
        str | None,
        typer.Option("--scope", help="Request these scopes instead of the template's Scope."),
    ] = None,
    no_pkce: Annotated[
        bool, typer.Option("--no-pkce", help="Leave out PKCE (only for servers that choke).")
    ] = False,
    no_precheck: Annotated[
        bool,
        typer.Option(
            "--no-precheck",
            help="Skip the check that the authorization server accepts the client and "
            "redirect URI before the browser opens.",
        ),
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for the browser's redirect.")
    ] = 300.0,
    bearer_method: Annotated[
        str,
        typer.Option(
            "--bearer-method",
            metavar="POST|GET",
            help="HTTP method of a bearer-token template's TokenEndPoint call.",
        ),
    ] = "POST",
    var: VarOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    ca_bundle: CaBundleOption = None,
) -> None:
    """Log in: the OAuth2 authorization-code flow (PKCE), or fetch a bearer token.

    Opens the CRM's consent page, receives the redirect on the loopback --redirect-uri,
    exchanges the code at TokenEndPoint and stores the tokens (never printed).
    """
    from crmtpl.auth.base import LoginSession
    from crmtpl.auth.registry import strategy_for
    from crmtpl.creds.login import LoginOptions
    from crmtpl.creds.oauth import ClientAuth
    from crmtpl.creds.redirect import check_redirect_uri
    from crmtpl.creds.store import open_credentials
    from crmtpl.creds.tokenbasics import BearerMethod

    try:
        chosen_auth = ClientAuth(client_auth.lower())
    except ValueError:
        raise UsageError("--client-auth must be post, basic or query") from None
    try:
        chosen_method = BearerMethod(bearer_method.upper())
    except ValueError:
        raise UsageError("--bearer-method must be POST or GET") from None
    check_redirect_uri(redirect_uri)
    settings = template_settings(template)
    if not settings.uses_tokens:
        raise UsageError(
            f"the template uses auth method {settings.method!r}: there is nothing to log in to",
            hint=f"store its fields with {auth_command('set', template, profile)}",
        )
    chain = open_credentials(
        settings.template_key, profile, insecure_storage=insecure_choice(profile, insecure_storage)
    )
    chain.require_writer()
    data = _variables(settings, chain, var)
    options = LoginOptions(
        redirect_uri=redirect_uri,
        open_browser=not no_browser,
        client_auth=chosen_auth,
        scope=scope,
        use_pkce=not no_pkce,
        preflight=not no_precheck,
        wait_seconds=wait,
        bearer_method=chosen_method,
        login_command=auth_command("login", template, profile),
    )
    strategy = strategy_for(settings.method)
    with _http_client(timeout, ca_bundle, template, chain, var) as http:
        result = strategy.login(settings, data, LoginSession(chain, http, _login_ui(), options))
    tokens = result.tokens
    parts = [
        f"logged in to {settings.template_name or settings.template_key} "
        f"(profile {result.store.profile}): access token stored in {result.store.description}",
        expiry_text(tokens, time.time()),
        "refresh token stored" if tokens.refresh_token else "no refresh token issued",
    ]
    if tokens.scope:
        parts.append(f"scope: {tokens.scope}")
    console().print("; ".join(parts), markup=False)
    if strategy.needs_refresh_token and not tokens.refresh_token:
        warning(
            "without a refresh token, crmtpl cannot renew the access token when it expires",
            hint="some CRMs issue one only for a scope such as offline_access (see --scope)",
        )
    report_binding(template, chain, result.store, profile)
    warn_if_insecure(result.store)
    remember_storage(result.store, profile)


def _login_ui() -> LoginUi:
    import webbrowser

    from crmtpl.creds.login import LoginUi

    err = console(stderr=True)

    def show_url(url: str, opening_browser: bool, receiving: bool) -> None:
        if opening_browser:
            err.print(
                "Opening your browser for the login. If it does not open, visit:",
                markup=False,
            )
        else:
            err.print(
                "Open this URL in a browser, approve the access, then paste here the full "
                "URL the browser is sent to (the page may fail to load; copy its address):",
                markup=False,
            )
        print(url, flush=True)  # stdout, alone on its line: scripts and tests read it
        if receiving:
            err.print("Waiting for the redirect... (Ctrl-C to stop)", markup=False)

    def read_redirect() -> str:
        err.print("Redirect URL: ", end="", markup=False)
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError(
                "no redirect URL was pasted",
                hint="paste the whole address the browser shows after you approved",
            )
        return line.strip()

    def open_browser(url: str) -> bool:
        try:
            return bool(webbrowser.open(url, new=1))
        except webbrowser.Error:
            return False

    return LoginUi(
        show_url=show_url, open_browser=open_browser, read_redirect=read_redirect, notice=notice
    )
