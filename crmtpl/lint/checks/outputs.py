"""Outputs: names, empty paths, GJSON path syntax, arrays that cannot line up (CT7xx).

Paths that contain Go template actions are checked after rendering, by
:mod:`crmtpl.lint.checks.templates`; the plain ones are checked here, exactly to the
character.
"""

from __future__ import annotations

from crmtpl import gjson
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import Fix, RelatedInfo
from crmtpl.lint.dialects import foreign_dialect
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.template import Request
from crmtpl.template.model import Located


@check("CT702", "CT703", "CT704")
def output_names_and_paths(ctx: LintContext) -> None:
    """Every output has a Name, unique per request; an empty Path needs a Next."""
    for _scenario, request in ctx.model.requests():
        named = ((o.name, o) for o in request.output_list)
        for output, first in repeats(named):
            ctx.report_repeat(
                "CT703",
                ctx.attribute_span(output, "Name"),
                ctx.attribute_span(first, "Name"),
                f"a second output named {output.name!r} in request {request.name or ''!r}",
                "keep one path per field",
            )
        for output in request.output_list:
            if not output.name:
                ctx.report(
                    "CT702",
                    output.node.name_span,
                    "this output has no Name, so its value goes nowhere",
                    hint="Name is the field or variable the path fills",
                )
                continue
            if not output.path and not request.next and field_in_use(ctx, output.name):
                ctx.report(
                    "CT704",
                    ctx.attribute_span(output, "Path"),
                    f"output {output.name!r} has an empty Path and no Next request fills it, "
                    "so it stays empty",
                    hint="write the GJSON path of the value, add Outputs Next=…, or remove it",
                )


def field_in_use(ctx: LintContext, name: str) -> bool:
    """False for a contact field switched off by its <Field>Enable flag (just unmapped)."""
    flag = ctx.catalogue.enable_flag_for_output(name)
    sync = ctx.model.scenario("SyncContactAuto")
    if flag is None or sync is None:
        return True
    return sync.flag(flag.flag) is not False


def report_path_problems(
    ctx: LintContext, owner: Located, attribute: str, path: str, *, exact: bool = True
) -> None:
    """Report ``gjson.check_path`` problems of a path; ``exact``: ``path`` is the value."""
    for problem in gjson.check_path(path):
        if exact:
            end = problem.offset + max(problem.length, 1)
            span = ctx.value_part_span(owner, attribute, problem.offset, end)
        else:
            span = ctx.attribute_span(owner, attribute)
        ctx.report(
            "CT701",
            span,
            f"GJSON path {path!r}: {problem.message}",
            hint="gjson finds nothing with this path; write quotes inside a path as &quot;",
        )


def _checked_path(ctx: LintContext, owner: Located, attribute: str, path: str) -> None:
    """A JSONPath habit is the cause (CT707); GJSON syntax problems of it only restate it."""
    foreign = foreign_dialect(path)
    if foreign is None:
        report_path_problems(ctx, owner, attribute, path)
        return
    ctx.report(
        "CT707",
        ctx.value_part_span(owner, attribute, foreign.offset, foreign.offset + foreign.length),
        f"{path!r} is written in JSONPath, not GJSON: {foreign.construct!r} is "
        f"{foreign.meaning}; GJSON matches nothing here, so the value is empty on every call",
        hint=f'write {attribute}="{foreign.translation}" (GJSON: data.0.x is the first '
        "element, data.#.x every element)",
        fix=_translation_fix(ctx, owner, attribute, path, foreign.translation),
    )


def _translation_fix(
    ctx: LintContext, owner: Located, attribute: str, path: str, translation: str
) -> Fix | None:
    """Replace a JSONPath value by its GJSON, when both are written without entities."""
    found = owner.node.attributes.get(attribute)
    if found is None or found.raw_value != path or not translation:
        return None
    if any(char in translation for char in "&<\"'\r\n\t"):
        return None
    return ctx.replace_fix(found.value_span, translation, f"write the GJSON path {translation}")


@check("CT701", "CT707")
def plain_gjson_paths(ctx: LintContext) -> None:
    """Output paths and ContactFieldForUri without template actions: JSONPath habits
    (CT707), then gjson's path checker (CT701)."""
    for _scenario, request in ctx.model.requests():
        for output in request.output_list:
            if output.path and "{{" not in output.path:
                _checked_path(ctx, output, "Path", output.path)
    for scenario in ctx.model.scenarios:
        for parameter in scenario.parameters:
            if parameter.father or not parameter.name or not parameter.value:
                continue
            spec = ctx.catalogue.parameter(scenario.id or "", parameter.name)
            if spec is not None and spec.kind == "gjson_path" and "{{" not in parameter.value:
                _checked_path(ctx, parameter, "Value", parameter.value)


def array_source(path: str) -> str | None:
    """Where the array of a ``#`` path comes from, or None when the path gives one value.

    ``data.#.id`` → ``data.#``; ``a.#(x=="1")#.b`` → ``a.#(x=="1")#``; ``a.#`` (a count),
    ``a.#(x=="1").b`` (the first match) and ``a.#.b|0`` (one element) give None.
    """
    if "{{" in path:
        return None
    length = len(path)
    index = 0
    while index < length:
        char = path[index]
        if char == "\\":
            index += 2
            continue
        at_component = index == 0 or path[index - 1] in ".|"
        if char != "#" or not at_component:
            index += 1
            continue
        following = path[index + 1 : index + 2]
        if following == ".":
            return _unless_indexed(path, index + 1)
        if following in ("(", "["):
            close = _query_end(path, index + 1)
            if close is None:
                return None  # CT701 reports the unterminated query
            if path[close + 1 : close + 2] == "#":
                return _unless_indexed(path, close + 2)
            index = close + 1
            continue
        index += 1
    return None


def _unless_indexed(path: str, end: int) -> str | None:
    """The source ``path[:end]`` unless a later ``|N`` picks one element of the array."""
    rest = path[end:]
    position = rest.find("|")
    while position >= 0:
        if rest[position + 1 : position + 2].isdigit():
            return None
        position = rest.find("|", position + 1)
    return path[:end]


def _query_end(path: str, start: int) -> int | None:
    """Index of the bracket closing the query opened at ``path[start]``."""
    opening = path[start]
    closing = ")" if opening == "(" else "]"
    depth = 0
    index = start
    in_string = False
    while index < len(path):
        char = path[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return index if char == closing else None
        index += 1
    return None


@check("CT705")
def misaligned_arrays(ctx: LintContext) -> None:
    """The # arrays of one request come from one source, or records do not line up (U13)."""
    for _scenario, request in ctx.model.requests():
        _misaligned(ctx, request)


def _misaligned(ctx: LintContext, request: Request) -> None:
    sources = [(o, s) for o in request.output_list if o.path and (s := array_source(o.path))]
    if len({source for _output, source in sources}) < 2:
        return
    first_output, first_source = sources[0]
    for output, source in sources[1:]:
        if source == first_source:
            continue
        ctx.report(
            "CT705",
            ctx.attribute_span(output, "Path"),
            f"{output.name or 'this output'} takes its array from {source!r} but "
            f"{first_output.name or 'the first output'} from {first_source!r}: the PBX zips "
            "the arrays of one request by index, so these values do not line up",
            hint="map every field of a record from the same array, or fetch the other values "
            "in a chained request (Outputs Next)",
            related=[
                RelatedInfo(f"the {first_source!r} array", ctx.attribute_span(first_output, "Path"))
            ],
        )
