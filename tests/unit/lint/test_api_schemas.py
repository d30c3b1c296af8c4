"""CT976-CT979: bodies and output paths judged against the CRM's API description."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crmtpl.lint.checks import api_schemas
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.lint.suppressions import apply_suppressions, find_suppressions
from crmtpl.openapi.description import ApiDescription, load_description
from crmtpl.template.loader import load_template
from tests.support import REPO_ROOT

API_RULES = frozenset({"CT976", "CT977", "CT978", "CT979"})
SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"
GALLERY = REPO_ROOT / "crmtpl" / "gallery"

CONTACT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "first_name": {"type": "string"},
        "company": {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
        },
    },
}
NEW_CALL = {
    "type": "object",
    "required": ["subject", "duration", "outcome"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "subject": {"type": "string"},
        "duration": {"type": "integer"},
        "outcome": {"type": "string", "enum": ["connected", "no_answer"]},
        "contact": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}},
        },
    },
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


DESCRIPTION = {
    "openapi": "3.0.3",
    "info": {"title": "Small CRM", "version": "1"},
    "servers": [{"url": "https://crm.example.com/api"}],
    "paths": {
        "/contacts": {
            "get": {
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": CONTACT}},
                        }
                    ),
                    "default": _json(
                        {"type": "object", "properties": {"error": {"type": "string"}}}
                    ),
                }
            }
        },
        "/calls": {
            "post": {
                "requestBody": {"required": True, **_json(NEW_CALL)},
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "properties": {
                                "data": {
                                    "type": "object",
                                    "properties": {"id": {"type": "integer"}},
                                }
                            },
                        }
                    )
                },
            }
        },
    },
}

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="crm" Name="Fixture CRM" Key="fixture_crm" Version="1.0.0" AuthType="none" MaxConcurrentRequest="5" UserAssociation="0" CallJournal="1" CreateNewContact="0" CreateNewTicket="0">
  <Scenarios>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Presets></Presets>
      <Parameters>
        <Parameter Name="ContactsIdEnable" Value="1"></Parameter>
        <Parameter Name="FirstNameEnable" Value="1"></Parameter>
        <Parameter Name="CompanyEnable" Value="1"></Parameter>
      </Parameters>
      <Requests>
        <Request Name="contacts" Method="GET" ResponseType="application/json" RequestEncoding="" URLFormat="{{.base_url}}/contacts?phone={{UrlEncode .Phone}}">
          <Parameters></Parameters>
          <Outputs>
            <Output Name="ContactsId" Path="data.#.id" Type=""></Output>
            <Output Name="FirstName" Path="data.#.first_name" Type=""></Output>
            <Output Name="Company" Path="data.#.company.name" Type=""></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CallJournal" Type="REST">
      <Presets></Presets>
      <Parameters></Parameters>
      <Requests>
        <Request Name="calls" Method="POST" ResponseType="application/json" RequestEncoding="" URLFormat="{{.base_url}}/calls">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="BODY"></Parameter>
          </Parameters>
          <Outputs>
            <Output Name="CallId" Path="data.id" Type=""></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""
GOOD_BODY = (
    '{"subject": "{{.Subject}}", "duration": {{.Talk_Duration_Sec}}, '
    '"outcome": "{{if eq .Call_Status `Answered`}}connected{{else}}no_answer{{end}}", '
    '"contact": {"id": "{{.ContactId}}"}}'
)


@pytest.fixture(scope="module")
def small_api(tmp_path_factory: pytest.TempPathFactory) -> ApiDescription:
    folder = tmp_path_factory.mktemp("api")
    (folder / "openapi.json").write_text(json.dumps(DESCRIPTION), encoding="utf-8")
    return load_description(folder / "openapi.json")


def xml_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#xA;")


def template(body: str = GOOD_BODY, *replacements: tuple[str, str]) -> str:
    text = TEMPLATE.replace("BODY", xml_attribute(body))
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def api_findings(text: str, api: ApiDescription | None) -> list[Diagnostic]:
    """The CT976-CT979 findings of a template, suppressions applied."""
    loaded = load_template(text.encode(), display_name="t.xml")
    ctx = LintContext(loaded, api=api)
    api_schemas.bodies_against_the_description(ctx)
    api_schemas.output_paths_against_the_description(ctx)
    # the one decision which operation a request calls reports CT971 where it calls none
    schema_findings = [d for d in ctx.diagnostics if d.rule in API_RULES]
    assert {d.rule for d in ctx.diagnostics} - API_RULES <= {"CT971"}
    suppressions, _problems = find_suppressions(loaded.source, ctx.table)
    return apply_suppressions(schema_findings, suppressions)


def at(text: str, found: Diagnostic) -> str:
    """The template text from the finding's position on."""
    return text.splitlines()[found.line - 1][found.column - 1 :]


def test_a_template_that_follows_the_description_has_no_finding(small_api: ApiDescription) -> None:
    assert api_findings(template(), small_api) == []


def test_without_a_description_nothing_is_judged() -> None:
    assert api_findings(template('{"durration": "x"}'), None) == []


