"""The typed model of a template: Information, Scenario, Parameter, Request, Outputs, Output.

Built once by the loader from the source map and shared by validate, render and run.

* Every attribute is a ``str | None``: ``None`` when the attribute is absent, ``""`` when
  it is written empty (the linter needs both). Values are decoded as Go reads them.
* Every object keeps ``node``, its :class:`~crmtpl.template.source.XmlElement`, so any
  attribute can be located: ``request.value_span("URLFormat")``.
* Attributes the format does not define are kept in ``extra_attributes``; unknown child
  elements stay reachable through ``node.children``.
* Building never fails: a wrong root, missing elements or bad values give ``None`` or
  empty tuples, and the linter reports them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from crmtpl.template.source import SourceMap, SourceSpan, XmlAttribute, XmlElement

CUSTOM_FIELD_LIST = "CustomFieldList"
POPULATE_TEMPLATE_STRING = "PopulateTemplateString"
TOKEN_ERROR_MAP = "TokenErrorMap"  # noqa: S105 - a group name, not a secret
AUTH_OPTION = "AuthOption"
CUSTOM_SCENARIO_PARAMETER = "CustomScenarioParameter"

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True, eq=False)
class Located:
    """Base of every model object: the element it was read from, and how to find it."""

    node: XmlElement

    @property
    def span(self) -> SourceSpan:
        """The element's start tag."""
        return self.node.start_tag_span

    def attribute(self, name: str) -> XmlAttribute | None:
        """The element's attribute ``name`` (as written), or None."""
        return self.node.attributes.get(name)

    def name_span(self, attribute: str) -> SourceSpan | None:
        """Where the attribute's name is written, or None when absent."""
        found = self.node.attributes.get(attribute)
        return None if found is None else found.name_span

    def value_span(self, attribute: str) -> SourceSpan | None:
        """Where the attribute's raw value is written (inside the quotes), or None."""
        found = self.node.attributes.get(attribute)
        return None if found is None else found.value_span


def _extra(node: XmlElement, known: frozenset[str]) -> Mapping[str, str]:
    attributes = node.attributes
    if all(name in known for name in attributes):
        return _EMPTY
    return {name: a.value for name, a in attributes.items() if name not in known}


def _flag(value: str | None) -> bool:
    return value == "1"


@dataclass(frozen=True, slots=True, eq=False)
class Parameter(Located):
    """A ``<Parameter>``: a scenario setting, custom field, header, body or token pattern."""

    name: str | None
    value: str | None
    type: str | None
    father: str | None
    editor: str | None
    title: str | None
    description: str | None
    key: str | None
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset(
        {"Name", "Value", "Type", "Father", "Editor", "Title", "Description", "Key"}
    )

    @classmethod
    def from_node(cls, node: XmlElement) -> Parameter:
        """Read a ``<Parameter>`` element."""
        get = node.get
        return cls(
            node,
            get("Name"),
            get("Value"),
            get("Type"),
            get("Father"),
            get("Editor"),
            get("Title"),
            get("Description"),
            get("Key"),
            _extra(node, cls.KNOWN_ATTRIBUTES),
        )

    @property
    def grouped(self) -> bool:
        """True when the parameter belongs to a ``Father`` group (custom field, header …)."""
        return bool(self.father)

    @property
    def is_header(self) -> bool:
        """A header: ``Father="PopulateTemplateString"`` or ``Type="Header"``."""
        return self.father == POPULATE_TEMPLATE_STRING or self.type == "Header"

    @property
    def is_body(self) -> bool:
        """The request body: ``Name="Data" Type="Body"``."""
        return self.name == "Data" and self.type == "Body"

    @property
    def is_enabled(self) -> bool:
        """The value read as a ``0``/``1`` flag (True only for ``"1"``)."""
        return _flag(self.value)


@dataclass(frozen=True, slots=True, eq=False)
class Output(Located):
    """An ``<Output>``: a field name and the GJSON path that fills it."""

    name: str | None
    path: str | None
    type: str | None
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset({"Name", "Path", "Type"})

    @classmethod
    def from_node(cls, node: XmlElement) -> Output:
        """Read an ``<Output>`` element."""
        get = node.get
        return cls(node, get("Name"), get("Path"), get("Type"), _extra(node, cls.KNOWN_ATTRIBUTES))

    @property
    def filled_later(self) -> bool:
        """An empty ``Path``: a chained ``Next`` request supplies the value (spec §6.8)."""
        return self.path == ""


