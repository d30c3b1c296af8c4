"""Where a GJSON path stops matching a JSON answer, the keys there, and the closest path.

One helper for everything that judges an output path against a real answer: ``crmtpl run``
(CT950), ``crmtpl validate --responses`` (CT708), ``crmtpl extract`` and ``crmtpl gjson``.

A path such as ``data.#.firstname`` is valid GJSON; only the answer shows that the key is
``first_name``. :func:`explain_miss` walks the answer along the path and says where it
stopped, which keys the answer has there and the closest path that does match
(:func:`closest_path`).

An answer with fewer results (an empty array, an index past the end) is not a miss for
:func:`explain_miss`: the search simply found nothing. A key that is simply absent, with
nothing like it at that level, may be an empty field this record lacks (many CRMs leave those
out), so only an *evident* miss (:attr:`PathMiss.evident`) is a template mistake. Paths this
walk cannot follow exactly (wildcards, queries, modifiers, multipaths) are not judged.
:func:`explain_no_value` always explains a path that gives no value, fewer results and
unjudged paths included, for commands that show one path's outcome (``gjson``, ``extract``).

Depends on nothing but :mod:`crmtpl.controlchars` and the standard library: the walk
reads the decoded answer, so lint, run and the CLI can all share it.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from crmtpl.controlchars import make_visible
from crmtpl.gjson.escape import escape

#: Characters that make a path something other than plain keys, indexes and ``#``.
_UNJUDGED = re.compile(r"[*?|@!{}\[\]()=<>%]")
#: At most this many keys are listed in a finding.
MAX_KEYS_SHOWN = 20


@dataclass(frozen=True)
class PathMiss:
    """Where a path stopped matching an answer, and what the answer has there."""

    path: str
    #: The part of the path that matched ('' when the very first key is missing).
    matched: str
    #: The keys of the object where the path stopped (empty for a scalar or for a key
    #: asked of an array); for an index past the end of an array, its indexes and ``#``.
    keys: tuple[str, ...]
    #: What was found where a key was expected: "object", "array", "string"...
    found: str
    #: The closest path that matches the answer, or None.
    closest: str | None
    #: A key at the stop spelt like the one asked for (``first_name`` for ``firstname``).
    near_key: str | None = None

    @property
    def stopped_at(self) -> str:
        """The part of the path that matched (the same as :attr:`matched`)."""
        return self.matched

    @property
    def evident(self) -> bool:
        """True when the answer shows a mistake, not just a value this record lacks: a key
        spelt like the one asked for is there, or the path meets an array or a plain value where
        it asks for a key. A key simply absent (CRMs leave out empty fields) is not, and
        neither is a null where an object was expected (an optional relation left empty,
        such as a contact without an account)."""
        return self.near_key is not None or self.found not in ("object", "null")

    def describe_keys(self) -> str:
        """The keys at the place where the path stopped, for a message."""
        shown = [make_visible(k, one_line=True) for k in self.keys[:MAX_KEYS_SHOWN]]
        more = len(self.keys) - len(shown)
        return ", ".join(shown) + (f" (and {more} more)" if more > 0 else "")

    def describe(self) -> str:
        """One sentence for people: ``X matches nothing; at data.0 the keys are: ...``."""
        level = self.matched or "the top level"
        if self.keys or self.found in ("object", ""):
            there = f"the keys are: {self.describe_keys() or '(none)'}"
        else:
            there = f"the answer has {'an' if self.found[0] in 'aeiou' else 'a'} {self.found}"
        text = f"{self.path} matches nothing; at {level} {there}"
        if self.closest:
            text += f"; closest path: {self.closest}"
        return text


def split_path(path: str) -> list[str] | None:
    """The components of a plain GJSON path (``\\.`` escapes a dot), or None when the
    path uses wildcards, queries, modifiers or other syntax this walk does not follow."""
    if not path or path.startswith(".") or _UNJUDGED.search(path.replace("\\", "")):
        return None
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in path:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ".":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    if any(part == "" for part in parts) or "#" in "".join(p for p in parts if p != "#"):
        return None
    return parts


def join_path(parts: list[str]) -> str:
    """A GJSON path from components: ``#`` stays the array operator, every key is escaped
    as gjson's ``Escape`` does (so a suggested path is one gjson reads as meant)."""
    return ".".join(part if part == "#" else escape(part) for part in parts)


