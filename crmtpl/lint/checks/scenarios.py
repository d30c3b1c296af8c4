"""Scenarios: request names, scenario parameters and flags, contact search, outputs per
scenario, Next and Common (CT303 for scenario flags, CT5xx, part of CT905)."""

from __future__ import annotations

from crmtpl.lint.checks.outputs import field_in_use
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import RelatedInfo
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.suggest import closest, did_you_mean
from crmtpl.template import Output, Parameter, Request, Scenario
from crmtpl.template.catalogue import Certainty, ScenarioSpec

#: Parameters whose values have a rule of their own (CT401, CT404, CT510).
_OWN_VALUE_RULE = frozenset({"AuthMethod", "CredentialType", "ContactUrlType"})
#: Request-name rules under which a scenario must have at least one request.
_NEEDS_REQUESTS = frozenset({"fixed", "contact_type", "sync_contact_type", "prefix"})
#: ContactUrlType value -> the parameter it needs and the rule for an empty one.
_URL_SOURCES = {
    "specify_url_format": ("URLFormat", "CT511"),
    "retrieve_from_contact": ("ContactFieldForUri", "CT512"),
}


def _known_scenarios(ctx: LintContext) -> list[tuple[Scenario, ScenarioSpec]]:
    pairs = []
    for scenario in ctx.model.scenarios:
        spec = ctx.catalogue.scenario(scenario.id or "")
        if spec is not None:
            pairs.append((scenario, spec))
    return pairs


@check("CT501", "CT502", "CT513", "CT515", "CT905")
def request_names(ctx: LintContext) -> None:
    """Fixed request names, contact types for CreateNewContact, at least one request."""
    contact_types = ctx.model.contact_types
    for scenario, spec in _known_scenarios(ctx):
        rule = spec.request_name_rule
        if spec.provenance.certainty is Certainty.THIRD_PARTY:
            ctx.report(
                "CT905",
                ctx.attribute_span(scenario, "Id"),
                f"the {spec.id} scenario is seen only in a third-party template: "
                f"{spec.description}",
                hint="it is accepted as an unverified scenario",
            )
        if not scenario.requests:
            if rule in _NEEDS_REQUESTS:
                ctx.report(
                    "CT513",
                    ctx.attribute_span(scenario, "Id"),
                    f"the {spec.id} scenario has no <Request>, so it cannot do anything",
                    hint=_request_hint(spec, contact_types),
                )
            continue
        for request, first in repeats((r.name, r) for r in scenario.requests):
            ctx.report_repeat(
                "CT515",
                ctx.attribute_span(request, "Name"),
                ctx.attribute_span(first, "Name"),
                f"a second request named {request.name!r} in {spec.id}",
                "give each request its own name",
            )
        for request in scenario.requests:
            name = request.name
            if not name:
                continue  # CT607
            if rule == "none":
                ctx.report(
                    "CT501",
                    ctx.attribute_span(request, "Name"),
                    f"the {spec.id} scenario performs no requests; request {name!r} never runs",
                    hint="remove it (its <Requests> stays empty)",
                )
            elif rule == "fixed" and name not in spec.request_names + spec.optional_request_names:
                allowed = spec.request_names + spec.optional_request_names
                ctx.report(
                    "CT501",
                    ctx.attribute_span(request, "Name"),
                    f"in {spec.id} a request must be named {' or '.join(allowed)}; "
                    f"{name!r} never runs",
                    hint=did_you_mean(name, allowed) or f'write Name="{allowed[0]}"',
                )
            elif rule == "sync_contact_type" and name not in contact_types:
                ctx.report(
                    "CT502",
                    ctx.attribute_span(request, "Name"),
                    f"{name!r} is not a contact type: the SyncContactAuto requests are "
                    + (", ".join(repr(t) for t in contact_types) or "none"),
                    hint=did_you_mean(name, contact_types)
                    or "name it after the SyncContactAuto request of the type it creates",
                )
        if rule == "fixed":
            for required in spec.request_names:
                if required not in scenario.request_names:
                    ctx.report(
                        "CT501",
                        ctx.attribute_span(scenario, "Id"),
                        f"the {spec.id} scenario has no request named {required!r}, the one "
                        "the PBX runs",
                        hint=f'name the request Name="{required}"',
                    )


