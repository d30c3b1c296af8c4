"""The public API of crmtpl.gjson: get, get_many, parse, valid and Result's accessors."""

from __future__ import annotations

import math

import pytest

from crmtpl import gjson
from crmtpl.gjson import Result, ResultType

CONTACTS = """{
  "data": [
    {"id": 1, "name": "Dale", "email": "dale@example.com", "active": true, "score": 1.50},
    {"id": 2, "name": "Zoë", "email": null, "active": false, "score": 1e3},
    {"id": 3, "name": "Roger", "email": "roger@example.com", "active": true, "score": -7}
  ],
  "info": {"count": 3, "more_records": false}
}"""


def test_get_finds_values_and_reports_their_type() -> None:
    assert gjson.get(CONTACTS, "data.0.name").str == "Dale"
    assert gjson.get(CONTACTS, "data.0.name").type is ResultType.STRING
    assert str(gjson.get(CONTACTS, "data.0.id").type) == "Number"
    assert str(gjson.get(CONTACTS, "data.1.email").type) == "Null"
    assert str(gjson.get(CONTACTS, "info").type) == "JSON"
    assert [str(t) for t in ResultType] == ["Null", "False", "Number", "String", "True", "JSON"]


def test_missing_values_do_not_exist_but_null_does() -> None:
    assert not gjson.get(CONTACTS, "data.0.phone").exists
    assert gjson.get(CONTACTS, "data.1.email").exists
    assert gjson.get(CONTACTS, "data.0.phone").str == ""


def test_string_is_what_the_pbx_stores() -> None:
    assert gjson.get(CONTACTS, "data.0.score").raw == "1.50"
    assert gjson.get(CONTACTS, "data.0.score").str == "1.5"
    assert gjson.get(CONTACTS, "data.1.score").str == "1000"
    assert gjson.get(CONTACTS, "data.2.score").str == "-7"
    assert gjson.get(CONTACTS, "data.0.active").str == "true"
    assert gjson.get(CONTACTS, "data.#.id").str == "[1,2,3]"
    assert gjson.get('{"a":1e400}', "a").str == "+Inf"


def test_queries_and_counts() -> None:
    assert gjson.get(CONTACTS, "data.#").int() == 3
    assert gjson.get(CONTACTS, 'data.#(name=="Roger").id').int() == 3
    assert gjson.get(CONTACTS, "data.#(active==true)#.id").str == "[1,3]"
    assert gjson.get(CONTACTS, "data.#(active==true)#|1.name").str == "Roger"
    assert gjson.get(CONTACTS, 'data.#(name%"R*").id').str == "3"


def test_conversions_follow_go() -> None:
    assert gjson.get('{"a":"TRUE"}', "a").bool() is True
    assert gjson.get('{"a":"yes"}', "a").bool() is False
    assert gjson.get('{"a":2}', "a").bool() is True
    assert gjson.get('{"a":"12"}', "a").int() == 12
    assert gjson.get('{"a":1.9}', "a").int() == 1
    assert gjson.get('{"a":9223372036854775808}', "a").int() == -(2**63)
    assert gjson.get('{"a":"2.5"}', "a").float() == 2.5
    assert gjson.get('{"a":true}', "a").float() == 1.0
    assert math.isinf(gjson.get('{"a":"1e999"}', "a").float())


def test_index_is_a_byte_offset() -> None:
    doc = '{"name":"Zoë","id":7}'
    assert gjson.get(doc, "id").index == doc.encode().index(b"7")
    assert gjson.get(CONTACTS, "data.#.id").indexes == [
        CONTACTS.encode().index(b'1, "name"'),
        CONTACTS.encode().index(b'2, "name"'),
        CONTACTS.encode().index(b'3, "name"'),
    ]


def test_array_map_and_iteration() -> None:
    data = gjson.get(CONTACTS, "data")
    assert data.is_array and not data.is_object
    assert [item.get("name").str for item in data.array()] == ["Dale", "Zoë", "Roger"]
    assert [value.get("id").int() for value in data] == [1, 2, 3]
    info = gjson.get(CONTACTS, "info")
    assert info.is_object
    assert {key: value.str for key, value in info.map().items()} == {
        "count": "3",
        "more_records": "false",
    }
    assert [(key.str, value.raw) for key, value in info.items()] == [
        ("count", "3"),
        ("more_records", "false"),
    ]
    assert [key.str for key, _ in data.items()] == ["0", "1", "2"]


def test_array_of_scalar_null_and_missing() -> None:
    assert [r.str for r in gjson.get('{"a":5}', "a").array()] == ["5"]
    assert gjson.get('{"a":null}', "a").array() == []
    assert gjson.get("{}", "a").array() == []
    assert gjson.get('{"a":5}', "a").map() == {}


def test_map_keeps_the_first_duplicate_and_get_too() -> None:
    doc = '{"a":1,"a":2}'
    assert gjson.parse(doc).map()["a"].str == "1"
    assert gjson.get(doc, "a").str == "1"


def test_for_each_stops_when_told() -> None:
    seen: list[str] = []

    def visit(key: Result, value: Result) -> bool:
        seen.append(value.str)
        return len(seen) < 2

    gjson.get(CONTACTS, "data.#.name").for_each(visit)
    assert seen == ["Dale", "Zoë"]


def test_chained_get_shifts_indexes() -> None:
    data = gjson.get(CONTACTS, "data")
    chained = data.get("1.name")
    assert chained.str == "Zoë"
    assert chained.index == gjson.get(CONTACTS, "data.1.name").index


def test_get_many_and_parse() -> None:
    results = gjson.get_many(CONTACTS, "info.count", "data.0.name", "nope")
    assert [r.str for r in results] == ["3", "Dale", ""]
    parsed = gjson.parse("  [1,2]")
    assert parsed.is_array and parsed.index == 2
    assert gjson.parse('"x"').str == "x"
    assert not gjson.parse("  ").exists


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a":[1,2,{"b":null}]}', True),
        (" 1 ", True),
        ('"\\u00e9"', True),
        ("", False),
        ("{", False),
        ("[1,]", False),
        ("NaN", False),
        ("01", False),
        ('"a\tb"', False),
        ("[" * 3000 + "]" * 3000, True),
        ("[" * 3000 + "]" * 2999, False),
        ('{"a":' * 2000 + "1" + "}" * 2000, True),
    ],
)
def test_valid(text: str, expected: bool) -> None:
    assert gjson.valid(text) is expected


def test_results_compare_by_value() -> None:
    assert gjson.get(CONTACTS, "info.count") == gjson.get(CONTACTS, "info.count")
    assert gjson.get(CONTACTS, "info.count") != gjson.get(CONTACTS, "data.0.id")
    assert "String" in repr(gjson.get(CONTACTS, "data.0.name"))
