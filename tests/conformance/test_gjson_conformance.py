"""Every gjson case of ``../shared/conformance/gjson.jsonl`` against crmtpl.gjson.

The expected values were recorded from the real tidwall/gjson 1.14.4. A case passes when
every field of its ``expect`` matches, extras included, and nothing else is reported
(``indexes`` only appears when gjson has some).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.support import require, shared_dir

CORPUS = shared_dir() / "conformance" / "gjson.jsonl"


def _load_cases() -> list[dict[str, Any]]:
    if not CORPUS.exists():
        return []
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


CASES = _load_cases()


def test_corpus_is_present() -> None:
    path: Path = require(CORPUS, "the gjson conformance corpus")
    assert len(_load_cases()) >= 663, path


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_gjson_case(case: dict[str, Any]) -> None:
    got = run_case(case)
    expect = case["expect"]
    assert got == expect, f"{case['feature']}: path {case.get('path')!r} on {case['json'][:200]!r}"
