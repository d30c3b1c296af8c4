"""What ``crmtpl render`` shows for a scenario id: its requests, one of them, or, for
``AuthMethod``, the token (and authorization) requests the PBX would make."""

from __future__ import annotations

from crmtpl.errors import UsageError
from crmtpl.render.renderer import RenderResult, ScenarioRenderer, add_samples, render_scenario
from crmtpl.render.request import RenderedRequest
from crmtpl.template import LoadedTemplate
from crmtpl.variables import VariableContext


def render_preview(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    *,
    request: str | None = None,
    missingkey: str = "default",
) -> RenderResult:
    """Render ``scenario_id`` (only ``request`` when given; a UsageError names the others)."""
    if scenario_id == "AuthMethod":
        return render_auth(loaded, context, missingkey)
    if request is not None:
        scenario = loaded.model.scenario(scenario_id)
        known = scenario.request_names if scenario is not None else ()
        if request not in known:
            raise UsageError(
                f"{scenario_id} has no request named {request!r}",
                hint=f"requests: {', '.join(known) or 'none'}",
            )
    return render_scenario(
        loaded, scenario_id, context, request_name=request, missingkey=missingkey
    )


def render_auth(loaded: LoadedTemplate, context: VariableContext, missingkey: str) -> RenderResult:
    """The AuthMethod scenario: the token (and authorization) requests the PBX would make."""
    template = loaded.model
    result = RenderResult("AuthMethod")
    auth = template.auth
    if auth is None:
        return result
    add_samples(context, ["AuthMethod"])
    renderer = ScenarioRenderer(loaded, context, missingkey=missingkey)
    renderer.prepare_auth()
    for name, method in (("AuthEndPoint", "GET"), ("TokenEndPoint", "POST")):
        parameter = auth.param(name)
        if parameter is None or not parameter.value:
            continue
        url = renderer.value(parameter, "Value") or ""
        headers = [
            (h.name, renderer.value(h, "Value") or "") for h in template.global_headers if h.name
        ]
        result.requests.append(RenderedRequest("AuthMethod", name, method, url, headers))
    result.issues = renderer.issues
    result.used_variables = renderer.used
    return result
