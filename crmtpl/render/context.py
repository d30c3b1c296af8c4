"""Building the variable context for ``render`` and ``run`` from what the user gave.

One function serves both commands, so a value resolves the same way whether it is only
shown or really sent (precedence: :mod:`crmtpl.variables`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmtpl.creds.store import load_credentials
from crmtpl.errors import CrmtplError, UsageError
from crmtpl.render.varsfile import load_mapping_file
from crmtpl.secrets import is_secret_field
from crmtpl.template import LoadedTemplate
from crmtpl.variables import (
    Source,
    Variable,
    VariableContext,
    custom_field_default,
    env_variables,
    parse_assignment,
)

log = logging.getLogger("crmtpl.render")


@dataclass
class ContextRequest:
    """What the user gave on the command line for the variables."""

    assignments: Sequence[str] = ()
    vars_file: Path | None = None
    phone: str | None = None
    call_file: Path | None = None
    pbx_values: Mapping[str, str] = field(default_factory=dict)
    profile: str | None = None
    use_credentials: bool = True
    environ: Mapping[str, str] | None = None


def build_context(loaded: LoadedTemplate, request: ContextRequest) -> VariableContext:
    """The variable context of a template: flags, file, env, stored credentials and the
    PBX side (``--phone``, ``--call``, command options such as ``--first-name``)."""
    context = VariableContext()
    for text in request.assignments:
        try:
            name, value = parse_assignment(text)
        except ValueError as problem:
            raise UsageError(str(problem), hint="write --var NAME=VALUE") from problem
        context.set(name, value, Source.FLAG, "--var")
    if request.vars_file is not None:
        for name, value in load_mapping_file(request.vars_file).items():
            context.set(name, value, Source.FILE, str(request.vars_file))
    environ = os.environ if request.environ is None else request.environ
    for variable in env_variables(environ):
        context.add(variable)
    template = loaded.model
    if request.use_credentials:
        _add_stored_credentials(context, loaded, request.profile)
    if request.call_file is not None:
        for name, value in load_mapping_file(request.call_file, what="--call").items():
            context.set(name, value, Source.PBX, f"--call {request.call_file}")
    for name, value in request.pbx_values.items():
        context.set(name, value, Source.PBX, "command option")
    if request.phone is not None:
        context.set("Phone", request.phone, Source.PBX, "--phone")
    for custom_field in template.custom_fields:
        if custom_field.name and is_secret_field(custom_field.name, custom_field.editor):
            context.mark_secret(custom_field.name)
    for name, value in template_defaults(loaded).items():
        if name not in context:
            context.set(name, value, Source.DEFAULT, "the template's Value")
    return context


def template_defaults(loaded: LoadedTemplate) -> dict[str, str]:
    """The pre-filled values of a template's custom fields (:func:`custom_field_default`):
    the lowest-precedence values of render and run (docs/variables.md)."""
    defaults: dict[str, str] = {}
    for custom_field in loaded.model.custom_fields:
        name = custom_field.name
        value = custom_field_default(name or "", custom_field.editor, custom_field.value)
        if name and value is not None:
            defaults[name] = value
    return defaults


def defaults_used(context: VariableContext, names: Iterable[str]) -> list[Variable]:
    """The variables among ``names`` whose value is a template default, for the notice
    render and run print (``note: sandbox_url is the template's default ...``)."""
    used = []
    for name in sorted(set(names)):
        variable = context.get(name)
        if variable is not None and variable.source is Source.DEFAULT:
            used.append(variable)
    return used


def _add_stored_credentials(
    context: VariableContext, loaded: LoadedTemplate, profile: str | None
) -> None:
    template = loaded.model
    key = template.information.key
    names = [name for name in template.custom_field_names if name not in context]
    if not key or not names:
        return
    secret_fields = [
        f.name for f in template.custom_fields if f.name and is_secret_field(f.name, f.editor)
    ]
    try:
        variables = load_credentials(key, profile, names, secret_fields=secret_fields)
    except UsageError:
        raise
    except CrmtplError as problem:  # a broken keyring must not stop a render
        log.warning("stored credentials could not be read: %s", problem)
        return
    for variable in variables:
        context.add(variable)
