"""``crmtpl auth status``: which fields and tokens are stored, where, and when they expire."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crmtpl.choices import StatusFormat
from crmtpl.cli.auth import duration, template_settings
from crmtpl.cli.common import ProfileOption, TemplateArg
from crmtpl.cli.options import console

if TYPE_CHECKING:
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.creds.store import CredentialChain
    from crmtpl.run.credcheck import CredentialCheck


def status_command(
    template: TemplateArg,
    profile: ProfileOption = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="text or json.")
    ] = StatusFormat.text,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Also test the credentials against the server with the template's cheapest "
            "read-only request (exit 0 ok, 5 refused, 4 unreachable).",
        ),
    ] = False,
) -> None:
    """Show which fields and tokens are stored, where, and when tokens expire (never values).

    With --check, send one read-only request (UserAssociation, else a SyncContactAuto
    search for a fictitious number) to see whether the server accepts the credentials.
    """
    from crmtpl.creds.store import open_credentials

    settings = template_settings(template)
    chain = open_credentials(settings.template_key, profile)
    report = _status_report(template, settings, chain)
    verdict = _check(template, profile) if check else None
    if verdict is not None:
        report["check"] = verdict.as_json()
    if output_format is StatusFormat.json:
        console().print_json(json.dumps(report))
    else:
        _print_status(report)
        if verdict is not None:
            _print_check(verdict)
    if verdict is not None and verdict.exit_code:
        raise typer.Exit(int(verdict.exit_code))


def _check(template: Path, profile: str | None) -> CredentialCheck:
    """Send the probe request with the stored credentials (the same wiring as ``run``)."""
    from crmtpl.auth.hints import auth_command
    from crmtpl.auth.registry import needs_token_manager, token_manager_for
    from crmtpl.cli.loading import context_for, load
    from crmtpl.creds.binding import BoundHttpClient
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.http import HttpSettings
    from crmtpl.render.origins import bind_credentials
    from crmtpl.run.credcheck import check_credentials
    from crmtpl.run.runner import ScenarioRunner

    loaded = load(template)
    context = context_for(loaded, assignments=None, vars_file=None, profile=profile)
    chain, binding = bind_credentials(loaded, context, template, profile)
    with BoundHttpClient(HttpSettings(max_retries=0), binding) as http:
        tokens = None
        if needs_token_manager(loaded.model.auth_method, context):
            tokens = token_manager_for(
                AuthSettings.from_template(loaded.model),
                context.data(),
                http=http,
                chain=chain,
                profile=profile,
                login_command=auth_command("login", template, profile),
            )
        runner = ScenarioRunner(loaded, context, http, tokens=tokens)
        return check_credentials(runner)


def _print_check(verdict: CredentialCheck) -> None:
    from crmtpl.controlchars import make_visible

    out = console()
    out.print(
        f"check ({verdict.scenario} {verdict.request}): {verdict.verdict.value}: "
        f"{make_visible(verdict.message, one_line=True)}",
        markup=False,
    )
    if verdict.hint and verdict.exit_code:
        console(stderr=True).print(f"hint: {verdict.hint}", markup=False)


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
                    f"expires {tokens['expires_at']} (in {duration(tokens['expires_in_seconds'])})"
                )
            refresh = "refresh token stored" if tokens["refresh_token"] else "no refresh token"
            scope = f"; scope {tokens['scope']}" if tokens["scope"] else ""
            out.print(f"tokens: in {where}; {expiry}; {refresh}{scope}", markup=False)