@dataclass(frozen=True, slots=True, eq=False)
class Outputs(Located):
    """An ``<Outputs>`` element: its outputs and the optional ``Next`` request name."""

    next: str | None
    outputs: tuple[Output, ...]
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset({"Next"})

    @classmethod
    def from_node(cls, node: XmlElement) -> Outputs:
        """Read an ``<Outputs>`` element and its ``<Output>`` children."""
        outputs = tuple(Output.from_node(c) for c in node.children if c.name == "Output")
        return cls(node, node.get("Next"), outputs, _extra(node, cls.KNOWN_ATTRIBUTES))

    def output(self, name: str) -> Output | None:
        """The first output called ``name``, or None."""
        for output in self.outputs:
            if output.name == name:
                return output
        return None

    @property
    def names(self) -> tuple[str, ...]:
        """The output names, in order (outputs without a name are left out)."""
        return tuple(o.name for o in self.outputs if o.name is not None)


def _parameters_of(node: XmlElement) -> tuple[Parameter, ...]:
    return tuple(
        Parameter.from_node(parameter)
        for group in node.children
        if group.name == "Parameters"
        for parameter in group.children
        if parameter.name == "Parameter"
    )


@dataclass(frozen=True, slots=True, eq=False)
class Request(Located):
    """A ``<Request>``: one HTTP call of a scenario."""

    scenario_id: str | None
    name: str | None
    method: str | None
    response_type: str | None
    request_encoding: str | None
    url_format: str | None
    url: str | None
    weight: str | None
    parameters: tuple[Parameter, ...]
    outputs: Outputs | None
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset(
        {"Name", "Method", "ResponseType", "RequestEncoding", "URLFormat", "URL", "Weight"}
    )

    @classmethod
    def from_node(cls, node: XmlElement, scenario_id: str | None) -> Request:
        """Read a ``<Request>`` element, its parameters and its (first) outputs."""
        get = node.get
        outputs_node = node.child("Outputs")
        return cls(
            node,
            scenario_id,
            get("Name"),
            get("Method"),
            get("ResponseType"),
            get("RequestEncoding"),
            get("URLFormat"),
            get("URL"),
            get("Weight"),
            _parameters_of(node),
            None if outputs_node is None else Outputs.from_node(outputs_node),
            _extra(node, cls.KNOWN_ATTRIBUTES),
        )

    @property
    def url_attribute(self) -> str | None:
        """``"URLFormat"``, or ``"URL"`` for the documentation's slip (U5), or None."""
        if self.url_format is not None:
            return "URLFormat"
        if self.url is not None:
            return "URL"
        return None

    @property
    def url_template(self) -> str | None:
        """The templated URL: ``URLFormat``, falling back to ``URL``."""
        return self.url_format if self.url_format is not None else self.url

    @property
    def headers(self) -> tuple[Parameter, ...]:
        """Headers of this request only (``PopulateTemplateString`` parameters)."""
        return tuple(p for p in self.parameters if p.is_header)

    @property
    def body(self) -> Parameter | None:
        """The body parameter (``Name="Data" Type="Body"``), or None."""
        for parameter in self.parameters:
            if parameter.is_body:
                return parameter
        return None

    @property
    def output_list(self) -> tuple[Output, ...]:
        """The outputs (empty when there is no ``<Outputs>``)."""
        return () if self.outputs is None else self.outputs.outputs

    @property
    def next(self) -> str | None:
        """``Outputs@Next``: the ``Common`` request to run after this one, or None."""
        return None if self.outputs is None else self.outputs.next

    def output(self, name: str) -> Output | None:
        """The first output called ``name``, or None."""
        return None if self.outputs is None else self.outputs.output(name)