def kind_of(value: Any) -> str:
    """The JSON type of a decoded value: object, array, null, boolean, number or string."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "string"


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _last_word(name: str) -> str:
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    return words[-1].lower() if words else name.lower()


def closest_key(wanted: str, keys: list[str], *, last_word: bool = True) -> str | None:
    """The key meant by ``wanted``: equal but for case, ``_`` and ``-``; else the closest
    spelling (difflib); else (with ``last_word``) the key that is the last word of
    ``wanted`` (``id`` for ``ticket_id`` or ``ticketId``); or None."""
    for key in keys:
        if _normal(key) == _normal(wanted):
            return key
    matches = difflib.get_close_matches(wanted, keys, n=1, cutoff=0.75)
    if matches:
        return matches[0]
    if not last_word:
        return None
    last = _last_word(wanted)
    return next((key for key in keys if key.lower() == last and last != wanted.lower()), None)


def _suggest(value: Any, parts: list[str]) -> list[str] | None:
    """Components of the closest path that matches ``value``, or None."""
    if not parts:
        return []
    head, rest = parts[0], parts[1:]
    if isinstance(value, list):
        if head == "#" or not head.isdigit():
            tail = rest if head == "#" else parts  # a key on an array: every element
            if not value:
                return ["#", *tail]
            for element in value:
                found = _suggest(element, tail)
                if found is not None:
                    return ["#", *found]
            return None
        index = int(head)
        if index >= len(value):
            return parts
        found = _suggest(value[index], rest)
        return None if found is None else [head, *found]
    if isinstance(value, dict):
        key = head if head in value else closest_key(head, list(value))
        if key is None:
            return None
        found = _suggest(value[key], rest)
        return None if found is None else [key, *found]
    return None


def _walk(value: Any, parts: list[str], done: list[str]) -> tuple[list[str], Any] | None:
    """Follow ``parts``; None when something matched or the answer simply has fewer
    results, else the matched components and the value where the path stopped."""
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    if isinstance(value, list):
        if head == "#":
            if not rest or not value:
                return None
            stops = [_walk(element, rest, [*done, "#"]) for element in value]
            if any(stop is None for stop in stops):
                return None
            return stops[0]
        if head.isdigit():
            index = int(head)
            return None if index >= len(value) else _walk(value[index], rest, [*done, head])
        return done, value
    if isinstance(value, dict) and head in value:
        return _walk(value[head], rest, [*done, head])
    return done, value


def _decode(document: str) -> tuple[bool, Any]:
    try:
        return True, json.loads(document)
    except (ValueError, RecursionError):
        return False, None


def explain_miss(document: str, path: str) -> PathMiss | None:
    """How ``path`` fails to match the JSON ``document``, or None when it matches, when
    the answer only has fewer results, or when the path or answer cannot be judged."""
    parts = split_path(path)
    if parts is None:
        return None
    readable, value = _decode(document)
    if not readable or value in ({}, [], None):
        return None  # an empty or unreadable answer: nothing to judge against
    try:
        stop = _walk(value, parts, [])
        if stop is None:
            return None
        suggestion = _suggest(value, parts)
    except RecursionError:
        return None
    matched, where = stop
    keys = tuple(str(k) for k in where) if isinstance(where, dict) else ()
    closest = None if suggestion is None else join_path(suggestion)
    near = closest_key(parts[len(matched)], list(keys), last_word=False) if keys else None
    return PathMiss(path, join_path(matched), keys, kind_of(where), closest, near)


def closest_path(document: str, path: str) -> str | None:
    """The path closest to ``path`` that matches the JSON ``document``, or None when
    ``path`` matches (or cannot be judged) or nothing close matches."""
    miss = explain_miss(document, path)
    return None if miss is None else miss.closest


def _deepest(value: Any, parts: list[str]) -> tuple[list[str], Any]:
    """Follow ``parts`` as far as the answer goes (``#`` into the first element)."""
    done: list[str] = []
    for head in parts:
        if isinstance(value, list):
            index = 0 if head == "#" else int(head) if head.isdigit() else -1
            if not 0 <= index < len(value):
                break
            value = value[index]
        elif isinstance(value, dict) and head in value:
            value = value[head]
        else:
            break
        done.append(head)
    return done, value


def _level_keys(value: Any) -> tuple[str, ...]:
    if isinstance(value, dict):
        return tuple(str(k) for k in value)
    if isinstance(value, list):
        return (*(str(n) for n in range(len(value))), "#")
    return ()


def explain_no_value(document: str, path: str) -> PathMiss:
    """Why ``path`` gives no value in ``document``, whatever the reason: a miss as
    :func:`explain_miss` sees it, else where the answer runs out (an index past the end,
    an empty array: its indexes and ``#`` as keys), else (a path the walk cannot follow)
    the keys at the top level."""
    miss = explain_miss(document, path)
    if miss is not None:
        return miss
    parts = split_path(path)
    readable, value = _decode(document)
    if not readable:
        return PathMiss(path, "", (), "", None)
    if parts is None:
        keys = tuple(str(k) for k in value) if isinstance(value, dict) else ()
        return PathMiss(path, "", keys, kind_of(value), None)
    try:
        matched, where = _deepest(value, parts)
    except RecursionError:
        return PathMiss(path, "", (), kind_of(value), None)
    return PathMiss(path, join_path(matched), _level_keys(where), kind_of(where), None)
