"""Authentication and parameter groups: AuthType/AuthMethod, required parameters per
method, custom fields, Father groups, token-error patterns (CT4xx, part of CT905)."""

from __future__ import annotations

from collections.abc import Iterator

from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import RelatedInfo
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.suggest import closest, did_you_mean
from crmtpl.template import Parameter, Request, Scenario
from crmtpl.template.catalogue import Certainty
from crmtpl.template.model import CUSTOM_FIELD_LIST, TOKEN_ERROR_MAP


@check("CT401", "CT402", "CT403", "CT404")
def auth_method(ctx: LintContext) -> None:
    """AuthType and the AuthMethod parameter: valid, equal, and complete for the method."""
    facts = ctx.catalogue
    names = tuple(m.name for m in facts.auth_methods)
    info = ctx.model.information
    auth_type = info.auth_type
    if auth_type not in names:
        written = "no AuthType" if auth_type is None else f"AuthType {auth_type!r}"
        ctx.report(
            "CT401",
            ctx.attribute_span(info, "AuthType"),
            f"<Information> has {written}; it must be one of: {', '.join(names)}",
            hint=did_you_mean(auth_type or "", names) or "write the AuthMethod parameter's value",
        )
    scenario = ctx.model.auth
    if scenario is None:
        return  # CT203
    parameter = scenario.param("AuthMethod")
    if parameter is None or parameter.value not in names:
        if parameter is None:
            span = ctx.attribute_span(scenario, "Id")
            message = "the AuthMethod scenario has no AuthMethod parameter"
        else:
            span = ctx.attribute_span(parameter, "Value")
            message = f"AuthMethod {parameter.value!r} is not one of: {', '.join(names)}"
        ctx.report(
            "CT401",
            span,
            message,
            hint=did_you_mean((parameter and parameter.value) or "", names)
            or f'add <Parameter Name="AuthMethod" Value="{auth_type or "none"}">',
        )
    elif auth_type in names and auth_type != parameter.value:
        ctx.report(
            "CT402",
            ctx.attribute_span(parameter, "Value"),
            f"the AuthMethod parameter says {parameter.value!r} but AuthType on "
            f"<Information> says {auth_type!r}",
            hint="make both the same",
            related=[RelatedInfo("AuthType", ctx.attribute_span(info, "AuthType"))],
        )
    method = facts.auth_method(ctx.model.auth_method or "")
    if method is None:
        return
    anchor = ctx.attribute_span(scenario, "Id") if parameter is None else parameter.span
    for name in method.required_parameters:
        required = scenario.param(name)
        if required is None or not required.value:
            where = anchor if required is None else ctx.attribute_span(required, "Value")
            state = "missing" if required is None else "empty"
            spec = facts.parameter("AuthMethod", name)
            ctx.report(
                "CT403",
                where,
                f"{method.name} authentication needs the {name} parameter, which is {state}",
                hint=spec.meaning if spec is not None else None,
            )
    for name, allowed in method.parameter_values.items():
        given = scenario.param(name)
        if given is not None and given.value and given.value not in allowed:
            ctx.report(
                "CT404",
                ctx.attribute_span(given, "Value"),
                f"{name} {given.value!r} is not one of: {', '.join(allowed)}",
                hint=did_you_mean(given.value, allowed),
            )


@check("CT405", "CT406", "CT407", "CT411", "CT905")
def custom_fields(ctx: LintContext) -> None:
    """CustomFieldList parameters: Name and a known Editor, unique names, list options."""
    editors = tuple(e.name for e in ctx.catalogue.editors)
    fields = list(_grouped(ctx, CUSTOM_FIELD_LIST))
    for parameter, first in repeats((p.name, p) for p in fields):
        ctx.report_repeat(
            "CT407",
            ctx.attribute_span(parameter, "Name"),
            ctx.attribute_span(first, "Name"),
            f"a second custom field named {parameter.name!r}; both would be the variable "
            f"{{{{.{parameter.name}}}}}",
            "rename or remove one",
        )
    for parameter in fields:
        if not parameter.name or not parameter.editor:
            missing = " and ".join(
                a for a, v in (("Name", parameter.name), ("Editor", parameter.editor)) if not v
            )
            ctx.report(
                "CT405",
                parameter.node.name_span,
                f"this custom field has no {missing}",
                hint=f"a custom field needs Name (its variable) and Editor ({', '.join(editors)})",
            )
        if parameter.editor and parameter.editor not in editors:
            ctx.report(
                "CT406",
                ctx.attribute_span(parameter, "Editor"),
                f"Editor {parameter.editor!r} is not one of: {', '.join(editors)}",
                hint=did_you_mean(parameter.editor, editors)
                or "use password for secrets, list for a fixed set of options",
            )
        if parameter.editor == "list" and not (parameter.value or "").strip(" ,"):
            ctx.report(
                "CT411",
                ctx.attribute_span(parameter, "Value")
                if parameter.value is not None
                else parameter.node.name_span,
                f"list field {parameter.name!r} has no options",
                hint='put the options, comma-separated, in Value (Value="eu,us,ap")',
            )
        if parameter.key is not None:
            ctx.report(
                "CT905",
                ctx.attribute_name_span(parameter, "Key"),
                "the Key attribute of a custom field is seen only in a third-party template; "
                "its purpose is unknown",
                hint="it is accepted; the documented fields need only Name, Editor and Title",
            )


