"""Reporters, registered by name: each turns a :class:`LintReport` into text.

``text`` (for people: the source line with a caret under the exact span), ``json`` (the
stable contract other tools read), ``github`` (workflow-command annotations), ``sarif``
(2.1.0, for code-scanning tools) and ``junit`` (JUnit XML, one test case per file).
Reporters only build strings; the CLI prints them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from crmtpl.choices import ReportFormat
from crmtpl.lint.report import LintReport

Reporter = Callable[[LintReport, bool], str]


def _on_first_use(module: str) -> Reporter:
    """The ``render`` of ``crmtpl.lint.reporters.<module>``, imported when first called
    (a run loads only the reporter it prints with; ``text`` alone pulls in Rich)."""

    def render(report: LintReport, color: bool = False) -> str:
        reporter: Reporter = importlib.import_module(f"crmtpl.lint.reporters.{module}").render
        return reporter(report, color)

    render.__qualname__ = render.__name__ = f"render_{module}"
    return render


#: Reporter name -> function ``(report, color) -> str``.
REPORTERS: dict[str, Reporter] = {
    "text": _on_first_use("text"),
    "json": _on_first_use("json_report"),
    "github": _on_first_use("github"),
    "sarif": _on_first_use("sarif"),
    "junit": _on_first_use("junit"),
}

assert set(REPORTERS) == {name.value for name in ReportFormat}, "see crmtpl.choices"


def render_report(report: LintReport, format_name: str, *, color: bool = False) -> str:
    """The report in the named format (KeyError for an unknown name)."""
    return REPORTERS[format_name](report, color)


__all__ = ["REPORTERS", "Reporter", "render_report"]