def _request_hint(spec: ScenarioSpec, contact_types: tuple[str, ...]) -> str:
    if spec.request_name_rule == "fixed":
        return f'add <Request Name="{spec.request_names[0]}" …> inside <Requests>'
    if spec.request_name_rule == "sync_contact_type" and contact_types:
        return f'add <Request Name="{contact_types[0]}" Method="POST" …> inside <Requests>'
    return "add a <Request> inside <Requests>"


def _misspelt_parameter(
    ctx: LintContext, scenario_id: str, parameter: Parameter, known: tuple[str, ...]
) -> bool:
    """CT212 for a parameter close to a known one, or an unknown ``…Enable`` flag where the
    contact fields are a fixed set; True when reported."""
    name = parameter.name or ""
    meant = closest(name, known)
    flags = [f for f in known if f.endswith("Enable")]
    if meant is None and not (name.endswith("Enable") and flags):
        return False
    span = ctx.attribute_span(parameter, "Name")
    what = "enable flag" if name.endswith("Enable") else "parameter"
    if meant is None:
        ctx.report(
            "CT212",
            span,
            f"{name!r} is not an enable flag of {scenario_id}: the contact fields are a fixed "
            "set and the PBX ignores this one",
            hint="the flags are " + ", ".join(flags),
        )
        return True
    ctx.report(
        "CT212",
        span,
        f"{what} {name!r} is a misspelling of {meant!r}: the PBX ignores it, so "
        + (
            f"{meant} is not set and {meant.removesuffix('Enable')} is never filled"
            if what == "enable flag"
            else f"{meant} is not set on any call"
        ),
        hint=f'write Name="{meant}"',
        fix=ctx.replace_fix(span, meant, f"rename {name} to {meant}"),
    )
    return True


@check("CT212", "CT303", "CT516", "CT517", "CT905")
def scenario_parameters(ctx: LintContext) -> None:
    """Known scenario parameters, flags 0/1, values in their documented set."""
    facts = ctx.catalogue
    for scenario, spec in _known_scenarios(ctx):
        known = facts.parameters_for(spec.id)
        known_names = tuple(p.name for p in known)
        for parameter in scenario.parameters:
            if parameter.father or parameter.type or parameter.name is None:
                continue  # groups, headers and bodies have rules of their own
            pspec = facts.parameter(spec.id, parameter.name)
            if pspec is None and _misspelt_parameter(ctx, spec.id, parameter, known_names):
                continue
            if pspec is None:
                ctx.report(
                    "CT517",
                    ctx.attribute_span(parameter, "Name"),
                    f"{parameter.name!r} is not a parameter of the {spec.id} scenario; the PBX "
                    "probably ignores it",
                    hint=did_you_mean(parameter.name, known_names),
                )
                continue
            if pspec.provenance.certainty is Certainty.THIRD_PARTY:
                ctx.report(
                    "CT905",
                    ctx.attribute_span(parameter, "Name"),
                    f"{parameter.name} in {spec.id} is seen only in a third-party template: "
                    f"{pspec.meaning}",
                    hint="it is accepted; no documentation describes it",
                )
            value = parameter.value or ""
            if not value and pspec.kind != "flag":
                continue
            span = ctx.attribute_span(parameter, "Value")
            if pspec.kind == "flag" and value not in pspec.values:
                ctx.report(
                    "CT303",
                    span,
                    f"{parameter.name}={value!r} is not a flag value; write 0 or 1",
                    hint=pspec.meaning,
                )
            elif parameter.name in _OWN_VALUE_RULE:
                continue
            elif pspec.kind == "enum" and pspec.values and value not in pspec.values:
                ctx.report(
                    "CT516",
                    span,
                    f"{parameter.name} {value!r} is not one of: {', '.join(pspec.values)}",
                    hint=did_you_mean(value, pspec.values) or pspec.meaning,
                )
            elif pspec.kind == "integer" and not (value.isascii() and value.isdigit()):
                ctx.report(
                    "CT516",
                    span,
                    f"{parameter.name} {value!r} is not a whole number",
                    hint=pspec.meaning,
                )


@check("CT503", "CT504", "CT505", "CT506", "CT507", "CT510", "CT511", "CT512", "CT519", "CT905")
def scenario_outputs(ctx: LintContext) -> None:
    """Outputs each scenario allows and requires; contact search flags and popup URL."""
    for scenario, spec in _known_scenarios(ctx):
        if spec.output_rule == "contact_fields":
            _contact_fields(ctx, scenario, spec)
        elif spec.output_rule in ("fixed", "none"):
            allowed = spec.outputs
            for request in scenario.requests:
                for output in request.output_list:
                    _allowed_output(ctx, spec, output, allowed)
                if request.name in spec.request_names:
                    _documented_outputs(ctx, spec, request)
    sync = ctx.model.scenario("SyncContactAuto")
    if sync is not None:
        _enable_flags(ctx, sync)
        _contact_url(ctx, sync)


