"""The gjson path evaluator: ``get`` walks raw JSON text along a path, as ``gjson.Get`` does.

The walk is gjson's: at an object, each key is read and compared with the path's first
component, values that do not match are jumped over without being parsed; at an array,
elements are counted for an index, gathered for ``#.rest``, or tested for a query. A
``|`` (or a ``.`` before a modifier or multipath) defers the rest of the path to the value
found so far. Modifiers, ``!`` literals and multipaths are handled before the walk.

Everything works on a view ``text[lo:hi]`` of a ``Buf``; results remember where their raw
text lies so that ``Index`` can be filled in the way Go fills it (by pointer difference).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from crmtpl.gjson import _fast as fast
from crmtpl.gjson._fast import ValidArray
from crmtpl.gjson._gonum import parse_float
from crmtpl.gjson._match import match_limit
from crmtpl.gjson._modifiers import MODIFIERS
from crmtpl.gjson._paths import (
    ArrayStep,
    ObjectStep,
    is_simple_name,
    name_of_last,
    parse_array_path,
    parse_object_path,
    parse_sub_selectors,
    split_possible_pipe,
)
from crmtpl.gjson._result import (
    FALSE,
    JSON,
    NULL,
    NUMBER,
    STRING,
    TRUE,
    Result,
    container_value,
    is_number_like,
    literal_value,
    number_value,
    parse,
    parse_any,
    string_value,
)
from crmtpl.gjson._scan import (
    ARRAY_ITEM_START,
    KEY_OR_CLOSE,
    VALUE_START,
    Buf,
    Element,
    Member,
    container_end,
    literal_end,
    number_end,
    squash_end,
    string_end,
    unescape,
)
from crmtpl.gjson._valid import quote, valid

_FIRST_CONTAINER = re.compile(r"[{\[]")
_MODIFIER_END = re.compile(r"[:|.]")
_STATIC_END = re.compile(r"[|.]")
_ALOG_SPACE = re.compile(r"[ \t\r\n]*")
_STATIC_WORDS = frozenset(("true", "false", "null", "nan", "inf"))


class _Context:
    """gjson's parseContext: the document view, the value found, a pending pipe."""

    __slots__ = ("buf", "calcd", "hi", "lo", "pipe", "piped", "text", "value")

    def __init__(self, buf: Buf, lo: int, hi: int) -> None:
        self.buf = buf
        self.text = buf.text
        self.lo = lo
        self.hi = hi
        self.value = Result()
        self.pipe = ""
        self.piped = False
        self.calcd = False


_last_buf = Buf("")


def buf_for(json_text: str) -> Buf:
    """The Buf for a document, reused while the same string object comes back.

    A template evaluates all its output paths against one response: the second and later
    paths then find the document's structure already measured.
    """
    global _last_buf
    buf = _last_buf
    if buf.text is not json_text:
        buf = _last_buf = Buf(json_text)
    return buf


def get_text(json_text: str, path: str) -> Result:
    """``gjson.Get(json_text, path)``."""
    return get(buf_for(json_text), 0, len(json_text), path)


def sub_get(owner: Result, path: str) -> Result:
    """``Result.Get``: ``Get(owner.Raw, path)`` with indexes shifted by ``owner.Index``."""
    buf, lo, hi = owner.view()
    res = get(buf, lo, hi, path)
    if res.indexes is not None:
        res.indexes = [index + owner.index for index in res.indexes]
    else:
        res.index += owner.index
    return res


def get(buf: Buf, lo: int, hi: int, path: str) -> Result:
    """``gjson.Get`` on the view ``buf.text[lo:hi]``."""
    if len(path) > 1:
        first = path[0]
        if first == "@" or first == "!":
            step = _modifier(buf, lo, hi, path) if first == "@" else _static(path)
            if step is not None:
                rest, (rbuf, rlo, rhi) = step
                if rest and rest[0] in "|.":
                    res = get(rbuf, rlo, rhi, rest[1:])
                    res.index = 0
                    res.indexes = None
                    return res
                return parse(rbuf, rlo, rhi)
        if first == "[" or first == "{":
            subs, path, ok = parse_sub_selectors(path)
            if ok and (not path or path[0] in "|."):
                return _multipath(buf, lo, hi, first, subs, path)
    c = _Context(buf, lo, hi)
    if len(path) >= 2 and path[0] == "." and path[1] == ".":
        _parse_array(c, lo, path[2:])
    else:
        found = _FIRST_CONTAINER.search(c.text, lo, hi)
        if found is not None:
            i = found.start()
            if c.text[i] == "{":
                _parse_object(c, i + 1, path)
            else:
                _parse_array(c, i + 1, path)
    if c.piped:
        res = sub_get(c.value, c.pipe)
        res.index = 0
        return res
    _fill_index(c, c.value)
    return c.value


