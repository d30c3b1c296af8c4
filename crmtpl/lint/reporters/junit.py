"""The junit format: JUnit XML, one test case per file, for CI test-report viewers.

A file that could not be loaded is an ``<error>``; a file with errors (or warnings under
``--strict``) a ``<failure>`` listing every finding; the findings of a passing file are in
``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crmtpl.lint.checker import FileResult
from crmtpl.lint.report import LintReport
from crmtpl.lint.wording import plural


def finding_lines(result: FileResult) -> str:
    """One ``path:line:col: severity RULE message`` line per diagnostic."""
    return "\n".join(
        f"{result.path}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}"
        + (f" (hint: {d.hint})" if d.hint else "")
        for d in result.diagnostics
    )


def render(report: LintReport, color: bool = False) -> str:
    """The report as a JUnit XML document."""
    failures = sum(1 for r in report.files if r.loaded and report.failed(r))
    errors = len(report.unloadable)
    suites = ET.Element(
        "testsuites",
        name="crmtpl validate",
        tests=str(len(report.files)),
        failures=str(failures),
        errors=str(errors),
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="crmtpl validate",
        tests=str(len(report.files)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    for result in report.files:
        case = ET.SubElement(suite, "testcase", classname="crmtpl.validate", name=result.path)
        details = finding_lines(result)
        if not result.loaded:
            first = result.diagnostics[0].message if result.diagnostics else "cannot be loaded"
            element = ET.SubElement(case, "error", message=first, type="unloadable")
            element.text = details
        elif report.failed(result):
            summary = f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}"
            element = ET.SubElement(case, "failure", message=summary, type="lint")
            element.text = details
        elif details:
            ET.SubElement(case, "system-out").text = details
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
