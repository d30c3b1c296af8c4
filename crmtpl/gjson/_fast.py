"""Fast paths over the strictly valid parts of a document, measured by ``json``'s C scanner.

gjson reads raw text leniently, and so does the faithful scanner (``_scan.py``). But most
responses are valid JSON, and inside a valid container a strict parser and gjson's walk agree
on everything the engine needs: where each value ends, which keys an object has, what its
strings, numbers and literals are. The standard ``json`` module has a scanner written in C
(``json.scanner.make_scanner``) that reads one value and says where it ends; this module uses
it to measure arrays and objects at C speed, and keeps the decoded values so that a query
can compare them instead of re-reading text for each element.

Every answer here is the one the faithful scanner would give, or ``None``, which sends the
engine the faithful way. The rules that keep the two identical:

- Only strict JSON is accepted. ``NaN`` and ``Infinity`` are refused (``parse_constant``),
  raw control characters in strings too (``strict``); between array elements only JSON
  whitespace and one comma. A container counts only if it ends inside the view being read.
- Raw text is never rebuilt from decoded values: results are slices of the document, so
  number spelling, escapes and ``Index`` stay exactly Go's.
- Decoded strings equal gjson's unescaped ones except for surrogate escapes (gjson turns a
  lone ``\\ud800`` into U+FFFD): a document with any ``\\uD8..``-``\\uDF..`` escape gets no
  decoded comparisons or key look-ups.
- Python keeps the last of duplicate keys and gjson the first. A decoded member is used
  only when no key in the array is spelled with an escape and ``"key"`` occurs once in the
  element's text; otherwise the member is located in the text (the first literal
  ``"key"`` at the top of the object, which the ``member_pattern`` regex finds).
- Numbers decode with ``float`` (``parse_int=float``), as gjson's ``ParseFloat`` does: both
  round correctly, so the numbers compared are the same.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate, compress, islice, repeat
from json.scanner import make_scanner
from operator import add, itemgetter, methodcaller
from typing import Any

from crmtpl.gjson._gonum import parse_float
from crmtpl.gjson._scan import CONTAINER_BODY, Buf, Element

#: Switch for tests that compare the fast paths with the faithful scanner alone.
ENABLED = True

#: A valid object: (end, decoded members).
ValidObject = tuple[int, dict[str, Any]]

#: find_member's answer when the object has no such key.
ABSENT: Element = (-1, -1, "")

# After this many failed scans in one document, it is plainly not JSON: stop trying.
_MAX_FAILURES = 64


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


# The C scanner takes the decoder as its "context" (typeshed wants a scanner there).
_scan_once = make_scanner(
    json.JSONDecoder(parse_int=float, parse_constant=_refuse_constant)  # type: ignore[arg-type]
)

_WS = re.compile(r"[ \t\n\r]*+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A key spelled with an escape, seen from its last backslash (see ValidArray.escaped_keys).
_ESCAPED_KEY = re.compile(r'\\[^"]*+"[ \t\n\r]*+:')
# Either of the two, in one pass over a document (usually neither is there).
_ESCAPE_TROUBLE = re.compile(r'\\(?:u[dD][89a-fA-F]|[^"]*+"[ \t\n\r]*+:)')
_PLAIN_KEY = re.compile(r'[^\x00-\x1f"\\|.*?]+')
_VALUE = (
    r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
    rf"|[^\s,\]}}\"{{\[]++|[{{\[](?:{CONTAINER_BODY})[}}\]]"
)


class Column:
    """What a query's path finds in each element of a valid array, and the Python types."""

    __slots__ = ("types", "values")

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.types = set(map(type, values))