def _fill_index(c: _Context, value: Result) -> None:
    """fillIndex: the offset of ``value.raw`` in the document, or 0 if it lies elsewhere."""
    if value.raw and not c.calcd:
        if value._buf is c.buf and c.lo <= value._pos < c.hi:
            value.index = c.buf.byte_span(c.lo, value._pos)
        else:
            value.index = 0


# -- modifiers, literals, multipaths -------------------------------------------------------


def _modifier(buf: Buf, lo: int, hi: int, path: str) -> tuple[str, tuple[Buf, int, int]] | None:
    """execModifier: run ``@name[:args]``; None when there is no such modifier."""
    found = _MODIFIER_END.search(path, 1)
    rest = ""
    has_args = False
    if found is None:
        name = path[1:]
    else:
        i = found.start()
        name = path[1:i]
        if path[i] == ":":
            rest = path[i + 1 :]
            has_args = bool(rest)
        else:
            rest = path[i:]
    modifier = MODIFIERS.get(name)
    if modifier is None:
        return None
    args = ""
    if has_args:
        if rest[0] in '{["':
            end = squash_end(rest, 0, len(rest))
            args = rest[:end]
            rest = rest[end:]
        else:
            bar = rest.find("|")
            if bar < 0:
                args, rest = rest, ""
            else:
                args, rest = rest[:bar], rest[bar:]
    return rest, modifier(buf, lo, hi, args)


def _static(path: str) -> tuple[str, tuple[Buf, int, int]] | None:
    """execStatic: a ``!`` literal such as ``!true``, ``!"text"``, ``!{"a":1}`` or ``!42``."""
    name = path[1:]
    if name[0] in '{["+-0123456789':
        end = container_end(name, 0, len(name))
        value = name[:end]
        return name[end:], (Buf(value), 0, len(value))
    found = _STATIC_END.search(path, 1)
    rest = ""
    if found is not None:
        rest = path[found.start() :]
        name = path[1 : found.start()]
    if name.replace("\u0130", "i").lower() in _STATIC_WORDS:
        return rest, (Buf(name), 0, len(name))
    return None


def _multipath(buf: Buf, lo: int, hi: int, kind: str, subs: list, rest: str) -> Result:  # type: ignore[type-arg]
    """A ``[a,b]`` or ``{name:a,b}`` multipath: a new array or object of the values found."""
    parts: list[str] = []
    for sub in subs:
        res = get(buf, lo, hi, sub.path)
        if not res.exists:
            continue
        raw = res.raw
        if not raw:
            raw = res.str or "null"
        if kind == "{":
            name = sub.name
            if name:
                label = name if name[0] == '"' and valid(name) else quote(name)
            else:
                last = name_of_last(sub.path)
                label = quote(last if is_simple_name(last) else "_")
            raw = label + ":" + raw
        parts.append(raw)
    closer = "]" if kind == "[" else "}"
    text = kind + ",".join(parts) + closer
    res = Result(JSON, text)
    if rest:
        res = sub_get(res, rest[1:])
    res.index = 0
    return res


# -- the walk ------------------------------------------------------------------------------


def _parse_object(c: _Context, i: int, path: str) -> tuple[int, bool]:
    """parseObject: find the key matching the first component, then go on or take the value.

    The members come from the memoised plain walk; only when a failed descent into a value
    stops somewhere else than that value's end does the walk go on live from there.
    """
    rp = parse_object_path(path)
    if not rp.more and rp.piped:
        c.pipe = rp.pipe
        c.piped = True
    if not rp.wild and i > c.lo:
        found = _parse_object_fast(c, i, rp)
        if found is not None:
            return found
    members, by_key, end = _members(c, i)
    part = rp.part
    if rp.wild:
        candidates: list[Member] = [m for m in members if match_limit(m[0], part)]
    else:
        candidates = [members[k] for k in by_key.get(part, ())]
    more = rp.more
    for _, start, stop, kind in candidates:
        if not more:
            c.value = _value_at(c.buf, start, stop, kind)
            return stop, True
        if kind == "{" or kind == "[":
            if kind == "{":
                pos, hit = _parse_object(c, start + 1, rp.path)
            else:
                pos, hit = _parse_array(c, start + 1, rp.path)
            if hit:
                return pos, True
            if pos != stop:
                return _parse_object_live(c, pos, rp)
    return end, False


