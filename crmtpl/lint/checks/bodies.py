"""JSON bodies: they render to valid JSON, and text variables are quoted (CT661, CT662).

A body is JSON when its template (or its rendering, when it starts with an action) starts
with ``{`` or ``[`` and no Content-Type header says otherwise. Two renders with sample values:

* every text variable replaced by a unique marker: a marker outside a JSON string is a
  text variable written without quotes (CT662), at the field that printed it;
* the real samples, those unquoted variables set to ``0``: a parse error left is a
  broken body (CT661), located at the template text that produced the bad character
  (a traced render; the literal text around it for templates with control flow).
"""

from __future__ import annotations

import json

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import (
    PrintedField,
    analysis,
    printed_fields,
    render,
    render_traced,
    sample_data,
)
from crmtpl.lint.templated import TemplatedValue, templated_values
from crmtpl.template import Parameter

_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
_CONTEXT = 24


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _content_types(ctx: LintContext, value: TemplatedValue) -> list[str]:
    headers: list[Parameter] = list(ctx.model.global_headers)
    if value.request is not None:
        headers.extend(value.request.headers)
    return [(h.value or "").lower() for h in headers if (h.name or "").lower() == "content-type"]


def is_json_body(ctx: LintContext, value: TemplatedValue) -> bool:
    """A body whose template (or, when it starts with an action, whose rendering) starts
    with ``{`` or ``[``, unless a Content-Type header names another format."""
    if value.kind != "body":
        return False
    types = _content_types(ctx, value)
    if types and not any("json" in t or "{{" in t for t in types):
        return False
    start = value.text.lstrip()
    if start.startswith("{{"):
        probe = render(value.text, sample_data(ctx, value))
        return probe.output is not None and probe.output.lstrip().startswith(("{", "["))
    return start.startswith(("{", "["))


def _marker_occurrences(output: str) -> list[tuple[int, bool]]:
    """``(variable index, inside a JSON string)`` for every marker, in output order."""
    found: list[tuple[int, bool]] = []
    in_string = False
    index = 0
    length = len(output)
    while index < length:
        char = output[index]
        if char == _MARK_OPEN:
            close = output.find(_MARK_CLOSE, index)
            if close < 0:
                break
            number = output[index + 1 : close]
            if number.isdigit():
                found.append((int(number), in_string))
            index = close + 1
            continue
        if in_string:
            if char == "\\":
                index += 2
                continue
            if char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        index += 1
    return found


def _unquoted_fields(ctx: LintContext, value: TemplatedValue) -> list[PrintedField]:
    """Printed text variables that land outside a JSON string."""
    data = sample_data(ctx, value)
    names = sorted(data)
    marked = dict(data)
    for number, name in enumerate(names):
        spec = ctx.catalogue.variable(name)
        if spec is None or not spec.json_number:
            marked[name] = f"{_MARK_OPEN}{number}{_MARK_CLOSE}"
    rendered = render(value.text, marked)
    if rendered.output is None:
        return []
    printed: dict[str, list[PrintedField]] = {}
    for field in printed_fields(value.text, frozenset()):
        printed.setdefault(field.name, []).append(field)
    seen: dict[str, int] = {}
    unquoted: list[PrintedField] = []
    for number, quoted in _marker_occurrences(rendered.output):
        if number >= len(names):
            continue
        name = names[number]
        occurrence = seen.get(name, 0)
        seen[name] = occurrence + 1
        fields = printed.get(name)
        if quoted or not fields:
            continue
        field = fields[min(occurrence, len(fields) - 1)]
        if field not in unquoted:
            unquoted.append(field)
    return unquoted


def locate(template: str, output: str, position: int) -> int | None:
    """Where the output's character ``position`` comes from in the template, judged by
    the literal text around it (None when that text is not unique in the template)."""
    tail = output[position:]
    if tail and len(tail) <= 16 and template.rstrip().endswith(tail.rstrip()):
        return len(template.rstrip()) - len(tail.rstrip())
    for size in range(16, 2, -1):
        after = output[position : position + size]
        if len(after) == size and template.count(after) == 1:
            return template.index(after)
    for size in range(16, 2, -1):
        before = output[max(0, position - size) : position]
        if len(before) == size and template.count(before) == 1:
            return template.index(before) + size
    return None


def _excerpt(output: str, position: int) -> str:
    start = max(0, position - _CONTEXT)
    end = min(len(output), position + _CONTEXT)
    text = output[start:end].replace("\n", "\\n").replace("\t", "\\t")
    return ("…" if start > 0 else "") + text + ("…" if end < len(output) else "")


