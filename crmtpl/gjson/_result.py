"""``Result``: one value found by a gjson path, with gjson's accessors.

A Result keeps gjson's fields (``type``, ``raw``, the unescaped string, ``num``, ``index``,
``indexes``) and computes what Go computes from them: ``str`` is ``Result.String()`` (what
the PBX stores for an output), ``int()``, ``float()`` and ``bool()`` follow gjson's
conversions, ``array()``, ``map()``, ``items()`` and iteration walk the raw text the way
``Array``, ``Map`` and ``ForEach`` do, malformed text included.

The module also holds the value readers that these need and the engine shares:
``parse`` (gjson's ``Parse``) and ``parse_any`` (its ``parseAny``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator

from crmtpl.gjson._gonum import (
    float_to_int64,
    format_float_f,
    parse_float,
    parse_int,
)
from crmtpl.gjson._scan import (
    LITERAL_TAIL,
    NUMBER_TAIL,
    VALUE_START,
    Buf,
    container_end,
    squash_end,
    string_end,
    unescape,
)

# Aliases: Result has members called str, int, float and bool, which would shadow the
# builtins inside its class body.
_Str = str
_Int = int
_Float = float
_Bool = bool


class ResultType(enum.IntEnum):
    """gjson's Type; ``str()`` gives Go's ``Type.String()``."""

    NULL = 0
    FALSE = 1
    NUMBER = 2
    STRING = 3
    TRUE = 4
    JSON = 5

    def __str__(self) -> str:
        return _TYPE_NAMES[self]


_TYPE_NAMES = {
    ResultType.NULL: "Null",
    ResultType.FALSE: "False",
    ResultType.NUMBER: "Number",
    ResultType.STRING: "String",
    ResultType.TRUE: "True",
    ResultType.JSON: "JSON",
}

NULL = ResultType.NULL
FALSE = ResultType.FALSE
NUMBER = ResultType.NUMBER
STRING = ResultType.STRING
TRUE = ResultType.TRUE
JSON = ResultType.JSON

_PLAIN_INTEGER = re.compile(r"-?[0-9]*")
_TRUE_WORDS = frozenset(("1", "t", "true"))
_MAX_SAFE = 9007199254740991.0
_SKIP_SEPARATORS = re.compile(r"[\x00-\x20,:]*")


class Result:
    """A value found in a JSON document (gjson's ``Result``)."""

    __slots__ = ("_buf", "_pos", "index", "indexes", "num", "raw", "text", "type")

    def __init__(
        self,
        type: ResultType = NULL,
        raw: _Str = "",
        text: _Str = "",
        num: _Float = 0.0,
        index: _Int = 0,
        indexes: list[_Int] | None = None,
        buf: Buf | None = None,
        pos: _Int = 0,
    ) -> None:
        self.type = type
        #: The raw JSON text of the value (empty for a value that does not exist).
        self.raw = raw
        #: gjson's ``Str``: the unescaped content of a String (empty for other types).
        self.text = text
        #: The number for a Number.
        self.num = num
        #: Byte offset of ``raw`` in the document, 0 when unknown.
        self.index = index
        #: For ``#`` paths: byte offsets of the elements that were gathered.
        self.indexes = indexes
        # The Go string ``raw`` was cut from, and where (for gjson's pointer arithmetic).
        self._buf = buf
        self._pos = pos

    # -- what Go's methods return -------------------------------------------------------

    @property
    def exists(self) -> _Bool:
        """``Result.Exists()``: a value was found."""
        return self.type != NULL or self.raw != ""

    @property
    def is_array(self) -> _Bool:
        """``Result.IsArray()``."""
        return self.type == JSON and self.raw[:1] == "["

    @property
    def is_object(self) -> _Bool:
        """``Result.IsObject()``."""
        return self.type == JSON and self.raw[:1] == "{"

    @property
    def str(self) -> _Str:
        """``Result.String()``: the text the PBX stores for an output path."""
        kind = self.type
        if kind == STRING:
            return self.text
        if kind == NUMBER:
            raw = self.raw
            if raw and _PLAIN_INTEGER.fullmatch(raw):
                return raw
            return format_float_f(self.num)
        if kind == JSON:
            return self.raw
        if kind == TRUE:
            return "true"
        if kind == FALSE:
            return "false"
        return ""

    def bool(self) -> _Bool:
        """``Result.Bool()``: true, a number other than 0, or "1"/"t"/"true" in any case."""
        kind = self.type
        if kind == TRUE:
            return True
        if kind == STRING:
            return self.text.lower() in _TRUE_WORDS
        if kind == NUMBER:
            return self.num != 0
        return False

    def int(self) -> _Int:
        """``Result.Int()``: Go's int64 conversion of the value."""
        kind = self.type
        if kind == TRUE:
            return 1
        if kind == STRING:
            return parse_int(self.text)[0]
        if kind == NUMBER:
            num = self.num
            if -_MAX_SAFE <= num <= _MAX_SAFE:
                return _Int(num)
            value, ok = parse_int(self.raw)
            return value if ok else float_to_int64(num)
        return 0

    def float(self) -> _Float:
        """``Result.Float()``: Go's float64 conversion of the value."""
        kind = self.type
        if kind == TRUE:
            return 1.0
        if kind == STRING:
            return parse_float(self.text)
        if kind == NUMBER:
            return self.num
        return 0.0

    # -- walking arrays and objects -----------------------------------------------------

    def view(self) -> tuple[Buf, _Int, _Int]:
        """The Go string ``raw`` lives in and its bounds there (internal)."""
        buf = self._buf
        if buf is None:
            buf = self._buf = Buf(self.raw)
            self._pos = 0
        return buf, self._pos, self._pos + len(self.raw)

    def items(self) -> Iterator[tuple[Result, Result]]:
        """``Result.ForEach`` as a generator of ``(key, value)``.

        For an array the key is a Number counting from 0; for a scalar one pair with an
        empty key; nothing for a value that does not exist.
        """
        if not self.exists:
            return
        if self.type != JSON:
            yield Result(), self
            return
        yield from _for_each(self)

    def for_each(self, visit: Callable[[Result, Result], _Bool]) -> None:
        """``Result.ForEach``: call ``visit(key, value)`` until it returns False."""
        for key, value in self.items():
            if not visit(key, value):
                return

    def __iter__(self) -> Iterator[Result]:
        """The values of ``items()``."""
        for _, value in self.items():
            yield value

    def array(self) -> list[Result]:
        """``Result.Array()``: the elements; ``[]`` for null or nothing, ``[self]`` for a scalar."""
        if self.type == NULL:
            return []
        if not self.is_array:
            return [self]
        return _array_or_map(self, "[")[0]

    def map(self) -> dict[_Str, Result]:
        """``Result.Map()``: the members of an object, the first of duplicate keys winning."""
        if self.type != JSON:
            return {}
        return _array_or_map(self, "{")[1]

    def get(self, path: _Str) -> Result:
        """``Result.Get``: evaluate ``path`` against this value."""
        from crmtpl.gjson._engine import sub_get

        return sub_get(self, path)

    def __repr__(self) -> _Str:
        return f"Result(type={self.type!s}, raw={self.raw!r}, index={self.index})"

    def __eq__(self, other: object) -> _Bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.type, self.raw, self.text, self.index, self.indexes) == (
            other.type,
            other.raw,
            other.text,
            other.index,
            other.indexes,
        ) and (self.num == other.num or (self.num != self.num and other.num != other.num))

    __hash__ = None  # type: ignore[assignment]


