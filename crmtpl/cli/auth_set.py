"""``crmtpl auth set``: store a template's custom-field values."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.cli.auth import (
    insecure_choice,
    remember_storage,
    report_binding,
    template_settings,
    warn_if_insecure,
)
from crmtpl.cli.common import (
    InsecureStorageOption,
    ProfileOption,
    TemplateArg,
)
from crmtpl.cli.options import console
from crmtpl.errors import UsageError

if TYPE_CHECKING:
    from crmtpl.creds.settings import AuthSettings, CustomField


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
    elif custom.default is not None:
        label += f" (Enter keeps the template's default {custom.default})"
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


def set_command(
    template: TemplateArg,
    fields: Annotated[
        list[str] | None,
        typer.Argument(
            help="Fields to set (default: every custom field of the template).",
            show_default=False,
        ),
    ] = None,
    profile: ProfileOption = None,
    insecure_storage: InsecureStorageOption = False,
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
    settings = template_settings(template)
    chosen = _selected_fields(settings, fields or [])
    chain = open_credentials(
        settings.template_key, profile, insecure_storage=insecure_choice(profile, insecure_storage)
    )
    store = chain.require_writer()
    values: dict[str, str] = {}
    if from_env:
        # A field with a template default (a base URL, say) is stored only when named
        # with --field: its CRMTPL_VAR_ variable serves render and run as it is.
        needed = [c for c in chosen if fields or c.default is None]
        missing = [c.name for c in needed if f"{ENV_PREFIX}{c.name}" not in os.environ]
        if missing:
            names = ", ".join(f"{ENV_PREFIX}{name}" for name in missing)
            raise UsageError(f"--from-env: not set: {names}")
        values = {c.name: os.environ[f"{ENV_PREFIX}{c.name}"] for c in needed}
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
        report_binding(template, chain, store, profile)
        warn_if_insecure(store)
        remember_storage(store, profile)
    else:
        out.print("nothing was changed", markup=False)