def _parse_object_fast(c: _Context, i: int, rp: ObjectStep) -> tuple[int, bool] | None:
    """_parse_object for a valid object known to the C scanner: look the key up directly.

    None when the faithful walk must decide: the object is not known valid, the key may be
    spelled with escapes, or a descent into the member found nothing (gjson would then try
    a later member with the same key).
    """
    found = fast.object_at(c.buf, i - 1, c.hi)
    if found is None:
        return None
    member = fast.find_member(c.buf, i - 1, found, rp.part)
    if member is None:
        return None
    if member is fast.ABSENT:
        return found[0], False
    start, stop, kind = member
    if not rp.more:
        c.value = _value_at(c.buf, start, stop, kind)
        return stop, True
    if kind == "{":
        pos, hit = _parse_object(c, start + 1, rp.path)
    elif kind == "[":
        pos, hit = _parse_array(c, start + 1, rp.path)
    else:
        return None
    return (pos, True) if hit else None


def _members(c: _Context, i: int) -> tuple[list[Member], dict[str, list[int]], int]:
    """The plain walk over an object's members from ``i`` (memoised in the Buf)."""
    cache = c.buf.objects
    cached = cache.get((i, c.hi))
    if cached is None:
        members, end = _scan_members(c.buf, i, c.hi)
        by_key: dict[str, list[int]] = {}
        for number, member in enumerate(members):
            by_key.setdefault(member[0], []).append(number)
        cached = cache[(i, c.hi)] = (members, by_key, end)
    return cached


def _scan_members(buf: Buf, i: int, hi: int) -> tuple[list[Member], int]:
    """gjson's key scan without a key to look for: every member, and where the scan ends."""
    text = buf.text
    members: list[Member] = []
    while i < hi:
        found = KEY_OR_CLOSE.search(text, i, hi)
        if found is None:
            return members, hi
        i = found.start()
        if text[i] == "}":
            return members, i + 1
        key_end = string_end(text, i + 1, hi)
        if key_end < 0:
            return members, hi
        key = text[i + 1 : key_end - 1]
        if "\\" in key:
            key = unescape(key)
        found = VALUE_START.search(text, key_end, hi)
        if found is None:
            return members, hi
        start = found.start()
        end, kind = _value_end(buf, start, hi)
        if end < 0:
            return members, hi
        members.append((key, start, end, kind))
        i = end
    return members, i


def _value_end(buf: Buf, start: int, hi: int) -> tuple[int, str]:
    """End and kind of the value at ``start``: kind is its first character, or "0" for a
    number; the end is -1 for an unterminated string. A valid container is measured by the
    C scanner (and remembered), any other by gjson's bracket count."""
    text = buf.text
    ch = text[start]
    if ch == '"':
        return string_end(text, start + 1, hi), ch
    if ch == "{" or ch == "[":
        end = fast.container_end(buf, start, hi)
        return (end if end >= 0 else container_end(text, start, hi)), ch
    if is_number_like(text, start, hi):
        return number_end(text, start, hi), "0"
    return literal_end(text, start, hi), ch


def _value_at(buf: Buf, start: int, stop: int, kind: str) -> Result:
    """The Result for a value the plain walk measured."""
    raw = buf.text[start:stop]
    if kind == '"':
        body = raw[1:-1]
        return Result(STRING, raw, unescape(body) if "\\" in body else body, buf=buf, pos=start)
    if kind == "{" or kind == "[":
        return Result(JSON, raw, buf=buf, pos=start)
    if kind == "0":
        return Result(NUMBER, raw, num=parse_float(raw), buf=buf, pos=start)
    return Result(TRUE if kind == "t" else FALSE if kind == "f" else NULL, raw, buf=buf, pos=start)


