"""Function sets: the builtins and the PBX functions, each with its Go signature.

Go checks calls against a function's signature: how many arguments, and the type each is
converted to (``reflect.Value``, ``interface{}`` or ``string`` here). ``GoFunc`` records that
signature beside the Python implementation, so the executor can reproduce Go's argument
handling and its errors, and the analysis can check argument counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Final

from crmtpl.gotemplate import builtins as b
from crmtpl.gotemplate import pbx


class ParamKind(Enum):
    """The Go type a parameter converts its argument to."""

    VALUE = "reflect.Value"
    ANY = "interface {}"
    STRING = "string"


@dataclass(frozen=True)
class GoFunc:
    """A template function: name, Go parameter kinds, whether the last is variadic."""

    name: str
    params: tuple[ParamKind, ...]
    variadic: bool
    impl: Callable[..., object]
    builtin: bool = False
    wants_zone: bool = False  # the implementation takes the PBX local zone first

    @property
    def min_args(self) -> int:
        """Fewest arguments Go accepts."""
        return len(self.params) - 1 if self.variadic else len(self.params)

    @property
    def max_args(self) -> int | None:
        """Most arguments Go accepts (None: unlimited)."""
        return None if self.variadic else len(self.params)


_V = ParamKind.VALUE
_A = ParamKind.ANY
_S = ParamKind.STRING

BUILTIN_FUNCS: Final[tuple[GoFunc, ...]] = (
    GoFunc("and", (_V, _V), True, b.b_and_or_placeholder, builtin=True),
    GoFunc("call", (_V, _V), True, b.b_call, builtin=True),
    GoFunc("html", (_A,), True, b.b_html, builtin=True),
    GoFunc("index", (_V, _V), True, b.b_index, builtin=True),
    GoFunc("slice", (_V, _V), True, b.b_slice, builtin=True),
    GoFunc("js", (_A,), True, b.b_js, builtin=True),
    GoFunc("len", (_V,), False, b.b_len, builtin=True),
    GoFunc("not", (_V,), False, b.b_not, builtin=True),
    GoFunc("or", (_V, _V), True, b.b_and_or_placeholder, builtin=True),
    GoFunc("print", (_A,), True, b.b_print, builtin=True),
    GoFunc("printf", (_S, _A), True, b.b_printf, builtin=True),
    GoFunc("println", (_A,), True, b.b_println, builtin=True),
    GoFunc("urlquery", (_A,), True, b.b_urlquery, builtin=True),
    GoFunc("eq", (_V, _V), True, b.b_eq, builtin=True),
    GoFunc("ge", (_V, _V), False, b.b_ge, builtin=True),
    GoFunc("gt", (_V, _V), False, b.b_gt, builtin=True),
    GoFunc("le", (_V, _V), False, b.b_le, builtin=True),
    GoFunc("lt", (_V, _V), False, b.b_lt, builtin=True),
    GoFunc("ne", (_V, _V), False, b.b_ne, builtin=True),
)

PBX_FUNCS: Final[tuple[GoFunc, ...]] = (
    GoFunc("TimeFormat", (_S, _S, _S), False, pbx.time_format, wants_zone=True),
    GoFunc("ToMillis", (_S,), False, pbx.to_millis),
    GoFunc("Capitalize", (_S,), False, pbx.capitalize),
    GoFunc("UrlEncode", (_S,), False, pbx.url_encode),
)

PBX_FUNCTIONS: Final[dict[str, int]] = {f.name: len(f.params) for f in PBX_FUNCS}
"""The PBX's custom functions and their argument counts (all arguments are strings)."""


class FuncSet(Mapping[str, GoFunc]):
    """A named, immutable set of template functions (always including the builtins)."""

    def __init__(self, name: str, extra: tuple[GoFunc, ...] = ()) -> None:
        self.name = name
        self._funcs: dict[str, GoFunc] = {f.name: f for f in BUILTIN_FUNCS}
        # User functions take precedence over builtins in Go (parseFuncs before builtins).
        self._funcs.update({f.name: f for f in extra})

    def __getitem__(self, key: str) -> GoFunc:
        return self._funcs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._funcs)

    def __len__(self) -> int:
        return len(self._funcs)

    def __repr__(self) -> str:
        return f"FuncSet({self.name!r})"

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuncSet) and other.name == self.name


BUILTINS_ONLY: Final = FuncSet("builtins")
"""Go's builtins only (the oracle's ``funcs: "none"``)."""

PBX: Final = FuncSet("pbx", PBX_FUNCS)
"""Builtins plus the PBX functions: what the PBX offers a template (the default)."""


# --- JSON number methods ---------------------------------------------------------------------


def _number_int64(n: str) -> object:
    from crmtpl.gotemplate.gostrconv import StrconvError, parse_int
    from crmtpl.gotemplate.values import Int64

    try:
        return Int64(parse_int(n, 10, 64))
    except StrconvError as exc:
        raise b.CallError(str(exc)) from None


def _number_float64(n: str) -> object:
    from crmtpl.gotemplate.gostrconv import StrconvError, parse_float

    try:
        return parse_float(n)
    except StrconvError as exc:
        raise b.CallError(str(exc)) from None


JSON_NUMBER_METHODS: Final[dict[str, GoFunc]] = {
    "Float64": GoFunc("Float64", (), False, _number_float64),
    "Int64": GoFunc("Int64", (), False, _number_int64),
    "String": GoFunc("String", (), False, str),
}
"""The methods of Go's ``json.Number``, reachable as fields: ``{{.n.Int64}}``."""