class ValidArray:
    """The elements of a valid array: their spans and kinds, decoded values, where it closes.

    ``kind`` is what the faithful scanner reports: the first character, or ``0`` for a number.
    ``values`` is None for an array the engine built itself from known-valid parts. Query
    columns are remembered per key, for the other paths of the same response.
    """

    __slots__ = (
        "_bounds",
        "_escaped_keys",
        "_kinds",
        "_once",
        "close",
        "columns",
        "elements",
        "start",
        "values",
    )

    def __init__(
        self, start: int, elements: list[Element], values: list[Any] | None, close: int
    ) -> None:
        self.start = start
        self.elements = elements
        self.values = values
        #: Position of the closing bracket.
        self.close = close
        #: Query columns by key (see ``query_column``); None: the faithful way decides.
        self.columns: dict[str, Column | None] = {}
        self._escaped_keys: bool | None = None
        self._kinds: set[str] | None = None
        self._bounds: tuple[list[int], list[int]] | None = None
        self._once: dict[str, bool] = {}

    def kinds(self) -> set[str]:
        """The kinds of the elements."""
        if self._kinds is None:
            self._kinds = set(map(itemgetter(2), self.elements))
        return self._kinds

    def bounds(self) -> tuple[list[int], list[int]]:
        """Where each element's inside starts (after its first character), where it ends."""
        if self._bounds is None:
            self._bounds = (
                [start + 1 for start, _, _ in self.elements],
                [end for _, end, _ in self.elements],
            )
        return self._bounds

    def key_once(self, text: str, key: str, present: int) -> bool:
        """Does ``"key"`` occur exactly ``present`` times in the array's text? (Remembered.)

        ``present`` is the number of elements whose decoded object holds ``key``; each has
        at least one ``"key"``, so when the whole array holds no more, each holds exactly
        one, and no element holds a duplicate or a nested ``key``.
        """
        once = self._once.get(key)
        if once is None:
            once = self._once[key] = text.count(f'"{key}"', self.start, self.close) == present
        return once

    def known_once(self, key: str) -> bool:
        """Has ``key_once`` already answered yes for ``key``?"""
        return self._once.get(key, False)

    def escaped_keys(self, text: str) -> bool:
        """Could a key in this array be spelled with an escape? (False is certain.)

        Seen from the last backslash of such a key, the rest of the key holds no quote
        unless that backslash escapes one, so ``\\[^"]*"`` reaches its closing quote and a
        colon follows. (A key with an escaped quote is never looked up with decoded values:
        see ``is_plain_key``.) Strings that merely look like that give a false alarm.
        """
        if self._escaped_keys is None:
            self._escaped_keys = (
                text.find("\\", self.start, self.close) >= 0
                and _ESCAPED_KEY.search(text, self.start, self.close) is not None
            )
        return self._escaped_keys


class FastCache:
    """What the C scanner learnt about one Buf: valid arrays and objects by start position."""

    __slots__ = ("arrays", "decoded_ok", "escape_trouble", "failures", "objects")

    def __init__(self, text: str, like: FastCache | None = None) -> None:
        self.arrays: dict[int, ValidArray | None] = {}
        self.objects: dict[int, ValidObject | None] = {}
        self.failures = 0
        #: The text holds a surrogate escape, or a key possibly spelled with an escape.
        self.escape_trouble: bool
        #: Decoded strings and keys are gjson's (no surrogate escapes in the text).
        self.decoded_ok: bool
        if like is not None:
            # A text made of whole values of ``like``'s text: no new escapes.
            self.escape_trouble = like.escape_trouble
            self.decoded_ok = like.decoded_ok
        else:
            self.escape_trouble = "\\" in text and _ESCAPE_TROUBLE.search(text) is not None
            self.decoded_ok = not self.escape_trouble or _SURROGATE_ESCAPE.search(text) is None

    def scan(self, text: str, start: int) -> tuple[Any, int] | None:
        """The C scanner at ``start``: (decoded value, end), or None on invalid text.

        Each start is scanned once (callers remember the answer); after many failures the
        document is plainly not JSON and the faithful scanner is left alone with it.
        """
        if self.failures >= _MAX_FAILURES:
            return None
        try:
            return _scan_once(text, start)
        except (StopIteration, ValueError, RecursionError):
            self.failures += 1
            return None


def cache_of(buf: Buf) -> FastCache | None:
    """The fast-path cache of ``buf``, made on first use; None when switched off."""
    if not ENABLED:
        return None
    cache = buf.fast
    if cache is None:
        cache = buf.fast = FastCache(buf.text)
    return cache


def _known(buf: Buf) -> FastCache | None:
    """What the C scanner has already learnt about ``buf``; None when switched off."""
    return buf.fast if ENABLED else None


def _kind(ch: str) -> str:
    return ch if ch in '"{[tfn' else "0"


# The kind of a valid JSON value by its first character.
_KINDS = {ch: _kind(ch) for ch in '"{[tfn-0123456789'}