def _parse_object_live(c: _Context, i: int, rp: ObjectStep) -> tuple[int, bool]:
    """The key scan itself, from ``i`` (used after an irregular descent)."""
    text = c.text
    hi = c.hi
    buf = c.buf
    part = rp.part
    wild = rp.wild
    more = rp.more
    while i < hi:
        found = KEY_OR_CLOSE.search(text, i, hi)
        if found is None:
            return hi, False
        i = found.start()
        if text[i] == "}":
            return i + 1, False
        key_end = string_end(text, i + 1, hi)
        if key_end < 0:
            return hi, False
        key = text[i + 1 : key_end - 1]
        i = key_end
        if "\\" in key:
            key = unescape(key)
        pmatch = match_limit(key, part) if wild else key == part
        hit = pmatch and not more
        found = VALUE_START.search(text, i, hi)
        if found is None:
            return hi, False
        i = found.start()
        ch = text[i]
        if ch == '"':
            end, value = string_value(buf, i, hi)
            if value is None:
                return hi, False
            if hit:
                c.value = value
                return end, True
            i = end
        elif ch == "{" or ch == "[":
            if pmatch and not hit:
                if ch == "{":
                    i, hit = _parse_object(c, i + 1, rp.path)
                else:
                    i, hit = _parse_array(c, i + 1, rp.path)
                if hit:
                    return i, True
            else:
                end = container_end(text, i, hi)
                if hit:
                    c.value = Result(JSON, text[i:end], buf=buf, pos=i)
                    return end, True
                i = end
        elif is_number_like(text, i, hi):
            end, value = number_value(buf, i, hi)
            if hit:
                c.value = value
                return end, True
            i = end
        else:
            end, value = literal_value(buf, i, hi)
            if hit:
                c.value = value
                return end, True
            i = end
    return i, False


def _query_matches(step: ArrayStep, value: Result) -> bool:
    """queryMatches: does ``value`` satisfy the query's operator and value?"""
    query = step.query
    assert query is not None
    rpv = query.value
    if rpv[:1] == "~":
        rpv = rpv[1:]
        value = Result(TRUE if value.bool() else FALSE)
    if not value.exists:
        return False
    op = query.op
    if not op:
        return True
    kind = value.type
    if kind == STRING:
        text = value.text
        if op == "%":
            return match_limit(text, rpv)
        if op == "!%":
            return not match_limit(text, rpv)
        compare = _ORDERING.get(op)
        return compare is not None and compare(text, rpv)
    if kind == NUMBER:
        compare = _ORDERING.get(op)
        return compare is not None and compare(value.num, parse_float(rpv))
    if kind == TRUE:
        if op == "=":
            return rpv == "true"
        if op == "!=":
            return rpv != "true"
        if op == ">":
            return rpv == "false"
        return op == ">="
    if kind == FALSE:
        if op == "=":
            return rpv == "false"
        if op == "!=":
            return rpv != "false"
        if op == "<":
            return rpv == "true"
        return op == "<="
    return False


