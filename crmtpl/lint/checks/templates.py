"""Go templates in every templated attribute: syntax, functions, argument counts,
execution with sample values, URLs, templated GJSON paths (CT801-CT804, CT608, CT701 for
templated paths)."""

from __future__ import annotations

import re

from crmtpl import gjson
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import Fix
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import analysis, go_message, render, sample_data
from crmtpl.lint.templated import templated_values
from crmtpl.template import SourceSpan
from crmtpl.template.catalogue import FunctionSpec

_QUOTE_HINT = (
    "single quotes make a rune literal in Go: write a string as &quot;text&quot; or "
    "`text` (back quotes need no escaping in XML)"
)
_EOF_HINT = "every {{if}}, {{range}} and {{with}} needs its {{end}}"
_UNCLOSED_HINT = "close the action with }}"
_URL_SCHEMES = ("http://", "https://")


def _syntax_hint(message: str) -> str | None:
    if "bad character U+007D '}'" in message:
        return "this action is not closed: a single } ends nothing, write }} (as in {{.Name}})"
    if "character constant" in message:
        return _QUOTE_HINT
    if "unterminated quoted string" in message or "unterminated raw quoted string" in message:
        return "close the string with the same quote that opened it"
    if "unclosed action" in message:
        return _UNCLOSED_HINT
    if "unexpected EOF" in message:
        return _EOF_HINT
    if "unexpected {{end}}" in message:
        return "this {{end}} closes nothing: remove it or add the matching {{if}}"
    return None


def _function_hint(ctx: LintContext, name: str, suggestion: str | None) -> str:
    known = ctx.catalogue.function_like(name)
    target = suggestion or (known.name if known is not None else None)
    names = ", ".join(f.name for f in ctx.catalogue.functions)
    if target is None:
        return f"the PBX functions are {names}; Go's built-ins (eq, printf, index …) also exist"
    text = f"did you mean {target}? function names are case-sensitive"
    if known is not None and name in known.misspellings:
        register = known.misspelling_uncertainty
        text += f" (one documentation example writes {name}{f', {register}' if register else ''})"
    return text


@check("CT801", "CT802", "CT803")
def template_syntax(ctx: LintContext) -> None:
    """Every templated value parses as a Go template with the PBX's functions."""
    for value in templated_values(ctx):
        if "{{" not in value.text:
            continue
        result = analysis(value.text)
        unknown = [p for p in result.problems if p.kind == "unknown_function"]
        for problem in result.problems:
            span = ctx.value_part_span(
                value.owner, value.attribute, problem.offset, problem.offset + problem.length
            )
            if problem.kind == "unknown_function":
                ctx.report(
                    "CT802",
                    span,
                    f"{problem.message} in {value.where}: the template fails to parse",
                    hint=_function_hint(ctx, problem.message.split('"')[1], problem.suggestion),
                    fix=_letter_case_fix(ctx, span, problem.message.split('"')[1]),
                )
            else:
                ctx.report(
                    "CT803",
                    span,
                    f"{problem.message} in {value.where}",
                    hint=_signature_hint(ctx, problem.message),
                )
        error = result.error
        if error is not None and not unknown:
            message = go_message(error)
            if error.offset is None:
                span = ctx.attribute_span(value.owner, value.attribute)
            else:
                span = ctx.value_part_span(
                    value.owner, value.attribute, error.offset, error.offset + 1
                )
            ctx.report(
                "CT801",
                span,
                f"Go template error in {value.where}: {message}",
                hint=_syntax_hint(message),
            )


def _letter_case_fix(ctx: LintContext, span: SourceSpan, name: str) -> Fix | None:
    """``urlEncode`` -> ``UrlEncode``: only a PBX function written in the wrong letter case
    (a misspelling may mean something else), and only where the name is written as is."""
    known = ctx.catalogue.function_like(name)
    if known is None or known.name == name or known.name.lower() != name.lower():
        return None
    if ctx.source.text[span.start_offset : span.end_offset] != name:
        return None
    return ctx.replace_fix(span, known.name, f"write {known.name}")


def _signature_hint(ctx: LintContext, message: str) -> str | None:
    match = re.search(r"args for (\w+)", message)
    spec: FunctionSpec | None = None
    if match is not None:
        spec = ctx.catalogue.function(match.group(1))
    return f"the signature is {spec.signature}" if spec is not None else None


@check("CT804")
def template_execution(ctx: LintContext) -> None:
    """Every parsing value renders with sample values without a Go execution error."""
    for value in templated_values(ctx):
        if "{{" not in value.text or not analysis(value.text).ok:
            continue
        rendered = render(value.text, sample_data(ctx, value))
        error = rendered.error
        if error is None:
            continue
        if error.offset is None:
            span = ctx.attribute_span(value.owner, value.attribute)
        else:
            span = ctx.value_part_span(value.owner, value.attribute, error.offset, error.offset + 1)
        ctx.report(
            "CT804",
            span,
            f"{value.where} fails to render with sample values: {go_message(error)}",
            hint="the PBX's request fails the same way with such values; crmtpl render "
            "shows the data used",
        )


@check("CT608")
def url_schemes(ctx: LintContext) -> None:
    """URLs start with http:// or https:// and hold no literal spaces."""
    for value in templated_values(ctx):
        if value.kind != "url":
            continue
        text = value.text
        stripped = text.lstrip()
        if not stripped.startswith("{{") and not stripped.lower().startswith(_URL_SCHEMES):
            ctx.report(
                "CT608",
                ctx.value_part_span(value.owner, value.attribute, 0, min(len(text), 8) or 1),
                f"{value.where} does not start with http:// or https://",
                hint="write the full URL, scheme included",
            )
            continue
        space = _literal_space(text)
        if space is not None:
            ctx.report(
                "CT608",
                ctx.value_part_span(value.owner, value.attribute, space, space + 1),
                f"{value.where} holds a space outside the template actions",
                hint="write a space in a URL as %20 (or remove it)",
            )


def _literal_space(text: str) -> int | None:
    """Offset of the first whitespace outside ``{{ }}`` (a URL cannot hold one)."""
    index = 0
    while index < len(text):
        if text.startswith("{{", index):
            close = text.find("}}", index + 2)
            if close < 0:
                return None
            index = close + 2
            continue
        if text[index] in " \t\n\r":
            return index
        index += 1
    return None


@check("CT701")
def templated_gjson_paths(ctx: LintContext) -> None:
    """Paths holding template actions: rendered with samples, then checked by gjson."""
    for value in templated_values(ctx):
        if value.kind != "path" or "{{" not in value.text or not analysis(value.text).ok:
            continue
        rendered = render(value.text, sample_data(ctx, value))
        if rendered.output is None:
            continue
        first_action = value.text.find("{{")
        for problem in gjson.check_path(rendered.output):
            if problem.offset + problem.length <= first_action:
                end = problem.offset + max(problem.length, 1)
                span = ctx.value_part_span(value.owner, value.attribute, problem.offset, end)
            else:
                span = ctx.attribute_span(value.owner, value.attribute)
            ctx.report(
                "CT701",
                span,
                f"GJSON path {rendered.output!r} (rendered with sample values): {problem.message}",
                hint="gjson finds nothing with this path; write quotes inside a path as &quot;",
            )
