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

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from crmtpl.template.catalogue_entries import (
    AttributeSpec,
    AuthMethodSpec,
    AvailabilityRow,
    CatalogueError,
    Cell,
    Certainty,
    Context,
    EditorSpec,
    ElementSpec,
    EnableFlag,
    FatherGroup,
    FunctionSpec,
    Level,
    Limits,
    ParameterSpec,
    Provenance,
    RequestParameterSpec,
    ScenarioSpec,
    Table,
    TimeFormatToken,
    Uncertainty,
    VariableSpec,
    flag_of,
    number_of,
    optional_text_of,
    read_entry,
    tables_of,
    text_of,
    texts_of,
)
from crmtpl.template.tomlcache import load_toml_cached, packaged_bytes

__all__ = [
    "AttributeSpec",
    "AuthMethodSpec",
    "AvailabilityRow",
    "Catalogue",
    "CatalogueError",
    "Cell",
    "Certainty",
    "Context",
    "EditorSpec",
    "ElementSpec",
    "EnableFlag",
    "FatherGroup",
    "FunctionSpec",
    "Level",
    "Limits",
    "ParameterSpec",
    "Provenance",
    "RequestParameterSpec",
    "ScenarioSpec",
    "TimeFormatToken",
    "Uncertainty",
    "VariableSpec",
    "catalogue",
    "load_catalogue",
]


