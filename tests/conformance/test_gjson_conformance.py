"""Every gjson case of ``tests/data/conformance/gjson.jsonl`` against crmtpl.gjson.

The expected values were recorded from the real tidwall/gjson 1.14.4. A case passes when
every field of its ``expect`` matches, extras included, and nothing else is reported
(``indexes`` only appears when gjson has some).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.support import CONFORMANCE_DIR

CORPUS = CONFORMANCE_DIR / "gjson.jsonl"


def _load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


CASES = _load_cases()


def test_corpus_is_present() -> None:
    assert len(CASES) >= 663, CORPUS


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_gjson_case(case: dict[str, Any]) -> None:
    got = run_case(case)
    expect = case["expect"]
    assert got == expect, f"{case['feature']}: path {case.get('path')!r} on {case['json'][:200]!r}"
