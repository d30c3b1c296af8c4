"""Typer's parameter coercion for the everyday values, without loading pydantic.

Typer 0.29 coerces every non-boolean option value through a pydantic ``TypeAdapter``;
importing pydantic and building the adapters costs 60-130 ms on each run, more than the
rest of ``crmtpl validate``. For the annotations crmtpl declares (``str``, ``int`` with
``min``/``max``, ``Enum`` choices, ``Path`` and lists of those) the adapters only wrap
Typer's own functions (``coerce_cli_choice``, ``coerce_cli_path``) or Python's ``int`` and
``str``. :func:`install_direct_coercion` gives each parameter a runtime coercion that
calls those functions directly when a value takes the ordinary path, and hands every
other value (an unknown choice, a malformed number, an annotation not listed here) to
Typer's own adapter, so results and error messages are Typer's, byte for byte
(``tests/unit/cli/test_coercion.py`` compares both on the same values).

Typer internals are used here (``_TyperParameter._runtime_param``, ``RuntimeParam``);
``pyproject.toml`` pins Typer below 0.30 for that reason. Should they change, the
installer leaves the parameters alone and Typer's adapters are used as before.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from typer._click import Context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import (
    choice_coercion_annotation,
    coerce_cli_choice,
    coerce_cli_path,
    lenient_issubclass,
    routes_to_path,
)
from typer.core import _TyperParameter

if TYPE_CHECKING:
    from typer._click import Command

#: Strings pydantic's lax ``int`` and ``float`` accept that ``int()`` and ``float()`` read
#: the same way; any other spelling goes to Typer's adapter.
_PLAIN_NUMBER: dict[type[Any], re.Pattern[str]] = {
    int: re.compile(r"[0-9]+"),
    float: re.compile(r"[0-9]+(\.[0-9]+)?"),
}


class _NotOrdinary(Exception):
    """A value the direct path does not handle: Typer's adapter decides."""


def coerce_directly(annotation: Any, descriptor: TypeDescriptor, value: Any, ctx: Any) -> Any:
    """Coerce ``value`` as Typer's adapter would, or raise ``_NotOrdinary``.

    Only the successful, ordinary cases are handled; anything that might fail or that
    Typer treats specially is left to Typer.
    """
    info = descriptor.parameter_info
    if info.parser is not None:
        raise _NotOrdinary
    if get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        items = value if isinstance(value, list | tuple) else [value]
        return [coerce_directly(item_type, descriptor, item, ctx) for item in items]
    if get_origin(annotation) is not None:
        raise _NotOrdinary
    choice = choice_coercion_annotation(annotation, info)
    if choice is not None and lenient_issubclass(annotation, Enum):
        choices, case_sensitive = choice
        return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
    if annotation is int or annotation is float:
        return _coerce_number(annotation, value, info.min, info.max, info.clamp)
    if annotation is str:
        if type(value) is str:
            return value
        raise _NotOrdinary
    if routes_to_path(annotation, info):
        path_type = info.path_type
        if path_type is None and lenient_issubclass(annotation, Path):
            path_type = annotation
        if isinstance(path_type, type) and issubclass(path_type, Path) and type(value) is str:
            value = path_type(value)
        elif not (path_type is None or path_type is str or isinstance(value, os.PathLike)):
            raise _NotOrdinary
        return coerce_cli_path(value, info, path_type=path_type, ctx=ctx)
    raise _NotOrdinary


def _coerce_number(kind: type[Any], value: Any, low: Any, high: Any, clamp: bool | None) -> Any:
    if clamp:
        raise _NotOrdinary
    if type(value) is kind:
        number = value
    elif type(value) is str and _PLAIN_NUMBER[kind].fullmatch(value):
        number = kind(value)
    else:
        raise _NotOrdinary
    if (low is not None and number < low) or (high is not None and number > high):
        raise _NotOrdinary
    return number


@dataclass(frozen=True)
class DirectRuntimeParam(RuntimeParam):
    """Typer's coercion contract, the ordinary values served without pydantic."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        try:
            return coerce_directly(self.annotation, self.descriptor, value, ctx)
        except Exception:  # anything unusual: Typer's own adapter decides and words it
            typer_param = build_runtime_param(self.descriptor)
            return typer_param._coerce_value(value, param=param, ctx=ctx)


def install_direct_coercion(command: Command, parent: Context | None = None) -> None:
    """Give every parameter of ``command`` and its subcommands the direct coercion,
    the ``--help`` option Typer makes on first use included."""
    ctx = Context(command, parent=parent, info_name=command.name, **command.context_settings)
    help_option = command.get_help_option(ctx)
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        if descriptor.file_annotation is None:
            param._runtime_param = DirectRuntimeParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )
    for sub in getattr(command, "commands", {}).values():
        install_direct_coercion(sub, ctx)
