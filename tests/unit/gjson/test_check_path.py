"""check_path: each check flags its mistake (positive) and leaves the sound form alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.gjson import PathProblem, check_path


def codes(path: str) -> list[str]:
    return [problem.code for problem in check_path(path)]


@pytest.mark.parametrize(
    ("path", "code", "offset", "length"),
    [
        ("data.#(id==1", "unterminated-query", 5, 7),
        ("#[a=1", "unterminated-query", 0, 5),
        ('data.#(name=="Dale)', "unterminated-quote", 13, 6),
        ('{"n:a}', "unterminated-quote", 1, 5),
        ('!"abc', "unterminated-quote", 1, 4),
        ("[a,b", "unterminated-bracket", 0, 4),
        ("{a,b", "unterminated-bracket", 0, 4),
        ('@pretty:{"indent":', "unterminated-bracket", 8, 10),
        ('!{"a":1', "unterminated-bracket", 1, 6),
        ("@revers", "unknown-modifier", 0, 7),
        ("data.@revers", "unknown-modifier", 5, 7),
        ("@Reverse", "unknown-modifier", 0, 8),
        ("@dig", "unknown-modifier", 0, 4),
        ("@frobnicate:1", "unknown-modifier", 0, 11),
        ("data.id\\", "trailing-escape", 7, 1),
        ("a..b", "empty-segment", 1, 1),
        (".a", "empty-segment", 0, 1),
        ("a.", "empty-segment", 1, 1),
        ("a|", "empty-segment", 1, 1),
        ("[a,,b]", "empty-segment", 3, 1),
        ("[]", "empty-segment", 1, 1),
        ("data.#(age>)", "operator-without-value", 7, 4),
        ("#(name==)", "operator-without-value", 2, 6),
        ("#(ok==~)", "operator-without-value", 2, 5),
        ("#(a!)", "operator-without-value", 2, 2),
        ("!True", "literal-case", 0, 5),
        ("!NULL|x", "literal-case", 0, 5),
    ],
)
def test_each_check_flags_its_mistake(path: str, code: str, offset: int, length: int) -> None:
    problems = check_path(path)
    assert [(p.code, p.offset, p.length) for p in problems] == [(code, offset, length)]
    assert problems[0].message


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("data.#(id==1)", "a closed query"),
        ("#[a=1]", "a closed legacy query"),
        ('data.#(name=="Dale")', "a closed quote"),
        ('{"n":a}', "a quoted member name"),
        ('!"abc"', "a string literal"),
        ("[a,b]", "a closed multipath"),
        ("{a,b.c}", "a closed object multipath"),
        ('@pretty:{"indent":"\\t"}', "a modifier argument"),
        ('!{"a":1}', "an object literal"),
        ("@reverse", "a known modifier"),
        ("data.@reverse.0", "a modifier after a dot"),
        ("@value", "a JSON-LD keyword used as a key"),
        ("@type.name", "an @ key"),
        ("@odata\\.count", "an escaped @ key"),
        ("@keys:", "a modifier with an empty argument"),
        ("data.id\\\\", "an escaped backslash"),
        ("fav\\.movie", "an escaped dot"),
        ("..0.id", "JSON Lines"),
        ("..#", "JSON Lines count"),
        ("a|b", "a pipe"),
        ("{a,b}|@keys", "a multipath then a pipe"),
        ('data.#(age>"")', "an explicit empty value"),
        ("data.#(active==~true)#", "a ~ form"),
        ('data.#(name!%"D*")#.id', "a !% query"),
        ("!true", "a lower-case literal"),
        ("!nan", "a number literal"),
        ('friends.#(nets.#(=="fb"))#.first', "a nested query"),
        ('#(="x")', "a query without a path"),
        ("data.#(id>1)#|0", "a query with all and a pipe"),
        ("", "the empty path"),
        ("a b.c", "a key with a space"),
    ],
)
def test_sound_paths_are_not_flagged(path: str, why: str) -> None:
    assert check_path(path) == [], why


def test_problems_are_ordered_by_position() -> None:
    problems = check_path("a..b.#(c>)")
    assert [p.code for p in problems] == ["empty-segment", "operator-without-value"]
    assert problems == sorted(problems, key=lambda p: p.offset)


def test_problem_is_a_value() -> None:
    problem = check_path("a.")[0]
    assert isinstance(problem, PathProblem)
    assert problem == PathProblem(problem.message, 1, 1, "empty-segment")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab0#.|*?\\()[]{}="!<>%~@:, é', max_size=24))
def test_never_fails_and_spans_stay_inside_the_path(path: str) -> None:
    for problem in check_path(path):
        assert 0 <= problem.offset < max(len(path), 1)
        assert problem.length >= 1
        assert problem.offset + problem.length <= max(len(path), 1)