@dataclass(frozen=True, slots=True, eq=False)
class Scenario(Located):
    """A ``<Scenario>``: one PBX function (``AuthMethod``, ``SyncContactAuto`` …)."""

    id: str | None
    type: str | None
    parameters: tuple[Parameter, ...]
    requests: tuple[Request, ...]
    presets: XmlElement | None
    responses: XmlElement | None
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset({"Id", "Type"})

    @classmethod
    def from_node(cls, node: XmlElement) -> Scenario:
        """Read a ``<Scenario>`` element with its parameters and requests."""
        scenario_id = node.get("Id")
        requests = tuple(
            Request.from_node(request, scenario_id)
            for group in node.children
            if group.name == "Requests"
            for request in group.children
            if request.name == "Request"
        )
        return cls(
            node,
            scenario_id,
            node.get("Type"),
            _parameters_of(node),
            requests,
            node.child("Presets"),
            node.child("Responses"),
            _extra(node, cls.KNOWN_ATTRIBUTES),
        )

    def param(self, name: str) -> Parameter | None:
        """The first scenario-level, non-grouped (no ``Father``) parameter ``name``."""
        for parameter in self.parameters:
            if parameter.name == name and not parameter.father:
                return parameter
        return None

    def param_value(self, name: str) -> str | None:
        """The value of :meth:`param` (None when the parameter or its value is absent)."""
        parameter = self.param(name)
        return None if parameter is None else parameter.value

    def flag(self, name: str) -> bool | None:
        """A ``0``/``1`` scenario parameter as a bool, or None when it is absent."""
        parameter = self.param(name)
        return None if parameter is None else parameter.is_enabled

    def grouped(self, father: str) -> tuple[Parameter, ...]:
        """Parameters of one ``Father`` group, in order."""
        return tuple(p for p in self.parameters if p.father == father)

    @property
    def custom_fields(self) -> tuple[Parameter, ...]:
        """``CustomFieldList`` parameters: the fields an administrator fills in."""
        return self.grouped(CUSTOM_FIELD_LIST)

    @property
    def headers(self) -> tuple[Parameter, ...]:
        """Scenario-level headers (in AuthMethod: sent with every request)."""
        return tuple(p for p in self.parameters if p.is_header)

    @property
    def token_error_patterns(self) -> tuple[Parameter, ...]:
        """``TokenErrorMap`` parameters: response texts that mean "token invalid"."""
        return self.grouped(TOKEN_ERROR_MAP)

    @property
    def auth_options(self) -> tuple[Parameter, ...]:
        """``AuthOption`` parameters (third-party only, spec §5.2)."""
        return self.grouped(AUTH_OPTION)

    @property
    def custom_scenario_parameters(self) -> tuple[Parameter, ...]:
        """``CustomScenarioParameter`` parameters (third-party only, spec §5.2)."""
        return self.grouped(CUSTOM_SCENARIO_PARAMETER)

    def request(self, name: str) -> Request | None:
        """The first request called ``name``, or None."""
        for request in self.requests:
            if request.name == name:
                return request
        return None

    @property
    def request_names(self) -> tuple[str, ...]:
        """Names of the requests, in order (unnamed requests are left out)."""
        return tuple(r.name for r in self.requests if r.name is not None)

    @property
    def has_presets(self) -> bool:
        """True when the scenario has a ``<Presets>`` element."""
        return self.presets is not None

    @property
    def has_responses(self) -> bool:
        """True when the scenario has a ``<Responses>`` element."""
        return self.responses is not None


@dataclass(frozen=True, slots=True, eq=False)
class Information(Located):
    """The root ``<Information>`` element's attributes (spec §4)."""

    provider: str | None
    name: str | None
    key: str | None
    logo: str | None
    remark: str | None
    version: str | None
    auth_type: str | None
    max_concurrent_request: str | None
    user_association: str | None
    call_journal: str | None
    create_new_contact: str | None
    create_new_ticket: str | None
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    KNOWN_ATTRIBUTES = frozenset(
        {
            "Provider",
            "Name",
            "Key",
            "Logo",
            "Remark",
            "Version",
            "AuthType",
            "MaxConcurrentRequest",
            "UserAssociation",
            "CallJournal",
            "CreateNewContact",
            "CreateNewTicket",
        }
    )

    @classmethod
    def from_node(cls, node: XmlElement) -> Information:
        """Read the root element's attributes (whatever the root is called)."""
        get = node.get
        return cls(
            node,
            get("Provider"),
            get("Name"),
            get("Key"),
            get("Logo"),
            get("Remark"),
            get("Version"),
            get("AuthType"),
            get("MaxConcurrentRequest"),
            get("UserAssociation"),
            get("CallJournal"),
            get("CreateNewContact"),
            get("CreateNewTicket"),
            _extra(node, cls.KNOWN_ATTRIBUTES),
        )

    @property
    def user_association_enabled(self) -> bool:
        """``UserAssociation="1"``."""
        return _flag(self.user_association)

    @property
    def call_journal_enabled(self) -> bool:
        """``CallJournal="1"``."""
        return _flag(self.call_journal)

    @property
    def create_new_contact_enabled(self) -> bool:
        """``CreateNewContact="1"``."""
        return _flag(self.create_new_contact)

    @property
    def create_new_ticket_enabled(self) -> bool:
        """``CreateNewTicket="1"``."""
        return _flag(self.create_new_ticket)

    def feature_enabled(self, attribute: str) -> bool:
        """Any ``0``/``1`` attribute of ``<Information>`` by its XML name, as a bool."""
        return _flag(self.node.get(attribute))

    @property
    def max_concurrent_requests(self) -> int | None:
        """``MaxConcurrentRequest`` as a positive int, or None when absent or not one."""
        value = self.max_concurrent_request
        if value is None or not value.isascii() or not value.isdigit():
            return None
        number = int(value)
        return number if number > 0 else None


