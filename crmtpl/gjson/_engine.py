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

import re

from crmtpl.gjson._gonum import parse_float
from crmtpl.gjson._match import match_limit
from crmtpl.gjson._modifiers import MODIFIERS
from crmtpl.gjson._paths import (
    ArrayStep,
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
    container_end,
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


def get_text(json_text: str, path: str) -> Result:
    """``gjson.Get(json_text, path)``."""
    return get(Buf(json_text), 0, len(json_text), path)


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
    """parseObject: find the key matching the first component, then go on or take the value."""
    rp = parse_object_path(path)
    if not rp.more and rp.piped:
        c.pipe = rp.pipe
        c.piped = True
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
        if op == "=":
            return text == rpv
        if op == "!=":
            return text != rpv
        if op == "<":
            return text < rpv
        if op == "<=":
            return text <= rpv
        if op == ">":
            return text > rpv
        if op == ">=":
            return text >= rpv
        if op == "%":
            return match_limit(text, rpv)
        if op == "!%":
            return not match_limit(text, rpv)
        return False
    if kind == NUMBER:
        num = value.num
        target = parse_float(rpv)
        if op == "=":
            return num == target
        if op == "!=":
            return num != target
        if op == "<":
            return num < target
        if op == "<=":
            return num <= target
        if op == ">":
            return num > target
        if op == ">=":
            return num >= target
        return False
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


class _ArrayWalk:
    """State of one parseArray call that the query and ``#.`` handling share."""

    __slots__ = ("c", "multires", "query_indexes", "rest", "step")

    def __init__(self, c: _Context, step: ArrayStep) -> None:
        self.c = c
        self.step = step
        self.rest = step.path
        self.multires: list[str] | None = None
        self.query_indexes: list[int] | None = None

    def query(self, qval: Result) -> bool:
        """procQuery: test one element; True when the walk is done (a single match)."""
        step = self.step
        query = step.query
        assert query is not None
        if query.all and self.multires is None:
            self.multires = []
        c = self.c
        parent_index = c.buf.byte_span(c.lo, qval._pos)
        if qval.type == JSON:
            res = sub_get(qval, query.path)
        else:
            if query.path:
                return False
            res = qval
        if not _query_matches(step, res):
            return False
        if step.more:
            split = split_possible_pipe(self.rest)
            if split is not None:
                self.rest = split[0]
                c.pipe = split[1]
                c.piped = True
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
                self.query_indexes.append(res.index + parent_index)
            return False
        c.value = res
        return True

    def gather(self, starts: list[int], items: dict[int, Result]) -> Result:
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
            element = items.get(position)
            if element is not None and element._pos == idx:
                # The walk read this element already; parseAny would read the same.
                if element.type == JSON:
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


def _parse_array(c: _Context, i: int, path: str) -> tuple[int, bool]:
    """parseArray: index, ``#`` count, ``#.key`` gathering or a query over the elements."""
    step = parse_array_path(path)
    if not step.more and step.piped:
        c.pipe = step.pipe
        c.piped = True
    text = c.text
    hi = c.hi
    buf = c.buf
    walk = _ArrayWalk(c, step)
    querying = step.query is not None
    arrch = step.arrch
    alogok = step.alogok
    starts: list[int] = []
    items: dict[int, Result] = {}
    partidx = step.index
    more = step.more
    h = 0
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
                    c.value = walk.gather(starts, items)
                    return i + 1, True
                c.value = Result(NUMBER, str(h - 1), num=float(h - 1))
                c.calcd = True
                return i + 1, True
            if not c.value.exists:
                if walk.multires is not None:
                    c.value = Result(
                        JSON, "[" + ",".join(walk.multires) + "]", indexes=walk.query_indexes
                    )
                elif querying and step.query is not None and step.query.all:
                    c.value = Result(JSON, "[]")
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
            items[h - 1] = value
        i = end
    return i, False
