"""Bodies and output paths judged against the CRM's API description (CT976-CT979).

Runs only with a description (``validate --openapi``, ``ctx.api``); each request is matched
to the operation it calls, decided once per request by
:func:`crmtpl.lint.checks.api_operations.request_operation` (requests without a match are
another rule's business and skipped here).

* JSON bodies, rendered with sample values, against the operation's request schema: a
  required field missing or a field the schema closes out (CT976), a value of the wrong
  type, outside the enum or in the wrong format (CT977). Only what the samples prove is
  reported: every variable renders as a marker, so a string filled from a variable has a
  known type (the template's quotes make it a string) and unknown content (no enum or
  format check); an action written without quotes has an unknown type (unless the
  catalogue says the variable is a number); a required field whose name the template writes
  anywhere (a branch the samples did not take) is not missing.
* Plain output paths against the schema of the operation's successful answers: a path no
  such answer can match (CT978, when the description makes the mistake evident, as CT708
  does for recorded answers), and a contact field or id output that would receive a whole
  JSON object (CT979).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crmtpl.lint.checks.answers import REQUIRED_OUTPUTS
from crmtpl.lint.checks.api_operations import request_operation
from crmtpl.lint.checks.bodies import is_json_body, locate
from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.rendering import TracedRender, analysis, render, render_traced, sample_data
from crmtpl.lint.templated import TemplatedValue, templated_values
from crmtpl.template import Output, Request, SourceSpan

if TYPE_CHECKING:
    from crmtpl.openapi.description import Operation
    from crmtpl.openapi.schema_check import Opaque, Problem
    from crmtpl.openapi.schema_shape import Schema

BODY_FIELD = "CT976"
BODY_VALUE = "CT977"
OUTPUT_PATH = "CT978"
OUTPUT_TYPE = "CT979"

_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"


# -- bodies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Body:
    """A body rendered with a marker for each text variable, decoded."""

    text: str
    decoded: Any
    traced: TracedRender | None
    #: Numbers standing for actions written without quotes (their type is unknown).
    stand_ins: frozenset[str]
    #: The sample values of the number variables (their content is not the real one).
    samples: frozenset[float]


def _marked_data(ctx: LintContext, value: TemplatedValue) -> dict[str, str]:
    data = sample_data(ctx, value)
    for number, name in enumerate(sorted(data)):
        spec = ctx.catalogue.variable(name)
        if spec is None or not spec.json_number:
            data[name] = f"{_MARK_OPEN}{number}{_MARK_CLOSE}"
    return data


def _unquoted_to_numbers(output: str) -> tuple[str, frozenset[str]]:
    """Markers outside JSON strings replaced by a number of the same length (``999``)."""
    pieces: list[str] = []
    stand_ins: set[str] = set()
    in_string = False
    index = 0
    while index < len(output):
        char = output[index]
        if char == _MARK_OPEN:
            close = output.find(_MARK_CLOSE, index)
            if close < 0:
                break
            marker = output[index : close + 1]
            if in_string:
                pieces.append(marker)
            else:
                number = "9" * len(marker)
                stand_ins.add(number)
                pieces.append(number)
            index = close + 1
            continue
        if in_string and char == "\\":
            pieces.append(output[index : index + 2])
            index += 2
            continue
        if char == '"':
            in_string = not in_string
        pieces.append(char)
        index += 1
    pieces.append(output[index:])
    return "".join(pieces), frozenset(stand_ins)


def _rendered_body(ctx: LintContext, value: TemplatedValue) -> _Body | None:
    data = _marked_data(ctx, value)
    rendered = render(value.text, data)
    if rendered.output is None:
        return None  # an execution error (CT804) or a function a marker cannot feed
    text, stand_ins = _unquoted_to_numbers(rendered.output)
    try:
        decoded = json.loads(text)
    except ValueError:
        return None  # CT661 reports the body that is not JSON
    traced = render_traced(value.text, data) if "{{" in value.text else None
    if traced is not None and _unquoted_to_numbers(traced.output)[0] != text:
        traced = None
    samples: set[float] = set()
    for name, sample in data.items():
        spec = ctx.catalogue.variable(name)
        if spec is not None and spec.json_number:
            try:
                samples.add(float(sample))
            except ValueError:
                continue
    return _Body(text, decoded, traced, stand_ins, frozenset(samples))


def _opaque(body: _Body) -> Opaque:
    from crmtpl.openapi.schema_check import Opaque

    def is_stand_in(value: Any) -> bool:
        return (
            isinstance(value, int) and not isinstance(value, bool) and str(value) in body.stand_ins
        )

    def is_sample(value: Any) -> bool:
        return isinstance(value, int | float) and float(value) in body.samples

    return Opaque(string=lambda text: _MARK_OPEN in text, value=is_stand_in, number=is_sample)


def _request_schema(operation: Operation) -> Schema | None:
    if operation.request_schema is None:
        return None
    types = operation.request_media_types
    if types and not any("json" in t for t in types):
        return None  # a form or another format: the body is not judged as JSON
    return operation.request_schema


@check(BODY_FIELD, BODY_VALUE)
def bodies_against_the_description(ctx: LintContext) -> None:
    """JSON bodies rendered with sample values against the request schema of their operation."""
    if ctx.api is None:
        return
    from crmtpl.openapi.schema_check import check_value

    for value in templated_values(ctx):
        if value.kind != "body" or value.request is None:
            continue
        if not analysis(value.text).ok or not is_json_body(ctx, value):
            continue
        match = request_operation(ctx, value.request)
        schema = None if match is None else _request_schema(match.operation)
        if match is None or schema is None:
            continue
        body = _rendered_body(ctx, value)
        if body is None:
            continue
        for problem in check_value(body.decoded, schema, _opaque(body)):
            if problem.kind == "required" and f'"{problem.key}"' in value.text:
                continue  # written in a branch the samples did not take
            _report_body_problem(ctx, value, body, problem, match.operation)


def _where(pointer: str) -> str:
    return f"at {pointer}" if pointer else "at its top level"


def _report_body_problem(
    ctx: LintContext, value: TemplatedValue, body: _Body, problem: Problem, operation: Operation
) -> None:
    from crmtpl.pathmiss import closest_key

    label = operation.label
    if problem.kind == "unknown":
        key = problem.key or ""
        near = closest_key(key, list(problem.wanted), last_word=False)
        shown = ", ".join(problem.wanted[:20]) or "none"
        hint = (
            f"did you mean &quot;{near}&quot;? JSON keys are case-sensitive"
            if near is not None
            else f"remove it, or use one of the fields the API accepts there: {shown}"
        )
        ctx.report(
            BODY_FIELD,
            _body_span(ctx, value, body, f"{problem.pointer}/{_step(key)}", key=True),
            f"{value.where} sends the field {key!r} ({_where(problem.pointer)}), which "
            f"{label} does not accept (additionalProperties is false; its fields: {shown}); "
            "the CRM rejects every such request",
            hint=hint,
        )
        return
    if problem.kind == "required":
        ctx.report(
            BODY_FIELD,
            _body_span(ctx, value, body, problem.pointer, key=True),
            f"{value.where} lacks the field {problem.key!r} ({_where(problem.pointer)}) that "
            f"{label} requires; the CRM rejects every such request",
            hint=f"add &quot;{problem.key}&quot;: … to the body (see the operation's request "
            "schema in the API description)",
        )
        return
    what = f"the value {_where(problem.pointer)}"
    ctx.report(
        BODY_VALUE,
        _body_span(ctx, value, body, problem.pointer, key=False),
        f"{value.where}: {what} {problem.message} ({label}); the CRM rejects such a request",
        hint=_value_hint(problem),
    )


def _value_hint(problem: Problem) -> str:
    if problem.kind == "type":
        wanted = set(problem.wanted)
        if "string" in problem.message.split(",")[0] and wanted & {"integer", "number", "boolean"}:
            return (
                "write the value without quotes: in quotes it is always a string (a variable "
                "written so must hold a number, or true/false)"
            )
        if "string" in wanted:
            return "put the value in quotes: &quot;{{.Name}}&quot;"
        return "send the JSON type the API's schema asks for"
    if problem.kind == "enum":
        return "use one of the values the API's schema lists (they are case-sensitive)"
    return (
        "write dates as RFC 3339 (2024-05-01 or 2024-05-01T10:00:00Z): TimeFormat can make "
        "them from the time variables"
    )


def _step(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _body_span(
    ctx: LintContext, value: TemplatedValue, body: _Body, pointer: str, *, key: bool
) -> SourceSpan:
    """The template text that wrote the value at ``pointer`` (its key when ``key``)."""
    from crmtpl.lint.json_positions import json_places

    place = json_places(body.text).get(pointer)
    if place is None:
        return ctx.attribute_span(value.owner, value.attribute)
    start, end = place.value_start, place.value_start + 1
    if key and place.key_start is not None and place.key_end is not None:
        start, end = place.key_start, place.key_end
    found = body.traced.source_offset(start) if body.traced is not None else None
    if found is not None and body.traced is not None:
        last = body.traced.source_offset(end - 1)
        stop = last + 1 if last is not None and last >= found else found + 1
        return ctx.value_part_span(value.owner, value.attribute, found, stop)
    written = body.text[start:end]
    if key and place.key_start is not None and value.text.count(written) == 1:
        at = value.text.index(written)
        return ctx.value_part_span(value.owner, value.attribute, at, at + len(written))
    near = locate(value.text, body.text, start)
    if near is None:
        return ctx.attribute_span(value.owner, value.attribute)
    return ctx.value_part_span(value.owner, value.attribute, near, near + 1)


# -- output paths -------------------------------------------------------------------------


def _answer_schema(operation: Operation) -> Schema | None:
    """The schema of the operation's successful (2xx) answers; several are alternatives."""
    found = [
        schema
        for status, schema in sorted(operation.responses.items())
        if status.startswith("2") and schema is not None
    ]
    if not found:
        return None
    return found[0] if len(found) == 1 else {"anyOf": found}