def array_at(buf: Buf, start: int, hi: int) -> ValidArray | None:
    """The valid array opening at ``start`` (a ``[``) if it closes before ``hi``."""
    cache = cache_of(buf)
    if cache is None:
        return None
    arrays = cache.arrays
    if start in arrays:
        table = arrays[start]
    else:
        table = arrays[start] = _scan_array(cache, buf.text, start)
    if table is None or table.close >= hi:
        return None
    return table


def _after_ws(text: str, i: int) -> int:
    found = _WS.match(text, i)
    return i if found is None else found.end()


def _scan_array(cache: FastCache, text: str, start: int) -> ValidArray | None:
    """One C scan per element: spans, kinds and values of a strictly valid array."""
    if cache.failures >= _MAX_FAILURES:
        return None
    starts: list[int] = []
    ends: list[int] = []
    values: list[Any] = []
    scan = _scan_once
    close = -1
    try:
        i = _after_ws(text, start + 1)
        if text[i] == "]":
            return ValidArray(start, [], values, i)
        while True:
            value, end = scan(text, i)
            starts.append(i)
            ends.append(end)
            values.append(value)
            ch = text[end]
            if ch in " \t\n\r":
                end = _after_ws(text, end)
                ch = text[end]
            if ch == ",":
                i = end + 1
                if text[i] in " \t\n\r":
                    i += 1
                    if text[i] in " \t\n\r":
                        i = _after_ws(text, i)
            else:
                if ch == "]":
                    close = end
                break
    except (StopIteration, ValueError, RecursionError, IndexError):
        pass
    if close < 0:
        cache.failures += 1
        return None
    kinds = list(map(_KINDS.__getitem__, map(text.__getitem__, starts)))
    _remember_objects(cache, starts, ends, kinds, values)
    return ValidArray(start, list(zip(starts, ends, kinds, strict=True)), values, close)


def _remember_objects(
    cache: FastCache, starts: list[int], ends: list[int], kinds: list[str], values: list[Any]
) -> None:
    """Note the objects among these elements as valid, with their decoded members."""
    if kinds.count("{") == len(kinds):
        cache.objects.update(zip(starts, zip(ends, values, strict=True), strict=True))
    else:
        cache.objects.update(
            (at, (end, value))
            for at, end, kind, value in zip(starts, ends, kinds, values, strict=True)
            if kind == "{"
        )


def object_at(buf: Buf, start: int, hi: int) -> ValidObject | None:
    """The valid object opening at ``start`` (a ``{``) if the C scanner has met it (as an
    element of a valid array, or a value the engine skipped) and it ends by ``hi``.

    Other objects are left to the memoised member table, which serves repeated look-ups
    better than a scan per key.
    """
    cache = _known(buf)
    if cache is None:
        return None
    found = cache.objects.get(start)
    if found is None or found[0] > hi:
        return None
    return found


def _scan_object(cache: FastCache, text: str, start: int) -> ValidObject | None:
    scanned = cache.scan(text, start)
    if scanned is None:
        return None
    return scanned[1], scanned[0]


def container_end(buf: Buf, start: int, hi: int) -> int:
    """End of the valid object or array at ``start`` (remembered for later), or -1."""
    cache = cache_of(buf)
    if cache is None:
        return -1
    if buf.text[start] == "[":
        table = array_at(buf, start, hi)
        return -1 if table is None else table.close + 1
    objects = cache.objects
    if start in objects:
        found = objects[start]
    else:
        found = objects[start] = _scan_object(cache, buf.text, start)
    if found is None or found[0] > hi:
        return -1
    return found[0]


def seeded_buf(
    source: Buf, text: str, parts: list[str], kinds: list[str], values: list[Any] | None
) -> Buf:
    """The Buf of ``[part,part,...]``, an array the engine built from whole valid elements of
    ``source`` (of these kinds and decoded values), its table filled in: nothing to scan."""
    buf = Buf(text)
    known = _known(source)
    if known is None:
        return buf
    cache = buf.fast = FastCache(text, like=known)
    sizes = list(map(len, parts))
    starts = list(accumulate([size + 1 for size in sizes], initial=1))[:-1]
    ends = list(map(add, starts, sizes))
    if values is not None:
        _remember_objects(cache, starts, ends, kinds, values)
    elements = list(zip(starts, ends, kinds, strict=True))
    cache.arrays[0] = ValidArray(0, elements, values, len(text) - 1)
    return buf


