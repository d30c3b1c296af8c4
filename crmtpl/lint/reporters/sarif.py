"""The sarif format: SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDEs).

One run; the driver lists every rule of the table (so ``ruleIndex`` is stable); each
diagnostic is a result with its region (1-based lines, columns in Unicode code points,
end exclusive, as SARIF's ``columnKind: unicodeCodePoints`` says). Related places become
``relatedLocations``.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from crmtpl import __version__
from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.lint.report import LintReport
from crmtpl.lint.ruletable import RuleSpec, rule_table
from crmtpl.template import SourceSpan

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A URI reference for a report path (relative paths stay relative)."""
    if path.startswith("<") and path.endswith(">"):
        return quote(path.strip("<>"))
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix)
    return quote(posix)


def _region(span: SourceSpan) -> dict[str, int]:
    return {
        "startLine": span.start_line,
        "startColumn": span.start_column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, span.start_column)
        if span.end_line == span.start_line
        else span.end_column,
    }


def _location(uri: str, span: SourceSpan, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(span)}
    }
    if message is not None:
        location["message"] = {"text": message}
    return location


def _rule(spec: RuleSpec) -> dict[str, Any]:
    help_text = spec.explanation
    if spec.bad:
        help_text += f"\n\nInstead of:\n{spec.bad}"
    if spec.good:
        help_text += f"\n\nWrite:\n{spec.good}"
    return {
        "id": spec.id,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.explanation or spec.summary},
        "help": {"text": help_text or spec.summary},
        "defaultConfiguration": {"level": _LEVELS[spec.severity]},
        "properties": {"tags": [spec.family], **({"spec": spec.spec} if spec.spec else {})},
    }


def _result(uri: str, diagnostic: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    message = diagnostic.message
    if diagnostic.hint:
        message += f" (hint: {diagnostic.hint})"
    result: dict[str, Any] = {
        "ruleId": diagnostic.rule,
        "level": _LEVELS[diagnostic.severity],
        "message": {"text": message},
        "locations": [_location(uri, diagnostic.span)],
    }
    if diagnostic.rule in index:
        result["ruleIndex"] = index[diagnostic.rule]
    if diagnostic.related:
        result["relatedLocations"] = [
            {"id": number, **_location(uri, info.span, info.message)}
            for number, info in enumerate(diagnostic.related)
        ]
    return result


def sarif_log(report: LintReport) -> dict[str, Any]:
    """The SARIF log of a report, as a JSON-ready dict."""
    table = rule_table()
    index = {spec.id: number for number, spec in enumerate(table.rules)}
    results = [
        _result(artifact_uri(result.path), diagnostic, index)
        for result in report.files
        for diagnostic in result.diagnostics
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crmtpl",
                        "version": __version__,
                        "rules": [_rule(spec) for spec in table.rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": artifact_uri(r.path)}} for r in report.files],
                "invocations": [{"executionSuccessful": not report.unloadable}],
                "results": results,
            }
        ],
    }


def render(report: LintReport, color: bool = False) -> str:
    """The SARIF log as indented JSON, ending with a newline."""
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
