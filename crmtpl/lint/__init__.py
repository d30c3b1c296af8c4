"""crmtpl.lint: the rules of ``crmtpl validate``, the checker that runs them, reporters.

Public API::

    from crmtpl.lint import lint_source, lint_loaded, lint_inputs, expand_inputs
    from crmtpl.lint import Diagnostic, Severity, FileResult, LintReport, LintSettings
    from crmtpl.lint import rule_table, render_report, REPORTERS
    from crmtpl.lint import blocking_diagnostics   # what render and run stop on

    result = lint_source(Path("crm.xml"))        # never raises
    for d in result.diagnostics:
        print(d.rule, d.severity, d.line, d.column, d.message)

Rules live in ``rules.toml`` (ids CT001…CT906); checks in ``crmtpl.lint.checks``, one
module per family. The checker never raises: a failing check becomes an internal-error
diagnostic (CT001).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmtpl.lint.checker import FileResult, lint_loaded, lint_source
    from crmtpl.lint.config import LintSettings, discover_settings, load_settings
    from crmtpl.lint.diagnosis import blocking_diagnostics
    from crmtpl.lint.diagnostic import Diagnostic, Fix, RelatedInfo, Severity, TextEdit
    from crmtpl.lint.report import LintReport
    from crmtpl.lint.reporters import REPORTERS, render_report
    from crmtpl.lint.ruletable import RuleSpec, RuleTable, rule_table
    from crmtpl.lint.runner import LintInput, expand_inputs, lint_inputs, lint_paths

#: Where each public name lives. The package loads a module on first use of one of its
#: names (PEP 562), so that ``from crmtpl.lint.diagnostic import Diagnostic`` (render and
#: run print findings) does not load every rule family, both engines and the reporters.
_HOME = {
    "FileResult": "checker",
    "lint_loaded": "checker",
    "lint_source": "checker",
    "LintSettings": "config",
    "discover_settings": "config",
    "load_settings": "config",
    "blocking_diagnostics": "diagnosis",
    "Diagnostic": "diagnostic",
    "Fix": "diagnostic",
    "RelatedInfo": "diagnostic",
    "Severity": "diagnostic",
    "TextEdit": "diagnostic",
    "LintReport": "report",
    "REPORTERS": "reporters",
    "render_report": "reporters",
    "RuleSpec": "ruletable",
    "RuleTable": "ruletable",
    "rule_table": "ruletable",
    "LintInput": "runner",
    "expand_inputs": "runner",
    "lint_inputs": "runner",
    "lint_paths": "runner",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "REPORTERS",
    "Diagnostic",
    "FileResult",
    "Fix",
    "LintInput",
    "LintReport",
    "LintSettings",
    "RelatedInfo",
    "RuleSpec",
    "RuleTable",
    "Severity",
    "TextEdit",
    "blocking_diagnostics",
    "discover_settings",
    "expand_inputs",
    "lint_inputs",
    "lint_loaded",
    "lint_paths",
    "lint_source",
    "load_settings",
    "render_report",
    "rule_table",
]