def _scalar_outputs(ctx: LintContext) -> frozenset[str]:
    """Outputs the PBX stores as one plain value per record: ids and contact fields."""
    return REQUIRED_OUTPUTS | frozenset(ctx.catalogue.contact_field_outputs)


@check(OUTPUT_PATH, OUTPUT_TYPE)
def output_paths_against_the_description(ctx: LintContext) -> None:
    """Plain output paths against the answer schema of their request's operation."""
    if ctx.api is None:
        return

    scalar = _scalar_outputs(ctx)
    for _scenario, request in ctx.model.requests():
        match = request_operation(ctx, request)
        schema = None if match is None else _answer_schema(match.operation)
        if match is None or schema is None:
            continue
        for output in request.output_list:
            path = output.path or ""
            if path and "{{" not in path:
                _judge_path(ctx, request, output, path, schema, match.operation, scalar)


def _judge_path(
    ctx: LintContext,
    request: Request,
    output: Output,
    path: str,
    schema: Schema,
    operation: Operation,
    scalar: frozenset[str],
) -> None:
    from crmtpl.openapi.schema_paths import SchemaMiss, follow

    outcome = follow(schema, path)
    name = output.name or ""
    if isinstance(outcome, SchemaMiss):
        if not (outcome.evident or name in REQUIRED_OUTPUTS):
            return
        at = f"at {outcome.matched}" if outcome.matched else "there"
        if outcome.keys:
            there = f"{at} the description declares the keys {outcome.describe_keys()}"
        else:
            there = f"{at} the answer has {'an' if outcome.found[:1] in 'aeiou' else 'a'} "
            there += outcome.found
        asked = path[outcome.offset : outcome.offset + outcome.length]
        if outcome.closest is not None:
            hint = f'did you mean Path="{outcome.closest}"? GJSON keys are case-sensitive'
        elif outcome.near_key is not None:
            hint = f"did you mean {outcome.near_key} for {asked}? GJSON keys are case-sensitive"
        else:
            hint = (
                "write the path as the answer's schema has it; arrays take # (every element) "
                "or an index"
            )
        ctx.report(
            OUTPUT_PATH,
            ctx.value_part_span(output, "Path", outcome.offset, outcome.offset + outcome.length),
            f"the path {path!r} of output {name} in request '{request.name or ''}' cannot "
            f"match the answer of {operation.label} as the API description declares it "
            f"({there})",
            hint=hint,
        )
        return
    if name in scalar and outcome.schemas:
        _judge_target(ctx, request, output, path, outcome.schemas, operation)


