"""The json format: a stable contract for other tools (docs/validate.md).

    {"files": [{"path": str, "diagnostics": [{"rule": str,
        "severity": "error"|"warning"|"info", "message": str, "hint": str|null,
        "line": int, "column": int, "end_line": int, "end_column": int}]}],
     "summary": {"files": int, "errors": int, "warnings": int}}

Lines and columns are 1-based, columns count characters, the end is exclusive. Keys are
never removed or renamed; files keep the order they were given in.
"""

from __future__ import annotations

import json
from typing import Any

from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.lint.report import LintReport


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the contract's object."""
    span = diagnostic.span
    return {
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "line": span.start_line,
        "column": span.start_column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def report_dict(report: LintReport) -> dict[str, Any]:
    """The whole report as the contract's object."""
    return {
        "files": [
            {"path": result.path, "diagnostics": [diagnostic_dict(d) for d in result.diagnostics]}
            for result in report.files
        ],
        "summary": {
            "files": len(report.files),
            "errors": report.errors,
            "warnings": report.warnings,
        },
    }


def render(report: LintReport, color: bool = False) -> str:
    """The report as indented JSON, ending with a newline."""
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