@dataclass(frozen=True, slots=True, eq=False)
class Template(Located):
    """A whole template: ``information``, ``scenarios`` and the root-level parameters.

    ``node`` is the root element (normally ``<Information>``; the linter reports others).
    """

    information: Information
    scenarios: tuple[Scenario, ...]
    parameters: tuple[Parameter, ...]
    scenarios_nodes: tuple[XmlElement, ...]

    @property
    def root_name(self) -> str:
        """The root element's name (``Information`` in a valid template)."""
        return self.node.name

    @property
    def provider(self) -> str | None:
        """``Information@Provider`` (``crm`` or ``helpdesk``)."""
        return self.information.provider

    def scenario(self, scenario_id: str) -> Scenario | None:
        """The first scenario with this ``Id``, or None."""
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        return None

    def scenarios_with_id(self, scenario_id: str) -> tuple[Scenario, ...]:
        """Every scenario with this ``Id`` (more than one is a template error)."""
        return tuple(s for s in self.scenarios if s.id == scenario_id)

    @property
    def auth(self) -> Scenario | None:
        """The ``AuthMethod`` scenario, or None."""
        return self.scenario("AuthMethod")

    @property
    def auth_method(self) -> str | None:
        """The effective auth method: the ``AuthMethod`` parameter, else ``AuthType``.

        An absent or empty ``AuthMethod`` parameter falls back to ``Information@AuthType``.
        """
        auth = self.auth
        value = None if auth is None else auth.param_value("AuthMethod")
        return value if value else self.information.auth_type

    @property
    def custom_fields(self) -> tuple[Parameter, ...]:
        """The ``CustomFieldList`` parameters of ``AuthMethod``."""
        auth = self.auth
        return () if auth is None else auth.custom_fields

    @property
    def custom_field_names(self) -> tuple[str, ...]:
        """Names of the custom fields (each becomes the variable ``{{.<Name>}}``)."""
        return tuple(p.name for p in self.custom_fields if p.name)

    @property
    def global_headers(self) -> tuple[Parameter, ...]:
        """Headers declared in ``AuthMethod``: sent with every request."""
        auth = self.auth
        return () if auth is None else auth.headers

    @property
    def token_error_patterns(self) -> tuple[Parameter, ...]:
        """``TokenErrorMap`` parameters of ``AuthMethod``."""
        auth = self.auth
        return () if auth is None else auth.token_error_patterns

    def common_request(self, name: str) -> Request | None:
        """The request ``name`` of the ``Common`` scenario (the target of ``Next``)."""
        for scenario in self.scenarios_with_id("Common"):
            request = scenario.request(name)
            if request is not None:
                return request
        return None

    def requests(self) -> Iterator[tuple[Scenario, Request]]:
        """Every request of every scenario, with its scenario, in document order."""
        for scenario in self.scenarios:
            for request in scenario.requests:
                yield scenario, request

    @property
    def contact_types(self) -> tuple[str, ...]:
        """Request names of ``SyncContactAuto``: the contact types (spec §6.4)."""
        scenario = self.scenario("SyncContactAuto")
        return () if scenario is None else scenario.request_names

    @property
    def global_info_output_names(self) -> tuple[str, ...]:
        """Output names of ``GetGlobalInfo``: variables available to other scenarios."""
        names: list[str] = []
        for scenario in self.scenarios_with_id("GetGlobalInfo"):
            for request in scenario.requests:
                for output in request.output_list:
                    if output.name and output.name not in names:
                        names.append(output.name)
        return tuple(names)


def build_template(source: SourceMap) -> Template:
    """Build the model from a loaded document; never fails, whatever the document holds."""
    root = source.root
    scenarios_nodes = tuple(c for c in root.children if c.name == "Scenarios")
    scenarios = tuple(
        Scenario.from_node(scenario)
        for group in scenarios_nodes
        for scenario in group.children
        if scenario.name == "Scenario"
    )
    return Template(
        root,
        Information.from_node(root),
        scenarios,
        _parameters_of(root),
        scenarios_nodes,
    )
