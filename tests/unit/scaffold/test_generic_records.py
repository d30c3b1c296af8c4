"""Descriptions whose records are generic: one ``/objects/{object}/records`` family for
every kind of record, ids of several parts, a search filtering by the records' own keys.

The shape of several CRMs' APIs (a kind-of-record path parameter with an example instead of
an enum, an id object scoped by workspace and object); written small and synthetic here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from crmtpl.scaffold.build import scaffold_from_openapi
from tests.unit.scaffold.helpers import answer, body, load, openapi, strict_problems

OBJECT = {
    "name": "object",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "description": "A slug of an object", "example": "people"},
}
RECORD_ID = {
    "type": "object",
    "required": ["workspace_id", "object_id", "record_id"],
    "properties": {
        "workspace_id": {"type": "string"},
        "object_id": {"type": "string"},
        "record_id": {"type": "string"},
    },
}
RECORD = {
    "type": "object",
    "properties": {
        "id": RECORD_ID,
        "web_url": {"type": "string"},
        "values": {"type": "object", "additionalProperties": {"type": "array"}},
    },
}
RECORDS = {"type": "object", "properties": {"data": {"type": "array", "items": RECORD}}}
MEMBERS = {
    "type": "object",
    "properties": {
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "object",
                        "properties": {
                            "workspace_id": {"type": "string"},
                            "member_id": {"type": "string"},
                        },
                    },
                    "first_name": {"type": "string"},
                    "email_address": {"type": "string"},
                },
            },
        }
    },
}
SERVER = ["https://api.generic.example"]
QUERY = {
    "type": "object",
    "properties": {
        "filter": {"type": "object", "additionalProperties": True},
        "limit": {"type": "number"},
    },
}
NOTE = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "object",
            "required": ["parent_object", "parent_record_id", "title"],
            "properties": {
                "parent_object": {"type": "string", "example": "people"},
                "parent_record_id": {"type": "string", "example": "0000-example"},
                "title": {"type": "string"},
            },
        }
    },
}


def generic_paths(query: dict[str, Any] = QUERY) -> dict[str, Any]:
    return {
        "/v2/objects/{object}": {"get": {"parameters": [OBJECT], "responses": answer(RECORD)}},
        "/v2/objects/{object}/records/query": {
            "post": {
                "parameters": [OBJECT],
                "requestBody": body(query),
                "responses": answer(RECORDS),
            }
        },
        "/v2/objects/{object}/records": {
            "post": {
                "parameters": [OBJECT],
                "requestBody": body({"type": "object", "properties": {"data": RECORD}}),
                "responses": answer({"type": "object", "properties": {"data": RECORD}}),
            }
        },
        "/v2/workspace_members": {
            "get": {"summary": "List workspace members", "responses": answer(MEMBERS)}
        },
        "/v2/notes": {"post": {"requestBody": body(NOTE), "responses": answer(NOTE)}},
    }


def _outputs(text: str) -> dict[str, str]:
    return dict(re.findall(r'<Output Name="(\w+)" Path="([^"]*)"', text))


def _lookup_body(text: str) -> Any:
    scenario = text.split('<Scenario Id="SyncContactAuto"')[1]
    value = re.search(r'Type="Body" Value="([^"]*)"', scenario)
    assert value is not None
    unescaped = value.group(1).replace("&quot;", '"').replace("&#xA;", "\n")
    return json.loads(unescaped)


def test_the_kind_of_record_comes_from_the_path_parameters_example(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(), servers=SERVER)))
    picked = {c.key: c for c in made.choices}
    assert picked["lookup"].picked == "POST /v2/objects/{object}/records/query"
    assert "{object} = people (its example)" in picked["lookup"].reason
    assert "/v2/objects/people/records/query" in made.text
    # the records collection of that kind is where contacts are created
    assert picked["create-contact"].picked == "POST /v2/objects/{object}/records"
    assert strict_problems(tmp_path, made.text) == []


def test_a_path_naming_the_users_beats_a_guessed_kind_of_record(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(), servers=SERVER)))
    users = next(c for c in made.choices if c.key == "users")
    assert users.picked == "GET /v2/workspace_members"  # not /v2/objects/{object} as "users"


def test_an_id_of_several_parts_gives_the_records_own_part(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(), servers=SERVER)))
    picked = {c.key: c for c in made.choices}
    assert _outputs(made.text)["ContactsId"] == "data.#.id.record_id"
    assert picked["lookup.ContactsId"].picked == "data.#.id.record_id"
    member = picked["users.UserUniqueId"]
    assert member.picked == "data.#.id.member_id"  # the last part: the member's own
    assert "composite id" in member.reason
    assert picked["users.FirstName"].picked == "data.#.first_name"


def test_a_free_filter_gets_the_number_under_a_key_to_check(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(), servers=SERVER)))
    assert _lookup_body(made.text) == {"filter": {"phone": "{{.Phone}}"}, "limit": 10}
    said = next(c for c in made.choices if c.key == "lookup.body")
    assert said.ambiguous and said.picked == "filter.phone" and "guessed" in said.reason


def test_a_search_body_without_a_place_for_the_number_is_said(tmp_path: Path) -> None:
    bare = {"type": "object", "properties": {"limit": {"type": "number"}}}
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(bare), servers=SERVER)))
    said = next(c for c in made.choices if c.key == "lookup.body")
    assert said.ambiguous and said.picked == "nowhere"


def test_a_note_about_a_parent_record_is_about_the_callers_contact(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(generic_paths(), servers=SERVER)))
    journal = made.text.split('<Scenario Id="CallJournal"')[1]
    assert "&quot;parent_record_id&quot;: &quot;{{.ContactId}}&quot;" in journal
    assert "0000-example" not in journal