def _allowed_output(
    ctx: LintContext, spec: ScenarioSpec, output: Output, allowed: tuple[str, ...]
) -> None:
    name = output.name
    if not name or name in allowed:
        return
    span = ctx.attribute_span(output, "Name")
    if name in spec.third_party_outputs:
        ctx.report(
            "CT905",
            span,
            f"output {name!r} in {spec.id} is seen only in a third-party template",
            hint="it is accepted; no documentation says the PBX stores it",
        )
        return
    if not allowed:
        ctx.report(
            "CT519",
            span,
            f"{spec.id} documents no outputs; the PBX probably ignores {name!r}",
            hint="crmtpl shows it when it runs the scenario; the PBX is not known to store it",
        )
        return
    ctx.report(
        "CT506",
        span,
        f"{spec.id} outputs are {', '.join(allowed)}; {name!r} is never stored",
        hint=did_you_mean(name, allowed),
    )


def _documented_outputs(ctx: LintContext, spec: ScenarioSpec, request: Request) -> None:
    names = set() if request.outputs is None else set(request.outputs.names)
    missing = [o for o in spec.outputs if o not in names]
    if not missing:
        return
    anchor = request.outputs.node.name_span if request.outputs is not None else request.span
    ctx.report(
        "CT505",
        anchor,
        f"request {request.name} has no {', '.join(missing)} output"
        + ("s" if len(missing) > 1 else "")
        + f"; {spec.id} documents {', '.join(spec.outputs)}",
        hint=f'add <Output Name="{missing[0]}" Path="…"> with the GJSON path of the value',
    )


def _contact_fields(ctx: LintContext, scenario: Scenario, spec: ScenarioSpec) -> None:
    facts = ctx.catalogue
    allowed = facts.contact_field_outputs
    required = [f.output for f in facts.enable_flags if f.required]
    for request in scenario.requests:
        names = set() if request.outputs is None else set(request.outputs.names)
        for output in request.output_list:
            _allowed_output(ctx, spec, output, allowed)
        missing = [name for name in required if name not in names]
        if missing:
            anchor = request.outputs.node.name_span if request.outputs is not None else request.span
            ctx.report(
                "CT504",
                anchor,
                f"contact type {request.name or ''!r} has no {' and no '.join(missing)} "
                "output; every contact search maps the contact id and first name",
                hint=f'add <Output Name="{missing[0]}" Path="…">'
                + (" (ContactsId, with an s)" if "ContactsId" in missing else ""),
            )


def _enable_flags(ctx: LintContext, sync: Scenario) -> None:
    outputs = {o.name for r in sync.requests for o in r.output_list if o.name}
    for flag in ctx.catalogue.enable_flags:
        parameter = sync.param(flag.flag)
        if flag.required and (parameter is None or parameter.value != "1"):
            span = (
                ctx.attribute_span(sync, "Id")
                if parameter is None
                else ctx.attribute_span(parameter, "Value")
            )
            state = "missing" if parameter is None else f"{parameter.value!r}"
            ctx.report(
                "CT503",
                span,
                f"{flag.flag} is {state}; the {flag.field} is mandatory, the flag must be 1",
                hint=f'<Parameter Name="{flag.flag}" Value="1">',
            )
        elif (
            parameter is not None
            and parameter.is_enabled
            and not flag.required
            and flag.output not in outputs
        ):
            ctx.report(
                "CT507",
                ctx.attribute_span(parameter, "Value"),
                f"{flag.flag} is 1 but no contact search request has an output named "
                f"{flag.output!r}, so the {flag.field} is never filled",
                hint=f'add <Output Name="{flag.output}" Path="…">, or set the flag to 0',
            )


