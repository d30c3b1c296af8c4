"""Scenario names as a user types them: ids (``SyncContactAuto``) or friendly aliases."""

from __future__ import annotations

from crmtpl.errors import UsageError

#: Friendly alias → scenario id. The same words name the ``crmtpl run`` subcommands.
SCENARIO_ALIASES: dict[str, str] = {
    "lookup": "SyncContactAuto",
    "users": "UserAssociation",
    "create-contact": "CreateNewContact",
    "call-journal": "CallJournal",
    "ticket": "CreateNewTicket",
    "global-info": "GetGlobalInfo",
    "auth": "AuthMethod",
    "common": "Common",
    "search": "SearchContact",
}
ALIAS_OF: dict[str, str] = {scenario: alias for alias, scenario in SCENARIO_ALIASES.items()}


def resolve_scenario(name: str, available: tuple[str, ...]) -> str:
    """The scenario id for ``name`` (an alias or an id, case-insensitive); a usage error
    naming the template's scenarios when it matches none."""
    wanted = SCENARIO_ALIASES.get(name.lower(), name)
    for scenario_id in available:
        if scenario_id.lower() == wanted.lower():
            return scenario_id
    choices = ", ".join(f"{ALIAS_OF[s]} ({s})" if s in ALIAS_OF else s for s in available) or "none"
    raise UsageError(
        f"the template has no scenario {name!r}",
        hint=f"scenarios in this template: {choices}",
    )
