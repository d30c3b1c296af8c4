"""A template from a synthetic OpenAPI description: operations, fields, auth, choices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmtpl.scaffold.build import ScaffoldError, scaffold_from_openapi
from crmtpl.scaffold.choices import ChoiceError, How
from tests.support import REPO_ROOT
from tests.unit.scaffold.helpers import (
    CONTACT,
    answer,
    body,
    crm_paths,
    load,
    openapi,
    query,
    strict_problems,
)

BEARER = {"token": {"type": "http", "scheme": "bearer"}}


def outputs(text: str) -> dict[str, str]:
    return dict(re.findall(r'<Output Name="(\w+)" Path="([^"]*)"', text))


def test_a_small_crm_gets_every_scenario_and_validates_clean(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(crm_paths(), schemes=BEARER)))
    picked = {c.key: c.picked for c in made.choices}
    assert picked["lookup"] == "GET /v2/contacts"
    assert picked["create-contact"] == "POST /v2/contacts"
    assert picked["call-journal"] == "POST /v2/calls"
    assert picked["users"] == "GET /v2/users"
    assert picked["auth"] == "token"
    # the server's path is common to every request: it goes into base_url
    assert (
        'Name="base_url" Editor="string" Title="API URL" Value="https://api.tiny.example/v2"'
        in made.text
    )
    assert 'URLFormat="{{.base_url}}/contacts?phone={{UrlEncode .Phone}}"' in made.text
    assert 'Value="Bearer {{.access_token}}"' in made.text
    found = outputs(made.text)
    assert found["ContactsId"] == "data.#.id"
    assert found["FirstName"] == "data.#.first_name"
    assert found["LastName"] == "data.#.last_name"
    assert found["Company"] == "data.#.company.name"
    assert found["UserUniqueId"] == "#.id"  # a list answer
    assert found["Email"] == "data.#.email"
    assert strict_problems(tmp_path, made.text) == []
    assert made.lookup_method == "GET"
    assert made.lookup_url == "{{any}}/contacts?phone={{any}}"


def test_the_call_body_maps_pbx_values_by_name_and_type(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(crm_paths(), schemes=BEARER)))
    journal = made.text.split('<Scenario Id="CallJournal"')[1]
    value = re.search(r'Name="Data" Type="Body" Value="([^"]*)"', journal)
    assert value is not None
    text = value.group(1).replace("&quot;", '"').replace("&#xA;", "\n")
    assert '"subject": "{{.Subject}}"' in text
    assert '"notes": "{{.Description}}"' in text
    assert '"duration": {{.Talk_Duration_Sec}}' in text  # an integer: unquoted
    assert "{{if eq .Communication_Type `Outbound`}}outbound{{else}}inbound{{end}}" in text
    assert '"started_at": "{{TimeFormat .StartTimeUnix' in text
    assert '"contact_id": {{.ContactId}}' in text
    assert '"id"' not in text  # read-only
    assert "crmtpl: ignore CT662" in journal  # the id is a number, said in a comment


def test_two_equal_searches_are_a_question_and_choose_settles_it(tmp_path: Path) -> None:
    paths = crm_paths()
    paths["/leads"] = {
        "get": {
            "parameters": [query("phone")],
            "responses": answer({"type": "array", "items": CONTACT}),
        }
    }
    paths["/persons"] = {
        "get": {
            "parameters": [query("phone")],
            "responses": answer({"type": "array", "items": CONTACT}),
        }
    }
    description = load(tmp_path, openapi(paths))
    made = scaffold_from_openapi(description)
    lookup = next(c for c in made.choices if c.key == "lookup")
    assert lookup.ambiguous and lookup.how is How.best
    assert {o.value for o in lookup.options[:2]} == {"GET /v2/contacts", "GET /v2/persons"}
    again = scaffold_from_openapi(description, chosen={"lookup": "GET /v2/persons"})
    lookup = next(c for c in again.choices if c.key == "lookup")
    assert (lookup.picked, lookup.how) == ("GET /v2/persons", How.given)
    assert "{{.base_url}}/persons?phone=" in again.text
    by_number = scaffold_from_openapi(description, chosen={"lookup": "3"})
    assert next(c for c in by_number.choices if c.key == "lookup").picked == "GET /v2/leads"
    with pytest.raises(ChoiceError, match="not one of the candidates"):
        scaffold_from_openapi(description, chosen={"lookup": "GET /nowhere"})


def test_none_leaves_a_part_out_and_a_field_path_can_be_given(tmp_path: Path) -> None:
    description = load(tmp_path, openapi(crm_paths()))
    made = scaffold_from_openapi(
        description, chosen={"call-journal": "none", "lookup.Email": "data.#.emails.0"}
    )
    assert 'CallJournal="0"' in made.text and '<Scenario Id="CallJournal"' not in made.text
    assert outputs(made.text)["Email"] == "data.#.emails.0"
    assert strict_problems(tmp_path, made.text) == []


def test_a_post_search_gets_a_body_with_the_number(tmp_path: Path) -> None:
    search = {
        "type": "object",
        "required": ["limit"],
        "properties": {
            "query": {"type": "string"},
            "limit": {"type": "integer"},
            "sorts": {"type": "array", "items": {"type": "string"}},
        },
    }
    listing = {
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "properties": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
            }
        },
    }
    paths = {
        "/objects/contacts/search": {
            "post": {"requestBody": body(search), "responses": answer(listing)}
        }
    }
    made = scaffold_from_openapi(load(tmp_path, openapi(paths)))
    assert 'Method="POST"' in made.text and "&quot;query&quot;: &quot;{{.Phone}}&quot;" in made.text
    found = outputs(made.text)
    assert found["ContactsId"] == "results.#.id"
    assert found["FirstName"] == "results.#.properties.firstname"  # a free map: guessed
    guessed = next(c for c in made.choices if c.key == "lookup.FirstName")
    assert guessed.ambiguous and "guessed" in guessed.reason
    assert strict_problems(tmp_path, made.text) == []


def test_swagger_2_with_basic_auth_and_a_helpdesk(tmp_path: Path) -> None:
    contact = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    }
    ticket = {
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "requester_id": {"type": "string"},
        },
    }
    document = {
        "swagger": "2.0",
        "info": {"title": "Tiny Desk", "version": "1"},
        "host": "desk.example",
        "basePath": "/api",
        "schemes": ["https"],
        "securityDefinitions": {"basic": {"type": "basic"}},
        "paths": {
            "/requesters": {
                "get": {
                    "parameters": [{"name": "query", "in": "query", "type": "string"}],
                    "responses": {
                        "200": {"description": "ok", "schema": {"type": "array", "items": contact}}
                    },
                }
            },
            "/tickets": {
                "post": {
                    "parameters": [{"name": "t", "in": "body", "schema": ticket}],
                    "responses": {
                        "201": {
                            "description": "ok",
                            "schema": {"type": "object", "properties": {"id": {"type": "integer"}}},
                        }
                    },
                }
            },
        },
    }
    made = scaffold_from_openapi(load(tmp_path, document), provider="helpdesk")
    assert 'Provider="helpdesk"' in made.text and 'AuthType="basic"' in made.text
    assert 'Name="Base64EncodedCredential" Value="{{.username}}:{{.password}}"' in made.text
    assert 'Value="https://desk.example/api"' in made.text
    assert 'CreateNewTicket="1"' in made.text
    assert outputs(made.text)["TicketId"] == "id"
    assert outputs(made.text)["FirstName"] == "#.name"
    assert "&quot;requester_id&quot;: &quot;{{.ContactId}}&quot;" in made.text
    assert strict_problems(tmp_path, made.text) == []


def test_an_api_key_in_the_query_goes_into_every_url(tmp_path: Path) -> None:
    schemes = {"key": {"type": "apiKey", "in": "query", "name": "api_token"}}
    made = scaffold_from_openapi(load(tmp_path, openapi(crm_paths(), schemes=schemes)))
    assert "/contacts?phone={{UrlEncode .Phone}}&amp;api_token={{UrlEncode .api_key}}" in made.text
    assert "/users?api_token={{UrlEncode .api_key}}" in made.text
    assert strict_problems(tmp_path, made.text) == []


def test_oauth2_takes_the_endpoints_and_the_useful_scopes(tmp_path: Path) -> None:
    schemes = {
        "oauth": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://login.tiny.example/authorize",
                    "tokenUrl": "https://login.tiny.example/token",
                    "scopes": {"contacts.read": "", "calls.write": "", "billing": ""},
                }
            },
        }
    }
    made = scaffold_from_openapi(load(tmp_path, openapi(crm_paths(), schemes=schemes)))
    assert 'AuthType="oauth2"' in made.text
    assert (
        "https://login.tiny.example/authorize?client_id={{.client_id}}&amp;response_type=code"
        in made.text
    )
    assert 'Name="Scope" Value="contacts.read,calls.write"' in made.text
    assert strict_problems(tmp_path, made.text) == []


def test_a_module_path_parameter_is_filled_and_said(tmp_path: Path) -> None:
    module = {
        "name": "module_api_name",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    records = {"type": "object", "properties": {"data": {"type": "array", "items": CONTACT}}}
    paths = {
        "/crm/{module_api_name}/search": {
            "get": {"parameters": [module, query("phone")], "responses": answer(records)}
        }
    }
    made = scaffold_from_openapi(load(tmp_path, openapi(paths)))
    assert "{{.base_url}}/crm/Contacts/search?phone=" in made.text
    lookup = next(c for c in made.choices if c.key == "lookup")
    assert "{module_api_name} = Contacts (guessed)" in lookup.reason


def test_no_contact_search_is_a_clear_error(tmp_path: Path) -> None:
    paths = {"/users": crm_paths()["/users"]}
    with pytest.raises(ScaffoldError, match="searches contacts by phone") as raised:
        scaffold_from_openapi(load(tmp_path, openapi(paths)))
    assert raised.value.hint is not None and "--choose" in raised.value.hint


def test_a_recursive_schema_ends(tmp_path: Path) -> None:
    document = openapi(
        {
            "/contacts": {
                "get": {
                    "parameters": [query("phone")],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}
                                }
                            },
                        }
                    },
                }
            }
        }
    )
    document["components"] = {
        "schemas": {
            "Node": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                },
            }
        }
    }
    made = scaffold_from_openapi(load(tmp_path, document))
    assert outputs(made.text)["ContactsId"] in ("id", "children.#.id")


SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"


@pytest.mark.parametrize("spec", ["src/hubspot", "src/pipedrive", "zoho-crm.json"])
def test_the_vendor_descriptions_give_templates_that_validate_clean(
    tmp_path: Path, spec: str
) -> None:
    from crmtpl.openapi.description import load_description

    made = scaffold_from_openapi(load_description(SPECS / spec))
    assert strict_problems(tmp_path, made.text) == []
    assert '<Scenario Id="SyncContactAuto"' in made.text


def test_path_parameters_become_custom_fields_or_the_callers_contact(tmp_path: Path) -> None:
    desk = {"name": "serviceDeskId", "in": "path", "required": True, "schema": {"type": "string"}}
    contact = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    note = {"type": "object", "properties": {"body": {"type": "string"}}}
    listing = {"type": "object", "properties": {"values": {"type": "array", "items": CONTACT}}}
    paths = {
        "/servicedesk/{serviceDeskId}/customer": {
            "get": {"parameters": [desk, query("sysparm_query")], "responses": answer(listing)}
        },
        "/contacts/{id}/notes": {
            "post": {"parameters": [contact], "requestBody": body(note), "responses": answer(note)}
        },
    }
    made = scaffold_from_openapi(load(tmp_path, openapi(paths)))
    # sysparm_query counts as a query parameter; {serviceDeskId} is a field to fill
    assert "{{.base_url}}/servicedesk/{{.serviceDeskId}}/customer?sysparm_query=" in made.text
    assert 'Father="CustomFieldList" Name="serviceDeskId" Editor="string"' in made.text
    assert '<Request Name="customer"' in made.text
    # /contacts/{id}/notes logs the call on the caller's contact
    assert 'URLFormat="{{.base_url}}/contacts/{{.ContactId}}/notes"' in made.text
    journal = next(c for c in made.choices if c.key == "call-journal")
    assert "{id} = the caller's contact" in journal.reason
    assert strict_problems(tmp_path, made.text) == []


def test_a_search_by_field_name_looks_in_the_phone_field(tmp_path: Path) -> None:
    field = {"name": "field_name", "in": "query", "required": True,
             "schema": {"type": "string", "enum": ["EMAIL_ADDRESS", "PHONE", "FIRST_NAME"]}}  # fmt: skip
    paths = {"/Contacts/Search": {"get": {"parameters": [field, query("field_value")],
                                          "responses": answer({"type": "array", "items": CONTACT})}}}  # fmt: skip
    made = scaffold_from_openapi(load(tmp_path, openapi(paths)))
    assert "/Contacts/Search?field_value={{UrlEncode .Phone}}&amp;field_name=PHONE" in made.text
