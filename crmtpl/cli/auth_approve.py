"""``crmtpl auth approve``: let a template's stored credentials go to another host.

The logic is in :mod:`crmtpl.render.origins` and :mod:`crmtpl.creds.binding`; this module
parses the options and prints what was approved.
"""

from __future__ import annotations

from typing import Annotated

import typer

from crmtpl.cli.common import ProfileOption, TemplateArg
from crmtpl.cli.options import console


def approve_command(
    template: TemplateArg,
    host: Annotated[
        list[str] | None,
        typer.Option(
            "--host",
            metavar="URL",
            help="An origin the stored credentials may be sent to, e.g. "
            "https://crm.example.com or http://127.0.0.1:8765 (repeatable). Without it: "
            "the hosts the template's own URLs name.",
        ),
    ] = None,
    profile: ProfileOption = None,
) -> None:
    """Approve hosts for a template's stored credentials (they are bound to hosts).

    crmtpl sends stored API keys, passwords, client secrets and tokens only to the hosts
    approved for them (`auth set` and `auth login` approve the template's own hosts). A
    template that sends them elsewhere is refused until you approve the host here.
    """
    from crmtpl.cli.auth import template_settings
    from crmtpl.cli.loading import context_for, load
    from crmtpl.creds.store import open_credentials
    from crmtpl.render.origins import approve_origins

    settings = template_settings(template)
    loaded = load(template)
    context = context_for(loaded, assignments=None, vars_file=None, profile=profile)
    chain = open_credentials(settings.template_key, profile)
    approval = approve_origins(loaded, context, chain, list(host or []))
    out = console()
    added = ", ".join(approval.added) if approval.added else "nothing new"
    out.print(
        f"approved for the stored credentials of {settings.template_key} (profile "
        f"{chain.profile}): {added}; they may now go to {', '.join(approval.approved)} "
        f"(in {', '.join(approval.stores)})",
        markup=False,
    )
