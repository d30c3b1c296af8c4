"""Every templated attribute of a template, with the context it is rendered in.

Templated values (spec §8.3): request URLs, request headers and bodies, global headers,
the templated scenario parameters (the catalogue marks them: endpoints, query string,
credential, Subject, Description, contact URL, ContactFieldForUri) and output paths. Any
other parameter value holding ``{{`` is checked too. The availability context (a column
of the §7.5 matrix) comes from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmtpl.lint.context import LintContext
from crmtpl.template import Parameter, Request, Scenario
from crmtpl.template.model import Located

_CACHE_KEY = "templated-values"


@dataclass(frozen=True, slots=True, eq=False)
class TemplatedValue:
    """One templated attribute value and where it is rendered.

    ``kind``: ``url`` | ``header`` | ``body`` | ``template`` | ``path``. ``parameter`` is
    the scenario parameter name for availability cells restricted to some parameters.
    """

    owner: Located
    attribute: str
    text: str
    kind: str
    scenario: Scenario
    request: Request | None
    context_id: str | None
    parameter: str | None

    @property
    def where(self) -> str:
        """Where the value is, in words: ``the URLFormat of request 'contacts'``."""
        owner = self.owner
        if isinstance(owner, Parameter):
            label = f"{self.kind} {owner.name!r}" if self.kind == "header" else f"{owner.name!r}"
            place = f"the {self.attribute} of {label}"
        elif isinstance(owner, Request):
            place = f"the {self.attribute} of request {owner.name or ''!r}"
        else:
            name = owner.node.get("Name")
            place = f"the {self.attribute} of output {name or ''!r}"
        if self.request is not None and owner is not self.request:
            place += f" in request {self.request.name or ''!r}"
        return place


def _parameter_kind(ctx: LintContext, scenario: Scenario, parameter: Parameter) -> str | None:
    """The kind of a scenario-level parameter's value, or None when it is not templated."""
    if parameter.is_header:
        return "header"
    if parameter.father:
        return None  # custom fields, token-error patterns, options: plain values
    spec = ctx.catalogue.parameter(scenario.id or "", parameter.name or "")
    value = parameter.value or ""
    if spec is None:
        return "template" if "{{" in value else None
    if not spec.templated:
        return None
    return {"url": "url", "gjson_path": "path"}.get(spec.kind, "template")


def templated_values(ctx: LintContext) -> list[TemplatedValue]:
    """Every non-empty templated value of the template, in document order (cached)."""
    cached = ctx.cache.get(_CACHE_KEY)
    if cached is not None:
        return list(cached)
    facts = ctx.catalogue
    values: list[TemplatedValue] = []
    for scenario in ctx.model.scenarios:
        scenario_id = scenario.id or ""
        for parameter in scenario.parameters:
            kind = _parameter_kind(ctx, scenario, parameter)
            if kind is None or not parameter.value:
                continue
            context = facts.context_for(scenario_id, parameter.name)
            values.append(
                TemplatedValue(
                    parameter,
                    "Value",
                    parameter.value,
                    kind,
                    scenario,
                    None,
                    None if context is None else context.id,
                    parameter.name,
                )
            )
        request_context = facts.context_for(scenario_id)
        context_id = None if request_context is None else request_context.id
        for request in scenario.requests:
            url_attribute = request.url_attribute
            if url_attribute is not None and request.url_template:
                values.append(
                    TemplatedValue(
                        request,
                        url_attribute,
                        request.url_template,
                        "url",
                        scenario,
                        request,
                        context_id,
                        None,
                    )
                )
            for parameter in request.parameters:
                if not parameter.value:
                    continue
                if parameter.is_header:
                    kind = "header"
                elif parameter.is_body:
                    kind = "body"
                elif "{{" in parameter.value:
                    kind = "template"
                else:
                    continue
                values.append(
                    TemplatedValue(
                        parameter,
                        "Value",
                        parameter.value,
                        kind,
                        scenario,
                        request,
                        context_id,
                        None,
                    )
                )
            for output in request.output_list:
                if output.path:
                    values.append(
                        TemplatedValue(
                            output, "Path", output.path, "path", scenario, request, context_id, None
                        )
                    )
    ctx.cache[_CACHE_KEY] = tuple(values)
    return values
