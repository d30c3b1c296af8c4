"""``crmtpl auth``: store a template's credentials, log in with OAuth2, show and remove them.

One module per subcommand (auth_set, auth_login, auth_status; logout here). The core
(``crmtpl.creds``, the template loader, HTTP) is imported inside each command so that
``crmtpl --help`` stays cheap.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.cli.common import ProfileOption, TemplateArg
from crmtpl.cli.messages import notice, warning
from crmtpl.cli.options import console
from crmtpl.errors import UsageError

if TYPE_CHECKING:
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.creds.store import CredentialChain, CredentialStore
    from crmtpl.creds.tokenset import TokenSet

HELP = """Store a template's credentials safely, log in with OAuth2, show and remove them.

Values go to the OS keyring (or, with `--insecure-storage`, a plain-text file with mode
0600), keyed by the template's `Key`, a `--profile` and the field name. `render` and `run`
read them; `--var` and `CRMTPL_VAR_<NAME>` win over them. Details: docs/auth.md.
"""


def register(app: typer.Typer) -> None:
    """Add the ``auth`` command group."""
    from crmtpl.cli.auth_approve import approve_command
    from crmtpl.cli.auth_login import login_command
    from crmtpl.cli.auth_set import set_command
    from crmtpl.cli.auth_status import status_command

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
    group.command("approve")(approve_command)
    app.add_typer(group, name="auth")


def template_settings(template: Path) -> AuthSettings:
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


def report_binding(
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


def insecure_choice(profile: str | None, flag: bool) -> bool:
    """``--insecure-storage``, or the choice remembered for the profile."""
    from crmtpl.creds.storage_choice import choose_storage

    return choose_storage(profile, flag=flag).insecure


def remember_storage(store: CredentialStore, profile: str | None) -> None:
    """After a write to the plain-text file: remember it for the profile, said once."""
    from crmtpl.creds.storage_choice import remember_insecure, settings_path

    if store.kind == "file" and remember_insecure(profile):
        notice(
            f"profile {store.profile} now stores in the plain-text file without "
            f"--insecure-storage (remembered in {settings_path()}; `crmtpl auth logout` "
            "of its last entry forgets it)"
        )


def warn_if_insecure(store: CredentialStore) -> None:
    if store.kind == "file":
        warning(
            f"values are in the {store.description}: anyone who can read that file can use them",
            hint="prefer the OS keyring where one is available; remove them with "
            "crmtpl auth logout",
        )


def expiry_text(tokens: TokenSet, now: float) -> str:
    left = tokens.seconds_left(now)
    if left is None or tokens.expires_at is None:
        return "expiry unknown"
    when = datetime.fromtimestamp(tokens.expires_at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if left <= 0:
        return f"expired {duration(-left)} ago ({when})"
    return f"expires in {duration(left)} ({when})"


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def logout_command(
    template: TemplateArg,
    profile: ProfileOption = None,
    tokens_only: Annotated[
        bool, typer.Option("--tokens-only", help="Remove the tokens but keep the fields.")
    ] = False,
) -> None:
    """Remove the stored tokens and fields of a template (keyring and insecure file)."""
    from crmtpl.creds.store import open_credentials

    settings = template_settings(template)
    chain = open_credentials(settings.template_key, profile, insecure_storage=True)
    out = console()
    removed_any = False
    for store in chain.readers:
        removed = store.clear(settings.field_names, keep_fields=tokens_only)
        if removed:
            removed_any = True
            names = ", ".join("tokens" if name == "@tokens" else name for name in removed)
            out.print(f"removed from {store.description}: {names}", markup=False)
    from crmtpl.creds.storage_choice import forget_if_unused

    if forget_if_unused(chain.profile, chain.insecure_path):
        notice(
            f"profile {chain.profile} has nothing left in the plain-text file: it stores in "
            "the OS keyring again unless --insecure-storage is given"
        )
    if not removed_any:
        out.print(
            f"nothing was stored for {settings.template_key} (profile {chain.profile})",
            markup=False,
        )
    status = chain.keyring_status
    if status is not None and not status.available:
        notice(f"the OS keyring was not checked: {status.reason}")