# -- value readers shared with the engine ------------------------------------------------


def string_value(buf: Buf, start: int, hi: int) -> tuple[int, Result | None]:
    """parseString from the quote at ``start``: (end, String result) or (hi, None)."""
    text = buf.text
    end = string_end(text, start + 1, hi)
    if end < 0:
        return hi, None
    raw = text[start:end]
    body = raw[1:-1]
    if "\\" in body:
        body = unescape(body)
    return end, Result(STRING, raw, body, buf=buf, pos=start)


def literal_value(buf: Buf, start: int, hi: int) -> tuple[int, Result]:
    """parseLiteral from ``start``: true, false or null (anything else reads as null)."""
    text = buf.text
    found = LITERAL_TAIL.match(text, start + 1, hi)
    end = found.end() if found is not None else hi
    first = text[start]
    kind = TRUE if first == "t" else FALSE if first == "f" else NULL
    return end, Result(kind, text[start:end], buf=buf, pos=start)


def number_value(buf: Buf, start: int, hi: int) -> tuple[int, Result]:
    """parseNumber from ``start``: the run up to whitespace, ``,``, ``]`` or ``}``."""
    text = buf.text
    found = NUMBER_TAIL.match(text, start + 1, hi)
    end = found.end() if found is not None else hi
    raw = text[start:end]
    return end, Result(NUMBER, raw, num=parse_float(raw), buf=buf, pos=start)


def container_value(buf: Buf, start: int, hi: int) -> tuple[int, Result]:
    """parseSquash from ``start``: the object or array as raw JSON."""
    end = container_end(buf.text, start, hi)
    return end, Result(JSON, buf.text[start:end], buf=buf, pos=start)


def is_number_like(text: str, i: int, hi: int) -> bool:
    """At a value start: does ``text[i]`` begin a number (an ``n`` not followed by ``u``)?"""
    ch = text[i]
    if ch == "n":
        return i + 1 < hi and text[i + 1] != "u"
    return ch not in '"{[tf'


