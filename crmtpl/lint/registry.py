"""The checks: functions registered with the rule ids they may report.

Each rule module (``crmtpl.lint.checks.*``) decorates its check functions with
:func:`check`; the checker imports the modules and runs every check that has at least
one selected rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crmtpl.lint.context import LintContext

CheckFunction = Callable[[LintContext], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A check function and the rules it reports."""

    name: str
    rules: tuple[str, ...]
    run: CheckFunction


CHECKS: list[Check] = []


def check(*rule_ids: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function that reports (some of) ``rule_ids``."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(f"{function.__module__}.{function.__name__}", rule_ids, function))
        return function

    return register
