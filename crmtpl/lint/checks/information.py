"""<Information>: provider, required attributes, flags, feature switches (CT3xx)."""

from __future__ import annotations

import re

from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import RelatedInfo
from crmtpl.lint.registry import check

_KEY_CHARACTERS = re.compile(r"[a-z0-9_]+")
#: Required attributes with a rule of their own (CT301, CT401, CT304).
_OWN_RULE = frozenset({"Provider", "AuthType", "MaxConcurrentRequest"})


@check("CT301", "CT302", "CT303", "CT304", "CT308")
def information_attributes(ctx: LintContext) -> None:
    """Provider, Name and Key present, 0/1 flags, MaxConcurrentRequest, Key's characters."""
    info = ctx.model.information
    for spec in ctx.catalogue.information_attributes:
        value = info.node.get(spec.name)
        span = ctx.attribute_span(info, spec.name)
        if spec.name == "Provider":
            if value not in spec.values:
                written = "no Provider" if value is None else f"Provider {value!r}"
                ctx.report(
                    "CT301",
                    span,
                    f"<Information> has {written}; it must be one of: {', '.join(spec.values)}",
                    hint='write Provider="crm" or Provider="helpdesk" (lower case)',
                )
        elif spec.kind == "flag":
            if value is not None and value not in spec.values:
                ctx.report(
                    "CT303",
                    span,
                    f"{spec.name}={value!r} is not a flag value; write 0 or 1",
                    hint=f'{spec.name}="1" switches the function on, "0" (or leaving it out) off',
                )
        elif spec.kind == "positive_int":
            if info.max_concurrent_requests is None:
                written = "is missing" if value is None else f"is {value!r}"
                ctx.report(
                    "CT304",
                    span,
                    f"{spec.name} {written}; it must be a positive integer",
                    hint=f'for example {spec.name}="5"',
                )
        elif spec.required and spec.name not in _OWN_RULE and not value:
            ctx.report(
                "CT302",
                span,
                f"<Information> has no {spec.name}" if value is None else f"{spec.name} is empty",
                hint=f"{spec.name}: {spec.meaning}",
            )
        if spec.kind == "key" and value and not _KEY_CHARACTERS.fullmatch(value):
            ctx.report(
                "CT308",
                span,
                f"Key {value!r} uses characters other than a-z, 0-9 and _; the allowed set "
                "is not documented",
                hint="use lower-case letters, digits and underscores, e.g. my_crm",
            )


@check("CT305", "CT306", "CT307")
def feature_switches(ctx: LintContext) -> None:
    """A switch on <Information> and the scenario it enables come together (spec §17.6)."""
    model = ctx.model
    info = model.information
    provider = model.provider
    for spec in ctx.catalogue.scenarios:
        scenario = model.scenario(spec.id)
        flag = spec.gate_flag
        if flag is not None:
            enabled = info.feature_enabled(flag)
            if enabled and scenario is None:
                ctx.report(
                    "CT305",
                    ctx.attribute_span(info, flag),
                    f'{flag}="1" but there is no <Scenario Id="{spec.id}"> to perform it',
                    hint=f'add the {spec.id} scenario, or set {flag}="0"',
                )
            elif scenario is not None and not enabled:
                state = "absent (0)" if info.node.get(flag) is None else "0"
                ctx.report(
                    "CT306",
                    ctx.attribute_span(scenario, "Id"),
                    f"the {spec.id} scenario never runs: {flag} on <Information> is {state}",
                    hint=f'set {flag}="1" on <Information>, or remove the scenario',
                    related=[RelatedInfo("the switch", ctx.attribute_span(info, flag))],
                )
        if provider in ("crm", "helpdesk") and provider not in spec.providers:
            if scenario is not None:
                span = ctx.attribute_span(scenario, "Id")
            elif flag is not None and info.feature_enabled(flag):
                span = ctx.attribute_span(info, flag)
            else:
                continue
            ctx.report(
                "CT307",
                span,
                f"{spec.id} exists for {' and '.join(spec.providers)} templates only; this "
                f"template's Provider is {provider!r}",
                hint="remove it, or make the template a " + " or ".join(spec.providers),
            )
