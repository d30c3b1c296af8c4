"""The template format's facts as typed data, read from ``catalogue.toml``.

Scenarios, their parameters and flags, Father groups, editors, auth methods, predefined
variables with their availability (spec §7.5) and sample values, PBX functions and the
uncertainty register. Rules, render, run and the docs read these instead of hard-coding
them::

    from crmtpl.template.catalogue import catalogue, Level
    cat = catalogue()                       # loaded once, cached
    cat.scenario("CallJournal").gate_flag   # "CallJournal"
    cat.availability("Phone", "contact_search")   # Level.DOC
    cat.sample_values()["StartTimeUnix"]    # "1672531199"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

Table = Mapping[str, Any]


class CatalogueError(RuntimeError):
    """``catalogue.toml`` does not have the expected shape (a packaging bug, not user input)."""


class Certainty(StrEnum):
    """Where a fact comes from (spec: certainty markers)."""

    DOC = "doc"
    DOC_EXAMPLE = "doc-ex"
    THIRD_PARTY = "3p"
    INFERRED = "inf"
    UNCERTAIN = "uncertain"


class Level(Enum):
    """How surely a variable is available in a context (a cell of the §7.5 matrix)."""

    NO = "no"  # — not expected
    EXAMPLE = "ex"  # ~ only in an example or the third-party template
    INFERRED = "inf"  # ✔ (inf)
    DOC = "doc"  # ✔ documented

    @property
    def rank(self) -> int:
        """Order from NO (0) to DOC (3), to pick the best of several levels."""
        return _LEVEL_RANK[self]

    @property
    def available(self) -> bool:
        """True for every level but NO."""
        return self is not Level.NO

    @property
    def mark(self) -> str:
        """The symbol the spec's matrix uses."""
        return _LEVEL_MARK[self]


_LEVEL_RANK = {Level.NO: 0, Level.EXAMPLE: 1, Level.INFERRED: 2, Level.DOC: 3}
_LEVEL_MARK = {Level.NO: "—", Level.EXAMPLE: "~", Level.INFERRED: "✔ (inf)", Level.DOC: "✔"}


# -- reading helpers: every field is checked, so a typo in the TOML fails loudly -------------


