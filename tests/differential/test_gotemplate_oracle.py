"""Differential test: crmtpl.gotemplate against Go 1.19's text/template (the Go oracle).

A seeded generator (``template_cases.py``) builds random templates over the whole language,
bad syntax included, with varying data modes and options; every case goes to the oracle in
one batch and through crmtpl, and ``ok``, ``output`` (and ``output_b64``), ``phase`` and
Go's ``error`` text must all match. The number of cases comes from ``CRMTPL_DIFF_CASES``
(default 2000), the seed from ``CRMTPL_DIFF_SEED``.

``%p`` prints a memory address in Go, which no reimplementation can reproduce; in generated
cases with a ``%p`` verb, addresses (and the padding before them) are masked on both sides.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.conformance.harness import run_case
from tests.differential.template_cases import generate_cases
from tests.support import run_oracle

pytestmark = pytest.mark.oracle

DEFAULT_CASES = 2000
DEFAULT_SEED = 3
_POINTER_VERB = re.compile(r"%[-+# 0-9.*\[\]]*p")
_ADDRESS = re.compile(r"[ 0+]*(0x)?[0-9a-f]{6,12}")


def _comparable(result: dict[str, Any], template: str) -> dict[str, Any]:
    fields = {k: result.get(k) for k in ("ok", "output", "output_b64", "error", "phase")}
    if _POINTER_VERB.search(template):
        # Addresses (and the padding that depends on their length) cannot be reproduced.
        fields["output"] = _ADDRESS.sub("ADDR", fields["output"] or "")
        fields["error"] = _ADDRESS.sub("ADDR", fields["error"] or "")
        fields["output_b64"] = None
    return fields


def _describe(case: dict[str, Any], want: dict[str, Any], got: dict[str, Any]) -> str:
    keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    detail = "\n      ".join(f"{k}: go={want.get(k)!r}\n       py={got.get(k)!r}" for k in keys)
    options = {k: case[k] for k in ("data_mode", "missingkey", "tz", "funcs") if k in case}
    return f"{case['id']} {options} template={case['template']!r}\n      {detail}"


def test_gotemplate_agrees_with_the_go_oracle() -> None:
    count = int(os.environ.get("CRMTPL_DIFF_CASES", DEFAULT_CASES))
    seed = int(os.environ.get("CRMTPL_DIFF_SEED", DEFAULT_SEED))
    cases = generate_cases(count, seed)
    answers = run_oracle(cases)
    assert len(answers) == len(cases)
    divergences = []
    for case, answer in zip(cases, answers, strict=True):
        want = _comparable(answer, case["template"])
        got = _comparable(run_case(case), case["template"])
        if got != want:
            divergences.append(_describe(case, want, got))
    assert not divergences, f"{len(divergences)} of {count} cases diverge (seed {seed}):\n" + (
        "\n".join(divergences[:25])
    )
