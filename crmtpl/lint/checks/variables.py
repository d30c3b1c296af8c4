"""Variables: defined, available where they are used, URL-encoded in URLs (CT821-CT825).

A name read by ``{{.Name}}`` resolves, in this order, to: a custom field; a
``CustomScenarioParameter`` of the same scenario; an output of a request that chains to
this one (``Outputs@Next``); a predefined variable (its availability in this context is the
§7.5 matrix of the catalogue); a ``GetGlobalInfo`` output. An output of some other request
is "used before it exists"; anything else is undefined.
"""

from __future__ import annotations

import re

from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import Fix, RelatedInfo, TextEdit
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import analysis, go_message, printed_fields, render, sample_data
from crmtpl.lint.templated import TemplatedValue, templated_values
from crmtpl.suggest import closest
from crmtpl.template import Output, Request, SourceSpan
from crmtpl.template.catalogue import Level
from crmtpl.template.model import CUSTOM_FIELD_LIST, CUSTOM_SCENARIO_PARAMETER

# An action holding nothing but the field: {{.Phone}}, {{ .Phone }}, {{- .Phone -}}.
_ACTION_OPENS = re.compile(r"\{\{(?:-\s)?\s*$")
_ACTION_CLOSES = re.compile(r"\s*(?:\s-)?\}\}")

#: Functions that make a value safe inside a URL (the PBX's and Go's built-in).
URL_ENCODERS = frozenset({"UrlEncode", "urlquery"})


def _chain_outputs(ctx: LintContext) -> dict[int, set[str]]:
    """For each request (by id) the output names of every request chaining to it."""
    model = ctx.model
    available: dict[int, set[str]] = {}
    edges: list[tuple[Request, Request]] = []
    for _scenario, request in model.requests():
        if request.next:
            target = model.common_request(request.next)
            if target is not None:
                edges.append((request, target))
    changed = True
    while changed:
        changed = False
        for source, target in edges:
            names = {o.name for o in source.output_list if o.name}
            names |= available.get(id(source), set())
            known = available.setdefault(id(target), set())
            if not names <= known:
                known |= names
                changed = True
    return available


def _output_places(ctx: LintContext) -> dict[str, Output]:
    places: dict[str, Output] = {}
    for _scenario, request in ctx.model.requests():
        for output in request.output_list:
            if output.name and output.name not in places:
                places[output.name] = output
    return places


def missing_name_effect(ctx: LintContext, value: TemplatedValue, name: str) -> str:
    """What Go does with this value when ``name`` has no value, found by running our
    engine (checked against the recorded Go cases) on sample data without ``name``.

    Printed, Go writes ``<no value>``; passed to a PBX function (``UrlEncode``) execution
    fails; tested by ``if``/``eq`` the value is simply missing (false, not equal).
    """
    data = sample_data(ctx, value)
    data.pop(name, None)
    rendered = render(value.text, data)
    if rendered.error is not None:
        return (
            f"Go fails to execute the template ({go_message(rendered.error)}), so every call fails"
        )
    output = rendered.output or ""
    if "<no value>" in output:
        return "Go prints <no value> in its place on every call"
    if "<nil>" in output:
        return "Go prints a <nil> placeholder in its place on every call"
    return "Go treats it as missing on every call (false in if/and/or, unequal in eq)"


def _where_available(ctx: LintContext, name: str) -> str:
    facts = ctx.catalogue
    places = []
    for context in facts.contexts:
        level = facts.availability(name, context.id)
        if level.available:
            suffix = " (example only)" if level is Level.EXAMPLE else ""
            places.append(context.title + suffix)
    return ", ".join(places) if places else "nowhere"


