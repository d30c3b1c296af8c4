"""Reporters, registered by name: each turns a :class:`LintReport` into text.

``text`` (for people: the source line with a caret under the exact span), ``json`` (the
stable contract other tools read), ``github`` (workflow-command annotations), ``sarif``
(2.1.0, for code-scanning tools) and ``junit`` (JUnit XML, one test case per file).
Reporters only build strings; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Callable

from crmtpl.choices import ReportFormat
from crmtpl.lint.report import LintReport
from crmtpl.lint.reporters.github import render as render_github
from crmtpl.lint.reporters.json_report import render as render_json
from crmtpl.lint.reporters.junit import render as render_junit
from crmtpl.lint.reporters.sarif import render as render_sarif
from crmtpl.lint.reporters.text import render as render_text

Reporter = Callable[[LintReport, bool], str]

#: Reporter name -> function ``(report, color) -> str``.
REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "junit": render_junit,
}

assert set(REPORTERS) == {name.value for name in ReportFormat}, "see crmtpl.choices"


def render_report(report: LintReport, format_name: str, *, color: bool = False) -> str:
    """The report in the named format (KeyError for an unknown name)."""
    return REPORTERS[format_name](report, color)


__all__ = ["REPORTERS", "Reporter", "render_report"]
