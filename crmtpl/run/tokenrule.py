"""The TokenErrorMap rule (spec §10.6, U11): when a response means "token invalid".

The documentation's condition on the status is illegible. crmtpl's default is the most
plausible reading, **status is not 200 and the body contains a TokenInvalid value**;
``--token-invalid-when`` switches to the other readings (``status-200``: status is 200
and the body contains it; ``any-status``: the body contains it, whatever the status).
"""

from __future__ import annotations

from collections.abc import Sequence

from crmtpl.choices import TokenRuleMode

__all__ = ["TokenRuleMode", "describe_rule", "token_invalid_match"]


def token_invalid_match(
    status: int, body: str, patterns: Sequence[str], mode: TokenRuleMode
) -> str | None:
    """The pattern that matched, or None."""
    if mode is TokenRuleMode.NOT_200 and status == 200:
        return None
    if mode is TokenRuleMode.STATUS_200 and status != 200:
        return None
    for pattern in patterns:
        if pattern and pattern in body:
            return pattern
    return None


def describe_rule(patterns: Sequence[str], mode: TokenRuleMode) -> str:
    """The rule in words, for ``-v`` output."""
    texts = " or ".join(repr(p) for p in patterns if p) or "(no TokenInvalid value)"
    status = {
        TokenRuleMode.NOT_200: "status is not 200",
        TokenRuleMode.STATUS_200: "status is 200",
        TokenRuleMode.ANY_STATUS: "any status",
    }[mode]
    return f"TokenErrorMap: token invalid when {status} and the body contains {texts}"
