"""``crmtpl auth``: store a template's credentials, log in with OAuth2, show and remove them.

The core (``crmtpl.creds``, the template loader, HTTP) is imported inside each command so
that ``crmtpl --help`` stays cheap.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crmtpl.auth.hints import auth_command
from crmtpl.cli.messages import notice, warning
from crmtpl.cli.options import console
from crmtpl.errors import UsageError

if TYPE_CHECKING:
    from crmtpl.creds.login import LoginUi
    from crmtpl.creds.settings import AuthSettings, CustomField
    from crmtpl.creds.store import CredentialChain, CredentialStore
    from crmtpl.creds.tokenset import TokenSet
    from crmtpl.http import HttpClient

HELP = """Store a template's credentials safely, log in with OAuth2, show and remove them.

Values go to the OS keyring (or, with `--insecure-storage`, a plain-text file with mode
0600), keyed by the template's `Key`, a `--profile` and the field name. `render` and `run`
read them; `--var` and `CRMTPL_VAR_<NAME>` win over them. Details: docs/auth.md.
"""

TemplateArgument = Annotated[
    Path,
    typer.Argument(help="The template XML file.", dir_okay=False, show_default=False),
]
ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", help="Credential profile (e.g. staging, production)."),
]
InsecureOption = Annotated[
    bool,
    typer.Option(
        "--insecure-storage",
        help="Store in a plain-text file (mode 0600) in the config directory instead of "
        "the OS keyring: for headless machines without a keyring. INSECURE.",
    ),
]


class OutputFormat(StrEnum):
    """Output format of ``auth status``."""

    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the ``auth`` command group."""
    group = typer.Typer(
        name="auth",
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode="markdown",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    group.command("set")(set_command)
    group.command("login")(login_command)
    group.command("status")(status_command)
    group.command("logout")(logout_command)
    from crmtpl.cli.auth_approve import approve_command

    group.command("approve")(approve_command)
    app.add_typer(group, name="auth")


# -- helpers ---------------------------------------------------------------------------------


def _settings(template: Path) -> AuthSettings:
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.template import load_template

    loaded = load_template(template)
    settings = AuthSettings.from_template(loaded.model)
    if not settings.template_key:
        raise UsageError(
            f"{template} has no Key attribute, so its credentials cannot be stored",
            hint='add Key="..." to <Information> (spec §4), e.g. Key="my_crm"',
        )
    return settings


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _selected_fields(settings: AuthSettings, names: list[str]) -> list[CustomField]:
    if not settings.custom_fields:
        raise UsageError(
            f"the template {settings.template_name!r} declares no custom fields "
            "(CustomFieldList) to store",
            hint='custom fields are <Parameter Father="CustomFieldList" ...> in AuthMethod',
        )
    if not names:
        return list(settings.custom_fields)
    chosen = []
    for name in names:
        found = settings.field(name)
        if found is None:
            declared = ", ".join(settings.field_names)
            raise UsageError(
                f"the template has no custom field {name!r}", hint=f"its fields: {declared}"
            )
        chosen.append(found)
    return chosen


def _prompt_value(custom: CustomField, stored: bool) -> str:
    """Ask for one field; Enter keeps a stored value; a list field insists on a choice."""
    label = custom.label + (f" [{custom.name}]" if custom.title else "")
    if custom.options:
        label += f" ({' / '.join(custom.options)})"
    if stored:
        label += " (Enter keeps the stored value)"
    while True:
        answer: str = typer.prompt(
            label, default="", show_default=False, hide_input=custom.secret, err=True
        )
        if not custom.options or answer in custom.options or (answer == "" and stored):
            return answer
        console(stderr=True).print(f"choose one of: {', '.join(custom.options)}", markup=False)


def _parse_stdin_values(allowed: list[CustomField]) -> dict[str, str]:
    names = {custom.name for custom in allowed}
    values: dict[str, str] = {}
    for number, raw in enumerate(sys.stdin.read().splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"stdin line {number} is not NAME=VALUE")
        if name not in names:
            raise UsageError(
                f"stdin line {number}: {name!r} is not a custom field being set",
                hint=f"fields: {', '.join(sorted(names))}",
            )
        values[name] = value
    return values


def _warn_if_insecure(store: CredentialStore) -> None:
    if store.kind == "file":
        warning(
            f"values are in the {store.description}: anyone who can read that file can use them",
            hint="prefer the OS keyring where one is available; remove them with "
            "crmtpl auth logout",
        )


def _report_binding(
    template: Path, chain: CredentialChain, store: CredentialStore, profile: str | None
) -> None:
    """Record the template's hosts with what was stored; say when they are new."""
    from crmtpl.cli.loading import load
    from crmtpl.render.origins import bind_to_template

    added, before = bind_to_template(load(template), chain, store, profile)
    if added and before:
        warning(
            f"the stored credentials may now also be sent to {', '.join(added)} "
            f"(before: {', '.join(before)})",
            hint="crmtpl auth logout removes them if this template is not yours",
        )
    elif added:
        notice(f"the stored credentials are bound to {', '.join(added)}")


def _http_client(
    timeout: float | None,
    ca_bundle: Path | None,
    template: Path,
    chain: CredentialChain,
    var: list[str] | None,
) -> HttpClient:
    from crmtpl.cli.loading import load
    from crmtpl.creds.binding import BoundHttpClient
    from crmtpl.http import HttpSettings
    from crmtpl.render.origins import login_binding

    settings = HttpSettings(ca_bundle=ca_bundle)
    if timeout is not None:
        settings = HttpSettings(read_timeout=timeout, ca_bundle=ca_bundle)
    return BoundHttpClient(settings, login_binding(load(template), chain, template, var or []))


def _variables(
    settings: AuthSettings, chain: CredentialChain, assignments: list[str] | None
) -> dict[str, str]:
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
    return context.data()


def _expiry_text(tokens: TokenSet, now: float) -> str:
    left = tokens.seconds_left(now)
    if left is None or tokens.expires_at is None:
        return "expiry unknown"
    when = datetime.fromtimestamp(tokens.expires_at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if left <= 0:
        return f"expired {_duration(-left)} ago ({when})"
    return f"expires in {_duration(left)} ({when})"


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


# -- auth set --------------------------------------------------------------------------------


def set_command(
    template: TemplateArgument,
    fields: Annotated[
        list[str] | None,
        typer.Argument(
            help="Fields to set (default: every custom field of the template).",
            show_default=False,
        ),
    ] = None,
    profile: ProfileOption = None,
    insecure_storage: InsecureOption = False,
    from_stdin: Annotated[
        bool,
        typer.Option(
            "--from-stdin",
            help="Read NAME=VALUE lines from stdin instead of prompting (for CI: pipe them "
            "from a secret store; never put secrets on the command line).",
        ),
    ] = False,
    from_env: Annotated[
        bool,
        typer.Option(
            "--from-env",
            help="Take each field from the environment variable `CRMTPL_VAR_<FIELD>`.",
        ),
    ] = False,
) -> None:
    """Store the template's custom-field values (API keys, client id and secret...).

    Prompts for each CustomFieldList field: hidden input for Editor=password, a choice for
    Editor=list (options from Value, comma-separated), plain text otherwise.
    """
    from crmtpl.creds.store import open_credentials
    from crmtpl.variables import ENV_PREFIX

    if from_stdin and from_env:
        raise UsageError("--from-stdin and --from-env cannot be combined")
    settings = _settings(template)
    chosen = _selected_fields(settings, fields or [])
    chain = open_credentials(settings.template_key, profile, insecure_storage=insecure_storage)
    store = chain.require_writer()
    values: dict[str, str] = {}
    if from_env:
        missing = [c.name for c in chosen if f"{ENV_PREFIX}{c.name}" not in os.environ]
        if missing:
            names = ", ".join(f"{ENV_PREFIX}{name}" for name in missing)
            raise UsageError(f"--from-env: not set: {names}")
        values = {c.name: os.environ[f"{ENV_PREFIX}{c.name}"] for c in chosen}
    elif from_stdin:
        values = _parse_stdin_values(chosen)
    else:
        if not _stdin_is_terminal():
            raise UsageError(
                "stdin is not a terminal, so crmtpl cannot prompt for the values",
                hint="pipe NAME=VALUE lines with --from-stdin, or use --from-env "
                f"({ENV_PREFIX}<FIELD> variables)",
            )
        stored_names = set(store.list_fields())
        for custom in chosen:
            answer = _prompt_value(custom, custom.name in stored_names)
            if answer != "":
                values[custom.name] = answer
    for custom in chosen:
        if custom.options and custom.name in values and values[custom.name] not in custom.options:
            raise UsageError(
                f"{values[custom.name]!r} is not one of the choices of {custom.name}",
                hint=f"choices: {', '.join(custom.options)}",
            )
    for name, value in values.items():
        store.set(name, value)
    out = console()
    profile_text = f" (profile {store.profile})"
    if values:
        out.print(
            f"stored {len(values)} field(s) of {settings.template_key}{profile_text} in "
            f"{store.description}: {', '.join(sorted(values))}",
            markup=False,
        )
        _report_binding(template, chain, store, profile)
        _warn_if_insecure(store)
    else:
        out.print("nothing was changed", markup=False)


# -- auth login ------------------------------------------------------------------------------


def login_command(
    template: TemplateArgument,
    profile: ProfileOption = None,
    insecure_storage: InsecureOption = False,
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
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            metavar="NAME=VALUE",
            help="Set a variable for rendering AuthEndPoint/TokenEndPoint (repeatable).",
        ),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="HTTP read timeout in seconds.")
    ] = None,
    ca_bundle: Annotated[
        Path | None,
        typer.Option("--ca-bundle", help="PEM file of CA certificates to trust.", dir_okay=False),
    ] = None,
) -> None:
    """Log in: the OAuth2 authorization-code flow (PKCE), or fetch a bearer token.

    Opens the CRM's consent page, receives the redirect on the loopback --redirect-uri,
    exchanges the code at TokenEndPoint and stores the tokens (never printed).
    """
    from crmtpl.auth.base import LoginSession
    from crmtpl.auth.registry import strategy_for
    from crmtpl.creds.bearer import BearerMethod
    from crmtpl.creds.login import LoginOptions
    from crmtpl.creds.oauth import ClientAuth
    from crmtpl.creds.redirect import check_redirect_uri
    from crmtpl.creds.store import open_credentials

    try:
        chosen_auth = ClientAuth(client_auth.lower())
    except ValueError:
        raise UsageError("--client-auth must be post, basic or query") from None
    try:
        chosen_method = BearerMethod(bearer_method.upper())
    except ValueError:
        raise UsageError("--bearer-method must be POST or GET") from None
    check_redirect_uri(redirect_uri)
    settings = _settings(template)
    if not settings.uses_tokens:
        raise UsageError(
            f"the template uses auth method {settings.method!r}: there is nothing to log in to",
            hint=f"store its fields with {auth_command('set', template, profile)}",
        )
    chain = open_credentials(settings.template_key, profile, insecure_storage=insecure_storage)
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
        _expiry_text(tokens, time.time()),
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
    _report_binding(template, chain, result.store, profile)
    _warn_if_insecure(result.store)


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