def _judge_target(
    ctx: LintContext,
    request: Request,
    output: Output,
    path: str,
    schemas: tuple[Schema, ...],
    operation: Operation,
) -> None:
    """CT979: an output the PBX stores as one value that would get a whole object."""
    from crmtpl.openapi.schema_shape import alternatives, declared_keys, kinds

    keys: list[str] = []
    for schema in schemas:
        for alternative in alternatives(schema):
            allowed = kinds(alternative)
            if allowed is None or not allowed - {"null"} or allowed - {"object", "null"}:
                return  # unknown, or a plain value is possible
            keys.extend(k for k in declared_keys(alternative) if k not in keys)
    name = output.name or ""
    is_id = name in REQUIRED_OUTPUTS or name.endswith("Id")
    preferred = ("id", "value", "name") if is_id else ("name", "value", "display_name", "id")
    inside = next((k for k in preferred if k in keys), None)
    hint = (
        f'point the path at a value inside it: Path="{path}.{inside}"'
        if inside is not None
        else "point the path at a plain value inside the object"
        + (f" (its keys: {', '.join(keys[:20])})" if keys else "")
    )
    ctx.report(
        OUTPUT_TYPE,
        ctx.attribute_span(output, "Path"),
        f"the path {path!r} of output {name} in request '{request.name or ''}' leads to an "
        f"object in the answer of {operation.label}: the PBX would store its JSON text as "
        f"{name}, not a plain value",
        hint=hint,
    )
