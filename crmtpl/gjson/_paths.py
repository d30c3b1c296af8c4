"""Splitting gjson paths into components, exactly where gjson splits them.

gjson reads a path one component at a time while it walks the document: the component for
an object step (``parse_object_path``), for an array step (``parse_array_path``, which also
recognises ``#``, ``#.`` and queries ``#(...)``), a query's inside (``parse_query``), a
multipath's members (``parse_sub_selectors``) and the place where a ``|`` takes over
(``split_possible_pipe``). The parsers are pure functions of the path text and cached, since a
path like ``data.#.id`` is re-read for each of the 500 records of a response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crmtpl.gjson._gonum import parse_uint, wrap_int64
from crmtpl.gjson._scan import squash_end, trim, unescape

MODIFIER_NAMES = frozenset(
    (
        "pretty",
        "ugly",
        "reverse",
        "this",
        "flatten",
        "join",
        "valid",
        "keys",
        "values",
        "tostr",
        "fromstr",
        "group",
    )
)

_OBJECT_STOP = re.compile(r"[|.*?\\]")
_MODIFIER_NAME_END = re.compile(r"[.|:]")


def is_dot_piper(rest: str) -> bool:
    """After a ``.``: does ``rest`` start a modifier, ``[`` or ``{``, which act like ``|``?"""
    first = rest[0]
    if first == "@":
        found = _MODIFIER_NAME_END.search(rest, 1)
        name = rest[1 : found.start()] if found else rest[1:]
        return name in MODIFIER_NAMES
    return first in "[{"


@dataclass(frozen=True, slots=True)
class ObjectStep:
    """One object component: the key pattern and what follows it."""

    part: str
    path: str = ""
    pipe: str = ""
    piped: bool = False
    wild: bool = False
    more: bool = False


def _after_dot(part: str, path: str, i: int, wild: bool) -> ObjectStep:
    if i < len(path) - 1 and is_dot_piper(path[i + 1 :]):
        return ObjectStep(part, pipe=path[i + 1 :], piped=True, wild=wild)
    return ObjectStep(part, path=path[i + 1 :], more=True, wild=wild)


@lru_cache(maxsize=4096)
def parse_object_path(path: str) -> ObjectStep:
    """parseObjectPath: the first key of ``path``, with ``\\`` escapes removed."""
    found = _OBJECT_STOP.search(path)
    wild = False
    while found is not None:
        i = found.start()
        ch = path[i]
        if ch == "|":
            return ObjectStep(path[:i], pipe=path[i + 1 :], piped=True, wild=wild)
        if ch == ".":
            return _after_dot(path[:i], path, i, wild)
        if ch == "\\":
            return _parse_escaped_key(path, i, wild)
        wild = True
        found = _OBJECT_STOP.search(path, i + 1)
    return ObjectStep(path, wild=wild)


def _parse_escaped_key(path: str, i: int, wild: bool) -> ObjectStep:
    part = [path[:i]]
    i += 1
    n = len(path)
    if i < n:
        part.append(path[i])
        i += 1
        while i < n:
            ch = path[i]
            if ch == "\\":
                i += 1
                if i < n:
                    part.append(path[i])
                i += 1
                continue
            if ch == ".":
                return _after_dot("".join(part), path, i, wild)
            if ch == "|":
                return ObjectStep("".join(part), pipe=path[i + 1 :], piped=True, wild=wild)
            if ch in "*?":
                wild = True
            part.append(ch)
            i += 1
    return ObjectStep("".join(part), wild=wild)


@dataclass(frozen=True, slots=True)
class Query:
    """A ``#(...)`` query: the path inside, the operator and the comparison value."""

    path: str
    op: str
    value: str
    all: bool


@dataclass(frozen=True, slots=True)
class ArrayStep:
    """One array component: an index, ``#``, ``#.rest`` or a query, and what follows it."""

    part: str
    path: str = ""
    pipe: str = ""
    piped: bool = False
    more: bool = False
    arrch: bool = False
    alogok: bool = False
    alogkey: str = ""
    query: Query | None = None
    index: int = -1


@dataclass(frozen=True, slots=True)
class _QueryParts:
    path: str
    op: str
    value: str
    end: int
    vesc: bool


def parse_query(query: str) -> _QueryParts | None:
    """parseQuery: split ``#(path op value)rest``; None when the brackets never close."""
    if len(query) < 2 or query[0] != "#" or query[1] not in "([":
        return None
    i = 2
    n = len(query)
    j = 0
    depth = 1
    vesc = False
    while i < n:
        ch = query[i]
        if depth == 1 and j == 0 and ch in "!=<>%":
            j = i
            i += 1
            continue
        if ch == "\\":
            i += 1
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0:
                break
        elif ch == '"':
            i += 1
            while i < n:
                if query[i] == "\\":
                    vesc = True
                    i += 1
                elif query[i] == '"':
                    break
                i += 1
        i += 1
    if depth > 0:
        return None
    if j == 0:
        return _QueryParts(trim(query[2:i]), "", "", i + 1, vesc)
    path = trim(query[2:j])
    value = trim(query[j:i])
    size = 0
    if len(value) == 1:
        size = 1
    elif value[:2] in ("!=", "!%", "<=", ">="):
        size = 2
    elif value[:2] == "==":
        value = value[1:]
        size = 1
    elif value[0] in "<>=%":
        size = 1
    return _QueryParts(path, value[:size], trim(value[size:]), i + 1, vesc)


@lru_cache(maxsize=4096)
def parse_array_path(path: str) -> ArrayStep:
    """parseArrayPath: the first array component of ``path``."""
    arrch = False
    alogok = False
    alogkey = ""
    query: Query | None = None
    i = 0
    n = len(path)
    while i < n:
        ch = path[i]
        if ch == "|":
            return ArrayStep(
                path[:i], pipe=path[i + 1 :], piped=True, arrch=arrch, alogok=alogok,
                alogkey=alogkey, query=query, index=_index_of(path[:i], arrch),
            )  # fmt: skip
        if ch == ".":
            part = path[:i]
            if not arrch and i < n - 1 and is_dot_piper(path[i + 1 :]):
                return ArrayStep(part, pipe=path[i + 1 :], piped=True, index=_index_of(part, arrch))
            return ArrayStep(
                part, path=path[i + 1 :], more=True, arrch=arrch, alogok=alogok,
                alogkey=alogkey, query=query, index=_index_of(part, arrch),
            )  # fmt: skip
        if ch == "#":
            arrch = True
            if i == 0 and n > 1:
                if path[1] == ".":
                    alogok = True
                    alogkey = path[2:]
                elif path[1] in "[(":
                    parts = parse_query(path)
                    if parts is None:
                        # A query that never closes: gjson keeps "query on" with nothing in it.
                        query = Query("", "", "", False)
                        break
                    value = parts.value
                    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
                        value = value[1:-1]
                        if parts.vesc:
                            value = unescape(value)
                    i = parts.end - 1
                    query = Query(parts.path, parts.op, value, i + 1 < n and path[i + 1] == "#")
        i += 1
    return ArrayStep(
        path, arrch=arrch, alogok=alogok, alogkey=alogkey, query=query,
        index=_index_of(path, arrch),
    )  # fmt: skip


def _index_of(part: str, arrch: bool) -> int:
    if arrch:
        return -1
    number, ok = parse_uint(part)
    return wrap_int64(number) if ok else -1


def split_possible_pipe(path: str) -> tuple[str, str] | None:
    """splitPossiblePipe: split ``left|right`` at the first ``|`` outside queries, or None."""
    if "|" not in path:
        return None
    if path[0] == "{":
        # squash(path[1:]) treats path[1] as the opener (or a string when it is a quote).
        end = _squash_from(path, 1)
        if end < len(path):
            squashed = path[:end]
            remain = path[end:]
            if remain[0] == "|":
                return squashed, remain[1:]
        return None
    i = 0
    n = len(path)
    while i < n:
        ch = path[i]
        if ch == "\\":
            i += 1
        elif ch == ".":
            if i == n - 1:
                return None
            if path[i + 1] == "#":
                i += 2
                if i == n:
                    return None
                if path[i] in "[(":
                    close = "]" if path[i] == "[" else ")"
                    opener = path[i]
                    i += 1
                    depth = 1
                    while i < n:
                        c = path[i]
                        if c == "\\":
                            i += 1
                        elif c == opener:
                            depth += 1
                        elif c == close:
                            depth -= 1
                            if depth == 0:
                                break
                        elif c == '"':
                            i += 1
                            while i < n:
                                if path[i] == "\\":
                                    i += 1
                                elif path[i] == '"':
                                    break
                                i += 1
                        i += 1
        elif ch == "|":
            return path[:i], path[i + 1 :]
        i += 1
    return None


def _squash_from(text: str, i: int) -> int:
    """End position of gjson's squash(text[i:]) inside ``text``."""
    if i >= len(text):
        return i
    return squash_end(text, i, len(text))


@dataclass(frozen=True, slots=True)
class SubSelector:
    """One member of a ``[a,b]`` or ``{name:a,b}`` multipath."""

    name: str
    path: str


def parse_sub_selectors(path: str) -> tuple[list[SubSelector], str, bool]:
    """parseSubSelectors: the members of the multipath opening ``path`` and the rest after it.

    On an unterminated multipath gjson returns an empty rest and ``ok`` false.
    """
    sels: list[SubSelector] = []
    modifier = 0
    depth = 1
    colon = 0
    start = 1
    i = 1
    n = len(path)

    def push() -> None:
        nonlocal colon, modifier, start
        if colon == 0:
            sels.append(SubSelector("", path[start:i]))
        else:
            sels.append(SubSelector(path[start:colon], path[colon + 1 : i]))
        colon = 0
        modifier = 0
        start = i + 1

    while i < n:
        ch = path[i]
        if ch == "\\":
            i += 1
        elif ch == "@":
            if modifier == 0 and i > 0 and path[i - 1] in ".|":
                modifier = i
        elif ch == ":":
            if modifier == 0 and colon == 0 and depth == 1:
                colon = i
        elif ch == ",":
            if depth == 1:
                push()
        elif ch == '"':
            i += 1
            while i < n:
                if path[i] == "\\":
                    i += 1
                elif path[i] == '"':
                    break
                i += 1
        elif ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
            if depth == 0:
                push()
                return sels, path[i + 1 :], True
        i += 1
    return sels, "", False


def name_of_last(path: str) -> str:
    """nameOfLast: the last component, after the last unescaped ``.`` or ``|``."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] in "|." and not (i > 0 and path[i - 1] == "\\"):
            return path[i + 1 :]
    return path


_NOT_SIMPLE = re.compile(r"[\x00-\x1f\[\]{}()#|!]")


def is_simple_name(component: str) -> bool:
    """isSimpleName: no control characters and none of ``[]{}()#|!``."""
    return _NOT_SIMPLE.search(component) is None