@lru_cache(maxsize=1024)
def is_plain_key(path: str) -> bool:
    """A path that is one object key, read literally by gjson (no escapes, wildcards, pipes,
    dots, modifiers, literals or multipaths) and spelled in JSON without escapes."""
    return (
        _PLAIN_KEY.fullmatch(path) is not None
        and path[0] not in "@![{"
        and not (len(path) > 1 and path[0] == "." and path[1] == ".")
    )


@lru_cache(maxsize=256)
def member_pattern(key: str) -> re.Pattern[str]:
    """The members of a valid object up to the first top-level ``"key"``, its value captured.

    Earlier keys must be spelled without escapes: one with an escape might be ``key`` in
    disguise, so the pattern fails there and the faithful scanner decides.
    """
    ws = r"[ \t\n\r]*+"
    member = rf'"[^"\\]*+"{ws}:{ws}(?:{_VALUE}){ws},{ws}'
    return re.compile(rf'{ws}(?:{member})*?"{re.escape(key)}"{ws}:{ws}({_VALUE})', re.S)


def find_member(buf: Buf, start: int, found: ValidObject, key: str) -> Element | None:
    """The first member ``key`` of the valid object at ``start``: its value's span and kind,
    ABSENT when there is none, None when only the faithful scanner can tell."""
    end, decoded = found
    cache = _known(buf)
    if cache is None or not cache.decoded_ok:
        return None
    if key not in decoded:
        return ABSENT
    if _walks.get(key, 0) < _WALKS_BEFORE_COMPILING:
        if len(_walks) > 4096:  # a long-lived process (the language server) stays bounded
            _walks.clear()
        _walks[key] = _walks.get(key, 0) + 1
        span = member_span(buf.text, start + 1, end, key)
    else:  # a key looked up often: its compiled pattern pays off
        match = member_pattern(key).match(buf.text, start + 1, end)
        span = None if match is None else match.span(1)
    if span is None:
        return None
    value_start, value_end = span
    return value_start, value_end, _kind(buf.text[value_start])


#: find_member walks the members for a key's first lookups (a one-off run, an editor's
#: check) and compiles the key's pattern (2-6 ms, then faster per object) after that many.
_WALKS_BEFORE_COMPILING = 32
_walks: dict[str, int] = {}

_MEMBER_WS = _WS.pattern
_MEMBER_HEAD = re.compile(rf'{_MEMBER_WS}"([^"\\]*+)"{_MEMBER_WS}:{_MEMBER_WS}')
_MEMBER_VALUE = re.compile(_VALUE, re.S)
_MEMBER_COMMA = re.compile(rf"{_MEMBER_WS},{_MEMBER_WS}")


def member_span(text: str, start: int, end: int, key: str) -> tuple[int, int] | None:
    """What ``member_pattern(key).match(text, start, end)`` finds (the span of group 1),
    or None where it fails, read member by member with three expressions compiled once.

    ``member_pattern`` embeds the nested value expression twice and costs 2-6 ms to
    compile for each new key; a lookup of one object needs it once. The walk is the same
    reading: every member's value is matched in exactly one way (possessive expressions,
    alternatives told apart by the first character), so trying ``"key"`` at each member
    before skipping it, as the lazy ``*?`` does, finds the same member or fails at the same
    place. A key holding a quote or a backslash is left to the pattern.
    """
    if '"' in key or "\\" in key:
        match = member_pattern(key).match(text, start, end)
        return None if match is None else match.span(1)
    position = start
    while True:
        head = _MEMBER_HEAD.match(text, position, end)
        if head is None:
            return None
        value = _MEMBER_VALUE.match(text, head.end(), end)
        if value is None:
            return None
        if head.group(1) == key:
            return value.span()
        comma = _MEMBER_COMMA.match(text, value.end(), end)
        if comma is None:
            return None
        position = comma.end()


#: members()'s answer for an element without the key.
NO_SPAN = (-1, -1)


