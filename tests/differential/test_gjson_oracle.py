"""Differential test: crmtpl.gjson against the real tidwall/gjson (the Go oracle).

A seeded generator (``gjson_cases.py``) builds CRM-shaped and adversarial documents and
paths over the whole syntax; every case goes to the oracle in one batch and through
crmtpl.gjson, and every field the oracle reports must match. The number of cases comes from
``CRMTPL_DIFF_CASES`` (default 2000), the seed from ``CRMTPL_DIFF_SEED``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.differential.gjson_cases import generate_cases
from tests.support import run_oracle

pytestmark = pytest.mark.oracle

DEFAULT_CASES = 2000
DEFAULT_SEED = 4


def _describe(case: dict[str, Any], want: dict[str, Any], got: dict[str, Any]) -> str:
    fields = sorted(key for key in set(want) | set(got) if want.get(key) != got.get(key))
    detail = ", ".join(f"{key}: go={want.get(key)!r} py={got.get(key)!r}" for key in fields)
    return f"{case['id']} path={case.get('path')!r} json={case['json'][:160]!r}\n    {detail}"


def test_gjson_agrees_with_the_go_oracle() -> None:
    count = int(os.environ.get("CRMTPL_DIFF_CASES", DEFAULT_CASES))
    seed = int(os.environ.get("CRMTPL_DIFF_SEED", DEFAULT_SEED))
    cases = generate_cases(count, seed)
    answers = run_oracle(cases)
    assert len(answers) == len(cases)
    divergences = [
        _describe(case, want, got)
        for case, want in zip(cases, answers, strict=True)
        if (got := run_case(case)) != want
    ]
    assert not divergences, f"{len(divergences)} of {count} cases diverge (seed {seed}):\n" + (
        "\n".join(divergences[:25])
    )