def test_requests_that_match_no_operation_are_left_to_the_operation_checks(
    small_api: ApiDescription,
) -> None:
    text = template('{"durration": "x"}', ("{{.base_url}}/calls", "{{.base_url}}/callz"))
    assert api_findings(text, small_api) == []


# -- CT976 -------------------------------------------------------------------------------


def test_an_unknown_field_of_a_closed_object_is_an_error_at_its_key(
    small_api: ApiDescription,
) -> None:
    text = template(GOOD_BODY.replace('"duration"', '"durration"'))
    (found,) = [
        d for d in api_findings(text, small_api) if d.rule == "CT976" and "durr" in d.message
    ]
    assert found.severity.value == "error"
    assert at(text, found).startswith("&quot;durration&quot;")
    assert "POST /calls" in found.message and "'durration'" in found.message
    assert found.hint is not None and "duration" in found.hint
    # and the duration it should have had is missing
    missing = [
        d for d in api_findings(text, small_api) if "lacks the field 'duration'" in d.message
    ]
    assert len(missing) == 1


def test_a_missing_required_field_is_reported_unless_a_branch_writes_it(
    small_api: ApiDescription,
) -> None:
    text = template('{"subject": "{{.Subject}}", "duration": 1, "contact": {}}')
    found = api_findings(text, small_api)
    assert {d.rule for d in found} == {"CT976"}
    messages = sorted(d.message.split(" lacks ")[1].split(") ")[0] for d in found)
    assert messages == ["the field 'id' (at /contact", "the field 'outcome' (at its top level"]
    branch = template(
        '{"subject": "x", "duration": 1{{if .ContactId}}, "outcome": "connected"{{end}}}'
    )
    assert api_findings(branch, small_api) == []


# -- CT977 -------------------------------------------------------------------------------


def test_a_quoted_number_variable_is_a_string_where_the_api_wants_an_integer(
    small_api: ApiDescription,
) -> None:
    text = template(GOOD_BODY.replace("{{.Talk_Duration_Sec}}", '"{{.Talk_Duration_Sec}}"'))
    (found,) = api_findings(text, small_api)
    assert found.rule == "CT977" and found.severity.value == "error"
    assert "/duration is a string, the API wants an integer" in found.message
    assert at(text, found).startswith("&quot;{{.Talk_Duration_Sec}}")
    assert found.hint is not None and "without quotes" in found.hint


def test_a_literal_outside_the_enum_is_reported_and_a_variable_is_not(
    small_api: ApiDescription,
) -> None:
    literal = template(GOOD_BODY.replace("{{else}}no_answer", "{{else}}busy"))
    (found,) = api_findings(literal, small_api)
    assert found.rule == "CT977" and "'busy', not one of: connected, no_answer" in found.message
    variable = template(
        GOOD_BODY.replace(
            "{{if eq .Call_Status `Answered`}}connected{{else}}no_answer{{end}}", "{{.Call_Status}}"
        )
    )
    assert api_findings(variable, small_api) == []


def test_what_the_samples_cannot_prove_is_not_reported(small_api: ApiDescription) -> None:
    # an unquoted text variable: its type is unknown (CT662 is about the quotes)
    unquoted = template(GOOD_BODY.replace('"subject": "{{.Subject}}"', '"subject": {{.ContactId}}'))
    assert api_findings(unquoted, small_api) == []
    # a key written by the template: the object's keys are unknown
    keyed = template('{"{{.Subject}}": 1}')
    assert api_findings(keyed, small_api) == []


# -- CT978 / CT979 -----------------------------------------------------------------------


def test_a_misspelt_output_path_points_at_the_key_with_the_closest_schema_path(
    small_api: ApiDescription,
) -> None:
    text = template(GOOD_BODY, ('Path="data.#.first_name"', 'Path="data.#.frist_name"'))
    (found,) = api_findings(text, small_api)
    assert found.rule == "CT978" and found.severity.value == "error"
    assert at(text, found).startswith('frist_name"')
    assert "GET /contacts" in found.message and "first_name" in found.message
    assert found.hint is not None and 'Path="data.#.first_name"' in found.hint


def test_an_undeclared_key_is_a_finding_only_for_an_output_the_pbx_needs(
    small_api: ApiDescription,
) -> None:
    custom = template(GOOD_BODY, ('Path="data.#.first_name"', 'Path="data.#.nickname"'))
    assert api_findings(custom, small_api) == []
    needed = template(GOOD_BODY, ('Path="data.#.id"', 'Path="data.#.key"'))
    (found,) = api_findings(needed, small_api)
    assert found.rule == "CT978" and at(needed, found).startswith('key"')


def test_the_path_of_an_answer_is_judged_against_the_success_schema_only(
    small_api: ApiDescription,
) -> None:
    # the default (error) answer declares "error"; the 200 answer does not
    text = template(GOOD_BODY, ('Path="data.#.id"', 'Path="error"'))
    (found,) = api_findings(text, small_api)
    assert found.rule == "CT978" and "the keys data" in found.message