@check("CT661", "CT662")
def json_bodies(ctx: LintContext) -> None:
    """JSON bodies render to valid JSON with sample values; text variables are quoted."""
    for value in templated_values(ctx):
        if not analysis(value.text).ok or not is_json_body(ctx, value):
            continue
        unquoted = _unquoted_fields(ctx, value) if "{{" in value.text else []
        data = sample_data(ctx, value)
        for field in unquoted:
            data[field.name] = "0"
        if unquoted and not _parses(render(value.text, data).output):
            # Quoting variables would not make the body JSON: the quotes around them are
            # off (a string left open earlier), which CT661 reports at its place.
            unquoted = []
            data = sample_data(ctx, value)
        for field in unquoted:
            end = field.offset + field.length
            ctx.report(
                "CT662",
                ctx.value_part_span(value.owner, value.attribute, field.offset, end),
                f"{{{{.{field.name}}}}} is written into the JSON of {value.where} without "
                "quotes: a text value (a name, a +number, an id with letters) makes the "
                "body invalid",
                hint=f"quote it: &quot;{{{{.{field.name}}}}}&quot; (or {{{{printf "
                f"&quot;%q&quot; .{field.name}}}}} to escape quotes inside the value too)",
            )
        _check_json(ctx, value, data)


def _parses(output: str | None) -> bool:
    if output is None:
        return True  # an execution error: CT804, not a JSON question
    try:
        _DECODER.decode(output)
    except ValueError:
        return False
    return True


def _check_json(ctx: LintContext, value: TemplatedValue, data: dict[str, str]) -> None:
    """CT661 at the template text that produced the first character JSON cannot read."""
    traced = render_traced(value.text, data)
    rendered = render(value.text, data) if traced is None else None
    output = traced.output if traced is not None else (rendered.output if rendered else None)
    if output is None:
        return  # an execution error: CT804
    try:
        _DECODER.decode(output)
    except ValueError as error:
        position = getattr(error, "pos", 0)
        reason = getattr(error, "msg", str(error))
        position, mistake, hint = json_mistake(output, position, reason)
        found = traced.source_offset(position) if traced is not None else None
        if found is None:
            found = locate(value.text, output, position)
        if found is None:
            span = ctx.attribute_span(value.owner, value.attribute)
        else:
            span = ctx.value_part_span(value.owner, value.attribute, found, found + 1)
        ctx.report(
            "CT661",
            span,
            f"{value.where} is not valid JSON ({mistake}): {reason} "
            f"(rendered: {_excerpt(output, position)}); the CRM rejects every such body",
            hint=hint,
        )


def _previous_visible(output: str, position: int) -> int:
    index = position - 1
    while index >= 0 and output[index] in " \t\r\n":
        index -= 1
    return index


def _open_string_before(output: str, end: int) -> int | None:
    """Where a string ending at ``output[end]`` should have ended: the first ``,`` or ``:``
    inside it followed by a space and a quote (``"Closed, "n": …`` lost its quote after
    ``Closed``), else None."""
    if end < 0 or output[end] != '"':
        return None
    start = output.rfind('"', 0, end)
    while start > 0 and output[start - 1] == "\\":
        start = output.rfind('"', 0, start - 1)
    if start < 0:
        return None
    content = output[start + 1 : end]
    for separator in (", ", ": ", ","):
        at = content.find(separator)
        if at >= 0 and content[at + len(separator) :].strip() == "":
            return start + 1 + at
    return None


def json_mistake(output: str, position: int, reason: str) -> tuple[int, str, str]:
    """Name the beginner's mistake behind a JSON error: ``(position of the bad character,
    what it is, how to fix it)``; the position moves to a trailing comma when that is it."""
    char = output[position] if position < len(output) else ""
    before = _previous_visible(output, position)
    if char in "}]" and before >= 0 and output[before] == ",":
        return before, "a trailing comma", "remove the comma after the last member"
    if char == "'":
        return (
            position,
            "single quotes",
            "JSON strings take double quotes: write &quot;text&quot; (in XML)",
        )
    if "Invalid control character" in reason and char in "\n\r\t":
        start = output.rfind('"', 0, position)
        text = output[start + 1 : position].rstrip()
        at = start + 1 + len(text) - 1 if text.endswith(",") else position
        return (
            at,
            "a missing closing quote",
            "the string runs on to the end of the line: close it with &quot; here",
        )
    opened = _open_string_before(output, before)
    if opened is not None:
        return (
            opened,
            "a missing closing quote",
            "the string before this runs on: close it with &quot; here",
        )
    if "',' delimiter" in reason:
        return position, "a missing comma", "add a comma between the two members"
    if char.isalpha() or char == "<":
        return (
            position,
            "an unquoted string value",
            "put the value in double quotes: &quot;value&quot;",
        )
    return (
        position,
        "a syntax error",
        "look for a missing or extra comma, an unquoted word, or a brace; "
        "crmtpl render shows the whole body",
    )
