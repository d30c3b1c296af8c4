"""Every template case of ``tests/data/conformance/template.jsonl`` against crmtpl.gotemplate.

The expected results were recorded from Go 1.19's ``text/template`` with the PBX functions
(provenance: ``tests/data/README.md``). A case passes when ``ok``, ``output``, ``phase`` and Go's ``error`` text
all match.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.conformance.template_kind import load_case_line
from tests.support import CONFORMANCE_DIR

CORPUS = CONFORMANCE_DIR / "template.jsonl"


def _load_cases() -> list[dict[str, Any]]:
    lines = CORPUS.read_text("utf-8").split("\n")  # not splitlines: U+2028 is data
    return [load_case_line(line) for line in lines if line.strip()]


CASES = _load_cases()


def test_corpus_is_present() -> None:
    assert len(CASES) >= 774, CORPUS


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_template_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    got = run_case(case)
    where = f"{case['feature']}: {case['template'][:200]!r}"
    assert got["ok"] == expect["ok"], where
    assert got.get("phase") == expect.get("phase"), where
    assert got["output"] == expect["output"], where
    assert got.get("output_b64") == expect.get("output_b64"), where
    assert got["error"] == expect["error"], where
