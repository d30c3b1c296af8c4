"""The secrets of a run by name, and the placeholder values they take in a replay.

A replayed run has no account: every secret custom field and the access token of an
OAuth2 or bearer-token template take their placeholder (``{{secret:api_key}}``) as value,
so the requests render exactly as the recording was redacted, nothing is read from the
keyring and no token endpoint is asked. Non-secret custom fields (a username, a subdomain)
must still be given (``--var``, a test file's ``[inputs]``).
"""

from __future__ import annotations

from collections.abc import Iterable

from crmtpl.auth.base import ACCESS_TOKEN
from crmtpl.auth.registry import strategy_for
from crmtpl.recording.redaction import placeholder
from crmtpl.secrets import is_secret_field
from crmtpl.template.model import Template
from crmtpl.variables import Source, VariableContext

REPLAY_ORIGIN = "replay placeholder"


def secrets_by_name(context: VariableContext, extra: Iterable[str] = ()) -> dict[str, str]:
    """Every secret value of the run under the name its placeholder will carry."""
    found: dict[str, str] = {}
    for variable in context:
        if variable.secret and variable.value:
            found[variable.name] = variable.value
    known = set(found.values())
    others = [v for v in context.secret_values() if v and v not in known]
    others += [v for v in extra if v and v not in known]
    for number, value in enumerate(dict.fromkeys(others), start=1):
        found[f"secret{number}"] = value
    return found


def use_replay_placeholders(template: Template, context: VariableContext) -> None:
    """Give every secret custom field, and the access token, its placeholder value."""
    for field in template.custom_fields:
        if field.name and is_secret_field(field.name, field.editor):
            context.set(
                field.name, placeholder(field.name), Source.FLAG, REPLAY_ORIGIN, secret=True
            )
    if strategy_for(template.auth_method).uses_tokens:
        context.set(
            ACCESS_TOKEN, placeholder(ACCESS_TOKEN), Source.FLAG, REPLAY_ORIGIN, secret=True
        )
