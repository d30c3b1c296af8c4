"""How Python values stand for Go values inside the engine.

The mapping (also in the package docstring):

============================  ===========================  ===================================
Python                        Go                           notes
============================  ===========================  ===================================
``str``                       ``string``                   bytes are the UTF-8 encoding; see below
``JSONNumber`` (str subclass) ``json.Number``              a *string* type, as Go's decoder gives
``bool``                      ``bool``
``int``                       ``int`` (64-bit)
``float``                     ``float64``
``None``                      ``nil``                      in a list or dict: nil ``interface{}``
``list``                      ``[]interface {}``           capacity as ``encoding/json`` builds it
``dict`` (``str`` keys)       ``map[string]interface {}``
``StringMap`` (dict subclass) ``map[string]string``        the ``string`` data mode
============================  ===========================  ===================================

The engine also makes a few values of its own: ``Uint8`` (a byte taken from a string by
``index``), ``Int64`` (``json.Number.Int64()``), ``complex`` (complex constants) and
``GoSlice`` (the result of ``slice`` on a list, which remembers its backing array and capacity).

Go strings are byte strings. A Python ``str`` stands for its UTF-8 encoding; bytes that are
not valid UTF-8 (made by byte-wise ``slice`` or ``\\x`` escapes) are carried as the lone
surrogates U+DC80..U+DCFF, Python's ``surrogateescape`` convention.

Inside the executor two more markers exist: ``INVALID`` (Go's zero ``reflect.Value``: a
missing map key, untyped nil) and ``Iface`` (a value read out of an ``interface{}`` slot of a
list or dict, whose *static* type is ``interface {}``; Go's error texts depend on it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final


class JSONNumber(str):
    """Go's ``json.Number``: the exact text of a JSON number, a string type."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"JSONNumber({str.__repr__(self)})"


class StringMap(dict[str, str]):
    """A ``map[string]string`` (flat string variables), as opposed to a plain dict."""

    __slots__ = ()


class Uint8(int):
    """A Go ``uint8`` (a byte of a string, from ``index``)."""

    __slots__ = ()


class Int64(int):
    """A Go ``int64`` (from ``json.Number.Int64``)."""

    __slots__ = ()


class GoSlice(list[object]):
    """A slice made by the ``slice`` builtin: its elements plus Go's capacity and backing array.

    Go's ``slice .list 0 4`` on a three-element list decoded by ``encoding/json`` (capacity
    4) yields four elements, the last a nil from the unused capacity; a later ``slice`` of the
    result can reach elements of the original array again. ``backing`` and ``offset`` keep
    that array so the engine can reproduce it.
    """

    __slots__ = ("backing", "cap", "offset")

    def __init__(self, elements: list[object], backing: list[object], offset: int, cap: int):
        super().__init__(elements)
        self.backing = backing
        self.offset = offset
        self.cap = cap


class Iface:
    """A value held in an ``interface{}`` slot (list element, dict value).

    Its static type is ``interface {}``, which Go's error texts show.
    """

    __slots__ = ("v",)

    def __init__(self, v: object) -> None:
        self.v = v

    def __repr__(self) -> str:
        return f"Iface({self.v!r})"


