"""The builtin functions of Go 1.19's ``text/template`` (``funcs.go``), with Go's semantics
and error texts: ``and or not len index slice print printf println html js urlquery eq ne lt
le gt ge call``.

Functions whose Go parameters are ``reflect.Value`` receive the executor's raw values
(``INVALID``, ``Iface`` or a concrete value); those taking ``...any`` receive plain values
with ``None`` for nil. A Go ``error`` result (or a recovered panic) is raised as
``CallError`` with Go's text; the executor wraps it in ``error calling NAME: ...``.
"""

from __future__ import annotations

from typing import Final

from crmtpl.gotemplate.fmt import sprint, sprintf, sprintln
from crmtpl.gotemplate.gostrconv import is_print
from crmtpl.gotemplate.values import (
    INVALID,
    GoSlice,
    Iface,
    Int64,
    JSONNumber,
    StringMap,
    Uint8,
    go_bytes,
    go_len,
    go_str,
    go_type_name,
    normalize_str,
    slice_cap,
)


class CallError(Exception):
    """A function returned an error (or panicked); ``str()`` is Go's text."""


# --- reflect-like helpers -------------------------------------------------------------


def indirect_interface(v: object) -> object:
    """Go's ``indirectInterface``: the value inside an interface, INVALID for a nil one."""
    if type(v) is Iface:
        return INVALID if v.v is None else v.v
    return v


def indirect(v: object) -> tuple[object, bool]:
    """Go's ``indirect``: look through an interface; (value, is_nil)."""
    if type(v) is Iface:
        if v.v is None:
            return v, True
        return v.v, False
    return v, False


def is_true(v: object) -> bool:
    """Go's ``isTrue`` (after ``indirectInterface``): the truth of a value."""
    t = type(v)
    if t is str or t is JSONNumber:
        return v != ""
    if t is bool:
        return v is True
    if v is INVALID or v is None:
        return False
    if t is Iface:
        return v.v is not None  # type: ignore[attr-defined]
    if isinstance(v, (list, dict, str)):
        return len(v) > 0
    if isinstance(v, (int, float, complex)):
        return v != 0
    raise TypeError(f"a value of type {t.__name__} cannot be passed to a Go template")


def truth(v: object) -> bool:
    """Go's ``truth``: ``isTrue(indirectInterface(v))``."""
    return is_true(indirect_interface(v))


# --- logic -------------------------------------------------------------------------------


def b_not(arg: object) -> bool:
    return not truth(arg)


# --- len, index, slice ---------------------------------------------------------------------


_ZERO_VALUE_TYPE = "reflect: call of reflect.Value.Type on zero Value"


def b_len(item: object) -> int:
    item, is_nil = indirect(item)
    if is_nil:
        raise CallError("len of nil pointer")
    if item is INVALID:
        raise CallError(_ZERO_VALUE_TYPE)
    if isinstance(item, str):
        return go_len(item)
    if isinstance(item, (list, dict)):
        return len(item)
    raise CallError(f"len of type {go_type_name(item)}")


