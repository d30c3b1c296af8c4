"""The small OpenAPI schema validator: types, required, closed objects, enum, combinators."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from crmtpl.openapi.schema_check import Opaque, Problem, check_value

NEW_CALL: dict[str, Any] = {
    "type": "object",
    "required": ["subject", "duration", "outcome"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "subject": {"type": "string"},
        "duration": {"type": "integer", "format": "int32"},
        "outcome": {"type": "string", "enum": ["connected", "no_answer"]},
        "start_time": {"type": "string", "format": "date-time"},
        "note": {"type": "string", "nullable": True},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}
GOOD = {"subject": "Call", "duration": 42, "outcome": "connected", "note": None, "tags": ["a"]}


def kinds(problems: list[Problem]) -> list[tuple[str, str, str | None]]:
    return [(p.kind, p.pointer, p.key) for p in problems]


def test_a_fitting_value_has_no_problem_and_jsonschema_agrees() -> None:
    assert check_value(GOOD, NEW_CALL) == []
    without_nullable = dict(NEW_CALL, properties=dict(NEW_CALL["properties"], note={}))
    jsonschema.validate(GOOD, without_nullable)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({**GOOD, "duration": "42"}, [("type", "/duration", None)]),
        ({**GOOD, "duration": 4.5}, [("type", "/duration", None)]),
        ({**GOOD, "duration": True}, [("type", "/duration", None)]),
        ({**GOOD, "subject": 7}, [("type", "/subject", None)]),
        ({**GOOD, "tags": ["a", 1]}, [("type", "/tags/1", None)]),
        ({**GOOD, "outcome": "busy"}, [("enum", "/outcome", None)]),
        ({**GOOD, "duration": 2**40}, [("format", "/duration", None)]),
        ({**GOOD, "start_time": "yesterday"}, [("format", "/start_time", None)]),
        ({k: v for k, v in GOOD.items() if k != "outcome"}, [("required", "", "outcome")]),
        ({**GOOD, "durration": 1}, [("unknown", "", "durration")]),
        ([GOOD], [("type", "", None)]),
    ],
)
def test_each_problem_is_located_by_json_pointer(
    value: Any, expected: list[tuple[str, str, str | None]]
) -> None:
    problems = check_value(value, NEW_CALL)
    assert kinds(problems) == expected
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(value, NEW_CALL, format_checker=jsonschema.FormatChecker())


def test_whole_floats_are_integers_and_integers_are_numbers() -> None:
    assert check_value(42.0, {"type": "integer"}) == []
    assert check_value(42, {"type": "number"}) == []
    assert check_value("2024-05-01T10:00:00Z", {"type": "string", "format": "date-time"}) == []
    assert check_value("2024-05-01", {"type": "string", "format": "date"}) == []
    assert check_value("anything", {"type": "string", "format": "uuid"}) == []  # not judged


def test_read_only_fields_are_never_required_in_a_request() -> None:
    schema = dict(NEW_CALL, required=["id", *NEW_CALL["required"]])
    assert check_value(GOOD, schema) == []


def test_objects_without_additional_properties_false_accept_other_keys() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert check_value({"a": "x", "b": 1}, schema) == []
    typed = {"type": "object", "additionalProperties": {"type": "string"}}
    assert kinds(check_value({"x": 1}, typed)) == [("type", "/x", None)]


def test_opaque_strings_keep_their_type_but_not_their_content() -> None:
    opaque = Opaque(string=lambda text: text.startswith("$"))
    assert check_value({**GOOD, "outcome": "$x", "start_time": "$t"}, NEW_CALL, opaque) == []
    assert kinds(check_value({**GOOD, "duration": "$d"}, NEW_CALL, opaque)) == [
        ("type", "/duration", None)
    ]
    # a key made by a template: the object's keys are unknown
    assert check_value({"$k": "v"}, NEW_CALL, opaque) == []


def test_opaque_values_are_not_judged_at_all() -> None:
    opaque = Opaque(value=lambda value: value == 999)
    assert check_value({**GOOD, "subject": 999}, NEW_CALL, opaque) == []


def test_all_of_merges_members_and_one_of_fits_any_alternative() -> None:
    schema = {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "integer"}}},
        ],
        "additionalProperties": False,
    }
    assert check_value({"a": "x", "b": 1}, schema) == []
    assert kinds(check_value({"b": "1"}, schema)) == [("required", "", "a"), ("type", "/b", None)]
    assert kinds(check_value({"a": "x", "c": 1}, schema)) == [("unknown", "", "c")]
    either = {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["all"]}]}
    assert check_value(3, either) == []
    assert check_value("all", either) == []
    assert kinds(check_value("some", either)) == [("enum", "", None)]


def test_recursive_schemas_are_checked_as_deep_as_the_value_goes() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}}}
    node["properties"]["children"] = {"type": "array", "items": node}
    value = {"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}
    assert kinds(check_value(value, node)) == [("type", "/children/0/children/0/name", None)]
    looping: dict[str, Any] = {"anyOf": []}
    looping["anyOf"].append(looping)
    assert check_value({"x": 1}, looping) == []


def test_opaque_numbers_keep_their_type_but_not_their_content() -> None:
    opaque = Opaque(number=lambda value: value == 42)
    schema = {"type": "integer", "enum": [0, 1]}
    assert check_value(42, schema, opaque) == []
    assert kinds(check_value(7, schema, opaque)) == [("enum", "", None)]
    assert kinds(check_value("42", schema, opaque)) == [("type", "", None)]