def test_an_output_that_would_get_a_whole_object_is_an_error(small_api: ApiDescription) -> None:
    text = template(GOOD_BODY, ('Path="data.#.company.name"', 'Path="data.#.company"'))
    (found,) = api_findings(text, small_api)
    assert found.rule == "CT979" and found.severity.value == "error"
    assert found.hint is not None and 'Path="data.#.company.name"' in found.hint
    assert at(text, found).startswith('data.#.company"')


def test_templated_and_modified_paths_are_not_judged(small_api: ApiDescription) -> None:
    for path in ("data.#.{{.field}}", "data.@reverse.0.x", "data|@keys"):
        text = template(GOOD_BODY, ('Path="data.#.first_name"', f'Path="{path}"'))
        assert api_findings(text, small_api) == [], path


# -- the vendors' own descriptions ------------------------------------------------------

VENDORS = {
    "hubspot": SPECS / "src" / "hubspot",
    "pipedrive": SPECS / "src" / "pipedrive",
    "zoho": SPECS / "zoho-crm.json",
}


@pytest.fixture(scope="module")
def vendor_api() -> dict[str, ApiDescription]:
    return {name: load_description(path) for name, path in VENDORS.items()}


def gallery(name: str) -> str:
    return (GALLERY / f"{name}.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_the_gallery_templates_are_clean_against_their_vendors_description(
    name: str, vendor_api: dict[str, ApiDescription]
) -> None:
    assert api_findings(gallery(name), vendor_api[name]) == []


def broken(name: str, old: str, new: str) -> str:
    text = gallery(name)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_hubspot_a_broken_output_path_is_caught_with_the_schema_path(
    vendor_api: dict[str, ApiDescription],
) -> None:
    text = broken(
        "hubspot",
        'Path="results.#.properties.firstname"',
        'Path="results.#.property.firstname"',
    )
    (found,) = api_findings(text, vendor_api["hubspot"])
    assert found.rule == "CT978"
    assert at(text, found).startswith("property.firstname")
    assert "POST /crm/v3/objects/contacts/search" in found.message
    assert found.hint is not None and 'Path="results.#.properties.firstname"' in found.hint


def test_hubspot_a_broken_body_field_is_caught(vendor_api: dict[str, ApiDescription]) -> None:
    text = broken("hubspot", "&quot;types&quot;: [", "&quot;type&quot;: [")
    (found,) = api_findings(text, vendor_api["hubspot"])
    assert found.rule == "CT976" and "lacks the field 'types'" in found.message
    assert "POST /crm/v3/objects/calls" in found.message
    assert "&quot;type&quot;: [" in text.splitlines()[found.line - 1]


def test_pipedrive_a_quoted_id_is_a_string_where_the_api_wants_an_integer(
    vendor_api: dict[str, ApiDescription],
) -> None:
    text = broken(
        "pipedrive",
        "&quot;person_id&quot;: {{.ContactId}}",
        "&quot;person_id&quot;: &quot;{{.ContactId}}&quot;",
    )
    (found,) = api_findings(text, vendor_api["pipedrive"])
    assert found.rule == "CT977" and "/person_id is a string" in found.message
    assert at(text, found).startswith("&quot;{{.ContactId}}")


def test_zoho_a_broken_output_path_is_caught(vendor_api: dict[str, ApiDescription]) -> None:
    text = broken("zoho", 'Path="users.#.first_name"', 'Path="users.#.firstname"')
    (found,) = api_findings(text, vendor_api["zoho"])
    assert found.rule == "CT978" and "GET /crm/v8/users" in found.message
    assert at(text, found).startswith('firstname"')
    assert found.hint is not None and 'Path="users.#.first_name"' in found.hint


def test_pipedrive_a_misspelt_key_in_a_query_is_caught_in_the_query(
    vendor_api: dict[str, ApiDescription],
) -> None:
    text = broken(
        "pipedrive",
        'Path="data.#(active_flag==true)#.id"',
        'Path="data.#(activeflag==true)#.id"',
    )
    (found,) = api_findings(text, vendor_api["pipedrive"])
    assert found.rule == "CT978" and "GET /users" in found.message
    assert at(text, found).startswith("activeflag==true")
    assert found.hint is not None and "did you mean active_flag for activeflag?" in found.hint


def test_a_number_variable_has_a_known_type_but_not_a_known_value(
    small_api: ApiDescription, tmp_path: Path
) -> None:
    description = json.loads(json.dumps(DESCRIPTION))
    duration = description["paths"]["/calls"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]["properties"]["duration"]
    duration["enum"] = [0, 1]
    (tmp_path / "api.json").write_text(json.dumps(description), encoding="utf-8")
    api = load_description(tmp_path / "api.json")
    assert api_findings(template(), api) == []  # {{.Talk_Duration_Sec}}: any number
    literal = template(GOOD_BODY.replace("{{.Talk_Duration_Sec}}", "5"))
    (found,) = api_findings(literal, api)
    assert found.rule == "CT977" and "is 5, not one of: 0, 1" in found.message
