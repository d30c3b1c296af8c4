"""A contact search whose only way to find a number is a filter expression parameter, and
contact values made of parts (``name: {firstName, lastName}``): synthetic descriptions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from crmtpl.scaffold.build import scaffold_from_openapi
from tests.unit.scaffold.helpers import answer, body, load, openapi, strict_problems

PERSON = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "name": {
            "type": "object",
            "properties": {"firstName": {"type": "string"}, "lastName": {"type": "string"}},
        },
        "phones": {
            "type": "object",
            "properties": {
                "primaryPhoneNumber": {"type": "string"},
                "primaryPhoneCountryCode": {"type": "string"},
            },
        },
    },
}
LISTING = {
    "type": "object",
    "properties": {
        "data": {
            "type": "object",
            "properties": {"people": {"type": "array", "items": PERSON}},
        }
    },
}


def _filter(examples: dict[str, Any] | None) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "name": "filter",
        "in": "query",
        "description": "Format: field[COMPARATOR]:value",
        "schema": {"type": "string"},
    }
    if examples is not None:
        parameter["examples"] = examples
    return parameter


def _paths(examples: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "/people": {
            "get": {
                "operationId": "findManyPeople",
                "parameters": [_filter(examples)],
                "responses": answer(LISTING),
            },
            "post": {"requestBody": body(PERSON), "responses": answer(PERSON)},
        }
    }


EXAMPLES = {
    "range": {"value": 'createdAt[gte]:"2023-01-01"'},
    "nested": {"value": "emails.primaryEmail[eq]:foo@example.com"},
    "complex": {"value": "or(createdAt[gte]:1,not(id[is]:NULL))"},
}


def _url(text: str) -> str:
    found = re.search(r'Method="GET"[^>]*URLFormat="([^"]*)"', text.split("SyncContactAuto")[1])
    assert found is not None
    return found.group(1)


def test_the_filter_is_written_like_its_example_on_the_phone_field(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(_paths(EXAMPLES))))
    # the one example comparing one field for equality, with the records' phone field
    assert _url(made.text) == (
        "{{.base_url}}/people?filter=phones.primaryPhoneNumber%5Beq%5D%3A{{UrlEncode .Phone}}"
    )
    said = next(c for c in made.choices if c.key == "lookup.filter")
    assert said.ambiguous
    assert said.picked == "phones.primaryPhoneNumber[eq]:{{UrlEncode .Phone}}"
    assert "emails.primaryEmail[eq]:foo@example.com" in said.reason
    assert strict_problems(tmp_path, made.text) == []


def test_a_quoted_example_gives_a_quoted_number(tmp_path: Path) -> None:
    quoted = {"only": {"value": 'name[eq]:"Ada"'}}
    made = scaffold_from_openapi(load(tmp_path, openapi(_paths(quoted))))
    assert _url(made.text).endswith(
        "filter=phones.primaryPhoneNumber%5Beq%5D%3A%22{{UrlEncode .Phone}}%22"
    )


def test_a_filter_without_a_usable_example_sends_the_number_and_says_so(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(_paths(None))))
    assert _url(made.text) == "{{.base_url}}/people?filter={{UrlEncode .Phone}}"
    said = next(c for c in made.choices if c.key == "lookup.filter")
    assert said.ambiguous and said.picked == "the number alone"
    assert "write it" in said.reason


def test_a_plain_search_parameter_is_no_filter(tmp_path: Path) -> None:
    paths = _paths(None)
    paths["/people"]["get"]["parameters"] = [
        {"name": "phone", "in": "query", "schema": {"type": "string"}}
    ]
    made = scaffold_from_openapi(load(tmp_path, openapi(paths)))
    assert _url(made.text) == "{{.base_url}}/people?phone={{UrlEncode .Phone}}"
    assert all(c.key != "lookup.filter" for c in made.choices)


def test_contact_values_made_of_parts_are_built_from_them(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(_paths(EXAMPLES))))
    create = made.text.split('<Scenario Id="CreateNewContact"')[1]
    assert (
        "&quot;name&quot;: {&#xA;    &quot;firstName&quot;: &quot;{{.FirstName}}&quot;,"
        "&#xA;    &quot;lastName&quot;: &quot;{{.LastName}}&quot;&#xA;  }"
    ) in create
    assert (
        "&quot;phones&quot;: {&#xA;    &quot;primaryPhoneNumber&quot;: &quot;{{.BusinessNumber}}&quot;"
        in create
    )
    found = dict(re.findall(r'<Output Name="(\w+)" Path="([^"]*)"', made.text))
    assert found["BusinessNumber"] == "data.people.#.phones.primaryPhoneNumber"
