"""Headers: PopulateTemplateString parameters in AuthMethod and in requests (CT64x)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.template import Parameter
from crmtpl.template.model import POPULATE_TEMPLATE_STRING

#: An HTTP token (RFC 9110): what a header name or a method may be made of.
HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _header_type(ctx: LintContext) -> str:
    group = ctx.catalogue.father_group(POPULATE_TEMPLATE_STRING)
    return "Header" if group is None else group.type


@check("CT641", "CT643", "CT644", "CT645", "CT646")
def header_parameters(ctx: LintContext) -> None:
    """Every header: Father and Type together, a valid unique name, no Authorization clash."""
    header_type = _header_type(ctx)
    scopes: list[Sequence[Parameter]] = []
    for scenario in ctx.model.scenarios:
        scopes.append([p for p in scenario.parameters if _is_header(p, header_type)])
        for request in scenario.requests:
            scopes.append([p for p in request.parameters if _is_header(p, header_type)])
    method = ctx.catalogue.auth_method(ctx.model.auth_method or "")
    adds_authorization = method is not None and bool(method.authorization)
    for headers in scopes:
        valid = [h for h in headers if HTTP_TOKEN.fullmatch(h.name or "")]
        for header, first in repeats(((h.name or "").lower(), h) for h in valid):
            ctx.report_repeat(
                "CT644",
                ctx.attribute_span(header, "Name"),
                ctx.attribute_span(first, "Name"),
                f"header {header.name!r} is declared twice here (header names ignore case)",
                "keep one",
            )
        for header in headers:
            _father_and_type(ctx, header, header_type)
            name = header.name or ""
            if not HTTP_TOKEN.fullmatch(name):
                ctx.report(
                    "CT643",
                    ctx.attribute_span(header, "Name"),
                    "this header has no name"
                    if not name
                    else f"{name!r} is not a valid HTTP header name",
                    hint="letters, digits and -_. only, e.g. X-Api-Key; the PBX adds the colon",
                )
                continue
            if adds_authorization and method is not None and name.lower() == "authorization":
                ctx.report(
                    "CT646",
                    ctx.attribute_span(header, "Name"),
                    f"with {method.name} authentication the PBX sends its own "
                    f"Authorization: {method.authorization}; this header clashes with it",
                    hint='remove it, or use AuthMethod "none" and send your own header',
                )


def _is_header(parameter: Parameter, header_type: str) -> bool:
    return parameter.father == POPULATE_TEMPLATE_STRING or parameter.type == header_type


def _father_and_type(ctx: LintContext, header: Parameter, header_type: str) -> None:
    if header.father == POPULATE_TEMPLATE_STRING and header.type != header_type:
        written = "no Type" if header.type is None else f"Type {header.type!r}"
        ctx.report(
            "CT641",
            ctx.attribute_span(header, "Type"),
            f"header {header.name or ''!r} has {written}; without "
            f'Type="{header_type}" the PBX does not send it',
            hint=f'add Type="{header_type}"',
        )
    elif header.father != POPULATE_TEMPLATE_STRING:
        ctx.report(
            "CT645",
            ctx.attribute_span(header, "Type"),
            f'header {header.name or ""!r} has Type="{header_type}" but no '
            f'Father="{POPULATE_TEMPLATE_STRING}"',
            hint=f'add Father="{POPULATE_TEMPLATE_STRING}"',
        )


@check("CT642")
def global_header_count(ctx: LintContext) -> None:
    """At most 20 headers in AuthMethod (the form's limit)."""
    limit = ctx.catalogue.limits.max_global_headers
    headers = ctx.model.global_headers
    if len(headers) <= limit:
        return
    ctx.report(
        "CT642",
        headers[limit].node.name_span,
        f"{len(headers)} global headers; the PBX accepts at most {limit}",
        hint="move headers only some requests need into those requests' <Parameters>",
    )
