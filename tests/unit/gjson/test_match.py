"""tidwall/match wildcards as keys and % queries use them."""

from __future__ import annotations

import pytest

from crmtpl.gjson._match import match_limit


@pytest.mark.parametrize(
    ("text", "pattern", "matched"),
    [
        ("hello", "hello", True),
        ("hello", "h*o", True),
        ("hello", "h?llo", True),
        ("héllo", "h?llo", True),
        ("hello", "h?lo", False),
        ("", "*", True),
        ("", "?", False),
        ("a*b", "a\\*b", True),
        ("axb", "a\\*b", False),
        ("ab", "ab\\", False),
        ("abc", "**c", True),
        ("abc", "*b", False),
    ],
)
def test_match(text: str, pattern: str, matched: bool) -> None:
    assert match_limit(text, pattern) is matched


def test_runaway_patterns_give_up_as_no_match() -> None:
    assert match_limit("a" * 30, "*a*a*a*a*a*a*a*a*a*a*b") is False
