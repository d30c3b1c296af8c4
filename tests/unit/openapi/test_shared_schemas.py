"""Descriptions that share one schema many times over (YAML anchors, a $ref used by every
member of a combinator or by every property) are walked in time linear in their size."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.openapi.schema_check import check_value
from crmtpl.openapi.schema_paths import follow
from crmtpl.openapi.schema_shape import alternatives
from crmtpl.scaffold.fields import free_maps, leaves

LEAF: dict[str, Any] = {"type": "object", "properties": {"phone": {"type": "string"}}}


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when the block takes longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds}s: exponential in the shared schemas")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def chain(word: str, depth: int, width: int = 2) -> dict[str, Any]:
    """``depth`` levels, each naming the next ``width`` times (one shared object)."""
    schema: dict[str, Any] = LEAF
    for _ in range(depth):
        if word == "properties":
            names = {f"p{n}": schema for n in range(width)}
            schema = {"type": "object", "properties": names}
        else:
            schema = {word: [schema] * width}
    return schema


def test_alternatives_of_shared_combinators_are_linear() -> None:
    for word in ("oneOf", "anyOf", "allOf"):
        with within(10):
            found = alternatives(chain(word, 60))
        assert found and all("properties" in f for f in found)


def test_schema_checks_on_shared_combinators_end() -> None:
    for word in ("oneOf", "anyOf", "allOf"):
        schema = chain(word, 60)
        with within(10):
            assert check_value({"phone": 1}, schema)[0].kind == "type"
            assert not check_value({"phone": "1"}, schema)
            assert follow(schema, "phone") is not None


def test_scaffold_walks_of_shared_schemas_end() -> None:
    for word, depth, width in (("allOf", 40, 2), ("oneOf", 40, 2), ("properties", 6, 30)):
        schema = chain(word, depth, width)
        with within(20):
            found = leaves(schema)
            free_maps(schema, "")
        assert found


def test_many_parameters_in_one_segment_match_in_linear_time() -> None:
    from crmtpl.openapi.description import ApiDescription, Operation
    from crmtpl.openapi.matching import match_operation, segment_matches

    template = "/" + "".join(f"{{p{n}}}" for n in range(30)) + "X"
    operation = Operation("GET", template, ("",), None, "", (), (), (), None, False, {},
                          Path("api.json"))  # fmt: skip
    api = ApiDescription("t", "1", (operation,), ())
    with within(5):
        assert match_operation(api, "GET", "/" + "a" * 60) is None
        assert not segment_matches("a{p}" * 30, "a" * 59)
        assert segment_matches("a{p}" * 30, "a" * 60)
        assert match_operation(api, "GET", "/" + "a" * 60 + "X") is not None


@settings(max_examples=500, deadline=None)
@given(
    template=st.lists(st.sampled_from(["{a}", "{b}", "x", "-", ".json", "xy"]), min_size=1,
                      max_size=5).map("".join),
    actual=st.text("xy-.jsona", min_size=0, max_size=10),
)  # fmt: skip
def test_segment_matching_agrees_with_a_lazy_regular_expression(template: str, actual: str) -> None:
    from crmtpl.openapi.matching import segment_matches

    parts = re.split(r"\{[^{}/]+\}", template)
    regex = "(.+?)".join(re.escape(part) for part in parts)
    assert segment_matches(template, actual) == (re.fullmatch(regex, actual) is not None)


def test_a_path_walk_over_a_recursive_one_of_is_linear() -> None:
    node: dict[str, Any] = {}
    node["oneOf"] = [
        {"type": "object", "properties": {"a": node, f"k{n}": {"type": "string"}}}
        for n in range(64)
    ]
    with within(10):
        missed = follow(node, ".".join(["a"] * 12 + ["zzz"]))
        reached = follow(node, ".".join(["a"] * 12 + ["k3"]))
    assert getattr(missed, "found", None) == "object"
    assert getattr(reached, "schemas", None) == ({"type": "string"},)
