"""The typed model on the spec's two complete examples and on small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.template import LoadedTemplate, Template, load_template
from tests.support import SPEC_EXAMPLES_DIR


def example(name: str) -> LoadedTemplate:
    examples = SPEC_EXAMPLES_DIR
    return load_template(Path(examples) / name)


@pytest.fixture(scope="module")
def crm() -> Template:
    return example("crm-northwind.xml").model


@pytest.fixture(scope="module")
def helpdesk() -> Template:
    return example("helpdesk-example.xml").model


def test_information_of_the_crm_example(crm: Template) -> None:
    info = crm.information
    assert crm.root_name == "Information"
    assert (info.provider, info.name, info.key) == ("crm", "Northwind CRM", "northwind_crm")
    assert (info.logo, info.version, info.auth_type) == ("northwind.png", "1.0.0", "oauth2")
    assert info.remark == "Reference CRM template written for crmtpl"
    assert info.max_concurrent_request == "5"
    assert info.max_concurrent_requests == 5
    assert info.user_association_enabled
    assert info.call_journal_enabled
    assert info.create_new_contact_enabled
    assert not info.create_new_ticket_enabled
    assert info.create_new_ticket == "0"
    assert info.extra_attributes == {}


def test_scenarios_of_the_crm_example(crm: Template) -> None:
    assert [s.id for s in crm.scenarios] == [
        "AuthMethod",
        "GetGlobalInfo",
        "UserAssociation",
        "SyncContactAuto",
        "Common",
        "CreateNewContact",
        "CallJournal",
    ]
    assert all(s.type == ("AUTH" if s.id == "AuthMethod" else "REST") for s in crm.scenarios)
    auth = crm.auth
    assert auth is not None
    assert auth.has_presets and auth.has_responses
    assert auth.requests == ()
    sync = crm.scenario("SyncContactAuto")
    assert sync is not None
    assert not sync.has_responses


def test_auth_accessors_of_the_crm_example(crm: Template) -> None:
    assert crm.auth_method == "oauth2"
    assert crm.custom_field_names == ("region", "org_id", "client_id", "client_secret")
    region = crm.custom_fields[0]
    assert (region.editor, region.title, region.value) == ("list", "Data centre", "eu,us,ap")
    assert region.description == "Region of your Northwind account"
    assert crm.custom_fields[3].editor == "password"
    assert [h.name for h in crm.global_headers] == ["Content-Type", "Accept", "X-Org-Id"]
    assert crm.global_headers[2].value == "{{.org_id}}"
    (pattern,) = crm.token_error_patterns
    assert (pattern.name, pattern.type, pattern.value) == (
        "TokenInvalid",
        "TokenInvalid",
        "INVALID_TOKEN",
    )
    auth = crm.auth
    assert auth is not None
    assert auth.param_value("AdditionalQueryString") == (
        "access_type=offline&redirect_uri={{UrlEncode .redirect_uri}}"
    )
    assert auth.param_value("CredentialType") == ""
    assert auth.param_value("TokenRefreshInterval") is None


def test_contact_search_of_the_crm_example(crm: Template) -> None:
    sync = crm.scenario("SyncContactAuto")
    assert sync is not None
    assert sync.param_value("ContactUrlType") == "specify_url_format"
    assert sync.flag("ContactsIdEnable") is True
    assert sync.flag("BusinessFaxNumberEnable") is False
    assert sync.flag("NoSuchEnable") is None
    assert crm.contact_types == ("contacts", "leads")
    contacts = sync.request("contacts")
    assert contacts is not None
    assert contacts.scenario_id == "SyncContactAuto"
    assert contacts.method == "GET"
    assert contacts.response_type == "application/json"
    assert contacts.request_encoding == ""
    assert contacts.weight is None
    assert contacts.url_attribute == "URLFormat"
    assert contacts.url_template == (
        "https://{{.region}}.northwind.example/api/v1/contacts/search?phone={{UrlEncode .Phone}}"
    )
    assert contacts.next == "GetContactPhones"
    assert contacts.outputs is not None
    assert contacts.outputs.names[:3] == ("ContactsId", "FirstName", "LastName")
    mobile = contacts.output("MobileNumber")
    assert mobile is not None and mobile.filled_later and mobile.path == ""
    assert mobile.type == ""
    leads = sync.request("leads")
    assert leads is not None
    assert [(h.name, h.value) for h in leads.headers] == [("X-Include", "owner")]
    assert leads.next is None


def test_common_chain_and_body_of_the_crm_example(crm: Template) -> None:
    phones = crm.common_request("GetContactPhones")
    assert phones is not None
    work = phones.output("BusinessNumber2")
    assert work is not None
    assert work.path == 'phones.#(type=="work")#|1.number'
    assert crm.common_request("Missing") is None
    create = crm.scenario("CreateNewContact")
    assert create is not None
    body = create.requests[0].body
    assert body is not None
    assert body.value is not None
    assert body.value.startswith('{\n  "first_name": "{{.FirstName}}",\n')
    journal = crm.scenario("CallJournal")
    assert journal is not None
    assert journal.requests[0].weight == "0"
    assert journal.param_value("Subject") == "Extension Call"
    assert crm.global_info_output_names == ("OrgSlug", "DefaultOwnerId")


def test_the_helpdesk_example(helpdesk: Template) -> None:
    assert helpdesk.provider == "helpdesk"
    assert helpdesk.auth_method == "bearertoken"
    assert helpdesk.information.create_new_ticket_enabled
    auth = helpdesk.auth
    assert auth is not None
    assert auth.param_value("TokenRefreshInterval") == "50"
    ticket = helpdesk.scenario("CreateNewTicket")
    assert ticket is not None
    assert ticket.request_names == ("CreateNewTicket", "UpdateTicket")
    create = ticket.request("CreateNewTicket")
    assert create is not None
    assert [h.name for h in create.headers] == ["X-Portal"]
    assert create.body is not None
    assert create.output("TicketId") is not None
    assert ticket.param_value("NeedSyncContact") == "1"
    sync = helpdesk.scenario("SyncContactAuto")
    assert sync is not None
    assert sync.param_value("ContactUrlType") == "retrieve_from_contact"
    assert sync.param_value("ContactFieldForUri") == "requesters.#.profileUrl"
    assert helpdesk.global_info_output_names == ("DepartmentId", "PortalName")
    assert len(list(helpdesk.requests())) == 9


def test_every_model_object_locates_its_attributes(crm: Template) -> None:
    loaded = example("crm-northwind.xml")
    sync = loaded.model.scenario("SyncContactAuto")
    assert sync is not None
    request = sync.requests[0]
    span = request.value_span("URLFormat")
    assert span is not None
    assert loaded.text[span.start_offset : span.end_offset] == request.url_format
    name_span = request.name_span("Method")
    assert name_span is not None
    assert loaded.source.line_text(name_span.start_line)[name_span.start_column - 1 :].startswith(
        "Method="
    )
    assert request.value_span("NoSuch") is None
    assert request.span.start_line == request.node.line
    assert request.attribute("Name") is request.node.attributes["Name"]
    output = request.output_list[0]
    assert output.node.name == "Output"
    assert output.span.start_line == request.span.start_line + 3


def test_absent_and_empty_attributes_are_distinct() -> None:
    model = load_template(
        '<Information Provider="" Name="x" Custom="1"><Scenarios>'
        '<Scenario Id="AuthMethod"><Parameters><Parameter Name="AuthMethod" Value=""/>'
        "</Parameters></Scenario></Scenarios></Information>"
    ).model
    assert model.information.provider == ""
    assert model.information.key is None
    assert model.information.extra_attributes == {"Custom": "1"}
    assert model.auth_method is None  # empty parameter, absent AuthType
    auth = model.auth
    assert auth is not None
    assert auth.type is None
    parameter = auth.param("AuthMethod")
    assert parameter is not None
    assert parameter.value == "" and parameter.father is None and not parameter.grouped


def test_auth_method_falls_back_to_auth_type() -> None:
    model = load_template('<Information AuthType="basic"><Scenarios/></Information>').model
    assert model.auth is None
    assert model.auth_method == "basic"
    assert model.custom_fields == () and model.global_headers == ()
    assert model.token_error_patterns == ()
    assert model.contact_types == ()


def test_url_slip_and_grouped_parameters() -> None:
    model = load_template(
        "<Information><Scenarios><Scenario Id='SyncContactAuto' Type='REST'><Parameters>"
        "<Parameter Father='X' Name='ContactUrlType' Value='grouped'/>"
        "<Parameter Name='ContactUrlType' Value='plain'/></Parameters><Requests>"
        "<Request Name='c' URL='https://x/{{.Phone}}' Extra='e'>"
        "<Parameters><Parameter Name='Data' Type='Body' Value='{}'/>"
        "<Parameter Name='X-A' Type='Header' Value='1'/></Parameters></Request>"
        "</Requests></Scenario></Scenarios></Information>"
    ).model
    sync = model.scenario("SyncContactAuto")
    assert sync is not None
    assert sync.param_value("ContactUrlType") == "plain"
    assert [p.value for p in sync.grouped("X")] == ["grouped"]
    request = sync.requests[0]
    assert request.url_format is None
    assert request.url_attribute == "URL"
    assert request.url_template == "https://x/{{.Phone}}"
    assert request.extra_attributes == {"Extra": "e"}
    assert request.outputs is None and request.output_list == () and request.next is None
    assert [h.name for h in request.headers] == ["X-A"]
    assert request.body is not None and request.body.value == "{}"


def test_a_wrong_root_and_odd_structure_still_build() -> None:
    model = load_template(
        "<Template Provider='crm'><Scenario Id='Loose'/><Scenarios><Other/>"
        "<Scenario/><Scenario Id='A'/><Scenario Id='A'/></Scenarios>"
        "<Scenarios><Scenario Id='B'/></Scenarios></Template>"
    ).model
    assert model.root_name == "Template"
    assert model.provider == "crm"
    assert [s.id for s in model.scenarios] == [None, "A", "A", "B"]
    assert len(model.scenarios_with_id("A")) == 2
    assert len(model.scenarios_nodes) == 2
    assert model.scenario("Loose") is None


def test_max_concurrent_requests_parsing() -> None:
    for raw, expected in (("10", 10), ("0", None), ("-1", None), ("x", None), ("٣", None)):
        model = load_template(f'<Information MaxConcurrentRequest="{raw}"/>').model
        assert model.information.max_concurrent_requests == expected
    assert load_template("<Information/>").model.information.max_concurrent_requests is None


def test_model_objects_are_read_only(crm: Template) -> None:
    with pytest.raises(AttributeError):
        crm.information.provider = "helpdesk"  # type: ignore[misc]