#: gjson's comparison operators for strings and numbers (``%`` and ``!%`` only for strings).
_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _ArrayWalk:
    """State of one parseArray call that the query and ``#.`` handling share."""

    __slots__ = ("c", "multires", "query_indexes", "rest", "seed", "step")

    def __init__(self, c: _Context, step: ArrayStep) -> None:
        self.c = c
        self.step = step
        self.rest = step.path
        self.multires: list[str] | None = None
        self.query_indexes: list[int] | None = None
        # Kinds and decoded values of the gathered matches, when all are whole valid elements.
        self.seed: tuple[list[str], list[Any] | None] | None = None

    def query(self, qval: Result) -> bool:
        """procQuery: test one element; True when the walk is done (a single match)."""
        query = self.step.query
        assert query is not None
        if query.all and self.multires is None:
            self.multires = []
        if qval.type == JSON:
            res = sub_get(qval, query.path)
        else:
            if query.path:
                return False
            res = qval
        if not _query_matches(self.step, res):
            return False
        return self.matched(qval)

    def _split_rest(self) -> None:
        """At a match of ``#(...).rest``: a ``|`` in ``rest`` takes over from there."""
        split = split_possible_pipe(self.rest)
        if split is not None:
            self.rest = split[0]
            self.c.pipe = split[1]
            self.c.piped = True

    def matched(self, qval: Result) -> bool:
        """procQuery after a match: gather it for ``#(...)#`` or take it (True: done)."""
        c = self.c
        step = self.step
        query = step.query
        assert query is not None
        if step.more:
            self._split_rest()
            res = sub_get(qval, self.rest)
        else:
            res = qval
        if query.all:
            raw = res.raw or res.str
            if raw:
                assert self.multires is not None
                self.multires.append(raw)
                if self.query_indexes is None:
                    self.query_indexes = []
                self.query_indexes.append(res.index + c.buf.byte_span(c.lo, qval._pos))
            return False
        c.value = res
        return True

    def query_fast(self, table: ValidArray) -> int | None:
        """The query over a valid array, deciding on decoded values.

        Returns the end of the matching element for a single match (the walk is done), -1
        when the walk goes on to its end, None when only the faithful walk can decide.
        """
        c = self.c
        buf = c.buf
        step = self.step
        query = step.query
        assert query is not None
        elements = table.elements

        def exact(k: int) -> Result:
            start, stop, kind = elements[k]
            return sub_get(_value_at(buf, start, stop, kind), query.path)

        column = fast.query_column(buf, table, query.path, exact)
        if column is None:
            return None
        positions = fast.matching(column, query.op, query.value, self._decide)
        if query.all:
            if elements:
                self.multires = []
            if positions:
                self._gather_matches(table, positions)
            return -1
        if not positions:
            return -1
        start, stop, kind = elements[positions[0]]
        self.matched(_value_at(buf, start, stop, kind))
        return stop

    def _decide(self, value: Any) -> bool:
        """queryMatches for one decoded value (or a Result read from the text)."""
        if value is fast.NEVER:
            return False
        return _query_matches(self.step, value if isinstance(value, Result) else _decoded(value))

    def _gather_matches(self, table: ValidArray, positions: list[int]) -> None:
        """``#(...)#``: the matching elements (or ``rest`` in each) as the new array's parts."""
        c = self.c
        elements = table.elements
        if self.step.more:
            self._split_rest()
            self.multires, indexes = _members_of(c, table, positions, self.rest, True)
        else:
            text = c.text
            buf = c.buf
            lo = c.lo
            chosen = [elements[k] for k in positions]
            self.multires = [text[start:stop] for start, stop, _ in chosen]
            if buf.ascii:
                indexes = [start - lo for start, _, _ in chosen]
            else:
                indexes = [buf.byte_span(lo, start) for start, _, _ in chosen]
            values = table.values
            kinds = [kind for _, _, kind in chosen]
            self.seed = (kinds, None if values is None else [values[k] for k in positions])
        if indexes:
            self.query_indexes = indexes

    def finish(self) -> None:
        """At the closing bracket: a ``#(...)#`` query's matches become the value."""
        c = self.c
        if c.value.exists:
            return
        if self.multires is not None:
            text = "[" + ",".join(self.multires) + "]"
            c.value = Result(JSON, text, indexes=self.query_indexes)
            if self.seed is not None:
                # The new array is valid, element by element: tell its Buf so, for the
                # rest of the path (``|0.name``, ``|#``) not to read it again.
                kinds, values = self.seed
                c.value._buf = fast.seeded_buf(c.buf, text, self.multires, kinds, values)
        elif self.step.query is not None and self.step.query.all:
            c.value = Result(JSON, "[]")

    def gather(self, starts: list[int], elements: list[Element]) -> Result:
        """The ``#.key`` result: ``key`` of every element, as a new array."""
        c = self.c
        step = self.step
        key = step.alogkey
        split = split_possible_pipe(key)
        if split is not None:
            key = split[0]
            c.pipe = split[1]
            c.piped = True
        text = c.text
        hi = c.hi
        buf = c.buf
        raws: list[str] = []
        indexes: list[int] = []
        for position, start in enumerate(starts):
            skipped = _ALOG_SPACE.match(text, start, hi)
            idx = skipped.end() if skipped is not None else start
            if idx >= hi or text[idx] == "]":
                continue
            element: Result | None
            if position < len(elements) and elements[position][0] == idx:
                # The walk read this element already; parseAny would read the same.
                start, stop, kind = elements[position]
                element = _value_at(buf, start, stop, kind)
                if kind == "{" or kind == "[":
                    element.index = buf.byte_span(c.lo, idx)
            else:
                element = parse_any(buf, idx, c.lo, hi)[1]
            if element is None:
                continue
            res = sub_get(element, key)
            if res.exists:
                raws.append(res.raw or res.str)
                indexes.append(res.index)
        return Result(JSON, "[" + ",".join(raws) + "]", indexes=indexes)

    def gather_fast(self, table: ValidArray) -> Result:
        """``gather`` over a valid array: each element once, a plain key looked up directly."""
        c = self.c
        key = self.step.alogkey
        split = split_possible_pipe(key)
        if split is not None:
            key = split[0]
            c.pipe = split[1]
            c.piped = True
        raws, indexes = _members_of(c, table, range(len(table.elements)), key, False)
        return Result(JSON, "[" + ",".join(raws) + "]", indexes=indexes)