def _contact_url(ctx: LintContext, sync: Scenario) -> None:
    spec = ctx.catalogue.parameter("SyncContactAuto", "ContactUrlType")
    allowed = spec.values if spec is not None else ()
    parameter = sync.param("ContactUrlType")
    value = None if parameter is None else parameter.value
    if value not in allowed:
        ctx.report(
            "CT510",
            ctx.attribute_span(sync, "Id")
            if parameter is None
            else ctx.attribute_span(parameter, "Value"),
            "SyncContactAuto has no ContactUrlType parameter"
            if parameter is None
            else f"ContactUrlType {value!r} is not one of: {', '.join(allowed)}",
            hint=did_you_mean(value or "", allowed)
            or f'<Parameter Name="ContactUrlType" Value="{allowed[0] if allowed else ""}">',
        )
        return
    needed = _URL_SOURCES.get(value or "")
    if needed is None:
        return
    name, rule = needed
    assert parameter is not None  # a valid value comes from a parameter
    given = sync.param(name)
    if given is None or not (given.value or "").strip():
        ctx.report(
            rule,
            ctx.attribute_span(parameter, "Value")
            if given is None
            else ctx.attribute_span(given, "Value"),
            f"ContactUrlType is {value!r} but the {name} parameter is "
            + ("missing" if given is None else "empty"),
            hint=_meaning(ctx, name),
        )


def _meaning(ctx: LintContext, name: str) -> str | None:
    spec = ctx.catalogue.parameter("SyncContactAuto", name)
    return None if spec is None else spec.meaning


@check("CT509", "CT514", "CT518", "CT508", "CT706")
def next_and_common(ctx: LintContext) -> None:
    """Next targets exist in Common, every Common request is used, chains end, names match."""
    model = ctx.model
    commons = [r for s in model.scenarios_with_id("Common") for r in s.requests]
    common_names = tuple(r.name for r in commons if r.name)
    callers: dict[str, list[Request]] = {}
    for _scenario, request in model.requests():
        target = request.next
        if not target:
            continue
        outputs = request.outputs
        assert outputs is not None  # a Next lives on <Outputs>
        found = model.common_request(target)
        if found is None:
            ctx.report(
                "CT509",
                ctx.attribute_span(outputs, "Next"),
                f"Next={target!r} but the Common scenario has no request of that name",
                hint=did_you_mean(target, common_names)
                or f'add <Request Name="{target}"> to <Scenario Id="Common">',
            )
            continue
        callers.setdefault(target, []).append(request)
        for output in request.output_list:
            if (
                output.filled_later
                and output.name
                and found.output(output.name) is None
                and field_in_use(ctx, output.name)
            ):
                ctx.report(
                    "CT706",
                    ctx.attribute_span(output, "Name"),
                    f"{output.name!r} has an empty Path, to be filled by {target!r}, but "
                    f"{target!r} has no output of that name",
                    hint=f'add <Output Name="{output.name}" Path="…"> to {target!r}',
                    related=[RelatedInfo(f"request {target}", found.node.name_span)],
                )
    for request in commons:
        if not request.name:
            continue
        calling = callers.get(request.name)
        if not calling:
            ctx.report(
                "CT514",
                ctx.attribute_span(request, "Name"),
                f"no Outputs Next={request.name!r} names this Common request, so it never runs",
                hint=f'add Next="{request.name}" to the <Outputs> of the request it follows',
            )
            continue
        declared = {o.name for c in calling for o in c.output_list if o.filled_later}
        for output in request.output_list:
            if output.name and output.name not in declared:
                ctx.report(
                    "CT508",
                    ctx.attribute_span(output, "Name"),
                    f"{output.name!r} is not declared with an empty Path in the request that "
                    f"chains to {request.name!r}, so its value goes nowhere",
                    hint=f'add <Output Name="{output.name}" Path=""> to the calling request',
                    related=[RelatedInfo("the calling request", calling[0].node.name_span)],
                )
    _cycles(ctx)


def _cycles(ctx: LintContext) -> None:
    model = ctx.model
    reported: set[frozenset[int]] = set()
    for _scenario, start in model.requests():
        chain: list[Request] = [start]
        current = start
        while current.next:
            following = model.common_request(current.next)
            if following is None:
                break
            position = next((i for i, r in enumerate(chain) if r is following), None)
            if position is not None:
                cycle = chain[position:]
                key = frozenset(id(r) for r in cycle)
                if key not in reported and current.outputs is not None:
                    reported.add(key)
                    ctx.report(
                        "CT518",
                        ctx.attribute_span(current.outputs, "Next"),
                        f"Next={current.next!r} closes a loop of chained requests: "
                        + " → ".join(r.name or "?" for r in [*cycle, following]),
                        hint="end the chain: remove this Next",
                    )
                break
            chain.append(following)
            current = following