def _index_arg(index: object, cap: int) -> int:
    if index is INVALID:
        raise CallError("cannot index slice/array with nil")
    if not isinstance(index, int) or isinstance(index, bool):
        raise CallError(f"cannot index slice/array with type {go_type_name(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise CallError(f"index out of range: {x}")
    return x


def b_index(item: object, *indexes: object) -> object:
    item = indirect_interface(item)
    if item is INVALID:
        raise CallError("index of untyped nil")
    for raw_index in indexes:
        index = indirect_interface(raw_index)
        item, is_nil = indirect(item)
        if is_nil:
            raise CallError("index of nil pointer")
        if isinstance(item, str):
            data = go_bytes(item)
            x = _index_arg(index, len(data))
            if x == len(data):  # Go 1.19 lets reflect's Index panic on index == len
                raise CallError("reflect: string index out of range")
            item = Uint8(data[x])
        elif isinstance(item, list):
            x = _index_arg(index, len(item))
            if x == len(item):
                raise CallError("reflect: slice index out of range")
            item = Iface(item[x])
        elif isinstance(item, dict):
            key = _map_key(index)
            # A missing key gives the element type's zero value (missingkey does not apply).
            item = item.get(key, "") if isinstance(item, StringMap) else Iface(item.get(key))
        else:
            raise CallError(f"can't index item of type {go_type_name(item)}")
    return item


def _map_key(index: object) -> str:
    """Go's ``prepareArg`` for a ``string`` map key."""
    if index is INVALID:
        raise CallError("value is nil; should be of type string")
    if type(index) is str:
        return index
    raise CallError(f"value has type {go_type_name(index)}; should be string")


def b_slice(item: object, *indexes: object) -> object:
    item = indirect_interface(item)
    if item is INVALID:
        raise CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise CallError("cannot 3-index slice a string")
        data = go_bytes(item)
        cap = length = len(data)
    elif isinstance(item, list):
        cap = slice_cap(item)
        length = len(item)
    else:
        raise CallError(f"can't slice item of type {go_type_name(item)}")
    idx = [0, length, 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise CallError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if isinstance(item, str):
        text = go_str(data[idx[0] : idx[1]])
        return JSONNumber(text) if isinstance(item, JSONNumber) else text
    assert isinstance(item, list)
    if len(indexes) < 3:
        return _reslice(item, idx[0], idx[1], cap)
    if idx[1] > idx[2]:
        raise CallError(f"invalid slice index: {idx[1]} > {idx[2]}")
    return _reslice(item, idx[0], idx[1], idx[2])


def _reslice(item: list[object], i: int, j: int, cap_end: int) -> GoSlice:
    if isinstance(item, GoSlice):
        backing, offset = item.backing, item.offset
    else:
        backing, offset = item, 0
    elements = backing[offset + i : offset + j]
    elements.extend([None] * (j - i - len(elements)))  # unused capacity holds nils
    return GoSlice(elements, backing, offset + i, cap_end - i)


# --- comparison -----------------------------------------------------------------------------

_INVALID_KIND: Final = 0
_BOOL: Final = 1
_COMPLEX: Final = 2
_INT: Final = 3
_FLOAT: Final = 4
_STRING: Final = 5
_UINT: Final = 6

_KINDS: Final[dict[type, int]] = {
    bool: _BOOL,
    int: _INT,
    Int64: _INT,
    Uint8: _UINT,
    float: _FLOAT,
    complex: _COMPLEX,
    str: _STRING,
    JSONNumber: _STRING,
}

ERR_BAD_COMPARISON_TYPE: Final = "invalid type for comparison"
ERR_BAD_COMPARISON: Final = "incompatible types for comparison"
ERR_NO_COMPARISON: Final = "missing argument for comparison"


def _basic_kind(v: object) -> int:
    return _KINDS.get(type(v), _INVALID_KIND)


def _reflect_kind(v: object) -> str:
    if v is INVALID:
        return "invalid"
    if isinstance(v, list):
        return "slice"
    if isinstance(v, dict):
        return "map"
    return type(v).__name__


def _go_less(a: object, b: object, kind: int) -> bool:
    if kind == _STRING:
        assert isinstance(a, str) and isinstance(b, str)
        if a.isascii() and b.isascii():
            return a < b
        return go_bytes(a) < go_bytes(b)
    return bool(a < b)  # type: ignore[operator]


def b_eq(arg1: object, *arg2: object) -> bool:
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise CallError(ERR_NO_COMPARISON)
    k1 = _basic_kind(arg1)
    for raw in arg2:
        arg = indirect_interface(raw)
        k2 = _basic_kind(arg)
        equal = False
        if k1 != k2:
            if k1 == _INT and k2 == _UINT:
                equal = arg1 >= 0 and arg1 == arg  # type: ignore[operator]
            elif k1 == _UINT and k2 == _INT:
                equal = arg >= 0 and arg1 == arg  # type: ignore[operator]
            elif arg1 is not INVALID and arg is not INVALID:
                raise CallError(ERR_BAD_COMPARISON)
        elif k1 != _INVALID_KIND:
            equal = arg1 == arg
        else:
            k_1, k_2 = _reflect_kind(arg1), _reflect_kind(arg)
            if k_1 != k_2 and "invalid" not in (k_1, k_2):
                raise CallError(
                    "non-comparable types "
                    + sprintf("%s: %v, %s: %v", [arg1, go_type_name(arg1), go_type_name(arg), arg])
                )
            if arg1 is INVALID or arg is INVALID:
                equal = (arg is INVALID) == (arg1 is INVALID)
            else:
                raise CallError(
                    "non-comparable type " + sprintf("%s: %v", [arg, go_type_name(arg)])
                )
        if equal:
            return True
    return False


def b_ne(arg1: object, arg2: object) -> bool:
    return not b_eq(arg1, arg2)


def b_lt(arg1: object, arg2: object) -> bool:
    arg1 = indirect_interface(arg1)
    k1 = _basic_kind(arg1)
    if k1 == _INVALID_KIND:
        raise CallError(ERR_BAD_COMPARISON_TYPE)
    arg2 = indirect_interface(arg2)
    k2 = _basic_kind(arg2)
    if k2 == _INVALID_KIND:
        raise CallError(ERR_BAD_COMPARISON_TYPE)
    if k1 != k2:
        if k1 == _INT and k2 == _UINT:
            return arg1 < 0 or arg1 < arg2  # type: ignore[operator]
        if k1 == _UINT and k2 == _INT:
            return arg2 >= 0 and arg1 < arg2  # type: ignore[operator]
        raise CallError(ERR_BAD_COMPARISON)
    if k1 in (_BOOL, _COMPLEX):
        raise CallError(ERR_BAD_COMPARISON_TYPE)
    return _go_less(arg1, arg2, k1)


def b_le(arg1: object, arg2: object) -> bool:
    if b_lt(arg1, arg2):
        return True
    return b_eq(arg1, arg2)


def b_gt(arg1: object, arg2: object) -> bool:
    return not b_le(arg1, arg2)


def b_ge(arg1: object, arg2: object) -> bool:
    return not b_lt(arg1, arg2)


# --- call -----------------------------------------------------------------------------------


def b_call(fn: object, *args: object) -> object:
    fn = indirect_interface(fn)
    if fn is INVALID:
        raise CallError("call of nil")
    raise CallError(f"non-function of type {go_type_name(fn)}")


# --- printing and escaping -----------------------------------------------------------------


def b_print(*args: object) -> str:
    return normalize_str(sprint(list(args)))


def b_printf(format: str, *args: object) -> str:
    return normalize_str(sprintf(format, list(args)))


def b_println(*args: object) -> str:
    return normalize_str(sprintln(list(args)))


def _eval_args(args: tuple[object, ...]) -> str:
    """Go's ``evalArgs``: one string as is, else Sprint with nil shown as ``<no value>``."""
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    return normalize_str(sprint(["<no value>" if a is None else a for a in args]))


_HTML_ESCAPES: Final = {
    "\0": "\ufffd",
    '"': "&#34;",
    "'": "&#39;",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
_HTML_TABLE: Final = str.maketrans(_HTML_ESCAPES)


def html_escape(s: str) -> str:
    """``template.HTMLEscapeString``."""
    return s.translate(_HTML_TABLE)


def b_html(*args: object) -> str:
    return html_escape(_eval_args(args))


_JS_ESCAPES: Final = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape(s: str) -> str:
    """``template.JSEscapeString``."""
    out: list[str] = []
    for c in s:
        r = ord(c)
        if r < 0x80:
            esc = _JS_ESCAPES.get(c)
            if esc is not None:
                out.append(esc)
            elif r < 0x20:
                out.append(f"\\u00{r:02X}")
            else:
                out.append(c)
        elif 0xDC80 <= r <= 0xDCFF or is_print(r):
            out.append(c)  # an invalid byte decodes as U+FFFD, which is printable: kept
        else:
            out.append(f"\\u{r:04X}")
    return "".join(out)


def b_js(*args: object) -> str:
    return js_escape(_eval_args(args))


_UNRESERVED: Final = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
)


def query_escape(s: str) -> str:
    """``url.QueryEscape``: unreserved bytes kept, space as ``+``, the rest ``%XX``."""
    out: list[str] = []
    for byte in go_bytes(s):
        if byte in _UNRESERVED:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def b_urlquery(*args: object) -> str:
    return query_escape(_eval_args(args))


def b_and_or_placeholder(*args: object) -> object:
    """``and``/``or`` are evaluated by the executor (they short-circuit); never called."""
    raise AssertionError("and/or are evaluated by the executor")
