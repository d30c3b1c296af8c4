"""``member_span`` (the member-by-member walk) finds what ``member_pattern`` finds."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.gjson._fast import member_pattern, member_span

KEYS = ["a", "id", "data", "", "na me", "é", "x.y", 'q"', "b\\s", "c\\"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=8,
)
spaces = st.sampled_from(["", " ", "\n  ", "\t", "\r\n"])


def _pattern(text: str, start: int, end: int, key: str) -> tuple[int, int] | None:
    match = member_pattern(key).match(text, start, end)
    return None if match is None else match.span(1)


def _both(text: str, key: str) -> None:
    for start in (0, 1):
        for end in (len(text), max(0, len(text) - 1), len(text) // 2):
            assert member_span(text, start, end, key) == _pattern(text, start, end, key), (
                text,
                key,
                start,
                end,
            )


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=5), spaces, spaces)
def test_the_walk_agrees_with_the_pattern_on_objects(
    members: dict[str, object], before: str, after: str
) -> None:
    body = f",{after}".join(
        f"{json.dumps(k)}{before}:{after}{json.dumps(v, ensure_ascii=False)}"
        for k, v in members.items()
    )
    text = "{" + before + body + after + "}"
    for key in KEYS:
        _both(text, key)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]",:\\ \nab1', max_size=30))
def test_the_walk_agrees_with_the_pattern_on_any_text(text: str) -> None:
    for key in ("a", "ab", "", "b1"):
        _both(text, key)


def test_hand_picked_cases() -> None:
    cases = [
        '{"a":1,"b":2}',
        '{"b":{"a":1},"a":2}',
        '{"b":[1,{"a":3}],"a":[4]}',
        '{"x\\"y":1,"a":2}',
        '{"a" : "1\\"2" , "a":3}',
        '{"b":1 "a":2}',
        '{"b":,"a":2}',
        '{ "b" : tru , "a" : null }',
    ]
    for text in cases:
        for key in ("a", "b", "x"):
            _both(text, key)
