"""The github format: one workflow command per diagnostic, shown as an annotation.

    ::error file=crm.xml,line=12,col=34,endLine=12,endColumn=42,title=CT821 …::message

Errors are ``::error``, warnings ``::warning``, infos ``::notice``. Values are escaped as
the Actions runner expects (``%``, ``\\r``, ``\\n``; in properties also ``:`` and ``,``).
"""

from __future__ import annotations

from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.lint.report import LintReport
from crmtpl.lint.ruletable import rule_table
from crmtpl.lint.wording import plural

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, diagnostic: Diagnostic) -> str:
    """The workflow command for one diagnostic."""
    span = diagnostic.span
    table = rule_table()
    name = table.get(diagnostic.rule).name if diagnostic.rule in table else ""
    properties = ",".join(
        [
            f"file={escape_property(path)}",
            f"line={span.start_line}",
            f"col={span.start_column}",
            f"endLine={span.end_line}",
            f"endColumn={span.end_column}",
            f"title={escape_property(f'{diagnostic.rule} {name}'.strip())}",
        ]
    )
    message = diagnostic.message
    if diagnostic.hint:
        message += f"\nhint: {diagnostic.hint}"
    return f"::{_COMMANDS[diagnostic.severity]} {properties}::{escape_data(message)}"


def render(report: LintReport, color: bool = False) -> str:
    """Every diagnostic as an annotation line, then a one-line summary."""
    lines = [annotation(r.path, d) for r in report.files for d in r.diagnostics]
    lines.append(
        f"crmtpl validate: {plural(len(report.files), 'file')}, "
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}, "
        f"{plural(report.infos, 'info')}"
    )
    return "\n".join(lines) + "\n"
