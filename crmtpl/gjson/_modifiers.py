"""gjson's built-in modifiers: ``@reverse @ugly @pretty @this @valid @flatten @join @keys
@values @tostr @fromstr @group``.

A modifier receives the current JSON text and its argument (the text after ``:``) and returns
new JSON text. Several return their input unchanged; they hand back the same view of the same
Go string, since ``Result.Index`` depends on whether a value still lies inside the document.
"""

from __future__ import annotations

from collections.abc import Callable

from crmtpl.gjson._pretty import PrettyOptions, pretty, ugly
from crmtpl.gjson._result import _PLAIN_INTEGER, JSON, NUMBER, STRING, Result, parse
from crmtpl.gjson._scan import Buf, trim
from crmtpl.gjson._valid import quote, valid

View = tuple[Buf, int, int]
Modifier = Callable[[Buf, int, int, str], View]

# strings.TrimSpace trims Unicode White_Space.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _new(text: str) -> View:
    return Buf(text), 0, len(text)


def _parsed(buf: Buf, lo: int, hi: int) -> Result:
    return parse(buf, lo, hi)


def _options(arg: str) -> list[tuple[str, Result]]:
    """The members of a modifier's JSON argument, as ForEach reads them."""
    if not arg:
        return []
    buf = Buf(arg)
    return [(key.str, value) for key, value in parse(buf, 0, len(arg)).items()]


def _unwrap(text: str) -> str:
    text = trim(text)
    if len(text) >= 2 and text[0] in "[{":
        return text[1:-1]
    return text


def mod_pretty(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@pretty, with the options sortKeys, indent, prefix and width."""
    text = buf.text[lo:hi]
    if not arg:
        return _new(pretty(text))
    opts = PrettyOptions()
    for key, value in _options(arg):
        if key == "sortKeys":
            opts.sort_keys = value.bool()
        elif key == "indent":
            opts.indent = _clean_ws(value.str)
        elif key == "prefix":
            opts.prefix = _clean_ws(value.str)
        elif key == "width":
            opts.width = value.int()
    return _new(pretty(text, opts))


def _clean_ws(text: str) -> str:
    """cleanWS: keep only space, tab, CR and LF."""
    return "".join(ch for ch in text if ch in " \t\n\r")


def mod_ugly(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@ugly: remove whitespace outside strings."""
    return _new(ugly(buf.text[lo:hi]))


def mod_this(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@this: the current value, unchanged."""
    return buf, lo, hi


def mod_valid(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@valid: the value if the text is valid JSON, else nothing."""
    return (buf, lo, hi) if valid(buf.text[lo:hi]) else _new("")


def mod_reverse(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@reverse: array elements or object members in reverse order."""
    res = _parsed(buf, lo, hi)
    if res.is_array:
        values = [value.raw for value in res]
        return _new("[" + ",".join(reversed(values)) + "]")
    if res.is_object:
        members = [key.raw + ":" + value.raw for key, value in res.items()]
        return _new("{" + ",".join(reversed(members)) + "}")
    return buf, lo, hi


def mod_flatten(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@flatten: splice child arrays into the array; ``{"deep":true}`` recursively."""
    res = _parsed(buf, lo, hi)
    if not res.is_array:
        return buf, lo, hi
    return _new(_flatten(res, arg))


def _flatten(res: Result, arg: str) -> str:
    deep = False
    for key, value in _options(arg):
        if key == "deep":
            deep = value.bool()
    out: list[str] = []
    for value in res:
        raw = value.raw
        if value.is_array:
            raw = _unwrap(_flatten(value, arg) if deep else raw)
        raw = raw.strip(_GO_SPACE)
        if raw:
            out.append(raw)
    return "[" + ",".join(out) + "]"


def mod_join(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@join: merge an array of objects into one; ``{"preserve":true}`` keeps duplicates."""
    res = _parsed(buf, lo, hi)
    if not res.is_array:
        return buf, lo, hi
    preserve = False
    for name, option in _options(arg):
        if name == "preserve":
            preserve = option.bool()
    if preserve:
        parts = [_unwrap(value.raw) for value in res if value.is_object]
        return _new("{" + ",".join(parts) + "}")
    keys: list[Result] = []
    values: dict[str, Result] = {}
    for value in res:
        if not value.is_object:
            continue
        for key, member in value.items():
            name = key.str
            if name not in values:
                keys.append(key)
            values[name] = member
    members = [key.raw + ":" + values[key.str].raw for key in keys]
    return _new("{" + ",".join(members) + "}")


def mod_keys(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@keys: the keys of an object (``null`` for each item of anything else)."""
    res = _parsed(buf, lo, hi)
    if not res.exists:
        return _new("[]")
    is_object = res.is_object
    keys = [key.raw if is_object else "null" for key, _ in res.items()]
    return _new("[" + ",".join(keys) + "]")


def mod_values(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@values: the values of an object; an array is returned as it is."""
    res = _parsed(buf, lo, hi)
    if not res.exists:
        return _new("[]")
    if res.is_array:
        return buf, lo, hi
    return _new("[" + ",".join(value.raw for value in res) + "]")


def mod_tostr(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@tostr: the JSON text as a JSON string."""
    return _new(quote(buf.text[lo:hi]))


def mod_fromstr(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@fromstr: the content of a JSON string, read as JSON (nothing if the text is invalid)."""
    if not valid(buf.text[lo:hi]):
        return _new("")
    res = parse(buf, lo, hi)
    # String() is a slice of the document for a string without escapes, a JSON value or an
    # integer-looking number; Go's Index arithmetic can tell, so keep the view then.
    if res.type == STRING and "\\" not in res.raw:
        return buf, res._pos + 1, res._pos + len(res.raw) - 1
    if (res.type == NUMBER and _PLAIN_INTEGER.fullmatch(res.raw)) or res.type == JSON:
        return buf, res._pos, res._pos + len(res.raw)
    return _new(res.str)


def mod_group(buf: Buf, lo: int, hi: int, arg: str) -> View:
    """@group: ``{"a":[1,2],"b":[3,4]}`` becomes ``[{"a":1,"b":3},{"a":2,"b":4}]``."""
    res = _parsed(buf, lo, hi)
    if not res.is_object:
        return _new("")
    groups: list[list[str]] = []
    for key, value in res.items():
        if not value.is_array:
            continue
        for position, item in enumerate(value):
            if position == len(groups):
                groups.append([])
            groups[position].append(key.raw + ":" + item.raw)
    return _new("[" + ",".join("{" + ",".join(group) + "}" for group in groups) + "]")


MODIFIERS: dict[str, Modifier] = {
    "pretty": mod_pretty,
    "ugly": mod_ugly,
    "reverse": mod_reverse,
    "this": mod_this,
    "flatten": mod_flatten,
    "join": mod_join,
    "valid": mod_valid,
    "keys": mod_keys,
    "values": mod_values,
    "tostr": mod_tostr,
    "fromstr": mod_fromstr,
    "group": mod_group,
}
