"""Can a GJSON path match an answer that follows a response schema? If not, what is closest?

:func:`follow` walks a GJSON path over a JSON schema the way gjson walks a document: an
object step reads one key (``properties``, else ``additionalProperties``), an array step an
index, ``#`` (the count), ``#.rest`` (``rest`` of every element, a projection), or a query
``#(...)`` (the first matching element; ``#(...)#`` every one; the query's own path is
walked over the element too), and ``|`` goes on from the result. The path components are
read by gjson's own path parsers (:mod:`crmtpl.gjson._paths`), so the walk splits a path
exactly where gjson does.

A schema says which answers are possible, and descriptions list the keys of the objects
they describe: a key an object does not declare (and no ``additionalProperties`` allows)
cannot be there. A walk that cannot go on in any alternative of the schema (``oneOf``,
``anyOf``, ``nullable``...) is a :class:`SchemaMiss`: where it stopped, the keys there and,
for plain paths, the closest path the schema does allow, written in GJSON
(``results.#.properties.firstname``). Anything the walk cannot judge (modifiers, wildcards,
multipaths, Go templates, free-form objects, unresolved ``$ref``s) gives no miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crmtpl.gjson._paths import parse_array_path, parse_object_path, split_possible_pipe
from crmtpl.openapi.schema_shape import (
    Schema,
    Shapes,
    alternatives,
    declared_keys,
    is_open,
    kinds,
    other_keys_schema,
)
from crmtpl.pathmiss import closest_key, join_path, split_path

#: Path beginnings this walk does not judge: modifiers, literals, multipaths, ``..``.
_UNJUDGED_STARTS = ("@", "!", "[", "{", "..")
_MAX_KEYS = 20


@dataclass(frozen=True)
class SchemaMiss:
    """Where a path stops matching every answer a schema allows."""

    path: str
    #: The GJSON text of the path that did match ('' at the top level).
    matched: str
    #: Offset and length of the component that cannot match, in ``path``.
    offset: int
    length: int
    #: The keys the schema declares where the path stopped (for an object).
    keys: tuple[str, ...]
    #: What the schema has there: "object", "array", "string", "integer or null"...
    found: str
    #: The closest path the schema allows, in GJSON, or None.
    closest: str | None
    #: A declared key spelt like the one asked for.
    near_key: str | None

    @property
    def evident(self) -> bool:
        """True when the description shows a mistake, not a key it may have left out: a
        declared key spelt like the one asked for, or a key asked of an array or a plain
        value (as :attr:`crmtpl.pathmiss.PathMiss.evident` for real answers)."""
        found = set(self.found.split(" or "))
        return self.near_key is not None or (not found & {"object"} and found != {"null"})

    def describe_keys(self) -> str:
        """The declared keys where the path stopped, for a message."""
        shown = list(self.keys[:_MAX_KEYS])
        more = len(self.keys) - len(shown)
        return ", ".join(shown) + (f" (and {more} more)" if more > 0 else "")


@dataclass(frozen=True)
class Reached:
    """Where a path leads: the schemas of what it gives, or None when anything can be."""

    #: The schemas of the value (of each element, when ``projected``); None: unknown.
    schemas: tuple[Schema, ...] | None
    #: True when the path gathers one value per element (``#.``, ``#(...)#``).
    projected: bool = False


@dataclass(frozen=True)
class _Stop:
    matched: tuple[str, ...]
    offset: int
    length: int
    schema: Schema
    found: frozenset[str]


_Outcome = Reached | _Stop


def _component_length(current: str, rest: str | None) -> int:
    """Length of the first component of ``current``, ``rest`` being what follows it."""
    return len(current) if rest is None else max(len(current) - len(rest) - 1, 0)


def _distinct(schemas: list[Schema]) -> tuple[Schema, ...]:
    """Each schema once (the alternatives of a shared schema all reach the same ones)."""
    return tuple({id(schema): schema for schema in schemas}.values())


def _describe(found: Iterable[str]) -> str:
    order = ("object", "array", "string", "integer", "number", "boolean", "null")
    return " or ".join(sorted(found, key=lambda k: order.index(k) if k in order else 99))


class _Walk:
    """One walk of one path (the full text kept for offsets)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.shapes: Shapes = {}
        #: Outcomes by (schema ids, current, at, done), the schemas kept so ids stay theirs:
        #: a schema shared by many alternatives is walked once per place in the path.
        self.known: dict[tuple[Any, ...], tuple[list[Any], _Outcome]] = {}

    def go(self, schemas: Iterable[Any], current: str, at: int, done: tuple[str, ...]) -> _Outcome:
        """Walk ``current`` (found at offset ``at`` of the path) over any of ``schemas``."""
        kept = list(schemas)
        key = (tuple(id(s) for s in kept), current, at, done)
        known = self.known.get(key)
        if known is not None and all(a is b for a, b in zip(known[0], kept, strict=True)):
            return known[1]
        outcome = self._go(kept, current, at, done)
        self.known[key] = (kept, outcome)
        return outcome

    def _go(self, schemas: list[Any], current: str, at: int, done: tuple[str, ...]) -> _Outcome:
        reached: list[Schema] = []
        projected = False
        stops: list[_Stop] = []
        for schema in schemas:
            for alternative in alternatives(schema, self.shapes):
                outcome = self._step(alternative, current, at, done)
                if isinstance(outcome, _Stop):
                    stops.append(outcome)
                    continue
                if outcome.schemas is None:
                    return Reached(None)
                reached.extend(outcome.schemas)
                projected = projected or outcome.projected
        if reached or not stops:
            return Reached(_distinct(reached), projected)
        return max(stops, key=lambda stop: (len(stop.matched), stop.offset))

    def _then(self, schema: Any, rest: str, at: int, done: tuple[str, ...]) -> _Outcome:
        if not rest:
            return Reached((schema,))
        if rest.startswith(_UNJUDGED_STARTS):
            return Reached(None)
        return self.go([schema], rest, at, done)

    def _step(self, schema: Schema, current: str, at: int, done: tuple[str, ...]) -> _Outcome:
        if is_open(schema):
            return Reached(None)
        allowed = kinds(schema)
        if allowed is None:
            return Reached(None)
        outcomes: list[_Outcome] = []
        if "object" in allowed:
            outcomes.append(self._object(schema, current, at, done))
        if "array" in allowed:
            outcomes.append(self._array(schema, current, at, done))
        if not outcomes:
            first = parse_object_path(current)
            rest = first.path if first.more else first.pipe if first.piped else None
            length = _component_length(current, rest)
            return _Stop(done, at, length, schema, allowed)
        reached = [o for o in outcomes if isinstance(o, Reached)]
        if reached:
            if any(o.schemas is None for o in reached):
                return Reached(None)
            return Reached(
                _distinct([s for o in reached for s in o.schemas or ()]),
                any(o.projected for o in reached),
            )
        return max(
            (o for o in outcomes if isinstance(o, _Stop)), key=lambda stop: len(stop.matched)
        )

    def _object(self, schema: Schema, current: str, at: int, done: tuple[str, ...]) -> _Outcome:
        step = parse_object_path(current)
        if step.wild:
            return Reached(None)
        rest = step.path if step.more else step.pipe if step.piped else None
        length = _component_length(current, rest)
        declared = declared_keys(schema)
        sub = declared.get(step.part)
        if sub is None:
            sub = other_keys_schema(schema, closed_when_declared=True)
        if sub is None:
            return _Stop(done, at, length, schema, kinds(schema) or frozenset({"object"}))
        if rest is None:
            return Reached((sub,))
        return self._then(sub, rest, at + len(current) - len(rest), (*done, step.part))

    def _array(self, schema: Schema, current: str, at: int, done: tuple[str, ...]) -> _Outcome:
        step = parse_array_path(current)
        items = schema.get("items", {})
        rest = step.path if step.more else step.pipe if step.piped else None
        rest_at = at + len(current) - len(rest) if rest is not None else at + len(current)
        here = (*done, step.part)
        if not step.arrch:
            if step.index < 0:
                length = _component_length(current, rest)
                return _Stop(done, at, length, schema, kinds(schema) or frozenset({"array"}))
            return self._then(items, rest or "", rest_at, here)
        if step.query is not None:
            wrong = self._query_key(items, step.query.path, current, at, done)
            if wrong is not None:
                return wrong
            if not step.query.all:
                return self._then(items, rest or "", rest_at, here)
            if step.piped:
                return self._piped_many((items,), step.pipe, rest_at, here)
            if not rest:
                return Reached((items,), True)
            return self._projection(items, rest, rest_at, here)
        if step.part != "#":
            return Reached(None)
        if step.alogok:
            key = step.alogkey
            split = split_possible_pipe(key)
            left, pipe = (split[0], split[1]) if split is not None else (key, "")
            if left.startswith(_UNJUDGED_STARTS):
                return Reached(None)
            gathered = self.go([items], left, at + 2, (*done, "#"))
            if isinstance(gathered, _Stop) or gathered.schemas is None:
                return gathered
            if not pipe:
                return Reached(gathered.schemas, True)
            return self._piped_many(gathered.schemas, pipe, at + 2 + len(left) + 1, here)
        count: Schema = {"type": "integer"}
        return self._then(count, rest or "", rest_at, here)

    def _query_key(
        self, items: Any, inside: str, current: str, at: int, done: tuple[str, ...]
    ) -> _Stop | None:
        """The stop of a query's own path (``#(active_flg==true)`` never matches), if any."""
        where = current.find(inside, 2) if inside else -1
        if where < 0 or not judged(inside):
            return None
        outcome = self.go([items], inside, at + where, done)
        return outcome if isinstance(outcome, _Stop) else None

    def _projection(self, items: Any, rest: str, at: int, done: tuple[str, ...]) -> _Outcome:
        if rest.startswith(_UNJUDGED_STARTS):
            return Reached(None)
        outcome = self.go([items], rest, at, done)
        if isinstance(outcome, Reached) and outcome.schemas is not None:
            return Reached(outcome.schemas, True)
        return outcome

    def _piped_many(
        self, schemas: tuple[Schema, ...], pipe: str, at: int, done: tuple[str, ...]
    ) -> _Outcome:
        items = schemas[0] if len(schemas) == 1 else {"anyOf": list(schemas)}
        gathered: Schema = {"type": "array", "items": items}
        return self._then(gathered, pipe, at, done)


