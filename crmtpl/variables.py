"""The variable context a template is rendered with, and where each value came from.

Precedence, highest first (docs/variables.md):

1. ``--var NAME=VALUE`` (``flag``)
2. ``--vars-file FILE`` (``file``)
3. environment ``CRMTPL_VAR_<NAME>`` (``env``)
4. stored credentials: keyring or the opt-in file store (``credential``)
5. values obtained at run time: tokens, GetGlobalInfo outputs, outputs of earlier requests
   in a ``Next`` chain (``auth``, ``output``)
6. the PBX side given explicitly with ``--phone`` / ``--call FILE`` (``pbx``)
7. the PBX's predefined variables with fixed sample values (``sample``)
8. the ``Value`` of a ``string`` custom field: the template's own default (``default``);
   whether the PBX pre-fills its form with it is not documented (docs/pbx-unknowns.md)

The PBX passes every variable to Go's template engine as a string, so values are strings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from crmtpl.secrets import is_secret_field

ENV_PREFIX = "CRMTPL_VAR_"


class Source(StrEnum):
    """Where a variable's value came from, in precedence order (first wins)."""

    FLAG = "flag"
    FILE = "file"
    ENV = "env"
    CREDENTIAL = "credential"
    AUTH = "auth"
    OUTPUT = "output"
    PBX = "pbx"
    SAMPLE = "sample"
    DEFAULT = "default"


_PRIORITY = {source: rank for rank, source in enumerate(Source)}
#: Sources a user types or points at (a given token is not refreshed, say).
USER_SOURCES = frozenset({Source.FLAG, Source.FILE, Source.ENV})


@dataclass(frozen=True)
class Variable:
    """One value with its provenance; ``secret`` values are masked in every output."""

    name: str
    value: str
    source: Source
    origin: str
    secret: bool = False
    placeholder: bool = False

    def describe(self) -> str:
        """Where it came from, for ``--list-vars``: ``flag (--var)``, ``sample (PBX)``..."""
        return f"{self.source.value} ({self.origin})" if self.origin else self.source.value


class VariableContext:
    """Layered variables: each name resolves to its highest-precedence value."""

    def __init__(self, variables: Iterable[Variable] = ()) -> None:
        self._layers: dict[str, list[Variable]] = {}
        self._secret_names: set[str] = set()
        for variable in variables:
            self.add(variable)

    def user_given(self, name: str) -> bool:
        """True when the value of ``name`` comes from the user (``--var``, a file, env)."""
        variable = self.get(name)
        return variable is not None and variable.source in USER_SOURCES

    def add(self, variable: Variable) -> None:
        """Add a value; it wins over values of lower precedence for the same name, and
        replaces an earlier value from the same source (a refreshed token, say)."""
        layer = self._layers.setdefault(variable.name, [])
        layer[:] = [v for v in layer if v.source is not variable.source]
        layer.append(variable)
        layer.sort(key=lambda v: _PRIORITY[v.source])

    def set(
        self,
        name: str,
        value: str,
        source: Source,
        origin: str = "",
        *,
        secret: bool = False,
        placeholder: bool = False,
    ) -> None:
        """Shorthand for :meth:`add`."""
        self.add(Variable(name, value, source, origin, secret, placeholder))

    def mark_secret(self, name: str) -> None:
        """Treat every value of ``name`` as secret (e.g. a password custom field)."""
        self._secret_names.add(name)

    def get(self, name: str) -> Variable | None:
        """The winning value for ``name``, or None."""
        layer = self._layers.get(name)
        if not layer:
            return None
        winner = layer[0]
        if name in self._secret_names and not winner.secret:
            return replace(winner, secret=True)
        return winner

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._layers

    def __iter__(self) -> Iterator[Variable]:
        for name in sorted(self._layers):
            winner = self.get(name)
            if winner is not None:
                yield winner

    def data(self) -> dict[str, str]:
        """The values as the template engine sees them: a flat ``map[string]string``."""
        return {variable.name: variable.value for variable in self}

    def secret_values(self) -> list[str]:
        """Every secret value in any layer (a masked value must never leak from a lower one)."""
        values = []
        for name, layer in self._layers.items():
            for variable in layer:
                if variable.secret or name in self._secret_names:
                    values.append(variable.value)
        return values

    def copy(self) -> VariableContext:
        """An independent copy (per-record contexts in a Next chain)."""
        twin = VariableContext()
        twin._layers = {name: list(layer) for name, layer in self._layers.items()}
        twin._secret_names = set(self._secret_names)
        return twin


def custom_field_default(name: str, editor: str | None, value: str | None) -> str | None:
    """A custom field's template default: the non-empty ``Value`` of a ``string`` field
    that is not secret, else None (docs/variables.md; the PBX's reading is uncertain,
    docs/pbx-unknowns.md). A password field's ``Value`` is never a default: a secret does
    not belong in a template, and using one silently would hide that it is there."""
    kind = (editor or "string").strip().lower()
    if not value or kind != "string" or is_secret_field(name, kind):
        return None
    return value


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``NAME=VALUE`` from ``--var``; raise ValueError with a readable reason."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"--var {text!r} is not NAME=VALUE")
    return name, value


def env_variables(environ: Mapping[str, str] | None = None) -> list[Variable]:
    """``CRMTPL_VAR_<NAME>`` variables from the environment (the name keeps its case)."""
    environ = os.environ if environ is None else environ
    found = []
    for key, value in sorted(environ.items()):
        if key.startswith(ENV_PREFIX) and len(key) > len(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            found.append(Variable(name, value, Source.ENV, key))
    return found