def parse_any(buf: Buf, i: int, lo: int, hi: int) -> tuple[int, Result | None]:
    """parseAny over ``text[lo:hi]`` from ``i``: the next value, skipping anything else.

    A container gets its Index filled relative to ``lo``; other values keep Index 0.
    """
    text = buf.text
    found = VALUE_START.search(text, i, hi)
    if found is None:
        return hi, None
    i = found.start()
    ch = text[i]
    if ch in "{[":
        end, value = container_value(buf, i, hi)
        value.index = buf.byte_span(lo, i)
        return end, value
    if ch == '"':
        return string_value(buf, i, hi)
    if is_number_like(text, i, hi):
        return number_value(buf, i, hi)
    return literal_value(buf, i, hi)


def parse(buf: Buf, lo: int, hi: int) -> Result:
    """gjson's ``Parse`` of ``text[lo:hi]``: the first value; containers take the whole rest."""
    text = buf.text
    i = lo
    while i < hi and text[i] <= " ":
        i += 1
    if i >= hi:
        return Result()
    ch = text[i]
    if ch in "{[":
        value = Result(JSON, text[i:hi], buf=buf, pos=i)
    elif ch == '"':
        value = _tostr(buf, i, hi)
    elif ch in "tf" or (ch == "n" and not (i + 1 < hi and text[i + 1] != "u")):
        value = literal_value(buf, i, hi)[1]
    elif ch in "+-0123456789iIN" or ch == "n":
        value = number_value(buf, i, hi)[1]
    else:
        return Result()
    value.index = buf.byte_span(lo, i)
    return value


def _tostr(buf: Buf, start: int, hi: int) -> Result:
    """tostr: a string token; an unterminated one takes the rest of the text."""
    text = buf.text
    end = string_end(text, start + 1, hi)
    if end < 0:
        raw = text[start:hi]
        body = raw[1:]
    else:
        raw = text[start:end]
        body = raw[1:-1]
    if "\\" in body:
        body = unescape(body)
    return Result(STRING, raw, body, buf=buf, pos=start)


def _for_each(owner: Result) -> Iterator[tuple[Result, Result]]:
    """ForEach over a JSON value's raw text."""
    buf, lo, hi = owner.view()
    text = buf.text
    i = lo
    while i < hi and text[i] <= " ":
        i += 1
    if i >= hi or text[i] not in "{[":
        return
    is_object = text[i] == "{"
    i += 1
    counter = -1
    indexes = owner.indexes
    position = 0
    while i < hi:
        if is_object:
            quote = text.find('"', i, hi)
            if quote < 0:
                return
            end, key_value = string_value(buf, quote, hi)
            if key_value is None:
                return
            key = Result(STRING, key_value.raw, key_value.text, buf=buf, pos=quote)
            key.index = buf.byte_span(lo, quote) + owner.index
            i = end
        else:
            counter += 1
            key = Result(NUMBER, num=float(counter))
        skipped = _SKIP_SEPARATORS.match(text, i, hi)
        start = skipped.end() if skipped is not None else i
        i, value = parse_any(buf, start, lo, hi)
        if value is None:
            return
        if indexes is not None:
            if position < len(indexes):
                value.index = indexes[position]
        else:
            value.index = buf.byte_span(lo, start) + owner.index
        yield key, value
        position += 1
        i += 1


def _array_or_map(owner: Result, opener: str) -> tuple[list[Result], dict[str, Result]]:
    """arrayOrMap: the elements or members of ``owner``, read leniently."""
    buf, lo, hi = owner.view()
    text = buf.text
    items: list[Result] = []
    members: dict[str, Result] = {}
    i = lo
    while i < hi:
        ch = text[i]
        if ch == opener:
            i += 1
            break
        if ch > " ":
            return items, members
        i += 1
    else:
        return items, members
    key: Result | None = None
    count = 0
    while i < hi:
        ch = text[i]
        if ch <= " ":
            i += 1
            continue
        if ch in "]}":
            break
        if ch in "0123456789-":
            found = NUMBER_TAIL.match(text, i + 1, hi)
            end = found.end() if found is not None else hi
            value = Result(NUMBER, text[i:end], num=parse_float(text[i:end]), buf=buf, pos=i)
        elif ch in "{[":
            end = squash_end(text, i, hi)
            value = Result(JSON, text[i:end], buf=buf, pos=i)
        elif ch in "ntf":
            end, value = literal_value(buf, i, hi)
        elif ch == '"':
            value = _tostr(buf, i, hi)
            end = i + len(value.raw)
        else:
            i += 1
            continue
        value.index = buf.byte_span(lo, i) + owner.index
        i = end
        if opener == "{":
            if count % 2 == 0:
                key = value
            elif key is not None and key.text not in members:
                members[key.text] = value
            count += 1
        else:
            items.append(value)
    if owner.indexes is not None:
        if len(owner.indexes) != len(items):
            for item in items:
                item.index = 0
        else:
            for item, index in zip(items, owner.indexes, strict=True):
                item.index = index
    return items, members
