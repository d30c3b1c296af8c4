"""GJSON paths walked over response schemas: where they can lead, and the closest path."""

from __future__ import annotations

from typing import Any

import pytest

from crmtpl import gjson
from crmtpl.openapi.schema_paths import Reached, SchemaMiss, closest_schema_path, follow

STRING: dict[str, Any] = {"type": "string"}
CONTACT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": STRING,
        "properties": {"type": "object", "additionalProperties": STRING},
        "company": {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": STRING},
        },
        "phones": {
            "type": "array",
            "items": {"type": "object", "properties": {"label": STRING, "value": STRING}},
        },
    },
}
SEARCH: dict[str, Any] = {
    "type": "object",
    "properties": {"total": {"type": "integer"}, "results": {"type": "array", "items": CONTACT}},
}


def reached(schema: dict[str, Any], path: str) -> Reached:
    outcome = follow(schema, path)
    assert isinstance(outcome, Reached), outcome
    return outcome


def missed(schema: dict[str, Any], path: str) -> SchemaMiss:
    outcome = follow(schema, path)
    assert isinstance(outcome, SchemaMiss), outcome
    return outcome


@pytest.mark.parametrize(
    ("path", "kind", "projected"),
    [
        ("total", "integer", False),
        ("results.#", "integer", False),  # the count
        ("results.0.id", "string", False),
        ("results.#.id", "string", True),
        ("results.#.properties.firstname", "string", True),  # additionalProperties
        ("results.#.company.name", "string", True),  # through nullable
        ('results.#(id=="7").phones.#(label=="work").value', "string", False),
        ('results.#(id=="7")#.id', "string", True),
        ("results.#.id|0", "string", False),
        ("results|0.company", "object", False),
    ],
)
def test_paths_that_can_match_lead_to_their_schema(path: str, kind: str, projected: bool) -> None:
    outcome = reached(SEARCH, path)
    assert outcome.schemas is not None
    assert {s.get("type") for s in outcome.schemas} == {kind}
    assert outcome.projected is projected


def test_a_misspelt_key_stops_where_it_is_with_the_declared_keys_and_the_closest_path() -> None:
    miss = missed(SEARCH, "results.#.property.firstname")
    assert miss.matched == "results.#"
    assert (miss.offset, miss.length) == (10, 8)  # "property"
    assert miss.path[miss.offset : miss.offset + miss.length] == "property"
    assert miss.keys == ("id", "properties", "company", "phones")
    assert miss.near_key == "properties" and miss.evident
    assert miss.closest == "results.#.properties.firstname"


def test_a_key_asked_of_an_array_or_a_string_is_evident() -> None:
    on_array = missed(SEARCH, "results.id")
    assert on_array.found == "array" and on_array.evident
    assert on_array.closest == "results.#.id"
    on_string = missed(SEARCH, "results.#.id.value")
    assert on_string.found == "string" and on_string.evident
    assert on_string.path[on_string.offset :] == "value"


def test_a_key_simply_undeclared_is_a_miss_but_not_evident() -> None:
    miss = missed(SEARCH, "results.#.ownerEmail")
    assert not miss.evident and miss.closest is None
    # the closest path follows pathmiss.closest_key: the last word of ownerId is id
    assert missed(SEARCH, "results.#.ownerId").closest == "results.#.id"


def test_a_wildcard_on_an_array_matches_nothing_as_in_gjson() -> None:
    assert gjson.get('{"results":[{"id":"1"}]}', "results.*.id").raw == ""
    assert missed(SEARCH, "results.*.id").found == "array"


def test_queries_keep_the_element_schema_and_report_misses_after_them() -> None:
    miss = missed(SEARCH, 'results.#(id=="7").phones.#.lable')
    assert miss.near_key == "label"
    assert miss.path[miss.offset :] == "lable"
    assert miss.closest is None  # a query: no closest path is proposed


@pytest.mark.parametrize(
    "path",
    [
        "@reverse",
        "results.@reverse.0",
        "results.#.@keys",
        "{a:total}",
        "[total,results]",
        "results.#.*",
        "res?lts",
        "{{.field}}.id",
        "results.#.properties.{{.Name}}",
        "",
    ],
)
def test_what_the_walk_cannot_judge_is_never_a_miss(path: str) -> None:
    assert reached(SEARCH, path).schemas is None or path.startswith("results.#.properties")


def test_free_form_objects_and_unresolved_refs_accept_any_key() -> None:
    free = {"type": "object", "properties": {"data": {"type": "object"}}}
    assert reached(free, "data.anything.deeper").schemas is None
    unresolved = {"type": "object", "properties": {"data": {"x-unresolved": "http://x/y"}}}
    assert reached(unresolved, "data.x").schemas is None


def test_all_of_merges_the_members_keys() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"id": STRING}},
            {"type": "object", "properties": {"name": STRING}},
        ]
    }
    assert reached(schema, "name").schemas
    assert reached(schema, "id").schemas
    assert missed(schema, "nmae").closest == "name"


def test_one_of_matches_when_any_alternative_does() -> None:
    schema = {
        "oneOf": [
            {"type": "object", "properties": {"data": {"type": "array", "items": CONTACT}}},
            {"type": "object", "properties": {"error": STRING}},
        ]
    }
    assert reached(schema, "data.#.id").schemas
    assert reached(schema, "error").schemas
    miss = missed(schema, "data.#.idd")
    assert miss.matched == "data.#" and miss.closest == "data.#.id"


def test_openapi_3_1_type_lists_with_null_are_read() -> None:
    schema = {"type": "object", "properties": {"owner": {"type": ["object", "null"]}}}
    assert reached(schema, "owner.anything")  # a free-form object (or null): any key
    assert missed({"type": ["string", "null"]}, "x").found == "string or null"


def test_recursive_schemas_are_walked_as_far_as_the_path_goes() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {"name": STRING}}
    node["properties"]["parent"] = node
    node["properties"]["children"] = {"type": "array", "items": node}
    assert reached(node, "parent.parent.parent.children.#.name").projected
    miss = missed(node, "parent.parent.chidren.0.name")
    assert miss.matched == "parent.parent" and miss.closest == "parent.parent.children.0.name"
    looping: dict[str, Any] = {"oneOf": []}
    looping["oneOf"].extend([looping, {"allOf": [looping]}])
    assert reached(looping, "a.b").schemas is None
    array: dict[str, Any] = {"type": "array"}
    array["items"] = array
    assert closest_schema_path(array, "a.b") is None or "#" in closest_schema_path(array, "a.b")


def test_escaped_dots_are_one_key() -> None:
    schema = {"type": "object", "properties": {"a.b": STRING}}
    assert reached(schema, "a\\.b").schemas
    assert isinstance(follow(schema, "a.b"), SchemaMiss)


def test_the_path_inside_a_query_is_walked_over_the_element() -> None:
    miss = missed(SEARCH, 'results.#(idd=="7")#.id')
    assert miss.path[miss.offset : miss.offset + miss.length] == "idd"
    assert miss.near_key == "id"
    inner = missed(SEARCH, 'results.#(phones.#(lable=="work")).id')
    assert inner.path[inner.offset : inner.offset + inner.length] == "lable"
    assert reached(SEARCH, 'results.#(company.name%"A*")#.id').projected
    assert reached(SEARCH, "results.#(==5)").schemas