def _text(table: Table, key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be a string")
    return value


def _optional_text(table: Table, key: str, where: str) -> str | None:
    return _text(table, key, where) if key in table else None


def _texts(table: Table, key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be a list of strings")
    return tuple(value)


def _flag(table: Table, key: str, where: str, default: bool = False) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be true or false")
    return value


def _number(table: Table, key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be an integer")
    return value


def _tables(document: Table, key: str) -> list[Table]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CatalogueError(f"catalogue.toml: [[{key}]] must be an array of tables")
    return value


@dataclass(frozen=True, slots=True)
class Provenance:
    """Certainty of a catalogue entry: its source, a [?] flag, and its register entry."""

    certainty: Certainty
    uncertain: bool
    uncertainty: str | None

    @classmethod
    def read(cls, table: Table, where: str) -> Provenance:
        """Read ``certainty``, ``uncertain`` and ``uncertainty`` of one entry."""
        raw = _text(table, "certainty", where)
        try:
            certainty = Certainty(raw)
        except ValueError:
            raise CatalogueError(f"catalogue.toml: {where}: unknown certainty {raw!r}") from None
        return cls(
            certainty,
            _flag(table, "uncertain", where) or certainty is Certainty.UNCERTAIN,
            _optional_text(table, "uncertainty", where),
        )

    @property
    def marker(self) -> str:
        """The spec's notation, e.g. ``doc``, ``3p [?]``."""
        return f"{self.certainty.value} [?]" if self.uncertain else self.certainty.value


# -- entries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """Size and count limits of the PBX (spec §13)."""

    max_file_bytes: int
    max_global_headers: int
    max_custom_crm_templates: int
    max_custom_helpdesk_templates: int
    logo_max_bytes: int
    logo_formats: tuple[str, ...]
    logo_size: str


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """An element of the tree (spec §3): where it may appear and its known attributes."""

    name: str
    parents: tuple[str, ...]
    cardinality: str
    required: bool
    attributes: tuple[str, ...]
    note: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """A known attribute of ``<Information>``, ``<Request>`` or ``<Output>``.

    ``kind``: enum | flag | text | key | positive_int ('' when not constrained);
    ``values``: allowed (documented) values, empty when free;
    ``third_party_values``: values seen only in the third-party template.
    """

    name: str
    kind: str
    values: tuple[str, ...]
    third_party_values: tuple[str, ...]
    required: bool
    default: str | None
    meaning: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario id and its rules (spec §5.1, §6); see the TOML comments for the enums."""

    id: str
    type: str
    gate: str
    gate_flag: str | None
    required: bool
    providers: tuple[str, ...]
    request_name_rule: str
    request_names: tuple[str, ...]
    optional_request_names: tuple[str, ...]
    request_name_prefix: str | None
    output_rule: str
    outputs: tuple[str, ...]
    third_party_outputs: tuple[str, ...]
    default_method: str | None
    description: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """A scenario-level parameter without ``Father`` (``kind`` as in the TOML)."""

    scenario: str
    name: str
    kind: str
    values: tuple[str, ...]
    templated: bool
    auth_methods: tuple[str, ...]
    default: str | None
    meaning: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class EnableFlag:
    """A SyncContactAuto ``<Field>Enable`` flag and the output it enables (spec §6.4)."""

    flag: str
    output: str
    field: str
    required: bool


@dataclass(frozen=True, slots=True)
class FatherGroup:
    """A ``Father`` group (spec §5.2); ``type`` is the ``Type`` its parameters need."""

    name: str
    scenarios: tuple[str, ...]
    in_requests: bool
    type: str
    fixed_names: tuple[str, ...]
    purpose: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class EditorSpec:
    """An ``Editor`` of ``CustomFieldList`` parameters."""

    name: str
    input: str
    note: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class AuthMethodSpec:
    """An auth method and what it requires (spec §10)."""

    name: str
    required_parameters: tuple[str, ...]
    optional_parameters: tuple[str, ...]
    parameter_values: Mapping[str, tuple[str, ...]]
    provides: tuple[str, ...]
    authorization: str
    in_auth_type_table: bool
    description: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class RequestParameterSpec:
    """A request-level parameter kind: the body (``Data``/``Body``) or a header."""

    kind: str
    name: str | None
    father: str | None
    type: str
    meaning: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Context:
    """A place where variables are rendered: a column of the §7.5 matrix.

    ``covers``: ``requests`` (the scenario's requests), ``parameters`` (only the scenario
    parameters in ``parameters``, or every parameter when that is empty) or ``all``.
    """

    id: str
    title: str
    scenario: str
    covers: str
    parameters: tuple[str, ...]
    in_matrix: bool
    description: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the availability matrix, with an optional restriction."""

    level: Level
    only_parameters: tuple[str, ...] = ()
    only_requests: tuple[str, ...] = ()
    note: str = ""

    @property
    def mark(self) -> str:
        """The matrix symbol, with the note in brackets when there is one."""
        return f"{self.level.mark} ({self.note})" if self.note else self.level.mark


@dataclass(frozen=True, slots=True)
class AvailabilityRow:
    """A row of the matrix: a variable group and its level in each context.

    ``dynamic`` names rows whose variables the template defines (``custom_fields``,
    ``global_info_outputs``, ``previous_outputs``); None for predefined variables.
    """

    group: str
    title: str
    dynamic: str | None
    in_matrix: bool
    cells: Mapping[str, Cell]


@dataclass(frozen=True, slots=True)
class VariableSpec:
    """A predefined variable (spec §7) with its fixed sample value."""

    name: str
    section: str
    groups: tuple[str, ...]
    meaning: str
    example: str
    sample: str
    values: tuple[str, ...]
    secret: bool
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """A PBX template function (spec §8.2)."""

    name: str
    arity: int
    signature: str
    doc: str
    example: str
    example_input: str
    documented_output: str
    crmtpl_output: str
    misspellings: tuple[str, ...]
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class TimeFormatToken:
    """A letter group of TimeFormat's format and the Go layout it becomes."""

    token: str
    meaning: str
    go_layout: str
    documented: bool


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """An entry of the uncertainty register (spec §18) and crmtpl's reading."""

    id: str
    topic: str
    question: str
    crmtpl_choice: str
    why: str


def _cell(raw: object, where: str) -> Cell:
    if isinstance(raw, str):
        return Cell(_level(raw, where))
    if isinstance(raw, dict):
        return Cell(
            _level(_text(raw, "level", where), where),
            _texts(raw, "only_parameters", where),
            _texts(raw, "only_requests", where),
            _text(raw, "note", where, ""),
        )
    raise CatalogueError(f"catalogue.toml: {where}: a cell is a level or a table")


def _level(raw: str, where: str) -> Level:
    try:
        return Level(raw)
    except ValueError:
        raise CatalogueError(f"catalogue.toml: {where}: unknown level {raw!r}") from None


class Catalogue:
    """Everything ``catalogue.toml`` says, indexed; get it with :func:`catalogue`."""

    def __init__(self, document: Table) -> None:
        if document.get("schema") != 1:
            raise CatalogueError("catalogue.toml: unsupported schema")
        limits = document.get("limits")
        if not isinstance(limits, dict):
            raise CatalogueError("catalogue.toml: [limits] is missing")
        self.limits = Limits(
            _number(limits, "max_file_bytes", "limits"),
            _number(limits, "max_global_headers", "limits"),
            _number(limits, "max_custom_crm_templates", "limits"),
            _number(limits, "max_custom_helpdesk_templates", "limits"),
            _number(limits, "logo_max_bytes", "limits"),
            _texts(limits, "logo_formats", "limits"),
            _text(limits, "logo_size", "limits"),
        )
        self.certainty_markers: Mapping[str, str] = MappingProxyType(
            {
                _text(t, "id", "certainty_markers"): _text(t, "meaning", "certainty_markers")
                for t in _tables(document, "certainty_markers")
            }
        )
        self.elements = tuple(self._element(t) for t in _tables(document, "elements"))
        self.information_attributes = tuple(
            self._attribute(t, "information_attributes")
            for t in _tables(document, "information_attributes")
        )
        self.request_attributes = tuple(
            self._attribute(t, "request_attributes")
            for t in _tables(document, "request_attributes")
        )
        self.output_attributes = tuple(
            self._attribute(t, "output_attributes") for t in _tables(document, "output_attributes")
        )
        self.scenarios = tuple(self._scenario(t) for t in _tables(document, "scenarios"))
        self.enable_flags = tuple(
            EnableFlag(
                _text(t, "flag", "enable_flags"),
                _text(t, "output", "enable_flags"),
                _text(t, "field", "enable_flags"),
                _flag(t, "required", "enable_flags"),
            )
            for t in _tables(document, "enable_flags")
        )
        self.scenario_parameters = tuple(
            self._parameter(t) for t in _tables(document, "scenario_parameters")
        ) + tuple(
            ParameterSpec(
                "SyncContactAuto",
                flag.flag,
                "flag",
                ("0", "1"),
                False,
                (),
                None,
                f"Whether the {flag.field} is taken from the CRM (output {flag.output})"
                + ("; must be 1." if flag.required else "."),
                Provenance(Certainty.DOC, False, None),
            )
            for flag in self.enable_flags
        )
        self.father_groups = tuple(self._father(t) for t in _tables(document, "father_groups"))
        self.editors = tuple(
            EditorSpec(
                _text(t, "name", "editors"),
                _text(t, "input", "editors"),
                _text(t, "note", "editors", ""),
                Provenance.read(t, "editors"),
            )
            for t in _tables(document, "editors")
        )
        self.auth_methods = tuple(self._auth(t) for t in _tables(document, "auth_methods"))
        self.request_parameters = tuple(
            RequestParameterSpec(
                _text(t, "kind", "request_parameters"),
                _optional_text(t, "name", "request_parameters"),
                _optional_text(t, "father", "request_parameters"),
                _text(t, "type", "request_parameters"),
                _text(t, "meaning", "request_parameters"),
                Provenance.read(t, "request_parameters"),
            )
            for t in _tables(document, "request_parameters")
        )
        self.contexts = tuple(
            Context(
                _text(t, "id", "contexts"),
                _text(t, "title", "contexts"),
                _text(t, "scenario", "contexts"),
                _text(t, "covers", "contexts"),
                _texts(t, "parameters", "contexts"),
                _flag(t, "in_matrix", "contexts"),
                _text(t, "description", "contexts"),
            )
            for t in _tables(document, "contexts")
        )
        self.availability_rows = tuple(self._row(t) for t in _tables(document, "availability"))
        self.variables = tuple(self._variable(t) for t in _tables(document, "variables"))
        self.functions = tuple(self._function(t) for t in _tables(document, "functions"))
        self.timeformat_tokens = tuple(
            TimeFormatToken(
                _text(t, "token", "timeformat_tokens"),
                _text(t, "meaning", "timeformat_tokens"),
                _text(t, "go_layout", "timeformat_tokens"),
                _flag(t, "documented", "timeformat_tokens"),
            )
            for t in _tables(document, "timeformat_tokens")
        )
        self.uncertainties = tuple(
            Uncertainty(
                _text(t, "id", "uncertainties"),
                _text(t, "topic", "uncertainties"),
                _text(t, "question", "uncertainties"),
                _text(t, "crmtpl_choice", "uncertainties"),
                _text(t, "why", "uncertainties"),
            )
            for t in _tables(document, "uncertainties")
        )
        self._rows_by_group = {row.group: row for row in self.availability_rows}
        self._variables_by_name = {v.name: v for v in self.variables}

    # -- construction of entries ---------------------------------------------------------

    @staticmethod
    def _element(t: Table) -> ElementSpec:
        where = f"elements {t.get('name')!r}"
        return ElementSpec(
            _text(t, "name", where),
            _texts(t, "parents", where),
            _text(t, "cardinality", where),
            _flag(t, "required", where),
            _texts(t, "attributes", where),
            _text(t, "note", where, ""),
            Provenance.read(t, where),
        )

    @staticmethod
    def _attribute(t: Table, section: str) -> AttributeSpec:
        where = f"{section} {t.get('name')!r}"
        return AttributeSpec(
            _text(t, "name", where),
            _text(t, "kind", where, ""),
            _texts(t, "values", where),
            _texts(t, "third_party_values", where),
            _flag(t, "required", where),
            _optional_text(t, "default", where),
            _text(t, "meaning", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _scenario(t: Table) -> ScenarioSpec:
        where = f"scenarios {t.get('id')!r}"
        return ScenarioSpec(
            _text(t, "id", where),
            _text(t, "type", where),
            _text(t, "gate", where),
            _optional_text(t, "gate_flag", where),
            _flag(t, "required", where),
            _texts(t, "providers", where),
            _text(t, "request_name_rule", where),
            _texts(t, "request_names", where),
            _texts(t, "optional_request_names", where),
            _optional_text(t, "request_name_prefix", where),
            _text(t, "output_rule", where),
            _texts(t, "outputs", where),
            _texts(t, "third_party_outputs", where),
            _optional_text(t, "default_method", where),
            _text(t, "description", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _parameter(t: Table) -> ParameterSpec:
        where = f"scenario_parameters {t.get('scenario')!r}/{t.get('name')!r}"
        return ParameterSpec(
            _text(t, "scenario", where),
            _text(t, "name", where),
            _text(t, "kind", where),
            _texts(t, "values", where),
            _flag(t, "templated", where),
            _texts(t, "auth_methods", where),
            _optional_text(t, "default", where),
            _text(t, "meaning", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _father(t: Table) -> FatherGroup:
        where = f"father_groups {t.get('name')!r}"
        return FatherGroup(
            _text(t, "name", where),
            _texts(t, "scenarios", where),
            _flag(t, "in_requests", where),
            _text(t, "type", where),
            _texts(t, "fixed_names", where),
            _text(t, "purpose", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _auth(t: Table) -> AuthMethodSpec:
        where = f"auth_methods {t.get('name')!r}"
        values = t.get("parameter_values", {})
        if not isinstance(values, dict):
            raise CatalogueError(f"catalogue.toml: {where}: parameter_values must be a table")
        return AuthMethodSpec(
            _text(t, "name", where),
            _texts(t, "required_parameters", where),
            _texts(t, "optional_parameters", where),
            MappingProxyType({key: _texts(values, key, where) for key in values}),
            _texts(t, "provides", where),
            _text(t, "authorization", where),
            _flag(t, "in_auth_type_table", where),
            _text(t, "description", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _row(t: Table) -> AvailabilityRow:
        where = f"availability {t.get('group')!r}"
        cells = t.get("cells")
        if not isinstance(cells, dict):
            raise CatalogueError(f"catalogue.toml: {where}: cells must be a table")
        return AvailabilityRow(
            _text(t, "group", where),
            _text(t, "title", where),
            _optional_text(t, "dynamic", where),
            _flag(t, "in_matrix", where),
            MappingProxyType({key: _cell(raw, f"{where}/{key}") for key, raw in cells.items()}),
        )

    @staticmethod
    def _variable(t: Table) -> VariableSpec:
        where = f"variables {t.get('name')!r}"
        return VariableSpec(
            _text(t, "name", where),
            _text(t, "section", where),
            _texts(t, "groups", where),
            _text(t, "meaning", where),
            _text(t, "example", where),
            _text(t, "sample", where),
            _texts(t, "values", where),
            _flag(t, "secret", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _function(t: Table) -> FunctionSpec:
        where = f"functions {t.get('name')!r}"
        return FunctionSpec(
            _text(t, "name", where),
            _number(t, "arity", where),
            _text(t, "signature", where),
            _text(t, "doc", where),
            _text(t, "example", where),
            _text(t, "example_input", where),
            _text(t, "documented_output", where),
            _text(t, "crmtpl_output", where),
            _texts(t, "misspellings", where),
            Provenance.read(t, where),
        )

    # -- look-ups ------------------------------------------------------------------------

    def scenario(self, scenario_id: str) -> ScenarioSpec | None:
        """The scenario with this id, or None when the id is not a known scenario."""
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    @property
    def scenario_ids(self) -> tuple[str, ...]:
        """Every known scenario id, in catalogue order."""
        return tuple(s.id for s in self.scenarios)

    def element(self, name: str) -> ElementSpec | None:
        """The element spec, or None for an element the format does not define."""
        return next((e for e in self.elements if e.name == name), None)

    def information_attribute(self, name: str) -> AttributeSpec | None:
        """The known ``<Information>`` attribute ``name``, or None."""
        return next((a for a in self.information_attributes if a.name == name), None)

    def request_attribute(self, name: str) -> AttributeSpec | None:
        """The known ``<Request>`` attribute ``name``, or None."""
        return next((a for a in self.request_attributes if a.name == name), None)

    def parameters_for(self, scenario_id: str) -> tuple[ParameterSpec, ...]:
        """Known scenario-level parameters of a scenario (``<Field>Enable`` flags included)."""
        return tuple(p for p in self.scenario_parameters if p.scenario == scenario_id)

    def parameter(self, scenario_id: str, name: str) -> ParameterSpec | None:
        """The known scenario-level parameter ``name`` of a scenario, or None."""
        return next(
            (p for p in self.scenario_parameters if p.scenario == scenario_id and p.name == name),
            None,
        )

    def enable_flag(self, flag: str) -> EnableFlag | None:
        """The ``<Field>Enable`` flag by its parameter name, or None."""
        return next((f for f in self.enable_flags if f.flag == flag), None)

    def enable_flag_for_output(self, output: str) -> EnableFlag | None:
        """The ``<Field>Enable`` flag that enables the output ``output``, or None."""
        return next((f for f in self.enable_flags if f.output == output), None)

    @property
    def contact_field_outputs(self) -> tuple[str, ...]:
        """The output names a contact search may fill (spec §6.4)."""
        return tuple(f.output for f in self.enable_flags)

    def father_group(self, name: str) -> FatherGroup | None:
        """The ``Father`` group ``name``, or None for an unknown group."""
        return next((g for g in self.father_groups if g.name == name), None)

    def editor(self, name: str) -> EditorSpec | None:
        """The ``Editor`` ``name``, or None when it is not string/password/list."""
        return next((e for e in self.editors if e.name == name), None)

    def auth_method(self, name: str) -> AuthMethodSpec | None:
        """The auth method ``name`` (none/basic/oauth2/bearertoken), or None."""
        return next((m for m in self.auth_methods if m.name == name), None)

    def variable(self, name: str) -> VariableSpec | None:
        """The predefined variable ``name`` (case-sensitive), or None."""
        return self._variables_by_name.get(name)

    def function(self, name: str) -> FunctionSpec | None:
        """The PBX function ``name`` (case-sensitive), or None."""
        return next((f for f in self.functions if f.name == name), None)

    def function_like(self, name: str) -> FunctionSpec | None:
        """The PBX function a misspelt or wrongly cased name probably means, or None."""
        lowered = name.lower()
        for function in self.functions:
            if name in function.misspellings or function.name.lower() == lowered:
                return function
        return None

    def uncertainty(self, uncertainty_id: str) -> Uncertainty | None:
        """The register entry ``U1``..``U20``, or None."""
        return next((u for u in self.uncertainties if u.id == uncertainty_id), None)

    def context(self, context_id: str) -> Context | None:
        """The availability context (matrix column) ``context_id``, or None."""
        return next((c for c in self.contexts if c.id == context_id), None)

    def context_for(self, scenario_id: str, parameter: str | None = None) -> Context | None:
        """The context of a templated value: a scenario parameter, or (None) a request.

        ``context_for("SyncContactAuto", "URLFormat")`` is ``contact_url``;
        ``context_for("SyncContactAuto")`` (its requests) is ``contact_search``.
        None for an unknown scenario.
        """
        candidates = [c for c in self.contexts if c.scenario == scenario_id]
        if not candidates:
            return None
        if parameter is not None:
            for context in candidates:
                if parameter in context.parameters:
                    return context
            for context in candidates:
                if context.covers in ("parameters", "all") and not context.parameters:
                    return context
        for context in candidates:
            if context.covers in ("requests", "all"):
                return context
        return candidates[0]

    def row(self, group: str) -> AvailabilityRow | None:
        """The availability row of a variable group, or None."""
        return self._rows_by_group.get(group)

    def _cell_level(
        self, row: AvailabilityRow, context_id: str, parameter: str | None, request: str | None
    ) -> Level:
        cell = row.cells.get(context_id)
        if cell is None:
            return Level.NO
        located = parameter is not None or request is not None
        if cell.only_parameters and located and parameter not in cell.only_parameters:
            return Level.NO
        if cell.only_requests and located and request not in cell.only_requests:
            return Level.NO
        return cell.level

    def availability(
        self,
        variable: str,
        context_id: str,
        *,
        parameter: str | None = None,
        request: str | None = None,
    ) -> Level:
        """How surely the predefined variable is available in a context (spec §7.5).

        Give ``parameter`` (a scenario parameter name) or ``request`` (a request name) to
        honour cells restricted to some of them (``redirect_uri`` only in
        ``AdditionalQueryString``, ``TicketId`` only in ``UpdateTicket``). Unknown
        variables are ``Level.NO``.
        """
        spec = self._variables_by_name.get(variable)
        if spec is None:
            return Level.NO
        best = Level.NO
        for group in spec.groups:
            row = self._rows_by_group.get(group)
            if row is not None:
                level = self._cell_level(row, context_id, parameter, request)
                if level.rank > best.rank:
                    best = level
        return best

    def dynamic_availability(self, kind: str, context_id: str) -> Level:
        """Level of a template-defined group (``custom_fields``, ``global_info_outputs``,
        ``previous_outputs``) in a context."""
        for row in self.availability_rows:
            if row.dynamic == kind:
                return self._cell_level(row, context_id, None, None)
        return Level.NO

    def variables_in(self, context_id: str) -> tuple[VariableSpec, ...]:
        """Predefined variables available (at any level but NO) in a context."""
        return tuple(v for v in self.variables if self.availability(v.name, context_id).available)

    def sample_values(self) -> dict[str, str]:
        """Every predefined variable's fixed sample value, by name."""
        return {v.name: v.sample for v in self.variables}


def load_catalogue(data: bytes) -> Catalogue:
    """Parse catalogue TOML (the packaged one is read by :func:`catalogue`)."""
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"catalogue.toml cannot be read: {error}") from None
    return Catalogue(document)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded on first use and cached."""
    data = resources.files("crmtpl.template").joinpath("catalogue.toml").read_bytes()
    return load_catalogue(data)
