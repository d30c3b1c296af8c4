"""Every template case of ``../shared/conformance/template.jsonl`` against crmtpl.gotemplate.

The expected results were recorded from Go 1.19's ``text/template`` with the PBX functions
(``shared/oracle``). A case passes when ``ok``, ``output``, ``phase`` and Go's ``error`` text
all match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.conformance.template_kind import load_case_line
from tests.support import require, shared_dir

CORPUS = shared_dir() / "conformance" / "template.jsonl"


def _load_cases() -> list[dict[str, Any]]:
    if not CORPUS.exists():
        return []
    lines = CORPUS.read_text("utf-8").split("\n")  # not splitlines: U+2028 is data
    return [load_case_line(line) for line in lines if line.strip()]


CASES = _load_cases()


def test_corpus_is_present() -> None:
    path: Path = require(CORPUS, "the template conformance corpus")
    assert len(_load_cases()) >= 774, path


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
