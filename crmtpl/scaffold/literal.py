"""Text from a description made literal for the Go templates of a generated template.

A description is downloaded from the internet, and its strings (paths, parameter and
property names, server URLs, examples, security scheme names and URLs) end up in attributes
the PBX executes as Go templates (``URLFormat``, a body's ``Value``, an ``Output``'s
``Path``). A ``{{`` among them would start an action: ``/contacts{{.api_key}}`` would send
the API key in the path. :func:`defuse_description` rewrites every ``{{`` of a description
as ``{{`{{`}}`` (an action that prints ``{{``; a raw string, so JSON-encoding a body keeps
it whole), before the scaffold reads anything.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from crmtpl.openapi.description import ApiDescription, Parameter

#: What ``{{`` becomes: a Go template action whose output is ``{{``.
LITERAL_BRACES = "{{`{{`}}"


def go_literal(text: str) -> str:
    """``text`` as a Go template that prints it unchanged."""
    return text.replace("{{", LITERAL_BRACES)


def defuse(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A copy of a parsed description node with every string (keys too) made literal.

    Shared nodes stay shared and cycles stay cycles (a description keeps recursive schemas
    recursive), so the copy costs the size of the description, not of its expansion."""
    memo = {} if memo is None else memo
    if isinstance(value, str):
        return go_literal(value) if "{{" in value else value
    if not isinstance(value, dict | list):
        return value
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    if isinstance(value, list):
        items: list[Any] = []
        memo[id(value)] = (value, items)
        items.extend(defuse(item, memo) for item in value)
        return items
    out: dict[Any, Any] = {}
    memo[id(value)] = (value, out)
    for key, item in value.items():
        out[defuse(key, memo)] = defuse(item, memo)
    return out


def defuse_description(description: ApiDescription) -> ApiDescription:
    """``description`` with every ``{{`` of its operations made literal."""
    memo: dict[int, Any] = {}
    operations = tuple(
        replace(
            operation,
            path=go_literal(operation.path),
            server_paths=tuple(go_literal(p) for p in operation.server_paths),
            operation_id=defuse(operation.operation_id, memo),
            summary=go_literal(operation.summary),
            tags=tuple(go_literal(t) for t in operation.tags),
            parameters=tuple(
                Parameter(
                    name=go_literal(p.name),
                    location=p.location,
                    required=p.required,
                    schema=defuse(p.schema, memo),
                    examples=tuple(go_literal(e) for e in p.examples),
                    description=go_literal(p.description),
                )
                for p in operation.parameters
            ),
            request_media_types=tuple(go_literal(t) for t in operation.request_media_types),
            request_schema=defuse(operation.request_schema, memo),
            responses={go_literal(k): defuse(v, memo) for k, v in operation.responses.items()},
        )
        for operation in description.operations
    )
    return replace(
        description,
        title=go_literal(description.title),
        version=go_literal(description.version),
        operations=operations,
    )