def _members_of(
    c: _Context, table: ValidArray, positions: range | list[int], key: str, matches: bool
) -> tuple[list[str], list[int]]:
    """``key`` in these elements of a valid array, raw texts and indexes: the parts of a
    ``#(...)#.key`` result when ``matches``, else of a ``#.key`` result.

    Where ``key`` is not read directly, ``sub_get`` decides as the walk would: for query
    matches every index counts from the array, for ``#.`` only those of containers, and
    the two keep different empty results.
    """
    buf = c.buf
    text = c.text
    lo = c.lo
    spans = fast.members(buf, table, positions, key)
    if None not in spans and fast.NO_SPAN not in spans:
        raws = [text[start:end] for start, end in spans]  # type: ignore[misc]
        if buf.ascii:
            return raws, [start - lo for start, _ in spans]  # type: ignore[misc]
        return raws, [buf.byte_span(lo, start) for start, _ in spans]  # type: ignore[misc]
    elements = table.elements
    raws = []
    indexes: list[int] = []
    for k, span in zip(positions, spans, strict=True):
        if span is None:
            start, stop, kind = elements[k]
            element = _value_at(buf, start, stop, kind)
            if matches:
                res = sub_get(element, key)
                raw = res.raw or res.str
                if raw:
                    raws.append(raw)
                    indexes.append(res.index + buf.byte_span(lo, start))
                continue
            if kind == "{" or kind == "[":
                element.index = buf.byte_span(lo, start)
            res = sub_get(element, key)
            if res.exists:
                raws.append(res.raw or res.str)
                indexes.append(res.index)
        elif span is not fast.NO_SPAN:
            raws.append(text[span[0] : span[1]])
            indexes.append(buf.byte_span(lo, span[0]))
    return raws, indexes


def _decoded(value: Any) -> Result:
    """A Result with what queryMatches reads (type, text, num) for a decoded JSON value."""
    if value is fast.MISSING:
        return Result()
    kind = type(value)
    if kind is str:
        return Result(STRING, '""', value)
    if kind is float:
        return Result(NUMBER, "0", num=value)
    if value is True:
        return Result(TRUE, "true")
    if value is False:
        return Result(FALSE, "false")
    if value is None:
        return Result(NULL, "null")
    return Result(JSON, "[]")


def _parse_array(c: _Context, i: int, path: str) -> tuple[int, bool]:
    """parseArray: index, ``#`` count, ``#.key`` gathering or a query over the elements.

    Elements come from the memoised plain walk; an irregular descent goes on live.
    """
    step = parse_array_path(path)
    if not step.more and step.piped:
        c.pipe = step.pipe
        c.piped = True
    elements, state, pos, table = _elements(c, i)
    walk = _ArrayWalk(c, step)
    if not step.arrch:
        index = step.index
        if 0 <= index < len(elements):
            start, stop, kind = elements[index]
            if not step.more:
                c.value = _value_at(c.buf, start, stop, kind)
                return stop, True
            if kind == "{" or kind == "[":
                if kind == "{":
                    end, hit = _parse_object(c, start + 1, step.path)
                else:
                    end, hit = _parse_array(c, start + 1, step.path)
                if hit:
                    return end, True
                if end != stop:
                    return _parse_array_live(c, end, step, walk, index + 1)
    elif step.query is not None:
        done = walk.query_fast(table) if table is not None else None
        if done is None:
            for start, stop, kind in elements:
                if walk.query(_value_at(c.buf, start, stop, kind)):
                    return stop, True
        elif done >= 0:
            return done, True
    if state == _FAILED:
        return c.hi, False
    if state == _OVERRUN:
        return pos, False
    if step.arrch and step.part == "#":
        if step.alogok:
            if table is not None:
                c.value = walk.gather_fast(table)
            else:
                starts = [i, *(element[1] for element in elements)]
                c.value = walk.gather(starts, elements)
            return pos + 1, True
        count = len(elements)
        c.value = Result(NUMBER, str(count), num=float(count))
        c.calcd = True
        return pos + 1, True
    walk.finish()
    return pos + 1, False


