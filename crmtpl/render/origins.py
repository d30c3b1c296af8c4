"""The hosts a template sends to, and the credential binding of a command (issue 14, item 1).

:func:`template_origins` renders every request URL of a template and its AuthEndPoint and
TokenEndPoint with the values at hand (PBX samples for the PBX's own variables) and keeps
their origins. ``auth set`` and ``auth login`` record them with the values they store;
:func:`credential_binding` tells ``run`` and ``auth login`` where stored values may go
(see :mod:`crmtpl.creds.binding`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmtpl.auth.hints import auth_command
from crmtpl.auth.registry import strategy_for
from crmtpl.creds.binding import CredentialBinding, origin_of, parse_origin
from crmtpl.creds.endpoints import render_auth
from crmtpl.creds.settings import AuthSettings
from crmtpl.creds.store import CredentialChain, CredentialStore, open_credentials
from crmtpl.errors import CrmtplError, UsageError
from crmtpl.render.context import ContextRequest, build_context
from crmtpl.render.renderer import ScenarioRenderer, add_placeholders, add_samples
from crmtpl.template import LoadedTemplate
from crmtpl.variables import Source, VariableContext


def template_origins(loaded: LoadedTemplate, context: VariableContext) -> set[str]:
    """The origins of every request URL and auth endpoint of the template, as rendered
    with ``context`` (URLs whose host is only known at run time are left out)."""
    template = loaded.model
    scratch = context.copy()
    add_samples(scratch, [s.id for s in template.scenarios if s.id])
    outputs = [o.name for s in template.scenarios for r in s.requests for o in r.output_list]
    add_placeholders(scratch, [name for name in outputs if name], "output")
    renderer = ScenarioRenderer(loaded, scratch)
    urls = []
    for scenario in template.scenarios:
        for request in scenario.requests:
            urls.append(renderer.value(request, request.url_attribute or "URLFormat") or "")
    if template.auth is not None:
        try:
            rendered = render_auth(AuthSettings.from_template(template), scratch.data())
        except CrmtplError:
            pass  # an endpoint that does not render: lint and login say why
        else:
            urls += [rendered.auth_endpoint, rendered.token_endpoint]
    return {origin for url in urls if (origin := origin_of(url)) is not None}


def uses_stored_credentials(
    loaded: LoadedTemplate, context: VariableContext, chain: CredentialChain
) -> bool:
    """True when the command will send stored values: a stored field is one of its
    variables, or it will use (or refresh, or replace) stored tokens."""
    if any(variable.source is Source.CREDENTIAL for variable in context):
        return True
    if not strategy_for(loaded.model.auth_method).uses_tokens:
        return False
    return not context.user_given("AccessToken") and chain.find_tokens() is not None


def credential_binding(
    loaded: LoadedTemplate,
    context: VariableContext,
    chain: CredentialChain,
    template: Path | str,
) -> CredentialBinding:
    """Where this command may send the stored credentials of ``chain``.

    When stored values are in use, only the approved origins; values written during the
    command (refreshed tokens) are bound to those. When none are in use, nothing is
    checked and new values are bound to the template's own origins.
    """
    approved = chain.stored_origins()
    guarding = uses_stored_credentials(loaded, context, chain)
    chain.bind_new_entries(approved if guarding else template_origins(loaded, context))
    profile = chain.profile if chain.profile != "default" else None
    return CredentialBinding(
        chain.template_key,
        chain.profile,
        approved,
        guarding,
        approve_command=auth_command("approve", template, profile) + " --host {origin}",
    )


def bind_credentials(
    loaded: LoadedTemplate,
    context: VariableContext,
    template: Path | str,
    profile: str | None,
) -> tuple[CredentialChain | None, CredentialBinding]:
    """The credential chain of a template (None without a Key) and its binding, for run."""
    key = loaded.model.information.key
    if not key:
        return None, CredentialBinding("", "default", frozenset(), guarding=False)
    uses_tokens = strategy_for(loaded.model.auth_method).uses_tokens
    if not loaded.model.custom_fields and not uses_tokens:
        # Nothing of this template can be stored, so nothing stored can leave: no need to
        # open the store (and wait for the OS keyring) at all.
        return None, CredentialBinding(key, profile or "default", frozenset(), guarding=False)
    # without tokens, run only reads the store: a keyring known empty need not be opened
    chain = open_credentials(key, profile, reading_only=not uses_tokens)
    return chain, credential_binding(loaded, context, chain, template)


@dataclass(frozen=True)
class Approval:
    """What ``crmtpl auth approve`` did: the origins added, all approved ones, where."""

    added: list[str]
    approved: list[str]
    stores: list[str]


def approve_origins(
    loaded: LoadedTemplate, context: VariableContext, chain: CredentialChain, hosts: list[str]
) -> Approval:
    """Approve ``hosts`` (or, when none are given, the template's own origins) for the
    stored credentials of ``chain``, in every store that holds some."""
    origins = {parse_origin(host) for host in hosts} or template_origins(loaded, context)
    if not origins:
        raise UsageError(
            "the template's URLs do not name a host crmtpl can work out (they are only "
            "known at run time)",
            hint="name it: crmtpl auth approve TEMPLATE --host https://crm.example.com",
        )
    holders = [store for store in chain.readers if store.holds_values()]
    if not holders:
        raise UsageError(
            f"nothing is stored for {chain.template_key!r} (profile {chain.profile}), so "
            "there is nothing to approve",
            hint="crmtpl auth set and crmtpl auth login record the template's hosts themselves",
        )
    added: set[str] = set()
    for store in holders:
        added.update(store.add_origins(origins))
    return Approval(sorted(added), sorted(chain.stored_origins()), [s.description for s in holders])


def bind_to_template(
    loaded: LoadedTemplate, chain: CredentialChain, store: CredentialStore, profile: str | None
) -> tuple[list[str], list[str]]:
    """Record the template's origins with what ``auth set`` or ``auth login`` just stored
    in ``store``; returns (the origins newly approved, those approved before)."""
    before = sorted(chain.stored_origins())
    context = build_context(loaded, ContextRequest(profile=profile))
    added = store.add_origins(template_origins(loaded, context))
    return added, before


def login_binding(
    loaded: LoadedTemplate,
    chain: CredentialChain,
    template: Path | str,
    assignments: list[str],
) -> CredentialBinding:
    """The binding for ``auth login``: a stored client secret goes to approved hosts only."""
    profile = chain.profile if chain.profile != "default" else None
    context = build_context(loaded, ContextRequest(assignments=assignments, profile=profile))
    return credential_binding(loaded, context, chain, template)
