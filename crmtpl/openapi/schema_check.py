"""A small, honest validator of a JSON value against an OpenAPI schema.

It checks what a request body can plainly get wrong: the JSON type (``integer`` apart from
``number``), required properties (not the ``readOnly`` ones, which a request never sends),
properties an object with ``additionalProperties: false`` does not declare, ``enum``,
``items``, the ``oneOf``/``anyOf``/``allOf`` combinators (through
:func:`crmtpl.openapi.schema_shape.alternatives`; a value that fits any alternative fits),
``nullable``, and the formats whose meaning is unambiguous (``date``, ``date-time``,
``int32``, ``int64``). Anything else a schema says (patterns, lengths, ranges...) is left
alone rather than guessed at.

Parts of a value may be *opaque*: a string a template fills from a variable has a known type
but unknown content, an object key made by a template is unknown. The caller says which
(:class:`Opaque`); their content is not judged. Each problem names the JSON pointer of the
value it is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crmtpl.openapi.schema_shape import (
    Schema,
    alternatives,
    declared_keys,
    is_open,
    kinds,
    other_keys_schema,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class Problem:
    """One way a value breaks its schema.

    ``kind``: ``required`` (``key`` is missing from the object at ``pointer``), ``unknown``
    (the object at ``pointer`` has ``key``, which it may not), ``type``, ``enum`` or
    ``format`` (the value at ``pointer``)."""

    pointer: str
    kind: str
    message: str
    key: str | None = None
    #: For ``type``: the JSON types the schema wants; for ``unknown``: the declared keys.
    wanted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opaque:
    """Which parts of a value have unknown content (made by a template at run time)."""

    #: A string whose content is unknown (its type, string, is known).
    string: Callable[[str], bool] = lambda text: False
    #: A value whose type and content are unknown (an unquoted template action).
    value: Callable[[Any], bool] = lambda value: False
    #: A number whose content is unknown (a variable known to hold a number).
    number: Callable[[Any], bool] = lambda value: False


def json_kind(value: Any) -> str:
    """The JSON type of a decoded value (``integer`` for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _fits_kind(kind: str, allowed: frozenset[str]) -> bool:
    return kind in allowed or (kind == "integer" and "number" in allowed)


def _pointer(base: str, step: str | int) -> str:
    return f"{base}/{str(step).replace('~', '~0').replace('/', '~1')}"


def _same(a: Any, b: Any) -> bool:
    """JSON equality (``true`` is not ``1``)."""
    return json_kind(a) == json_kind(b) and a == b


def check_value(value: Any, schema: Schema, opaque: Opaque | None = None) -> list[Problem]:
    """The problems of ``value`` against ``schema`` (empty when it fits)."""
    return _Checker(opaque or Opaque()).value(value, schema, "")


class _Checker:
    def __init__(self, opaque: Opaque) -> None:
        self.opaque = opaque

    def value(self, value: Any, schema: Any, pointer: str) -> list[Problem]:
        if self.opaque.value(value):
            return []
        best: list[Problem] | None = None
        for alternative in alternatives(schema):
            problems = self._plain(value, alternative, pointer)
            if not problems:
                return []
            if best is None or _rank(problems) < _rank(best):
                best = problems
        return best or []

    def _plain(self, value: Any, schema: Schema, pointer: str) -> list[Problem]:
        if is_open(schema):
            return []
        kind = json_kind(value)
        allowed = kinds(schema, infer=False)
        if allowed is not None and not _fits_kind(kind, allowed):
            shown = " or ".join(sorted(allowed))
            return [
                Problem(
                    pointer,
                    "type",
                    f"is {_article(kind)} {kind}, the API wants {_article(shown)} {shown}",
                    wanted=tuple(sorted(allowed)),
                )
            ]
        opaque_text = (isinstance(value, str) and self.opaque.string(value)) or (
            kind in ("integer", "number") and self.opaque.number(value)
        )
        enum = schema.get("enum")
        in_enum = not isinstance(enum, list) or any(_same(value, option) for option in enum)
        if enum and not in_enum and not opaque_text and value is not None:
            shown = ", ".join(str(option) for option in enum[:12])
            return [Problem(pointer, "enum", f"is {value!r}, not one of: {shown}")]
        problem = None if opaque_text else _format_problem(value, schema, pointer)
        if problem is not None:
            return [problem]
        if isinstance(value, dict):
            return self._object(value, schema, pointer)
        if isinstance(value, list) and "items" in schema:
            found: list[Problem] = []
            for index, element in enumerate(value):
                found.extend(self.value(element, schema["items"], _pointer(pointer, index)))
            return found
        return []

    def _object(self, value: dict[str, Any], schema: Schema, pointer: str) -> list[Problem]:
        found: list[Problem] = []
        declared = declared_keys(schema)
        opaque_keys = any(self.opaque.string(key) for key in value)
        required = schema.get("required")
        if isinstance(required, list) and not opaque_keys:
            for name in required:
                sub = declared.get(name)
                if isinstance(name, str) and name not in value and not _read_only(sub):
                    found.append(
                        Problem(pointer, "required", f"lacks the required field {name!r}", name)
                    )
        extra = other_keys_schema(schema, closed_when_declared=False)
        for key, member in value.items():
            sub = declared.get(key)
            if sub is None and not self.opaque.string(key):
                if extra is None and not schema.get("patternProperties"):
                    found.append(
                        Problem(
                            pointer,
                            "unknown",
                            f"has the field {key!r}, which the API does not accept here",
                            key,
                            tuple(declared),
                        )
                    )
                    continue
                sub = extra
            if sub is not None:
                found.extend(self.value(member, sub, _pointer(pointer, key)))
        return found


def _read_only(schema: Any) -> bool:
    return any(
        isinstance(alternative, dict) and alternative.get("readOnly") is True
        for alternative in alternatives(schema)
    )


def _rank(problems: list[Problem]) -> tuple[int, int]:
    """Closer alternatives first: no type problem at the top, then fewer problems."""
    return (int(any(p.kind == "type" and p.pointer == problems[0].pointer for p in problems)),
            len(problems))  # fmt: skip


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _format_problem(value: Any, schema: Schema, pointer: str) -> Problem | None:
    wanted = schema.get("format")
    if not isinstance(wanted, str):
        return None
    if isinstance(value, str):
        pattern = {"date": _DATE, "date-time": _DATE_TIME}.get(wanted)
        if pattern is not None and not pattern.match(value):
            return Problem(pointer, "format", f"is {value!r}, not a {wanted} (RFC 3339)")
    elif json_kind(value) == "integer" and wanted in _INT_RANGES:
        low, high = _INT_RANGES[wanted]
        if not low <= value <= high:
            return Problem(pointer, "format", f"is {value}, beyond the range of {wanted}")
    return None
