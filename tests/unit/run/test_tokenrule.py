"""The TokenErrorMap rule and its switchable status condition (spec §10.6, U11)."""

from __future__ import annotations

import pytest

from crmtpl.run.tokenrule import TokenRuleMode, describe_rule, token_invalid_match

BODY = '{"error": "invalid_token", "message": "expired"}'


@pytest.mark.parametrize(
    ("status", "mode", "matches"),
    [
        (401, TokenRuleMode.NOT_200, True),
        (200, TokenRuleMode.NOT_200, False),
        (200, TokenRuleMode.STATUS_200, True),
        (401, TokenRuleMode.STATUS_200, False),
        (200, TokenRuleMode.ANY_STATUS, True),
        (500, TokenRuleMode.ANY_STATUS, True),
    ],
)
def test_status_condition(status: int, mode: TokenRuleMode, matches: bool) -> None:
    found = token_invalid_match(status, BODY, ["invalid_token"], mode)
    assert (found == "invalid_token") is matches


def test_body_must_contain_a_pattern() -> None:
    assert (
        token_invalid_match(401, '{"error":"forbidden"}', ["invalid_token"], TokenRuleMode.NOT_200)
        is None
    )
    assert token_invalid_match(401, BODY, [""], TokenRuleMode.NOT_200) is None


def test_the_rule_in_words() -> None:
    text = describe_rule(["invalid_token"], TokenRuleMode.NOT_200)
    assert text.startswith("TokenErrorMap: token invalid when status is not 200")
    assert text.endswith("and the body contains 'invalid_token'")