_CLOSED, _FAILED, _OVERRUN = 0, 1, 2


def _elements(c: _Context, i: int) -> tuple[list[Element], int, int, ValidArray | None]:
    """The plain walk over an array's elements from ``i`` (memoised in the Buf).

    Returns the elements, how the walk ended (at a closing bracket or the end of the text:
    _CLOSED with its position; in an unterminated string: _FAILED; past the end after an
    unterminated string inside a container: _OVERRUN with the position), that position, and
    the C scanner's table when the array is valid (it then also holds decoded values).
    """
    cache = c.buf.arrays
    key = (i, c.hi)
    cached = cache.get(key)
    if cached is None:
        table = None
        if i > c.lo and c.text[i - 1] == "[":
            table = fast.array_at(c.buf, i - 1, c.hi)
        if table is not None:
            cached = (table.elements, _CLOSED, table.close, table)
        else:
            elements, state, pos = _scan_elements(c.buf, i, c.hi)
            cached = (elements, state, pos, None)
        cache[key] = cached
    return cached


def _scan_elements(buf: Buf, i: int, hi: int) -> tuple[list[Element], int, int]:
    text = buf.text
    elements: list[Element] = []
    while i <= hi:
        found = ARRAY_ITEM_START.search(text, i, hi)
        if found is None:
            return elements, _CLOSED, hi
        start = found.start()
        if text[start] == "]":
            return elements, _CLOSED, start
        end, kind = _value_end(buf, start, hi)
        if end < 0:
            return elements, _FAILED, hi
        elements.append((start, end, kind))
        i = end
    return elements, _OVERRUN, i


def _kind_of(value: Result) -> str:
    kind = value.type
    if kind == JSON:
        return value.raw[0]
    return {STRING: '"', NUMBER: "0", TRUE: "t", FALSE: "f"}.get(kind, "n")


def _parse_array_live(
    c: _Context, i: int, step: ArrayStep, walk: _ArrayWalk, h: int
) -> tuple[int, bool]:
    """The element scan itself, from ``i`` with ``h`` elements seen (after an irregular
    descent into an indexed element)."""
    text = c.text
    hi = c.hi
    buf = c.buf
    querying = step.query is not None
    arrch = step.arrch
    alogok = step.alogok
    starts: list[int] = []
    items: dict[int, tuple[int, int, str]] = {}
    partidx = step.index
    more = step.more
    pmatch = hit = False
    while i <= hi:
        if not arrch:
            pmatch = partidx == h
            hit = pmatch and not more
        if alogok:
            starts.append(i)
        h += 1
        found = ARRAY_ITEM_START.search(text, i, hi)
        if found is None:
            i = hi
            ch = "]"
        else:
            i = found.start()
            ch = text[i]
        if ch == "]":
            if arrch and step.part == "#":
                if alogok:
                    c.value = walk.gather(starts, [items[k] for k in sorted(items)])
                    return i + 1, True
                c.value = Result(NUMBER, str(h - 1), num=float(h - 1))
                c.calcd = True
                return i + 1, True
            walk.finish()
            return i + 1, False
        value: Result | None
        if ch == '"':
            end, value = string_value(buf, i, hi)
            if value is None:
                return hi, False
            if querying:
                if walk.query(value):
                    return end, True
            elif hit and not alogok:
                c.value = value
                return end, True
        elif ch == "{" or ch == "[":
            if pmatch and not hit:
                value = None
                if ch == "{":
                    end, hit = _parse_object(c, i + 1, step.path)
                else:
                    end, hit = _parse_array(c, i + 1, step.path)
                if hit:
                    return end, True
            else:
                end, value = container_value(buf, i, hi)
                if querying:
                    if walk.query(value):
                        return end, True
                elif hit and not alogok:
                    c.value = value
                    return end, True
        elif is_number_like(text, i, hi):
            end, value = number_value(buf, i, hi)
            if querying:
                if walk.query(value):
                    return end, True
            elif hit and not alogok:
                c.value = value
                return end, True
        else:
            end, value = literal_value(buf, i, hi)
            if querying:
                if walk.query(value):
                    return end, True
            elif hit and not alogok:
                c.value = value
                return end, True
        if alogok and value is not None:
            items[h - 1] = (value._pos, end, _kind_of(value))
        i = end
    return i, False
