"""Requests: Name, URLFormat, Method, ResponseType, body parameters (CT60x, CT663, CT664,
and CT905 for the third-party methods)."""

from __future__ import annotations

from crmtpl.lint.checks.headers import HTTP_TOKEN
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import Fix, RelatedInfo
from crmtpl.lint.registry import check
from crmtpl.suggest import did_you_mean
from crmtpl.template import Parameter, Request

#: Methods HTTP defines; others (lower case, typos) cannot be sent.
_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


@check("CT601", "CT602", "CT607")
def request_identity(ctx: LintContext) -> None:
    """Every request has a Name and a URLFormat (URL is the documentation's slip, U5)."""
    for _scenario, request in ctx.model.requests():
        if not request.name:
            ctx.report(
                "CT607",
                ctx.attribute_span(request, "Name"),
                "this request has no Name",
                hint="a fixed name in some scenarios, the contact type in SyncContactAuto",
            )
        if request.url_format is None and request.url is not None:
            ctx.report(
                "CT602",
                ctx.attribute_name_span(request, "URL"),
                "this request has URL instead of URLFormat; crmtpl reads it, the PBX probably "
                "does not",
                hint="rename the attribute to URLFormat",
            )
        elif request.url_format is not None and request.url is not None:
            ctx.report(
                "CT602",
                ctx.attribute_name_span(request, "URL"),
                "this request has both URLFormat and URL; URL is ignored",
                hint="remove URL",
            )
        if not (request.url_template or "").strip():
            empty = request.url_attribute is not None
            ctx.report(
                "CT601",
                ctx.attribute_span(request, request.url_attribute or "URLFormat"),
                f"request {request.name or ''!r} has "
                + ("an empty URLFormat" if empty else "no URLFormat"),
                hint='URLFormat="https://…" is the full request URL (write & as &amp;)',
            )


@check("CT603", "CT604", "CT605", "CT606", "CT905")
def method_and_response_type(ctx: LintContext) -> None:
    """Method: present, an HTTP method, documented; ResponseType application/json."""
    method_spec = ctx.catalogue.request_attribute("Method")
    documented = method_spec.values if method_spec is not None else ("GET", "POST")
    third_party = method_spec.third_party_values if method_spec is not None else ()
    response_spec = ctx.catalogue.request_attribute("ResponseType")
    response_types = response_spec.values if response_spec is not None else ()
    for _scenario, request in ctx.model.requests():
        method = request.method
        span = ctx.attribute_span(request, "Method")
        if not method:
            ctx.report(
                "CT603",
                span,
                f"request {request.name or ''!r} has no Method",
                hint='Method="GET" to read, Method="POST" to create',
            )
        elif method.upper() not in _HTTP_METHODS or not HTTP_TOKEN.fullmatch(method):
            ctx.report(
                "CT604",
                span,
                f"{method!r} is not an HTTP method",
                hint=did_you_mean(method, sorted(_HTTP_METHODS)) or "use GET or POST",
            )
        elif method != method.upper():
            ctx.report(
                "CT604",
                span,
                f"{method!r} is not an HTTP method: methods are case-sensitive",
                hint=f'write Method="{method.upper()}"',
                fix=_upper_case_fix(ctx, request, method),
            )
        elif method in third_party:
            ctx.report(
                "CT905",
                span,
                f"Method {method!r} is seen only in a third-party template; Yeastar documents "
                + " and ".join(documented),
                hint="it is accepted; check that your PBX firmware sends it",
            )
        elif method not in documented:
            ctx.report(
                "CT605",
                span,
                f"Method {method!r} is not documented; the PBX is known to send "
                + ", ".join((*documented, *third_party)),
                hint="use POST (or PUT/PATCH) if the API allows it",
            )
        if request.response_type not in response_types:
            written = (
                "no ResponseType"
                if request.response_type is None
                else f"ResponseType {request.response_type!r}"
            )
            ctx.report(
                "CT606",
                ctx.attribute_span(request, "ResponseType"),
                f"request {request.name or ''!r} has {written}; the PBX reads responses as "
                + " or ".join(response_types),
                hint=f'write ResponseType="{response_types[0]}"' if response_types else None,
            )


def _body_like(parameter: Parameter, body_name: str, body_type: str) -> bool:
    return not parameter.father and (parameter.name == body_name or parameter.type == body_type)


@check("CT663", "CT664")
def body_parameters(ctx: LintContext) -> None:
    """The body is one Name="Data" Type="Body" parameter; a GET with a body is unusual."""
    spec = next((p for p in ctx.catalogue.request_parameters if p.kind == "body"), None)
    body_name = (spec.name if spec is not None else None) or "Data"
    body_type = spec.type if spec is not None else "Body"
    for _scenario, request in ctx.model.requests():
        bodies = [p for p in request.parameters if _body_like(p, body_name, body_type)]
        first: Parameter | None = None
        for parameter in bodies:
            if parameter.name != body_name or parameter.type != body_type:
                written = f"Name={parameter.name!r} Type={parameter.type!r}"
                ctx.report(
                    "CT663",
                    parameter.node.name_span,
                    f"a body parameter is Name={body_name!r} Type={body_type!r}; this one is "
                    f"{written} and is probably not sent",
                    hint=f'write Name="{body_name}" Type="{body_type}"',
                )
                continue
            if first is not None:
                ctx.report(
                    "CT663",
                    parameter.node.name_span,
                    "a second body parameter in one request",
                    hint="a request has one body; merge them",
                    related=[RelatedInfo("the first body", first.node.name_span)],
                )
                continue
            first = parameter
            if request.method == "GET" and (parameter.value or "").strip():
                ctx.report(
                    "CT664",
                    parameter.node.name_span,
                    f"GET request {request.name or ''!r} has a body; servers usually ignore it "
                    "and whether the PBX sends it is unknown",
                    hint="send the data in the URL, or use POST",
                )


def _upper_case_fix(ctx: LintContext, request: Request, method: str) -> Fix | None:
    """``Method="post"`` -> ``POST``, when the value is written as plain letters."""
    attribute = request.node.attributes.get("Method")
    if attribute is None or attribute.raw_value != method:
        return None
    return ctx.replace_fix(attribute.value_span, method.upper(), f"write {method.upper()}")
