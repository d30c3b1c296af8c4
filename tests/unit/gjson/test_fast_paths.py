"""The C-scanner fast paths (``crmtpl.gjson._fast``) answer exactly what the faithful scanner
answers: every case runs twice, with the fast paths on and off, and every field must agree
(``exists``, ``type``, ``raw``, ``str``, ``index``, ``indexes``, the conversions, and what
chained calls on the result see)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from crmtpl import gjson
from crmtpl.gjson import _fast
from tests.differential.gjson_cases import generate_cases


@contextmanager
def faithful_only() -> Iterator[None]:
    """Switch the fast paths off (the faithful scanner alone)."""
    _fast.ENABLED = False
    try:
        yield
    finally:
        _fast.ENABLED = True


def _fresh(text: str) -> str:
    """A new string object: gjson.get must not reuse the Buf of the other run."""
    return (text + " ")[:-1]


def _fields(result: gjson.Result) -> dict[str, Any]:
    number = result.float()
    return {
        "exists": result.exists,
        "type": str(result.type),
        "raw": result.raw,
        "str": result.str,
        "index": result.index,
        "indexes": result.indexes,
        "int": result.int(),
        "float": "nan" if math.isnan(number) else number,
        "bool": result.bool(),
    }


def observe(json_text: str, path: str) -> dict[str, Any]:
    """What a template (or a caller chaining on the result) can see of ``get``."""
    result = gjson.get(_fresh(json_text), path)
    seen = _fields(result)
    seen["array"] = [(item.raw, item.index) for item in result.array()]
    seen["first"] = _fields(result.get("0"))
    seen["count"] = _fields(result.get("#"))
    return seen


def assert_same(json_text: str, path: str) -> dict[str, Any]:
    fast = observe(json_text, path)
    with faithful_only():
        faithful = observe(json_text, path)
    assert fast == faithful, f"path {path!r} on {json_text[:200]!r}"
    return fast


CONTACTS = json.dumps(
    {
        "data": [
            {"id": "11", "name": "Dale", "phone": "+1 555 0001", "score": 1.5, "vip": True,
             "owner": {"id": 7, "name": "Jane"}, "tags": ["a", "b"]},
            {"id": "12", "name": "Zoë", "phone": "+1 555 0002", "score": 1e3, "vip": False,
             "owner": {"id": 8, "name": "Roger"}, "tags": []},
            {"id": "13", "name": "name", "phone": None, "score": -7, "vip": False,
             "owner": None, "tags": ["name"]},
        ],
        "info": {"count": 3, "more_records": False},
    }
)  # fmt: skip

PATHS = [
    "data.0.id",
    "data.2.name",
    "data.1.owner.name",
    "info.more_records",
    "data.#",
    "data.#.id",
    "data.#.owner",
    "data.#.owner.name",
    "data.#.tags",
    "data.#.missing",
    'data.#(name=="Zoë").id',
    'data.#(name=="name")#.id',
    "data.#(score>1)#.name",
    "data.#(score<=1.5)#",
    "data.#(vip==false)#|#",
    "data.#(vip==true)#|0.owner.name",
    'data.#(name%"D*")#.id',
    'data.#(name!%"*e")#.id',
    'data.#(name%"?a*")#.id',
    "data.#(phone)#.id",
    "data.#(owner)#.id",
    "data.#(owner==~false)#.id",
    "data.#(vip==~true).name",
    "data.#(name>Dale)#.id",
    "data.#(missing)#",
    "data.#(id==12)",
    "data.#(owner.name==Jane).id",
    "data.#(tags.#(==b))#.id",
    "data.#(score>0)#|@reverse",
    "data.#(score>0)#|#.name",
    "data.#(score>0)#.id|1",
    "[data.#.id,info.count]",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_contact_search_reads_the_same(path: str) -> None:
    assert_same(CONTACTS, path)


@pytest.mark.parametrize(
    ("document", "path", "expected_str"),
    [
        # Duplicate keys: gjson takes the first, Python's json keeps the last.
        ('[{"a":1,"a":2},{"a":3}]', "#.a", "[1,3]"),
        ('[{"a":1,"a":2},{"a":3}]', "#(a==2)#", "[]"),
        ('[{"a":1,"a":2},{"a":3}]', "#(a==1).a", "1"),
        ('{"x":[{"k":"v","k":"w"}]}', "x.0.k", "v"),
        ('[{"o":{"k":1},"o":{"k":2}}]', "0.o.k", "1"),
        ('[{"o":{"j":1},"o":{"k":2}}]', "0.o.k", "2"),
        # A key spelled with escapes is the same key.
        ('[{"\\u0061":1,"a":2}]', "#.a", "[1]"),
        ('[{"\\u0061":1,"a":2}]', "#(a==2)#", "[]"),
        ('[{"b":"a","a":5},{"a":"a"}]', '#(a=="a")#.a', '["a"]'),
        ('[{"a\\"b":1,"a":2}]', "#.a", "[2]"),
        # The key also appears nested, or as a value.
        ('[{"n":{"id":1},"id":2}]', "#.id", "[2]"),
        ('[{"id":"id","x":{"id":3}}]', '#(id=="id")#.x.id', "[3]"),
        # A member found from the first "key" in each element's text (four or more, where
        # the first holds it past its second key).
        ('[{"o":{"x":1},"p":0,"a":2},{"o":[1],"a":3},{"a":4},{"a":5}]', "#.a", "[2,3,4,5]"),
        ('[{"o":{"a":1},"p":0,"a":2},{"o":[],"a":3},{"a":4},{"a":5}]', "#.a", "[2,3,4,5]"),
        ('[{"o":{},"p":0,"a":1,"a":2},{"a":3},{"a":4},{"a":5}]', "#.a", "[1,3,4,5]"),
        ('[{"b":"a","p":0,"a":5},{"a":6},{"a":7},{"a":8}]', "#.a", "[5,6,7,8]"),
        ('[{"b\\"a":1,"p":0,"a":2},{"a":3},{"a":4},{"a":5}]', "#.a", "[2,3,4,5]"),
        ('[{"b\\\\":"a","p":0,"a":5},{"a":6},{"a":7},{"a":8}]', "#.a", "[5,6,7,8]"),
        ('[{"x":1,"y":2,"a":3},{"x":1,"y":2,"a":4},{"a":5},{"a":6}]', "#.a", "[3,4,5,6]"),
        ('[{"x":{"a":0},"y":2,"a":3},{"x":1,"y":2,"a":4},{"a":5},{"a":6}]', "#.a", "[3,4,5,6]"),
        ('[{"x":1,"y":"a","a":3},{"x":1,"y":2,"a":4},{"a":5},{"a":6}]', "#.a", "[3,4,5,6]"),
        ('[{"x":1,"y":2,"a":3,"a":0},{"x":1,"y":2,"a":4},{"a":5},{"a":6}]', "#.a", "[3,4,5,6]"),
        (
            '[{"x":1,"y":2,"\\u0061":0,"a":3},{"x":1,"y":2,"a":4},{"a":5},{"a":6}]',
            "#.a",
            "[0,4,5,6]",
        ),
        (
            '[{"x":1,"y":2,"a":3},{"x":1,"y":2,"a":{"b":[1,{"a":2}]}},{"a":5},{"a":"\\"a\\""}]',
            "#.a",
            '[3,{"b":[1,{"a":2}]},5,"\\"a\\""]',
        ),
        (
            '[{"o":{"k":1},"q":1,"a":2},{"o":[],"a":3,"q":0},{"a":4,"q":1},{"a":5,"q":1},{"q":1,"a":6}]',
            "#(q==1)#.a",
            "[2,4,5,6]",
        ),
        (
            '[{"o":{"k":1},"q":1,"a":2},{"o":[],"a":3,"q":0},{"a":4,"q":1},{"a":5,"q":1},{"q":1}]',
            "#(q<2)#.a",
            "[2,3,4,5]",
        ),
        (
            '[{"o":{"a":1},"q":1,"a":2},{"o":[],"q":1,"a":3},{"q":1,"a":4},{"q":1,"a":5},{"a":6}]',
            "#(a>1)#.a",
            "[2,3,4,5,6]",
        ),
        # Lone surrogate escapes: gjson turns them into U+FFFD.
        ('[{"a":"\\ud800"}]', '#(a=="\ufffd")#', '[{"a":"\\ud800"}]'),
        ('[{"\\udc00":1}]', "#.\ufffd", "[1]"),
        # Not strict JSON: the faithful scanner decides.
        ('[{"a":NaN},{"a":1}]', "#.a", "[NaN,1]"),
        ('[{"a":1},{"a":2} {"a":3}]', "#.a", "[1,2,3]"),
        ('[{"a":"x\ty"}]', "#.a", '["x\ty"]'),
        ('[{"a":1},]', "#", "1"),
        ("[01, 2]", "#", "2"),
        ('[{"a":[1,2}]', "#.a", "[[1,2}]"),
        # What follows a query or #. is not a plain key: the walk's own indexes.
        ('{"t":["x","lead"]}', 't.#(="lead")#.@this', '["lead"]'),
        ('{"t":["x","lead"]}', 't|#(="lead")#.@values', '[["lead"]]'),
        ('{"t":["x",{"a":1}]}', "t.#.@this", '["x",{"a":1}]'),
        ('{"t":["x",{"a":1}]}', "t.#(a)#.a|@this", "[1]"),
        # Whitespace of every kind between elements.
        ('[ {"a" : 1} ,\n\t{"a":\r2}\n]', "#.a", "[1,2]"),
        # Numbers keep their spelling; Index counts bytes.
        ('[{"n":1.50},{"n":-0},{"n":1e400}]', "#.n", "[1.50,-0,1e400]"),
        ('[{"n":1.50},{"n":-0},{"n":1e400}]', "#(n>1e300)#.n", "[1e400]"),
        ('{"é":[{"a":"ü"},{"a":"x"}]}', 'é.#(a=="x").a', "x"),
    ],
)
def test_edge_documents_read_the_same(document: str, path: str, expected_str: str) -> None:
    assert assert_same(document, path)["str"] == expected_str


def test_indexes_are_byte_offsets_from_the_fast_path() -> None:
    document = '{"data":[{"id":"é1"},{"id":"é2"}]}'
    seen = assert_same(document, "data.#.id")
    data = document.encode()
    assert seen["indexes"] == [data.index('"é1"'.encode()), data.index('"é2"'.encode())]


def test_the_array_a_query_builds_is_read_like_any_other() -> None:
    seen = assert_same(CONTACTS, "data.#(score>0)#")
    assert seen["count"]["str"] == "2"
    assert seen["first"]["raw"].startswith('{"id": "11"')


def _record(rng: random.Random, index: int) -> list[tuple[str, Any]]:
    """One CRM record as (key, value) pairs, sometimes with a duplicate or odd key."""
    pairs: list[tuple[str, Any]] = [
        ("id", rng.choice([index, str(9000 + index), 1.5 * index])),
        ("name", rng.choice(["Dale", "Zoë", "name", "id", "", 'Ann "Q"', "a\\b"])),
        ("phone", rng.choice([f"+1 555 {index:04d}", None, 5550000 + index])),
        ("score", rng.choice([0, -0.0, 2.5, 1e21, 37, -1])),
        ("vip", rng.choice([True, False])),
        ("owner", rng.choice([{"id": index % 3, "name": "Jane"}, None, {"name": "Ro"}])),
        ("tags", rng.sample(["vip", "name", "id", "x"], rng.randint(0, 2))),
    ]
    rng.shuffle(pairs)
    if rng.random() < 0.1:
        pairs.append((rng.choice(["id", "name", "vip"]), rng.choice([1, "dup", False])))
    if rng.random() < 0.05:
        pairs.insert(0, ("na\\u006de", "escaped"))
    return pairs


def _dump(pairs: list[tuple[str, Any]], style: int) -> str:
    colon, comma = [(":", ","), (": ", ", "), (" : ", " ,\n ")][style]
    members = []
    for key, value in pairs:
        name = key if "\\u" in key else json.dumps(key)[1:-1]
        members.append(f'"{name}"{colon}{json.dumps(value, ensure_ascii=style == 1)}')
    return "{" + comma.join(members) + "}"


def crm_documents(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        style = rng.randrange(3)
        records = [_dump(_record(rng, i), style) for i in range(rng.randint(0, 12))]
        separator = [",", ", ", ",\n  "][style]
        yield '{"data":[' + separator.join(records) + '],"info":{"count":' + str(
            len(records)) + "}}"  # fmt: skip


GENERATED_PATHS = [
    "data.#.id",
    "data.#.name",
    "data.#.owner.id",
    "data.#.score",
    "data.#.phone",
    "data.#(vip==true)#.score",
    "data.1.name",
    "data.#",
    "data.#(vip==true)#.id",
    "data.#(vip==false)#|#",
    "data.#(id>3)#.name",
    "data.#(id==9002).phone",
    'data.#(name=="Zoë")#.id',
    'data.#(name%"D*")#|0.id',
    'data.#(name!%"*a*")#.id',
    "data.#(phone)#.id",
    "data.#(score<=0)#",
    "data.#(owner.id==1)#.id",
    "data.#(name==~true)#.id",
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_crm_documents_read_the_same(seed: int) -> None:
    for document in crm_documents(60, seed):
        for path in GENERATED_PATHS:
            assert_same(document, path)


@pytest.mark.parametrize("seed", [5, 6])
def test_the_differential_cases_read_the_same(seed: int) -> None:
    for case in generate_cases(1500, seed):
        if case["kind"] == "gjson":
            assert_same(case["json"], case["path"])
