"""``check_path``: find what in a gjson path can only be a mistake.

gjson never rejects a path: a malformed one quietly finds nothing, or something odd. A
linter should say why, but only where no reading of the path makes sense, because almost
anything else can be a key (``@type``, ``!x``, ``a b`` and even ``""`` are legal JSON keys).
The checks, each reported with the character offset and length of the offending text:

``unterminated-query``
    A ``#(`` or ``#[`` query whose brackets never close. gjson then keeps an empty query
    that matches the first scalar element, whatever the query said.
``unterminated-quote``
    A ``"`` that is never closed: in a query value (``#(name=="Dale)``), a multipath name,
    a modifier argument or a ``!"...`` literal.
``unterminated-bracket``
    A multipath ``[a,b`` or ``{a,b``, a modifier argument ``@pretty:{...`` or a literal
    ``!{...`` whose brackets never close. An open multipath makes gjson drop the whole path.
``unknown-modifier``
    ``@name`` that is not one of gjson 1.14.4's modifiers although it must be meant as one:
    a known name in other letter case (``@Reverse``), a modifier of later gjson versions
    (``@dig``), a near miss of four letters or more (``@revers``, edit distance 1, except
    JSON-LD's own keywords such as ``@value``), or an unknown name given arguments
    (``@name:...``). Other ``@`` keys are legal JSON keys and are not flagged.
``trailing-escape``
    A path ending in an unpaired ``\\``: it escapes nothing and gjson drops it.
``empty-segment``
    An empty component: ``a..b``, a leading or trailing ``.`` or ``|``, ``a||b``, an
    empty multipath member (``[a,,b]``, ``[]``). gjson looks for a key named ``""`` there.
    A leading ``..`` is JSON Lines and is not flagged.
``operator-without-value``
    A query operator with nothing to compare with (``#(age>)``, ``#(name==)``,
    ``#(ok==~)``), or ``!`` alone, which is no operator. Compare with ``""`` explicitly.
``literal-case``
    ``!True``, ``!FALSE``, ``!Null``: gjson recognises the word but parses it case-sensitively,
    so the literal yields nothing (or, for ``!NULL``, the number 0).

Everything gjson evaluates meaningfully is left alone: escaped separators (``fav\\.movie``),
``#``, ``#.``, ``#.#``, queries with any operator and ``~`` forms, nested queries, ``..``
JSON Lines, known modifiers with or without arguments, multipaths with names, ``!`` literals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmtpl.gjson._paths import MODIFIER_NAMES, parse_query
from crmtpl.gjson._scan import container_end, string_end


@dataclass(frozen=True, slots=True)
class PathProblem:
    """One mistake in a gjson path: a message and where it is (character offsets)."""

    message: str
    offset: int
    length: int
    #: The check that found it (``unterminated-query``, ``empty-segment``, ...).
    code: str = ""


_LATER_MODIFIERS = frozenset(("dig",))
# JSON-LD keywords: "@value" and friends are common keys, not typos of modifiers.
_JSON_LD_KEYWORDS = frozenset(
    (
        "base",
        "container",
        "context",
        "direction",
        "graph",
        "id",
        "import",
        "included",
        "index",
        "json",
        "language",
        "list",
        "nest",
        "none",
        "prefix",
        "propagate",
        "protected",
        "reverse",
        "set",
        "type",
        "value",
        "version",
        "vocab",
    )
)
_LITERAL_WORDS = ("true", "false", "null")
_MODIFIER_END = re.compile(r"[:|.]")
_COMPONENT_END = re.compile(r"[\\.|]")


def check_path(path: str) -> list[PathProblem]:
    """Problems in ``path`` that can only be mistakes, in order of position."""
    checker = _Checker()
    checker.path(path, 0)
    if _ends_with_unpaired_escape(path):
        checker.add("trailing-escape", "the path ends with a lone \\ that escapes nothing",
                    len(path) - 1, 1)  # fmt: skip
    unique = {(p.offset, p.code): p for p in checker.problems}
    return sorted(unique.values(), key=lambda p: (p.offset, p.code))


def _ends_with_unpaired_escape(path: str) -> bool:
    return (len(path) - len(path.rstrip("\\"))) % 2 == 1


def _edit_distance_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


class _Checker:
    """Walks a path the way gjson reads it, without a document."""

    def __init__(self) -> None:
        self.problems: list[PathProblem] = []

    def add(self, code: str, message: str, offset: int, length: int) -> None:
        self.problems.append(PathProblem(message, offset, max(length, 1), code))

    # A path as gjson.Get reads it: modifier, literal, multipath or components.
    def path(self, path: str, base: int) -> None:
        if len(path) > 1 and path[0] == "@":
            consumed = self.modifier(path, base)
            if consumed is not None:
                self.after_value(path[consumed:], base + consumed)
                return
        if len(path) > 1 and path[0] == "!":
            consumed = self.literal(path, base)
            if consumed is not None:
                self.after_value(path[consumed:], base + consumed)
                return
        if len(path) > 1 and path[0] in "[{":
            consumed = self.multipath(path, base)
            if consumed is None:
                return
            self.after_value(path[consumed:], base + consumed)
            return
        if path.startswith(".."):
            self.components(path[2:], base + 2)
            return
        self.components(path, base)

    def after_value(self, rest: str, base: int) -> None:
        """What follows a modifier, literal or multipath: nothing, or ``.``/``|`` and a path."""
        if not rest:
            return
        if rest[0] in ".|":
            if len(rest) == 1:
                self.add("empty-segment", f"nothing follows the final {rest[0]!r}", base, 1)
                return
            self.path(rest[1:], base + 1)

    def modifier(self, path: str, base: int) -> int | None:
        """Check ``@name[:args]``; the length read, or None when it reads as a key."""
        found = _MODIFIER_END.search(path, 1)
        end = found.start() if found else len(path)
        name = path[1:end]
        has_args = found is not None and path[end] == ":" and end + 1 < len(path)
        if name not in MODIFIER_NAMES:
            self.unknown_modifier(name, base, has_args)
            return None
        if not has_args:
            return end + 1 if found is not None and path[end] == ":" else end
        start = end + 1
        first = path[start]
        if first in '{["':
            size = self.group_or_string(path, start, base, "modifier argument")
            return start + size
        bar = path.find("|", start)
        return len(path) if bar < 0 else bar

    def unknown_modifier(self, name: str, base: int, has_args: bool) -> None:
        message = ""
        lowered = name.lower()
        if lowered in MODIFIER_NAMES:
            message = f"modifiers are case-sensitive: write @{lowered}"
        elif name in _LATER_MODIFIERS:
            message = f"@{name} needs a newer gjson than the PBX's 1.14.4"
        elif len(name) >= 4 and lowered not in _JSON_LD_KEYWORDS:
            near = sorted(m for m in MODIFIER_NAMES if _edit_distance_one(lowered, m))
            if near:
                message = f"unknown modifier @{name} (did you mean @{near[0]}?)"
        if not message and has_args:
            message = f"unknown modifier @{name} given arguments"
        if message:
            self.add("unknown-modifier", message, base, len(name) + 1)

    def literal(self, path: str, base: int) -> int | None:
        """Check a ``!`` literal; the length read, or None when it reads as a key."""
        name = path[1:]
        first = name[0]
        if first in '{["':
            if first == '"':
                if string_end(name, 1, len(name)) < 0:
                    self.add("unterminated-quote", "the string literal is never closed",
                             base + 1, len(name))  # fmt: skip
                return len(path)
            return 1 + self.group_or_string(name, 0, base + 1, "literal")
        if first in "+-0123456789":
            return len(path)
        found = re.search(r"[.|]", path[1:])
        word = name[: found.start()] if found else name
        if word.lower() in _LITERAL_WORDS and word not in _LITERAL_WORDS:
            self.add("literal-case", f"literals are lower-case: write !{word.lower()}",
                     base, len(word) + 1)  # fmt: skip
            return 1 + len(word)
        if word.lower() in (*_LITERAL_WORDS, "nan", "inf"):
            return 1 + len(word)
        return None

    def group_or_string(self, text: str, start: int, base: int, what: str) -> int:
        """Check the JSON group or string at ``text[start]``; its length."""
        n = len(text)
        if text[start] == '"':
            end = string_end(text, start + 1, n)
            if end < 0:
                self.add("unterminated-quote", f"the {what} string is never closed",
                         base + start, n - start)  # fmt: skip
                return n - start
            return end - start
        end = container_end(text, start, n)
        # A group that closes at the very end of the text also gives n: look one further.
        closed = container_end(text + " ", start, n + 1) <= n
        if end > n:
            self.add("unterminated-quote", f"a string in the {what} is never closed",
                     base + start, n - start)  # fmt: skip
            return n - start
        if not closed:
            self.add("unterminated-bracket", f"the {what} {text[start]} is never closed",
                     base + start, n - start)  # fmt: skip
            return n - start
        return end - start

    def multipath(self, path: str, base: int) -> int | None:
        """Check ``[a,b]`` / ``{name:a,b}``; the length read, or None when unterminated."""
        members, end, quote_open = _split_members(path)
        if end is None:
            if quote_open is not None:
                self.add("unterminated-quote", "a quote in the multipath is never closed",
                         base + quote_open, len(path) - quote_open)  # fmt: skip
            else:
                self.add("unterminated-bracket", f"the multipath {path[0]} is never closed",
                         base, len(path))  # fmt: skip
            return None
        for start, stop in members:
            member = path[start:stop]
            colon = _name_colon(member) if path[0] == "{" else -1
            if colon >= 0:
                name = member[:colon]
                if name.startswith('"') and string_end(name, 1, len(name)) != len(name):
                    self.add("unterminated-quote", "the member name's quote is not closed",
                             base + start, len(name))  # fmt: skip
                start += colon + 1
                member = member[colon + 1 :]
            if not member.strip():
                self.add("empty-segment", "empty multipath member", base + start, 1)
                continue
            self.path(member, base + start)
        return end

    def components(self, path: str, base: int) -> None:
        """Check a chain of keys, indexes and queries separated by ``.`` or ``|``."""
        i = 0
        n = len(path)
        while True:
            if i < n and path[i] == "#" and i + 1 < n and path[i + 1] in "([":
                end = self.query(path, i, base)
                if end is None:
                    return
                i = end
                if i < n and path[i] == "#":
                    i += 1
                stop = _next_separator(path, i)
                if stop < 0:
                    return
                i = stop
            else:
                stop = _next_separator(path, i)
                component = path[i : stop if stop >= 0 else n]
                if component == "" and not (i == 0 and n == 0):
                    where = "leading" if i == 0 else "trailing" if stop < 0 else "empty"
                    self.add("empty-segment", f"{where} separator leaves an empty key",
                             base + max(i - 1, 0), 1)  # fmt: skip
                elif component.startswith("@") and len(component) > 1:
                    name = _MODIFIER_END.split(component[1:], maxsplit=1)[0]
                    if name not in MODIFIER_NAMES:
                        self.unknown_modifier(name, base + i, ":" in component)
                if stop < 0:
                    return
                i = stop
            # path[i] is a separator.
            rest = path[i + 1 :]
            if path[i] == "|" or (rest and (rest[0] in "[{" or _starts_modifier(rest))):
                if not rest:
                    self.add("empty-segment", "nothing follows the final '|'", base + i, 1)
                    return
                if path[i] == "." and rest[0] == ".":
                    self.add("empty-segment", "'..' leaves an empty key", base + i, 2)
                self.path(rest, base + i + 1)
                return
            i += 1
            if i == n:
                self.add("empty-segment", "nothing follows the final '.'", base + i - 1, 1)
                return

    def query(self, path: str, i: int, base: int) -> int | None:
        """Check the query at ``path[i]``; the index after it, or None if unterminated."""
        parts = parse_query(path[i:])
        if parts is None:
            quote = _open_quote(path, i + 2)
            if quote is not None:
                self.add("unterminated-quote", "a quote in the query is never closed",
                         base + quote, len(path) - quote)  # fmt: skip
            else:
                closer = ")" if path[i + 1] == "(" else "]"
                self.add("unterminated-query", f"the query {path[i : i + 2]} has no {closer}",
                         base + i, len(path) - i)  # fmt: skip
            return None
        end = i + parts.end
        body = path[i + 2 : end - 1]
        if parts.path:
            offset = body.find(parts.path)
            self.path(parts.path, base + i + 2 + max(offset, 0))
        if parts.op == "!":
            message = "! alone is no operator (use != or !%)"
        elif parts.op and parts.value in ("", "~"):
            op = parts.op + parts.value
            message = f'the operator {op} has no value (write "" to compare with an empty string)'
        else:
            return end
        self.add("operator-without-value", message, base + i + 2, len(body))
        return end


def _starts_modifier(rest: str) -> bool:
    if not rest.startswith("@"):
        return False
    name = _MODIFIER_END.split(rest[1:], maxsplit=1)[0]
    return name in MODIFIER_NAMES


def _next_separator(path: str, i: int) -> int:
    """Index of the next unescaped ``.`` or ``|`` from ``i``, or -1."""
    while True:
        found = _COMPONENT_END.search(path, i)
        if found is None:
            return -1
        j = found.start()
        if path[j] == "\\":
            i = j + 2
            continue
        return j


def _open_quote(path: str, i: int) -> int | None:
    """Where a quote opens that is never closed, scanning as parseQuery does."""
    n = len(path)
    while i < n:
        ch = path[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            start = i
            i += 1
            while i < n and path[i] != '"':
                i += 2 if path[i] == "\\" else 1
            if i >= n:
                return start
        i += 1
    return None


def _split_members(path: str) -> tuple[list[tuple[int, int]], int | None, int | None]:
    """Member spans of a multipath, the end after its closer (None if open), an open quote."""
    members: list[tuple[int, int]] = []
    depth = 1
    start = 1
    i = 1
    n = len(path)
    while i < n:
        ch = path[i]
        if ch == "\\":
            i += 1
        elif ch == ",":
            if depth == 1:
                members.append((start, i))
                start = i + 1
        elif ch == '"':
            quote = i
            i += 1
            while i < n and path[i] != '"':
                i += 2 if path[i] == "\\" else 1
            if i >= n:
                return members, None, quote
        elif ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
            if depth == 0:
                members.append((start, i))
                return members, i + 1, None
        i += 1
    return members, None, None


def _name_colon(member: str) -> int:
    """Index of the ``name:`` colon of an object multipath member, or -1."""
    i = 0
    n = len(member)
    depth = 0
    while i < n:
        ch = member[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "@" and i > 0 and member[i - 1] in ".|":
            return -1
        if ch == '"':
            i += 1
            while i < n and member[i] != '"':
                i += 2 if member[i] == "\\" else 1
        elif ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif ch == ":" and depth == 0:
            return i
        i += 1
    return -1
