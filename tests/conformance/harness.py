"""The conformance harness: run one corpus case through crmtpl's engines.

``run_case(case)`` takes one line of ``tests/data/conformance/*.jsonl`` (a dict) and returns
a dict shaped like that case's ``expect``: for ``template`` cases ``ok``, ``output``,
``error``, ``phase``; for ``gjson`` cases ``exists``, ``type``, ``raw``, ``str`` and the
extras; for ``gjson_valid`` cases ``valid``. The same function serves the pytest
conformance tests and the differential tests against the Go oracle.
"""

from __future__ import annotations

from typing import Any


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one corpus case with crmtpl and return what the oracle would report."""
    kind = case.get("kind")
    if kind == "template":
        from tests.conformance.template_kind import run_template_case

        return run_template_case(case)
    if kind in ("gjson", "gjson_valid"):
        from tests.conformance.gjson_kind import run_gjson_case

        return run_gjson_case(case)
    raise ValueError(f"unknown case kind {kind!r}")