def members(
    buf: Buf, table: ValidArray, positions: range | list[int], key: str
) -> list[tuple[int, int] | None]:
    """``find_member`` for several elements of a valid array at once: the span of each one's
    ``key`` value, NO_SPAN when it has none, None when only the faithful walk can tell."""
    cache = _known(buf)
    values = table.values
    if cache is None or values is None or not cache.decoded_ok or not is_plain_key(key):
        return [None] * len(positions)
    text = buf.text
    elements = table.elements
    inner, ends = table.bounds()
    if positions == range(len(elements)):
        chosen = elements
    else:
        chosen = [elements[k] for k in positions]
        values = [values[k] for k in positions]
        inner = [inner[k] for k in positions]
        ends = [ends[k] for k in positions]
    match = member_pattern(key).match
    if table.kinds() == {"{"} and all(map(dict.__contains__, values, repeat(key))):
        # Every element is an object with the key (the common case): a few passes in C.
        # An anchored regex reads the first two members at once; past them, it walks the
        # members before the key, and finding the key's quote first costs less (for more
        # than a few elements: it takes several passes).
        early = len(values) < 4 or key in list(islice(values[0], 2))
        spans = None if early else _first_keys(cache, text, table, key, inner, ends)
        if spans is not None:
            return spans
        matches = list(map(match, repeat(text), inner, ends))
        if None not in matches:
            return list(map(_SPAN_OF_VALUE, matches))
    found: list[tuple[int, int] | None] = []
    for (start, stop, kind), value in zip(chosen, values, strict=True):
        if kind != "{":
            found.append(None)
        elif key not in value:
            found.append(NO_SPAN)
        else:
            member = match(text, start + 1, stop)
            found.append(None if member is None else member.span(1))
    return found


_SPAN_OF_VALUE = methodcaller("span", 1)


@lru_cache(maxsize=256)
def _key_value(key: str) -> re.Pattern[str]:
    """``"key"`` (no backslash before it), a colon and the value, captured: a member read
    from its key's opening quote."""
    ws = r"[ \t\n\r]*+"
    return re.compile(rf'(?<!\\)"{re.escape(key)}"{ws}:{ws}({_VALUE})', re.S)


def _first_keys(
    cache: FastCache,
    text: str,
    table: ValidArray,
    key: str,
    inner: list[int],
    ends: list[int],
) -> list[tuple[int, int] | None] | None:
    """The ``key`` value spans of objects that all hold ``key``, from the first literal
    ``"key"`` in each, or None when that cannot be shown to be gjson's member.

    The first ``"key"`` in an element's text is its first top-level member ``key`` when:
    no key in the array is spelled with an escape (``escaped_keys``: no alias of ``key``
    comes earlier); its opening quote has no backslash before it (so in valid JSON it
    opens a string, which is followed by a colon: a key); and either no ``{`` or ``[``
    comes before it in the element (it is not inside a nested container) or the array
    holds one ``"key"`` per element that has it (``key_once``: the only one is the key).
    """
    if cache.escape_trouble and table.escaped_keys(text):
        return None
    needle = f'"{key}"'
    find = text.find
    places = list(map(find, repeat(needle), inner, ends))
    if -1 in places:
        return None
    if not table.known_once(key) and not _before_nesting(find, inner, places):
        values = table.values
        assert values is not None
        present = sum(map(_holds, values, repeat(key)))
        if not table.key_once(text, key, present):
            return None
    matches = list(map(_key_value(key).match, repeat(text), places))
    if None in matches:
        return None
    return list(map(_SPAN_OF_VALUE, matches))


def _holds(value: Any, key: str) -> bool:
    return type(value) is dict and key in value


def _before_nesting(
    find: Callable[[str, int, int], int], inner: list[int], places: list[int]
) -> bool:
    """No ``{`` or ``[`` between each element's start and its place."""
    openers = list(map(find, repeat("{"), inner, places))
    openers += map(find, repeat("["), inner, places)
    return openers.count(-1) == len(openers)