def _grouped(ctx: LintContext, father: str) -> Iterator[Parameter]:
    for scenario in ctx.model.scenarios:
        for parameter in scenario.parameters:
            if parameter.father == father:
                yield parameter


def _every_parameter(ctx: LintContext) -> Iterator[tuple[Scenario, Request | None, Parameter]]:
    for scenario in ctx.model.scenarios:
        for parameter in scenario.parameters:
            yield scenario, None, parameter
        for request in scenario.requests:
            for parameter in request.parameters:
                yield scenario, request, parameter


@check("CT212", "CT408", "CT409", "CT905")
def father_groups(ctx: LintContext) -> None:
    """Father names a known group, used where the format puts it."""
    facts = ctx.catalogue
    groups = tuple(g.name for g in facts.father_groups)
    for scenario, request, parameter in _every_parameter(ctx):
        if not parameter.father:
            continue
        group = facts.father_group(parameter.father)
        span = ctx.attribute_span(parameter, "Father")
        meant = closest(parameter.father, groups) if group is None else None
        if meant is not None:
            ctx.report(
                "CT212",
                span,
                f"Father {parameter.father!r} is a misspelling of {meant!r}: the PBX ignores "
                "this parameter",
                hint=f'write Father="{meant}"',
                fix=ctx.replace_fix(span, meant, f"rename the group to {meant}"),
            )
            continue
        if group is None:
            ctx.report(
                "CT408",
                span,
                f"Father {parameter.father!r} is not a parameter group of the format; the "
                "PBX probably ignores this parameter",
                hint=did_you_mean(parameter.father, groups) or "known groups: " + ", ".join(groups),
            )
            continue
        if request is not None and not group.in_requests:
            ctx.report(
                "CT409",
                span,
                f"{group.name} parameters belong to the scenario, not to a <Request>",
                hint=f"move it to the {', '.join(group.scenarios)} scenario's <Parameters>",
            )
        elif request is None and scenario.id not in group.scenarios:
            ctx.report(
                "CT409",
                span,
                f"{group.name} parameters belong to the {' or '.join(group.scenarios)} "
                f"scenario{' or a <Request>' if group.in_requests else ''}, not to "
                f"{scenario.id or 'this scenario'}",
                hint=f"move it to the {', '.join(group.scenarios)} scenario",
            )
        if group.provenance.certainty is Certainty.THIRD_PARTY:
            ctx.report(
                "CT905",
                span,
                f"{group.name} is seen only in a third-party template: {group.purpose}",
                hint="it is accepted; no documentation describes it",
            )


@check("CT410")
def token_error_patterns(ctx: LintContext) -> None:
    """TokenErrorMap parameters: Type and Name TokenInvalid, and a text to look for."""
    group = ctx.catalogue.father_group(TOKEN_ERROR_MAP)
    if group is None:
        return
    for parameter in _grouped(ctx, TOKEN_ERROR_MAP):
        problems = []
        if parameter.type != group.type:
            problems.append(f'Type="{group.type}"')
        if group.fixed_names and parameter.name not in group.fixed_names:
            problems.append(f'Name="{group.fixed_names[0]}"')
        if not parameter.value:
            problems.append("a Value (the response text that means the token is invalid)")
        if problems:
            ctx.report(
                "CT410",
                parameter.node.name_span,
                "this token-error pattern needs " + " and ".join(problems),
                hint=f'<Parameter Father="{TOKEN_ERROR_MAP}" Type="{group.type}" '
                f'Name="{(group.fixed_names or ("TokenInvalid",))[0]}" Value="invalid_token">',
            )
