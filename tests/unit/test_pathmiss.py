"""Run judges what it extracted: where a GJSON path stops matching a real answer, the keys
the answer has there and the closest path that matches (checked with gjson itself)."""

from __future__ import annotations

import json

import pytest

from crmtpl import gjson
from crmtpl.pathmiss import closest_path, explain_miss, split_path

ANSWER = json.dumps(
    {
        "data": [
            {"id": 1001, "first_name": "William", "emails": {"work": "w@example.com"}},
            {"id": 1002, "first_name": "Ada", "emails": {"work": "a@example.com"}},
        ],
        "total": 2,
    }
)


@pytest.mark.parametrize(
    ("path", "matched", "keys", "closest"),
    [
        ("data.#.firstname", "data.#", ("id", "first_name", "emails"), "data.#.first_name"),
        ("data.0.FirstName", "data.0", ("id", "first_name", "emails"), "data.0.first_name"),
        ("data.#.emails.wrk", "data.#.emails", ("work",), "data.#.emails.work"),
        ("result.#.id", "", ("data", "total"), None),
    ],
)
def test_a_missing_key_lists_the_keys_there_and_the_closest_path(
    path: str, matched: str, keys: tuple[str, ...], closest: str | None
) -> None:
    miss = explain_miss(ANSWER, path)
    assert miss is not None
    assert (miss.matched, miss.keys, miss.closest) == (matched, keys, closest)
    assert closest_path(ANSWER, path) == closest
    assert gjson.get(ANSWER, path).str in ("", "[]")  # gjson: nothing, or an empty array
    if closest is not None:  # the suggestion really matches, with the PBX's own engine
        assert gjson.get(ANSWER, closest).str not in ("", "[]")


def test_a_key_on_an_array_suggests_every_element() -> None:
    miss = explain_miss(ANSWER, "data.first_name")
    assert miss is not None and miss.found == "array" and miss.keys == ()
    assert miss.closest == "data.#.first_name"


def test_a_ticket_id_path_suggests_the_id_the_answer_has() -> None:
    answer = '{"data": {"id": 70009, "subject": "Call from 5503302"}}'
    assert closest_path(answer, "data.ticket_id") == "data.id"
    assert gjson.get(answer, "data.id").str == "70009"


@pytest.mark.parametrize(
    "path",
    ["data.#.first_name", "data.0.id", "total", "data.#", "data.7.id"],
)
def test_matching_paths_and_fewer_results_are_not_misses(path: str) -> None:
    assert explain_miss(ANSWER, path) is None


@pytest.mark.parametrize("answer", ['{"data": []}', "{}", "[]", "null", "not json", "[" * 5000])
def test_empty_or_unreadable_answers_are_not_judged(answer: str) -> None:
    assert explain_miss(answer, "data.#.firstname") is None


@pytest.mark.parametrize(
    "path", ["data.#(id==1).first_name", "data.*.id", "@reverse", "data|@pretty", "", ".data"]
)
def test_paths_the_walk_cannot_follow_are_not_judged(path: str) -> None:
    assert split_path(path) is None
    assert explain_miss(ANSWER, path) is None


def test_escaped_dots_are_one_key() -> None:
    answer = '{"a.b": {"c": 1}}'
    assert split_path("a\\.b.c") == ["a.b", "c"]
    assert explain_miss(answer, "a\\.b.c") is None
    assert closest_path(answer, "a\\.b.C") == "a\\.b.c"


def test_many_keys_are_listed_shortly() -> None:
    answer = json.dumps({f"key{i}": i for i in range(30)})
    miss = explain_miss(answer, "nothing")
    assert miss is not None
    assert miss.describe_keys().endswith("(and 10 more)")


def test_only_an_evident_miss_is_a_finding() -> None:
    misspelt = explain_miss(ANSWER, "data.#.firstname")
    on_an_array = explain_miss(ANSWER, "data.first_name")
    into_a_number = explain_miss(ANSWER, "total.count")
    absent = explain_miss(ANSWER, "data.#.city")  # a field these contacts leave out
    assert misspelt is not None and misspelt.evident and misspelt.near_key == "first_name"
    assert on_an_array is not None and on_an_array.evident
    assert into_a_number is not None and into_a_number.evident
    assert absent is not None and not absent.evident


def test_a_null_relation_is_data_not_a_mistake() -> None:
    """BottleCRM answers ``"account_detail": null`` for a contact without an account: the
    Company path meets a null, which is an empty value of this record, not a wrong path."""
    answer = json.dumps({"contact_obj": {"account_detail": None, "first_name": "Ann"}})
    miss = explain_miss(answer, "contact_obj.account_detail.name")
    assert miss is not None and miss.found == "null" and not miss.evident


def test_a_suggested_path_escapes_keys_as_gjson_does() -> None:
    from crmtpl import gjson
    from crmtpl.pathmiss import join_path

    path = join_path(["data", "#", "a*b?", "x.y"])
    assert path == "data.#.a\\*b\\?.x\\.y"
    document = '{"data": [{"a*b?": {"x.y": 1}}, {"a*b?": {"x.y": 2}}]}'
    assert gjson.get(document, path).raw == "[1,2]"