def judged(path: str) -> bool:
    """False for paths this walk says nothing about: empty, templated, modifiers first."""
    return bool(path) and "{{" not in path and not path.startswith(_UNJUDGED_STARTS)


def follow(schema: Schema, path: str) -> Reached | SchemaMiss:
    """Where ``path`` leads in answers that follow ``schema``: :class:`Reached` (its
    schemas, or None when the walk cannot tell), or the :class:`SchemaMiss` when no answer
    the schema allows has anything there."""
    if not judged(path):
        return Reached(None)
    try:
        outcome = _Walk(path).go([schema], path, 0, ())
    except RecursionError:
        return Reached(None)
    if isinstance(outcome, Reached):
        return outcome
    keys = tuple(declared_keys(outcome.schema)) if "object" in outcome.found else ()
    asked = path[outcome.offset : outcome.offset + outcome.length]
    near = closest_key(asked.replace("\\", ""), list(keys), last_word=False) if keys else None
    return SchemaMiss(
        path=path,
        matched=join_path(list(outcome.matched)) if "#(" not in path else "",
        offset=outcome.offset,
        length=outcome.length,
        keys=keys,
        found=_describe(outcome.found),
        closest=closest_schema_path(schema, path),
        near_key=near,
    )


def closest_schema_path(schema: Schema, path: str) -> str | None:
    """The path closest to a plain ``path`` that answers following ``schema`` can match
    (keys spelt as declared, ``#`` where an array stands), or None."""
    parts = split_path(path)
    if parts is None:
        return None
    try:
        found = _suggest(schema, parts, len(parts) * 2 + 4, {}, {})
    except RecursionError:
        return None
    if found is None or found == parts:
        return None
    return join_path(found)


