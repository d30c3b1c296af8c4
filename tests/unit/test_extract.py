"""GJSON paths on saved answers: values as the PBX stores them, and misses explained."""

from __future__ import annotations

from crmtpl.extract import evaluate
from crmtpl.pathmiss import explain_no_value as explain_miss
from crmtpl.pathmiss import join_path, split_path

ANSWER = (
    '{"data":[{"id":1001,"first_name":"William","owner":{"name":"Alice Lee"}}],'
    '"total":1,"a.b":"dotted"}'
)


def test_evaluate_gives_the_pbx_text_and_the_raw_json() -> None:
    assert evaluate(ANSWER, "data.0.first_name").text == "William"
    assert evaluate(ANSWER, "data.0.first_name").raw == '"William"'
    assert evaluate(ANSWER, "data.#.id").raw == "[1001]"
    assert evaluate(ANSWER, r"a\.b").text == "dotted"


def test_a_collecting_path_that_gathers_nothing_matches_nothing() -> None:
    assert not evaluate(ANSWER, "data.#.firstname").exists
    miss = explain_miss(ANSWER, "data.#.firstname")
    assert miss.stopped_at == "data.#"
    assert miss.closest == "data.#.first_name"


def test_a_typo_names_the_keys_at_that_level_and_the_closest_path() -> None:
    miss = explain_miss(ANSWER, "data.0.owner.nme")
    assert miss.stopped_at == "data.0.owner"
    assert miss.keys == ("name",)
    assert miss.closest == "data.0.owner.name"
    assert miss.describe() == (
        "data.0.owner.nme matches nothing; at data.0.owner the keys are: name; "
        "closest path: data.0.owner.name"
    )


def test_a_miss_at_the_top_level_and_an_index_out_of_range() -> None:
    top = explain_miss(ANSWER, "dat.0.id")
    assert (top.stopped_at, top.closest) == ("", "data.0.id")
    assert "at the top level the keys are: data, total, a.b" in top.describe()
    beyond = explain_miss(ANSWER, "data.5.id")
    assert beyond.keys == ("0", "#")
    assert beyond.closest is None


def test_split_path_keeps_escaped_dots() -> None:
    """An escaped dot stays inside its key, and joining the keys escapes it again."""
    assert split_path(r"a\.b.c") == ["a.b", "c"]
    assert join_path(["a.b", "c"]) == r"a\.b.c"