class _Invalid:
    """Go's zero ``reflect.Value``: no value at all (missing key, untyped nil)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()

# Size classes of Go 1.19's allocator (runtime/sizeclasses.go), used to reproduce the
# capacity that append gives a slice; only the capacity of decoded JSON arrays depends on it.
_SIZE_CLASSES: Final = (
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
    288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
    1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528,
    6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072,
    20480, 21760, 24576, 27264, 28672, 32768,
)  # fmt: skip
_PAGE_SIZE: Final = 8192
_INTERFACE_SIZE: Final = 16  # bytes of one interface{} element


def _roundup_size(size: int) -> int:
    if size <= _SIZE_CLASSES[-1]:
        for cls in _SIZE_CLASSES:
            if cls >= size:
                return cls
    return -(-size // _PAGE_SIZE) * _PAGE_SIZE


@lru_cache(maxsize=256)
def json_slice_cap(length: int) -> int:
    """The capacity of a ``[]interface{}`` of ``length`` elements built by ``encoding/json``.

    The decoder starts from ``make([]any, 0)`` and appends one element at a time, so the
    capacity follows Go 1.19's ``growslice``: doubling below 256, then 1.25x plus a
    constant, rounded up to an allocator size class.
    """
    cap = 0
    for needed in range(1, length + 1):
        if needed <= cap:
            continue
        new_cap = cap
        if needed > 2 * cap:
            new_cap = needed
        elif cap < 256:
            new_cap = 2 * cap
        else:
            while new_cap < needed:
                new_cap += (new_cap + 3 * 256) // 4
        cap = _roundup_size(new_cap * _INTERFACE_SIZE) // _INTERFACE_SIZE
    return cap


def slice_cap(value: list[object]) -> int:
    """Go's ``cap()`` of a list (a decoded JSON array) or of a ``GoSlice``."""
    if isinstance(value, GoSlice):
        return value.cap
    return json_slice_cap(len(value))


# --- Go strings as bytes -------------------------------------------------------------


def go_bytes(s: str) -> bytes:
    """The bytes of a Go string held as a Python str (lone surrogates other than
    U+DC80..U+DCFF, which valid input never has, become U+FFFD)."""
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        cleaned = "".join(
            "\ufffd" if "\ud800" <= c <= "\udfff" and not "\udc80" <= c <= "\udcff" else c
            for c in s
        )
        return cleaned.encode("utf-8", "surrogateescape")


def go_str(b: bytes) -> str:
    """A Go string from bytes (invalid UTF-8 kept as surrogate escapes)."""
    return b.decode("utf-8", "surrogateescape")


def go_len(s: str) -> int:
    """``len(s)`` in Go: the number of bytes."""
    if s.isascii():
        return len(s)
    return len(go_bytes(s))


def sorted_keys(mapping: dict[str, object] | dict[str, str]) -> list[str]:
    """Map keys in Go's order (``fmtsort``: by their bytes)."""
    keys = sorted(mapping)
    if all(k.isascii() for k in keys):
        return keys
    return sorted(keys, key=go_bytes)


def normalize_str(s: str) -> str:
    """Re-join escaped bytes that together form valid UTF-8 (after byte-wise concatenation)."""
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return go_str(go_bytes(s))
    return s


def to_valid_utf8(s: str) -> str:
    """The text Go's JSON encoder shows for a Go string: each invalid byte becomes U+FFFD."""
    if s.isascii():
        return s
    s = normalize_str(s)
    return "".join("\ufffd" if "\udc80" <= c <= "\udcff" else c for c in s)


# --- type names as Go prints them ---------------------------------------------------------


def go_type_name(value: object) -> str:
    """The Go type name of a value (``%T``, error messages); ``interface {}`` for an Iface."""
    t = type(value)
    name = _TYPE_NAMES.get(t)
    if name is not None:
        return name
    if isinstance(value, Iface):
        return "interface {}"
    if isinstance(value, StringMap):
        return "map[string]string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, JSONNumber):
        return "json.Number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Uint8):
        return "uint8"
    if isinstance(value, Int64):
        return "int64"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    raise TypeError(f"a value of type {t.__name__} cannot be passed to a Go template")


_TYPE_NAMES: Final[dict[type, str]] = {
    str: "string",
    JSONNumber: "json.Number",
    bool: "bool",
    int: "int",
    Int64: "int64",
    Uint8: "uint8",
    float: "float64",
    complex: "complex128",
    list: "[]interface {}",
    GoSlice: "[]interface {}",
    dict: "map[string]interface {}",
    StringMap: "map[string]string",
    Iface: "interface {}",
}