def _cell(raw: object, where: str) -> Cell:
    if isinstance(raw, str):
        return Cell(_level(raw, where))
    if isinstance(raw, dict):
        return Cell(
            _level(text_of(raw, "level", where), where),
            texts_of(raw, "only_parameters", where),
            texts_of(raw, "only_requests", where),
            text_of(raw, "note", where, ""),
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
            number_of(limits, "max_file_bytes", "limits"),
            number_of(limits, "max_global_headers", "limits"),
            number_of(limits, "max_custom_crm_templates", "limits"),
            number_of(limits, "max_custom_helpdesk_templates", "limits"),
            number_of(limits, "logo_max_bytes", "limits"),
            texts_of(limits, "logo_formats", "limits"),
            text_of(limits, "logo_size", "limits"),
        )
        self.certainty_markers: Mapping[str, str] = MappingProxyType(
            {
                text_of(t, "id", "certainty_markers"): text_of(t, "meaning", "certainty_markers")
                for t in tables_of(document, "certainty_markers")
            }
        )
        self.elements = tuple(self._element(t) for t in tables_of(document, "elements"))
        self.information_attributes = tuple(
            self._attribute(t, "information_attributes")
            for t in tables_of(document, "information_attributes")
        )
        self.request_attributes = tuple(
            self._attribute(t, "request_attributes")
            for t in tables_of(document, "request_attributes")
        )
        self.output_attributes = tuple(
            self._attribute(t, "output_attributes")
            for t in tables_of(document, "output_attributes")
        )
        self.scenarios = tuple(self._scenario(t) for t in tables_of(document, "scenarios"))
        self.enable_flags = tuple(
            EnableFlag(
                text_of(t, "flag", "enable_flags"),
                text_of(t, "output", "enable_flags"),
                text_of(t, "field", "enable_flags"),
                flag_of(t, "required", "enable_flags"),
            )
            for t in tables_of(document, "enable_flags")
        )
        self.scenario_parameters = tuple(
            self._parameter(t) for t in tables_of(document, "scenario_parameters")
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
        self.father_groups = tuple(self._father(t) for t in tables_of(document, "father_groups"))
        self.editors = tuple(
            read_entry(EditorSpec, t, "editors", defaults={"note": ""})
            for t in tables_of(document, "editors")
        )
        self.auth_methods = tuple(self._auth(t) for t in tables_of(document, "auth_methods"))
        self.request_parameters = tuple(
            read_entry(RequestParameterSpec, t, "request_parameters")
            for t in tables_of(document, "request_parameters")
        )
        self.contexts = tuple(
            read_entry(Context, t, "contexts") for t in tables_of(document, "contexts")
        )
        self.availability_rows = tuple(self._row(t) for t in tables_of(document, "availability"))
        self.variables = tuple(self._variable(t) for t in tables_of(document, "variables"))
        self.functions = tuple(self._function(t) for t in tables_of(document, "functions"))
        self.timeformat_tokens = tuple(
            read_entry(TimeFormatToken, t, "timeformat_tokens")
            for t in tables_of(document, "timeformat_tokens")
        )
        self.uncertainties = tuple(
            read_entry(Uncertainty, t, "uncertainties")
            for t in tables_of(document, "uncertainties")
        )
        self._rows_by_group = {row.group: row for row in self.availability_rows}
        self._variables_by_name = {v.name: v for v in self.variables}

    # -- construction of entries ---------------------------------------------------------

    @staticmethod
    def _element(t: Table) -> ElementSpec:
        where = f"elements {t.get('name')!r}"
        return read_entry(ElementSpec, t, where, defaults={"note": ""})

    @staticmethod
    def _attribute(t: Table, section: str) -> AttributeSpec:
        where = f"{section} {t.get('name')!r}"
        return read_entry(AttributeSpec, t, where, defaults={"kind": ""})

    @staticmethod
    def _scenario(t: Table) -> ScenarioSpec:
        return read_entry(ScenarioSpec, t, f"scenarios {t.get('id')!r}")

    @staticmethod
    def _parameter(t: Table) -> ParameterSpec:
        where = f"scenario_parameters {t.get('scenario')!r}/{t.get('name')!r}"
        return read_entry(ParameterSpec, t, where)

    @staticmethod
    def _father(t: Table) -> FatherGroup:
        return read_entry(FatherGroup, t, f"father_groups {t.get('name')!r}")

    @staticmethod
    def _auth(t: Table) -> AuthMethodSpec:
        where = f"auth_methods {t.get('name')!r}"
        values = t.get("parameter_values", {})
        if not isinstance(values, dict):
            raise CatalogueError(f"catalogue.toml: {where}: parameter_values must be a table")
        return AuthMethodSpec(
            text_of(t, "name", where),
            texts_of(t, "required_parameters", where),
            texts_of(t, "optional_parameters", where),
            MappingProxyType({key: texts_of(values, key, where) for key in values}),
            texts_of(t, "provides", where),
            text_of(t, "authorization", where),
            flag_of(t, "in_auth_type_table", where),
            text_of(t, "description", where),
            Provenance.read(t, where),
        )

    @staticmethod
    def _row(t: Table) -> AvailabilityRow:
        where = f"availability {t.get('group')!r}"
        cells = t.get("cells")
        if not isinstance(cells, dict):
            raise CatalogueError(f"catalogue.toml: {where}: cells must be a table")
        return AvailabilityRow(
            text_of(t, "group", where),
            text_of(t, "title", where),
            optional_text_of(t, "dynamic", where),
            flag_of(t, "in_matrix", where),
            MappingProxyType({key: _cell(raw, f"{where}/{key}") for key, raw in cells.items()}),
        )

    @staticmethod
    def _variable(t: Table) -> VariableSpec:
        return read_entry(VariableSpec, t, f"variables {t.get('name')!r}")

    @staticmethod
    def _function(t: Table) -> FunctionSpec:
        return read_entry(FunctionSpec, t, f"functions {t.get('name')!r}")

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
        document = load_toml_cached(data)
    except ValueError as error:  # UnicodeDecodeError, tomllib.TOMLDecodeError
        raise CatalogueError(f"catalogue.toml cannot be read: {error}") from None
    return Catalogue(document)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded on first use and cached."""
    data = packaged_bytes(__file__, "catalogue.toml", "crmtpl.template")
    return load_catalogue(data)
