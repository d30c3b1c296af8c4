"""Headers: PopulateTemplateString parameters in AuthMethod and in requests (CT64x)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import render, render_traced, sample_data
from crmtpl.lint.repeats import repeats
from crmtpl.lint.templated import templated_values
from crmtpl.template import Parameter
from crmtpl.template.model import POPULATE_TEMPLATE_STRING

#: An HTTP token (RFC 9110): what a header name or a method may be made of.
HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: What a header value may not hold (RFC 9110 field-value): CR, LF, NUL and the other
#: controls but tab. CR/LF would end the header and start another one.
HEADER_VALUE_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


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


@check("CT647")
def header_value_control_characters(ctx: LintContext) -> None:
    """A header value that renders CR, LF or another control character (header injection)."""
    for value in templated_values(ctx):
        if value.kind != "header":
            continue
        data = sample_data(ctx, value)
        traced = render_traced(value.text, data)
        output = traced.output if traced is not None else render(value.text, data).output
        if output is None:
            output = value.text  # an execution error is CT804's; look at the text as written
        found = HEADER_VALUE_FORBIDDEN.search(output)
        if found is None:
            continue
        offset = traced.source_offset(found.start()) if traced is not None else None
        if offset is None:
            literal = HEADER_VALUE_FORBIDDEN.search(value.text)
            offset = None if literal is None else literal.start()
        span = (
            ctx.attribute_span(value.owner, value.attribute)
            if offset is None
            else ctx.value_part_span(value.owner, value.attribute, offset, offset + 1)
        )
        char = found.group()
        shown = {"\r": "CR (\\r)", "\n": "LF (\\n)"}.get(
            char, f"control character {ord(char):#04x}"
        )
        ctx.report(
            "CT647",
            span,
            f"{value.where} contains {shown}: a header value cannot hold it, so the request "
            "cannot be sent as written, or the rest of the value becomes a header of its own",
            hint="remove the line break (&#13; / &#10; in the attribute); one header, one line",
        )