class _Resolver:
    """Resolves the names used in one template."""

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        model = ctx.model
        self.custom_fields = {
            p.name for s in model.scenarios for p in s.grouped(CUSTOM_FIELD_LIST) if p.name
        }
        self.globals = set(model.global_info_output_names)
        self.chains = _chain_outputs(ctx)
        self.outputs = _output_places(ctx)

    def check(self, value: TemplatedValue) -> None:
        ctx = self.ctx
        result = analysis(value.text)
        scenario_parameters = {
            p.name for p in value.scenario.grouped(CUSTOM_SCENARIO_PARAMETER) if p.name
        }
        chained = self.chains.get(id(value.request), set()) if value.request else set()
        for ref in result.fields:
            if not ref.path or not ref.dot_is_root or ref.base not in (".", "$"):
                continue
            name = ref.path[0]
            if name in scenario_parameters or name in chained:
                continue
            end = ref.offset + ref.length
            span = ctx.value_part_span(value.owner, value.attribute, ref.offset, end)
            if name in self.custom_fields:
                self._dynamic(value, name, "custom_fields", "custom fields", span)
            elif ctx.catalogue.variable(name) is not None:
                self._predefined(value, name, span)
            elif name in self.globals:
                self._dynamic(value, name, "global_info_outputs", "GetGlobalInfo outputs", span)
            elif name in self.outputs:
                output = self.outputs[name]
                effect = missing_name_effect(ctx, value, name)
                ctx.report(
                    "CT824",
                    span,
                    f"{{{{.{name}}}}} in {value.where} reads an output that does not exist "
                    "there (outputs become variables only in the request their Next names, "
                    f"and GetGlobalInfo outputs everywhere): {effect}",
                    hint="chain this request after the one that fills it (Outputs Next=…), "
                    "or fetch the value in GetGlobalInfo",
                    related=[RelatedInfo(f"output {name}", ctx.attribute_span(output, "Name"))],
                )
            else:
                self._undefined(value, name, span, chained | scenario_parameters)

    def _context_title(self, value: TemplatedValue) -> str:
        facts = self.ctx.catalogue
        context = None if value.context_id is None else facts.context(value.context_id)
        return context.title if context is not None else value.scenario.id or "this scenario"

    def _dynamic(
        self, value: TemplatedValue, name: str, kind: str, label: str, span: SourceSpan
    ) -> None:
        if value.context_id is None:
            return
        level = self.ctx.catalogue.dynamic_availability(kind, value.context_id)
        if level is Level.NO:
            self.ctx.report(
                "CT822",
                span,
                f"{{{{.{name}}}}} in {value.where}: {label} are not available in "
                f"{self._context_title(value)} (spec §7.5): "
                f"{missing_name_effect(self.ctx, value, name)}",
                hint="pass the value another way (a custom field)",
            )

    def _predefined(self, value: TemplatedValue, name: str, span: SourceSpan) -> None:
        ctx = self.ctx
        if value.context_id is None:
            return
        level = ctx.catalogue.availability(
            name,
            value.context_id,
            parameter=value.parameter,
            request=value.request.name if value.request is not None else None,
        )
        if level is Level.NO:
            if name in self.globals:
                self._dynamic(value, name, "global_info_outputs", "GetGlobalInfo outputs", span)
                return
            ctx.report(
                "CT822",
                span,
                f"{{{{.{name}}}}} in {value.where}: the PBX does not provide {name} in "
                f"{self._context_title(value)} (spec §7.5): "
                f"{missing_name_effect(ctx, value, name)}",
                hint=f"{name} is available in: {_where_available(ctx, name)}",
            )
        elif level is Level.EXAMPLE:
            ctx.report(
                "CT823",
                span,
                f"{{{{.{name}}}}} in {self._context_title(value)} is seen only in an example "
                "or the third-party template; no documentation says the PBX provides it here",
                hint=f"where {name} is known: {_where_available(ctx, name)}",
            )

    def _undefined(
        self, value: TemplatedValue, name: str, span: SourceSpan, local: set[str]
    ) -> None:
        ctx = self.ctx
        candidates = [
            *sorted(self.custom_fields),
            *sorted(self.globals),
            *sorted(local),
            *(v.name for v in ctx.catalogue.variables),
        ]
        guess = closest(name, candidates)
        if guess is not None:
            hint = f"did you mean {{{{.{guess}}}}}? variable names are case-sensitive"
        else:
            hint = (
                f'declare it in AuthMethod: <Parameter Father="{CUSTOM_FIELD_LIST}" '
                f'Name="{name}" Editor="string" Title="{name}">'
            )
        ctx.report(
            "CT821",
            span,
            f"{{{{.{name}}}}} in {value.where} is not a predefined variable, a custom field "
            f"or an output available here: {missing_name_effect(ctx, value, name)}",
            hint=hint,
        )


