"""Loading OpenAPI 3 and Swagger 2 descriptions offline: files, folders, $refs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmtpl.openapi.description import DescriptionError, load_description
from crmtpl.openapi.matching import closest_paths, match_operation, operations_on_path
from tests.support import REPO_ROOT

SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"

CONTACT = {"type": "object", "properties": {"id": {"type": "string"}}}
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "Small CRM", "version": "1"},
    "servers": [
        {"url": "https://{tenant}.example.com/api/v2", "variables": {"tenant": {"default": "x"}}}
    ],
    "paths": {
        "/contacts/{id}.json": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": "getContact",
                "parameters": [{"name": "X-Key", "in": "header", "required": True}],
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "shared.yaml#/Contact"}}
                        }
                    }
                },
            },
        },
        "/contacts": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/New"}}
                    },
                },
                "responses": {"201": {"description": "created"}},
            }
        },
    },
    "components": {
        "schemas": {
            "New": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "parent": {"$ref": "#/components/schemas/New"},
                },
            }
        }
    },
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "api.json").write_text(json.dumps(OPENAPI), encoding="utf-8")
    (tmp_path / "shared.yaml").write_text(
        "Contact:\n  type: object\n  properties:\n    id: {type: string}\n"
    )
    return tmp_path


def test_a_folder_loads_with_refs_across_files_and_server_base_paths(folder: Path) -> None:
    description = load_description(folder)
    assert description.title == "Small CRM"
    assert [op.label for op in description.operations] == [
        "GET /contacts/{id}.json",
        "POST /contacts",
    ]
    get, post = description.operations
    assert get.server_paths == ("/api/v2",)
    assert get.success_schema() == CONTACT
    assert {(p.name, p.location, p.required) for p in get.parameters} == {
        ("id", "path", True),
        ("X-Key", "header", True),
    }
    assert post.request_body_required and post.request_schema is not None
    assert post.request_schema["properties"]["parent"] is post.request_schema  # recursion kept


def test_a_request_path_is_matched_from_its_end_with_mixed_segments(folder: Path) -> None:
    description = load_description(folder / "api.json")
    found = match_operation(description, "get", "/tenant/api/v2/contacts/42.json")
    assert found is not None and found.operation.operation_id == "getContact"
    assert found.path_parameters == {"id": "42"}
    assert found.matched_template == "/api/v2/contacts/{id}.json"
    assert match_operation(description, "DELETE", "/api/v2/contacts/42.json") is None
    assert [op.method for op in operations_on_path(description, "/api/v2/contacts/42.json")] == [
        "GET"
    ]
    assert (
        closest_paths(description, "/api/v2/contact/42.json")[0] == "GET /api/v2/contacts/{id}.json"
    )


def test_the_closest_paths_name_each_operation_once(tmp_path: Path) -> None:
    # one operation, written behind its server's base path or without it: named once
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.crm.example/v1"}],
        "paths": {
            "/callLogs": {"get": {"responses": {}}, "post": {"responses": {}}},
            "/callLogs/{id}": {"get": {"responses": {}}},
        },
    }
    (tmp_path / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    description = load_description(tmp_path / "api.json")
    found = closest_paths(description, "/api/v1/calls/log", limit=12)
    assert len(found) == len({label.split(" ")[0] + label.split("/")[-1] for label in found})
    assert sorted(found) == sorted(
        ["GET /v1/callLogs", "POST /v1/callLogs", "GET /v1/callLogs/{id}"]
    )


def test_swagger_2_body_and_base_path(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "basePath": "/Api/V8/",
        "paths": {
            "/module": {
                "post": {
                    "parameters": [
                        {
                            "in": "body",
                            "name": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/M"},
                        }
                    ],
                    "responses": {
                        "201": {"description": "ok", "schema": {"$ref": "#/definitions/M"}}
                    },
                }
            }
        },
        "definitions": {"M": {"type": "object", "properties": {"data": {"type": "object"}}}},
    }
    (tmp_path / "swagger.json").write_text(json.dumps(spec), encoding="utf-8")
    [operation] = load_description(tmp_path / "swagger.json").operations
    assert operation.full_paths() == ("/Api/V8/module",)
    assert operation.request_schema == spec["definitions"]["M"]
    assert operation.success_schema() == spec["definitions"]["M"]
    assert operation.parameters == ()


def test_the_vendor_descriptions_of_the_examples_load() -> None:
    hubspot = load_description(SPECS / "src" / "hubspot")
    search = match_operation(hubspot, "POST", "/crm/v3/objects/contacts/search")
    assert search is not None and search.whole_path
    zoho = load_description(SPECS / "zoho-crm.json")
    found = match_operation(zoho, "GET", "/crm/v8/Contacts/search")
    assert found is not None and found.path_parameters == {"module_api_name": "Contacts"}
    assert not hubspot.notes and not zoho.notes


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("{not json", "a.json", r"a\.json:1:2: not JSON"),
        ("a: [1,\n", "a.yaml", r"a\.yaml:\d+:\d+: "),
        ('{"info": {}}', "a.json", "no file is an OpenAPI or Swagger description"),
    ],
)
def test_bad_descriptions_are_told_with_file_and_place(
    tmp_path: Path, content: str, name: str, message: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(DescriptionError, match=message):
        load_description(tmp_path / name)


def test_a_ref_out_of_the_folder_or_remote_is_not_followed(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.0",
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "../../etc/x.json#/A"}}
                            }
                        }
                    }
                }
            },
            "/b": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "https://example.com/s.json"}
                                }
                            }
                        }
                    }
                }
            },
        },
    }
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    description = load_description(tmp_path / "sub" / "api.json")
    assert any("outside the description's folder" in note for note in description.notes)
    assert any("remote $ref" in note for note in description.notes)
    assert description.operations[1].success_schema() == {
        "x-unresolved": "https://example.com/s.json"
    }


def test_a_parameters_own_examples_are_kept(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/people": {
                "get": {
                    "parameters": [
                        {
                            "name": "filter",
                            "in": "query",
                            "schema": {"type": "string"},
                            "example": "name[eq]:Ada",
                            "examples": {
                                "nested": {"value": "emails.primaryEmail[eq]:a@example.com"},
                                "count": {"value": 3},
                            },
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    file = tmp_path / "api.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    [operation] = load_description(file).operations
    [parameter] = operation.parameters
    assert parameter.examples == ("name[eq]:Ada", "emails.primaryEmail[eq]:a@example.com")


def test_yaml_timestamps_stay_text_as_json_has_them(tmp_path: Path) -> None:
    """An example written as an unquoted timestamp (even an impossible one, hour 25, as a
    published description has) is the string it reads as, not a date or a traceback; keys
    like ``on`` and ``yes`` stay names (YAML 1.2, JSON), only true and false are booleans."""
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.0\n"
        "paths:\n"
        "  /calls:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"
        "                type: object\n"
        "                properties:\n"
        "                  at: {type: string, example: 2016-11-16T25:44:00Z}\n"
        "                  on: {type: string, example: 2016-11-16}\n"
        "                  yes: {type: boolean, example: true}\n",
        encoding="utf-8",
    )
    [operation] = load_description(tmp_path / "api.yaml").operations
    schema = operation.success_schema()
    assert schema is not None
    assert schema["properties"]["at"]["example"] == "2016-11-16T25:44:00Z"
    assert schema["properties"]["on"]["example"] == "2016-11-16"  # YAML 1.1 made it True
    assert schema["properties"]["yes"]["example"] is True