# -- auth status -----------------------------------------------------------------------------


def status_command(
    template: TemplateArgument,
    profile: ProfileOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
) -> None:
    """Show which fields and tokens are stored, where, and when tokens expire (never values)."""
    from crmtpl.creds.store import open_credentials

    settings = _settings(template)
    chain = open_credentials(settings.template_key, profile)
    report = _status_report(template, settings, chain)
    if output_format is OutputFormat.json:
        console().print_json(json.dumps(report))
        return
    _print_status(report)


def _status_report(
    template: Path, settings: AuthSettings, chain: CredentialChain
) -> dict[str, Any]:
    from crmtpl.creds.paths import insecure_file_path
    from crmtpl.variables import ENV_PREFIX

    status = chain.keyring_status
    fields = []
    for custom in settings.custom_fields:
        hit = chain.lookup(custom.name)
        env_name = f"{ENV_PREFIX}{custom.name}"
        fields.append(
            {
                "name": custom.name,
                "title": custom.title,
                "editor": custom.editor,
                "secret": custom.secret,
                "stored": hit is not None,
                "store": hit[1].kind if hit else None,
                "env_override": env_name if env_name in os.environ else None,
            }
        )
    tokens_report: dict[str, Any] | None = None
    found = chain.find_tokens()
    now = time.time()
    if found is not None:
        tokens, store = found
        left = tokens.seconds_left(now)
        tokens_report = {
            "store": store.kind,
            "method": tokens.method,
            "token_type": tokens.token_type,
            "expires_at": _iso(tokens.expires_at),
            "expires_in_seconds": None if left is None else int(left),
            "expired": tokens.is_expired(now),
            "refresh_token": tokens.refresh_token is not None,
            "scope": tokens.scope,
            "obtained_at": _iso(tokens.obtained_at),
            "client_auth": tokens.client_auth,
        }
    path = chain.insecure_path or insecure_file_path()
    return {
        "template": str(template),
        "key": settings.template_key,
        "name": settings.template_name,
        "method": settings.method,
        "profile": chain.profile,
        "keyring": {
            "available": bool(status and status.available),
            "backend": status.name if status and status.available else None,
            "problem": None if status is None or status.available else status.reason,
        },
        "insecure_file": {"path": str(path), "exists": path.is_file()},
        "fields": fields,
        "tokens": tokens_report,
        "approved_hosts": sorted(chain.stored_origins()),
    }


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="seconds")