@check("CT821", "CT822", "CT823", "CT824")
def variables_defined_and_available(ctx: LintContext) -> None:
    """Each variable read by a template exists, and exists where it is read."""
    resolver = _Resolver(ctx)
    for value in templated_values(ctx):
        if "{{" in value.text:
            resolver.check(value)


@check("CT825")
def url_encoding(ctx: LintContext) -> None:
    """Numbers and free text printed into a URL go through UrlEncode (U3)."""
    for value in templated_values(ctx):
        if value.kind != "url" or "{{" not in value.text:
            continue
        for field in printed_fields(value.text, URL_ENCODERS):
            spec = ctx.catalogue.variable(field.name)
            if field.wrapped or spec is None or not spec.url_unsafe:
                continue
            end = field.offset + field.length
            span = ctx.value_part_span(value.owner, value.attribute, field.offset, end)
            in_path = "?" not in value.text[: field.offset]
            harm = (
                "in the path, a value with / or ../ (which the PBX sends as written) reaches "
                "another endpoint, and spaces, & or # break the URL"
                if in_path
                else "the + of an E.164 number arrives as a space, and spaces, & or # break the URL"
            )
            ctx.report(
                "CT825",
                span,
                f"{{{{.{field.name}}}}} is put into {value.where} without UrlEncode: {harm}",
                hint=f"write {{{{UrlEncode .{field.name}}}}}",
                fix=_url_encode_fix(ctx, value.text, field.offset, end, span),
            )


def _url_encode_fix(
    ctx: LintContext, text: str, start: int, end: int, span: SourceSpan
) -> Fix | None:
    """``{{.Phone}}`` -> ``{{UrlEncode .Phone}}``: only when the field is the action's whole
    pipeline and is written as is (no entity inside it)."""
    if not (_ACTION_OPENS.search(text, 0, start) and _ACTION_CLOSES.match(text, end)):
        return None
    if ctx.source.text[span.start_offset : span.end_offset] != text[start:end]:
        return None
    insert = TextEdit(span.start_offset, span.start_offset, "UrlEncode ")
    return Fix(f"write {{{{UrlEncode {text[start:end]}}}}}", (insert,))


TICKET_ID = "TicketId"
TICKET_SCENARIO = "CreateNewTicket"


@check("CT826")
def ticket_id_has_a_source(ctx: LintContext) -> None:
    """``{{.TicketId}}`` is read only where a CreateNewTicket request outputs TicketId."""
    scenario = ctx.model.scenario(TICKET_SCENARIO)
    if scenario is not None and any(
        output.name == TICKET_ID for request in scenario.requests for output in request.output_list
    ):
        return
    for value in templated_values(ctx):
        if "{{" not in value.text:
            continue
        for ref in analysis(value.text).fields:
            if ref.path[:1] != (TICKET_ID,) or not ref.dot_is_root or ref.base not in (".", "$"):
                continue
            if ref.tested or ref.guarded:
                continue  # {{if .TicketId}}…{{else}}…{{end}} is written for both cases
            where = (
                f"no {TICKET_SCENARIO} scenario"
                if scenario is None
                else f"no request of {TICKET_SCENARIO} has an output named {TICKET_ID}"
            )
            ctx.report(
                "CT826",
                ctx.value_part_span(
                    value.owner, value.attribute, ref.offset, ref.offset + ref.length
                ),
                f"{{{{.{TICKET_ID}}}}} in {value.where} has no source ({where}): "
                f"{missing_name_effect(ctx, value, TICKET_ID)}",
                hint=f'add <Output Name="{TICKET_ID}" Path="…"> to the {TICKET_SCENARIO} '
                "request (the path of the new ticket's id in its answer)",
            )