def _suggest(
    schema: Any,
    parts: list[str],
    budget: int,
    shapes: Shapes,
    known: dict[tuple[int, int, int], tuple[Any, list[str] | None]],
) -> list[str] | None:
    """The closest allowed path for ``parts`` in ``schema``; ``known`` remembers each
    (schema, place in the path, budget) already tried, so shared schemas are tried once."""
    key = (id(schema), len(parts), budget)
    if key in known and known[key][0] is schema:
        return known[key][1]
    found = _suggest_once(schema, parts, budget, shapes, known)
    known[key] = (schema, found)
    return found


def _suggest_once(
    schema: Any,
    parts: list[str],
    budget: int,
    shapes: Shapes,
    known: dict[tuple[int, int, int], tuple[Any, list[str] | None]],
) -> list[str] | None:
    if not parts:
        return []
    if budget <= 0:
        return None
    head, rest = parts[0], parts[1:]
    for alternative in alternatives(schema, shapes):
        if is_open(alternative):
            return parts
        allowed = kinds(alternative) or frozenset()
        if "array" in allowed:
            items = alternative.get("items", {})
            if head == "#" or head.isdigit():
                found = _suggest(items, rest, budget - 1, shapes, known)
                if found is not None:
                    return [head, *found]
            else:
                found = _suggest(items, parts, budget - 1, shapes, known)
                if found is not None:
                    return ["#", *found]
        if "object" in allowed:
            declared = declared_keys(alternative)
            key: str | None = head
            sub = declared.get(head)
            if sub is None:
                sub = other_keys_schema(alternative, closed_when_declared=True)
            if sub is None:
                key = closest_key(head, list(declared))
                sub = declared.get(key) if key is not None else None
            if key is not None and sub is not None:
                found = _suggest(sub, rest, budget - 1, shapes, known)
                if found is not None:
                    return [key, *found]
    return None
