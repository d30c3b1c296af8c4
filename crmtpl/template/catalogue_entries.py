"""The typed entries of the format catalogue, and the checked readers that build them.

:mod:`crmtpl.template.catalogue` reads ``catalogue.toml`` into these frozen dataclasses.
Every field is read through a checking helper, so a typo in the TOML fails loudly with the
entry's name instead of surfacing later as a wrong lint result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import Enum, StrEnum
from typing import Any, TypeVar, get_type_hints

Table = Mapping[str, Any]
EntryT = TypeVar("EntryT")


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


# -- checked readers ------------------------------------------------------------------------


def text_of(table: Table, key: str, where: str, default: str | None = None) -> str:
    """A required string field (or ``default`` when given)."""
    value = table.get(key, default)
    if not isinstance(value, str):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be a string")
    return value


def optional_text_of(table: Table, key: str, where: str) -> str | None:
    """A string field that may be absent."""
    return text_of(table, key, where) if key in table else None


def texts_of(table: Table, key: str, where: str) -> tuple[str, ...]:
    """A list of strings (empty when absent)."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be a list of strings")
    return tuple(value)


def flag_of(table: Table, key: str, where: str, default: bool = False) -> bool:
    """A boolean field."""
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be true or false")
    return value


def number_of(table: Table, key: str, where: str) -> int:
    """A required integer field."""
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CatalogueError(f"catalogue.toml: {where}: {key!r} must be an integer")
    return value


_FIELD_KINDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _field_kinds(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """Each field of an entry class with its resolved type, worked out once per class."""
    kinds = _FIELD_KINDS.get(cls)
    if kinds is None:
        hints = get_type_hints(cls)
        kinds = tuple((entry_field.name, hints[entry_field.name]) for entry_field in fields(cls))
        _FIELD_KINDS[cls] = kinds
    return kinds


def read_entry(
    cls: type[EntryT], table: Table, where: str, *, defaults: Mapping[str, str] | None = None
) -> EntryT:
    """Build a catalogue entry from its TOML table, field by field, by the field's type.

    Each dataclass field reads the TOML key of the same name: ``str`` a required string
    (``defaults`` gives optional ones a default), ``str | None`` an optional string,
    ``tuple[str, ...]`` a list of strings, ``bool`` a flag, ``int`` an integer, and
    ``provenance`` the certainty markers. Entries with other field types are read by hand.
    """
    values: dict[str, object] = {}
    for name, kind in _field_kinds(cls):
        if kind is Provenance:
            values[name] = Provenance.read(table, where)
        elif kind is str:
            values[name] = text_of(table, name, where, (defaults or {}).get(name))
        elif kind == str | None:
            values[name] = optional_text_of(table, name, where)
        elif kind == tuple[str, ...]:
            values[name] = texts_of(table, name, where)
        elif kind is bool:
            values[name] = flag_of(table, name, where)
        elif kind is int:
            values[name] = number_of(table, name, where)
        else:
            raise TypeError(f"{cls.__name__}.{name}: no reader for {kind!r}")
    return cls(**values)


def tables_of(document: Table, key: str) -> list[Table]:
    """An array of tables (``[[key]]``), empty when absent."""
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
        raw = text_of(table, "certainty", where)
        try:
            certainty = Certainty(raw)
        except ValueError:
            raise CatalogueError(f"catalogue.toml: {where}: unknown certainty {raw!r}") from None
        return cls(
            certainty,
            flag_of(table, "uncertain", where) or certainty is Certainty.UNCERTAIN,
            optional_text_of(table, "uncertainty", where),
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
    #: Values may hold characters a URL cannot carry as they are (the + of an E.164
    #: number, spaces, &): in a URL the variable needs UrlEncode.
    url_unsafe: bool = False
    #: The value is a number: it may be written into JSON without quotes.
    json_number: bool = False


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
    #: The uncertainty register entry about the misspellings (U4 for urlEncode), if any.
    misspelling_uncertainty: str | None = None


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
