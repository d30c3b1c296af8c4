"""What the documentation leaves open: TimeFormat tokens and flags (U2), undocumented
attribute values and element content (U14), AuthType bearertoken (U6) (CT901-CT904, CT906).

Each finding says what is uncertain and which reading crmtpl follows. The third-party
constructs (CT905) are reported where they are met, by the family they belong to.
"""

from __future__ import annotations

from crmtpl.gotemplate.nodes import StringNode
from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import function_calls
from crmtpl.lint.templated import templated_values
from crmtpl.template import Request
from crmtpl.template.catalogue import TimeFormatToken

_TIMEFORMAT = "TimeFormat"


@check("CT901", "CT902")
def timeformat_arguments(ctx: LintContext) -> None:
    """TimeFormat formats with uncertain tokens, and flags other than "1"/"0" (U2)."""
    function = ctx.catalogue.function(_TIMEFORMAT)
    if function is None:
        return
    tokens = ctx.catalogue.timeformat_tokens
    documented = sorted((t.token for t in tokens if t.documented), key=len, reverse=True)
    undocumented = {t.token: t for t in tokens if not t.documented}
    register = ctx.catalogue.uncertainty("U2")
    register_id = f" ({register.id})" if register is not None else ""
    for value in templated_values(ctx):
        if _TIMEFORMAT not in value.text:
            continue
        for call in function_calls(value.text):
            if call.name != _TIMEFORMAT or len(call.args) != function.arity:
                continue
            layout, flag = call.args[1], call.args[2]
            if isinstance(layout, StringNode):
                found = _uncertain_tokens(layout.text, documented, undocumented)
                if found:
                    span = ctx.value_part_span(
                        value.owner, value.attribute, layout.pos, layout.pos + len(layout.quoted)
                    )
                    ctx.report(
                        "CT901",
                        span,
                        f"TimeFormat format {layout.text!r} uses {', '.join(found)}, whose "
                        f"output is not documented{register_id}",
                        hint=f"{_token_meanings(found, undocumented)}; crmtpl follows the "
                        "reference implementation, the PBX may differ: only yyyy MM dd HH mm ss "
                        "are documented",
                    )
            if isinstance(flag, StringNode) and flag.text not in ("1", "0"):
                span = ctx.value_part_span(
                    value.owner, value.attribute, flag.pos, flag.pos + len(flag.quoted)
                )
                ctx.report(
                    "CT902",
                    span,
                    f'TimeFormat\'s third argument is {flag.text!r}: only "1" (UTC) is '
                    "documented; anything else presumably means the PBX's time zone",
                    hint='write "1" for UTC or "0" for the PBX\'s time zone',
                )


def _uncertain_tokens(
    layout: str, documented: list[str], undocumented: dict[str, TimeFormatToken]
) -> list[str]:
    found: list[str] = []
    index = 0
    uncertain = sorted(undocumented, key=len, reverse=True)
    while index < len(layout):
        token = next((t for t in documented if layout.startswith(t, index)), None)
        if token is not None:
            index += len(token)
            continue
        token = next((t for t in uncertain if layout.startswith(t, index)), None)
        if token is None and layout[index].isalpha() and layout[index] != "T":
            token = layout[index]
            while index + len(token) < len(layout) and layout[index + len(token)] == token[0]:
                token += token[0]
        if token is not None:
            if token not in found:
                found.append(token)
            index += len(token)
            continue
        index += 1
    return found


def _token_meanings(found: list[str], undocumented: dict[str, TimeFormatToken]) -> str:
    parts = []
    for token in found:
        spec = undocumented.get(token)
        parts.append(
            f"{token} = {spec.meaning}" if spec is not None else f"{token} is undocumented"
        )
    return "; ".join(parts)


def _undocumented(ctx: LintContext, owner: Request, name: str, allowed: tuple[str, ...]) -> None:
    value = owner.node.get(name)
    if value is None or value in allowed:
        return
    spec = ctx.catalogue.request_attribute(name)
    register = None if spec is None else spec.provenance.uncertainty
    shown = " or ".join(repr(v) for v in allowed)
    ctx.report(
        "CT903",
        ctx.attribute_span(owner, name),
        f"{name}={value!r} is undocumented: Yeastar's examples only use {shown}"
        + (f" ({register})" if register else ""),
        hint="crmtpl ignores it; the PBX's reading is unknown",
    )


@check("CT903", "CT904")
def undocumented_values(ctx: LintContext) -> None:
    """Weight, RequestEncoding, Output@Type beyond the examples; Presets/Responses content."""
    facts = ctx.catalogue
    weight = facts.request_attribute("Weight")
    encoding = facts.request_attribute("RequestEncoding")
    output_type = next((a for a in facts.output_attributes if a.name == "Type"), None)
    for _scenario, request in ctx.model.requests():
        _undocumented(ctx, request, "Weight", weight.values if weight else ("0",))
        _undocumented(ctx, request, "RequestEncoding", encoding.values if encoding else ("",))
        allowed_types = output_type.values if output_type else ("", "string")
        for output in request.output_list:
            if output.type is not None and output.type not in allowed_types:
                ctx.report(
                    "CT903",
                    ctx.attribute_span(output, "Type"),
                    f"Output Type={output.type!r} is undocumented: Yeastar's examples leave it "
                    "empty (the default is string)",
                    hint='leave Type="" or remove it',
                )
    for scenario in ctx.model.scenarios:
        for element in (scenario.presets, scenario.responses):
            if element is None:
                continue
            if element.children:
                span = element.children[0].name_span
            elif element.text.strip():
                span = element.name_span
            else:
                continue
            ctx.report(
                "CT904",
                span,
                f"<{element.name}> has content; it is empty in every example and its purpose "
                "is undocumented (the PBX probably ignores it)",
                hint=f"leave <{element.name}></{element.name}> empty",
            )


@check("CT906")
def uncertain_auth_type(ctx: LintContext) -> None:
    """AuthType values the <Information> table of the documentation does not list (U6)."""
    info = ctx.model.information
    method = ctx.catalogue.auth_method(info.auth_type or "")
    if method is None or method.in_auth_type_table:
        return
    attribute = ctx.catalogue.information_attribute("AuthType")
    register = None if attribute is None else attribute.provenance.uncertainty
    entry = None if register is None else ctx.catalogue.uncertainty(register)
    question = "" if entry is None else f"{entry.question} ({entry.id})"
    ctx.report(
        "CT906",
        ctx.attribute_span(info, "AuthType"),
        f"AuthType={method.name!r} is accepted but uncertain: {question}".rstrip(),
        hint="if the PBX refuses the import, report it; crmtpl follows the AuthMethod "
        "parameter table, which lists it",
    )