class _Marker:
    """A column entry that is not a decoded value."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


#: The element has no such member (gjson: the query's path finds nothing).
MISSING = _Marker("missing")
#: A scalar element under a query with a path: gjson never matches it.
NEVER = _Marker("never")

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
# Values whose query outcome depends only on their type and value (dicts and lists: type).
_BY_VALUE = frozenset((str, float, bool, type(None), _Marker))
_PREFIX_PATTERN = re.compile(r"([^*?\\]*)\*+")


def query_column(
    buf: Buf, table: ValidArray, path: str, exact: Callable[[int], Any]
) -> Column | None:
    """What a query's ``path`` finds in each element, decoded (remembered per path).

    None when the faithful walk must decide. For an element where the decoded member may
    not be gjson's (see ``_ambiguous``), ``exact(k)`` reads it from the text instead.
    """
    columns = table.columns
    if path in columns:
        return columns[path]
    column = columns[path] = _query_column(buf, table, path, exact)
    return column


def _query_column(
    buf: Buf, table: ValidArray, path: str, exact: Callable[[int], Any]
) -> Column | None:
    cache = _known(buf)
    values = table.values
    if cache is None or values is None or not cache.decoded_ok:
        return None
    kinds = table.kinds()
    if not path:
        if "{" in kinds:
            return None
        if "[" not in kinds:
            return Column(values)
        return Column([MISSING if type(value) is list else value for value in values])
    if not is_plain_key(path) or "[" in kinds:
        return None
    if cache.escape_trouble and table.escaped_keys(buf.text):
        return None
    if kinds == {"{"}:
        column = list(map(dict.get, values, repeat(path), repeat(MISSING)))
    else:
        column = [value.get(path, MISSING) if type(value) is dict else NEVER for value in values]
    for k in _ambiguous(buf.text, table, path, column):
        column[k] = exact(k)
    return Column(column)


@lru_cache(maxsize=256)
def _key_token(key: str) -> re.Pattern[str]:
    """``"key"`` followed by a colon: how a key (not a string value) looks in valid JSON."""
    return re.compile(re.escape(f'"{key}"') + r"[ \t\n\r]*+:")


def _ambiguous(text: str, table: ValidArray, path: str, column: list[Any]) -> list[int]:
    """Elements whose decoded ``path`` member may not be gjson's: ``"path":`` occurs more than
    once in their text (a duplicate key, or the same key in a nested object).

    Every element that has the key holds at least one ``"path"``; when the whole array holds
    no more than that, each holds exactly one. In valid JSON ``"key"`` followed by a colon is
    a key, or the end of a key with an escaped quote (``escaped_keys`` excluded those).
    """
    present = len(column) - column.count(MISSING) - column.count(NEVER)
    if table.key_once(text, path, present):
        return []
    token = _key_token(path)
    if len(token.findall(text, table.start, table.close)) == present:
        return []
    elements = table.elements
    return [
        k
        for k, value in enumerate(column)
        if value is not MISSING
        and value is not NEVER
        and len(token.findall(text, elements[k][0], elements[k][1])) != 1
    ]


def matching(found: Column, op: str, rpv: str, decide: Callable[[Any], bool]) -> list[int]:
    """Positions in the column whose value matches the query.

    ``decide(value)`` is the faithful test of one decoded value; columns of strings or of
    numbers under a plain comparison are compared in one pass, anything else is decided once
    per distinct value.
    """
    column = found.values
    if rpv[:1] != "~":
        kinds = found.types
        compare = _COMPARE.get(op)
        if kinds == {str}:
            if compare is not None:
                return list(compress(range(len(column)), map(compare, column, repeat(rpv))))
            prefix = _PREFIX_PATTERN.fullmatch(rpv) if op in ("%", "!%") else None
            if prefix is not None:
                wanted = op == "%"
                head = prefix.group(1)
                return [k for k, value in enumerate(column) if value.startswith(head) is wanted]
        elif kinds == {float} and compare is not None:
            target = parse_float(rpv)
            return list(compress(range(len(column)), map(compare, column, repeat(target))))
        elif kinds == {bool}:
            by_truth = {True: decide(True), False: decide(False)}
            return list(compress(range(len(column)), map(by_truth.__getitem__, column)))
    decided: dict[tuple[type, Any], bool] = {}
    positions = []
    for k, value in enumerate(column):
        kind = type(value)
        if kind in _BY_VALUE:
            key = (kind, value)
        elif kind is dict or kind is list:
            key = (kind, None)
        else:
            if decide(value):
                positions.append(k)
            continue
        outcome = decided.get(key)
        if outcome is None:
            outcome = decided[key] = decide(value)
        if outcome:
            positions.append(k)
    return positions