def _print_status(report: dict[str, Any]) -> None:
    from rich.table import Table

    from crmtpl.auth.registry import strategy_for

    out = console()
    out.print(
        f"{report['name']} (Key {report['key']}, auth {report['method']}, "
        f"profile {report['profile']})",
        markup=False,
    )
    keyring = report["keyring"]
    if keyring["available"]:
        out.print(f"OS keyring: {keyring['backend']}", markup=False)
    else:
        out.print(f"OS keyring: not available ({keyring['problem']})", markup=False)
    if report["insecure_file"]["exists"]:
        out.print(f"INSECURE plain-text file: {report['insecure_file']['path']}", markup=False)
    if report["fields"]:
        table = Table(show_edge=False, box=None, pad_edge=False)
        for column in ("field", "title", "editor", "stored in", "note"):
            table.add_column(column)
        for item in report["fields"]:
            where = {"keyring": "OS keyring", "file": "INSECURE file"}.get(
                item["store"] or "", "not stored"
            )
            note = f"{item['env_override']} overrides it" if item["env_override"] else ""
            table.add_row(item["name"], item["title"], item["editor"], where, note)
        out.print(table)
    else:
        out.print("the template declares no custom fields", markup=False)
    hosts = report["approved_hosts"]
    out.print(
        f"stored values may go to: {', '.join(hosts) if hosts else 'no host yet'}",
        markup=False,
    )
    tokens = report["tokens"]
    if strategy_for(str(report["method"])).uses_tokens:
        if tokens is None:
            out.print("tokens: none stored (run crmtpl auth login)", markup=False)
        else:
            where = "OS keyring" if tokens["store"] == "keyring" else "INSECURE file"
            if tokens["expires_in_seconds"] is None:
                expiry = "expiry unknown"
            elif tokens["expired"]:
                expiry = f"expired at {tokens['expires_at']}"
            else:
                expiry = (
                    f"expires {tokens['expires_at']} (in {_duration(tokens['expires_in_seconds'])})"
                )
            refresh = "refresh token stored" if tokens["refresh_token"] else "no refresh token"
            scope = f"; scope {tokens['scope']}" if tokens["scope"] else ""
            out.print(f"tokens: in {where}; {expiry}; {refresh}{scope}", markup=False)


# -- auth logout -----------------------------------------------------------------------------


def logout_command(
    template: TemplateArgument,
    profile: ProfileOption = None,
    tokens_only: Annotated[
        bool, typer.Option("--tokens-only", help="Remove the tokens but keep the fields.")
    ] = False,
) -> None:
    """Remove the stored tokens and fields of a template (keyring and insecure file)."""
    from crmtpl.creds.store import open_credentials

    settings = _settings(template)
    chain = open_credentials(settings.template_key, profile, insecure_storage=True)
    out = console()
    removed_any = False
    for store in chain.readers:
        removed = store.clear(settings.field_names, keep_fields=tokens_only)
        if removed:
            removed_any = True
            names = ", ".join("tokens" if name == "@tokens" else name for name in removed)
            out.print(f"removed from {store.description}: {names}", markup=False)
    if not removed_any:
        out.print(
            f"nothing was stored for {settings.template_key} (profile {chain.profile})",
            markup=False,
        )
    status = chain.keyring_status
    if status is not None and not status.available:
        notice(f"the OS keyring was not checked: {status.reason}")
