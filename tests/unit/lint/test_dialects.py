"""JSONPath habits in output paths: which constructs, where, and their GJSON."""

from __future__ import annotations

import json

import pytest

from crmtpl import gjson
from crmtpl.lint.dialects import foreign_dialect

ANSWER = json.dumps(
    {"data": [{"id": 7, "first_name": "Ann", "email": "a@x"}, {"id": 8, "first_name": "Bob"}]}
)


@pytest.mark.parametrize(
    ("path", "offset", "construct", "translation"),
    [
        ("$.data[*].first_name", 0, "$.", "data.#.first_name"),
        ("data[0].first_name", 4, "[0]", "data.0.first_name"),
        ("data[*].id", 4, "[*]", "data.#.id"),
        ("data..email", 4, "..", "data.#.email"),
        ("data.*.id", 5, "*", "data.#.id"),
        ("$..id", 0, "$.", "#.id"),
        ("data['first_name']", 4, "['first_name']", "data.first_name"),
    ],
)
def test_a_jsonpath_construct_is_found_and_translated(
    path: str, offset: int, construct: str, translation: str
) -> None:
    found = foreign_dialect(path)
    assert found is not None
    assert (found.offset, found.construct, found.translation) == (offset, construct, translation)
    assert found.length == len(construct)


@pytest.mark.parametrize(
    "path",
    ["data.#.id", "data.0.id", 'data.#(name=="x").id', "data.#[x==1].id", "[a,b]", "data.first*"],
)
def test_gjson_paths_are_left_alone(path: str) -> None:
    assert foreign_dialect(path) is None


@pytest.mark.parametrize(
    "path", ["$.data[*].first_name", "data[0].first_name", "data..first_name", "data.*.first_name"]
)
def test_the_foreign_path_finds_nothing_and_its_translation_finds_the_names(path: str) -> None:
    found = foreign_dialect(path)
    assert found is not None
    assert not gjson.get(ANSWER, path).exists
    assert gjson.get(ANSWER, found.translation).exists
