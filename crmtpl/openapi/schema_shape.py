"""What a resolved OpenAPI schema allows, as plain alternatives a walker can read.

A schema may combine others (``oneOf``/``anyOf`` offer alternatives, ``allOf`` asks for all
of its members at once) and may contain itself (descriptions keep recursive schemas
recursive). :func:`alternatives` flattens the combinators into the list of plain schemas a
value may follow: ``oneOf``/``anyOf`` members side by side, ``allOf`` members merged into one.
Merging leans towards accepting (properties of every member, a key declared twice accepts
either schema, ``nullable`` from any member) because the checks built on it must never
report what a description does not plainly say. Recursion is cut where a schema is met again
inside its own expansion.

Both OpenAPI 3.0 (``nullable``, Swagger's ``x-nullable``) and 3.1 (``type`` lists with
``"null"``) are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice, product
from typing import Any

#: A resolved schema (no ``$ref`` left, but possibly recursive).
Schema = Mapping[str, Any]

#: At most this many alternatives are produced for one schema (allOf of oneOfs multiply).
MAX_ALTERNATIVES = 64
_COMBINATORS = ("allOf", "oneOf", "anyOf")
_OBJECT_WORDS = ("properties", "additionalProperties", "required")


#: What :func:`alternatives` remembers: a schema's id -> (the schema, its alternatives).
Shapes = dict[int, tuple[Any, list[Schema]]]


def alternatives(schema: Any, shapes: Shapes | None = None) -> list[Schema]:
    """The plain schemas (no allOf/oneOf/anyOf left at the top) a value of ``schema`` may
    follow; an empty schema (anything goes) for a schema met again in its own expansion or
    one that is not a mapping.

    A description may share one schema many times over (YAML anchors, a ``$ref`` used by
    every member of a ``oneOf``): each shared schema is expanded once per call (once per
    walk when the walk passes its own ``shapes``), so a chain of shared combinators costs
    its length, not two to the power of it."""
    return list(_alternatives(schema, frozenset(), {} if shapes is None else shapes))


def _alternatives(
    schema: Any, seen: frozenset[int], memo: dict[int, tuple[Any, list[Schema]]]
) -> list[Schema]:
    if not isinstance(schema, Mapping) or id(schema) in seen:
        return [{}]
    known = memo.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    found = _expand(schema, seen | {id(schema)}, memo)
    memo[id(schema)] = (schema, found)  # the schema kept so that its id stays its own
    return found


def _distinct(members: list[Any]) -> list[Any]:
    """The members of a combinator, each shared one once."""
    return list({id(member): member for member in members}.values())


def _expand(
    schema: Mapping[str, Any], seen: frozenset[int], memo: dict[int, tuple[Any, list[Schema]]]
) -> list[Schema]:
    base = {k: v for k, v in schema.items() if k not in _COMBINATORS}
    found: list[Schema] = [base]
    members = schema.get("allOf")
    if isinstance(members, list) and members:
        options = [_alternatives(member, seen, memo) for member in _distinct(members)]
        merged: list[Schema] = []
        for combination in product(*options):
            value: Schema = base
            for part in combination:
                value = merge(value, part)
            merged.append(value)
            if len(merged) >= MAX_ALTERNATIVES:
                break
        found = merged
    for word in ("oneOf", "anyOf"):
        choices = schema.get(word)
        if not isinstance(choices, list) or not choices:
            continue
        expanded = [c for choice in _distinct(choices) for c in _alternatives(choice, seen, memo)][
            :MAX_ALTERNATIVES
        ]
        found = list(islice((merge(f, c) for f in found for c in expanded), MAX_ALTERNATIVES))
    return found


def _types(schema: Schema) -> set[str] | None:
    raw = schema.get("type")
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {str(t) for t in raw}
    return None


def merge(first: Schema, second: Schema) -> Schema:
    """The schema for values that follow both (leaning towards accepting)."""
    out: dict[str, Any] = dict(first)
    for key, value in second.items():
        if key not in out:
            out[key] = value
            continue
        mine = out[key]
        if key == "properties" and isinstance(mine, Mapping) and isinstance(value, Mapping):
            joined = dict(mine)
            for name, sub in value.items():
                joined[name] = sub if name not in joined else {"anyOf": [joined[name], sub]}
            out[key] = joined
        elif key == "required" and isinstance(mine, list) and isinstance(value, list):
            out[key] = list(dict.fromkeys([*mine, *value]))
        elif key == "type":
            a, b = _types(first) or set(), _types(second) or set()
            both = a & b
            if not both and {"integer", "number"} <= a | b:
                both = {"integer"}
            out[key] = sorted(both) if both else sorted(a | b)
        elif key == "additionalProperties":
            if mine is False or (isinstance(value, Mapping) and not isinstance(mine, Mapping)):
                out[key] = value if value is not False else mine
        elif key in ("nullable", "x-nullable"):
            out[key] = bool(mine) or bool(value)
        elif key == "enum" and isinstance(mine, list) and isinstance(value, list):
            out[key] = [*mine, *(v for v in value if v not in mine)]
        elif key == "items" and mine is not value:
            out[key] = {"allOf": [mine, value]}
    return out


def kinds(schema: Schema, *, infer: bool = True) -> frozenset[str] | None:
    """The JSON types a plain schema allows (``integer`` stands apart from ``number``), or
    None when it does not say. With ``infer``, ``properties`` imply an object and ``items``
    an array, as descriptions mean them."""
    found = _types(schema)
    if found is None:
        if not infer:
            return None
        if any(word in schema for word in _OBJECT_WORDS):
            found = {"object"}
        elif "items" in schema:
            found = {"array"}
        else:
            return None
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        found = found | {"null"}
    return frozenset(found)


def is_open(schema: Any) -> bool:
    """True for a schema that accepts anything (empty, or a $ref left unresolved)."""
    if not isinstance(schema, Mapping):
        return True
    if "x-unresolved" in schema:
        return True
    return not any(
        key in schema
        for key in (
            "type",
            *_OBJECT_WORDS,
            "items",
            "enum",
            "const",
            *_COMBINATORS,
            "not",
        )
    )


def declared_keys(schema: Schema) -> dict[str, Any]:
    """The properties an object schema declares (an empty dict when none)."""
    properties = schema.get("properties")
    return dict(properties) if isinstance(properties, Mapping) else {}


def other_keys_schema(schema: Schema, *, closed_when_declared: bool) -> Any:
    """The schema of keys an object schema does not declare, or None when it allows none.

    ``additionalProperties: false`` allows none; a schema (or true) allows any key with it.
    When ``additionalProperties`` is absent, JSON Schema allows any key; with
    ``closed_when_declared`` an object that declares properties is read as listing all its
    keys (what a description of an *answer* means), one without properties as free-form.
    """
    extra = schema.get("additionalProperties")
    if extra is False:
        return None
    if isinstance(extra, Mapping):
        return extra
    if extra is True:
        return {}
    if closed_when_declared and declared_keys(schema):
        return None
    if closed_when_declared and schema.get("patternProperties"):
        return {}
    return {}
