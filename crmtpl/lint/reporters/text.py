"""The text format, for people: where, how bad, which rule, what, the source line with a
caret under the exact span, how to fix it, and a summary line.

    crm.xml:12:34: error CT821 undefined-variable: {{.apiKey}} is not …
       12 |     <Request … URLFormat="https://crm.example/c?key={{.apiKey}}">
          |                                                    ^^^^^^^^^^^
          = hint: did you mean api_key?
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from crmtpl.lint.checker import FileResult
from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.lint.report import LintReport
from crmtpl.lint.ruletable import rule_table
from crmtpl.lint.wording import plural

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
_CARETS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
#: Longest stretch of a source line shown; longer lines are cut around the span.
WINDOW = 120
_CONTEXT = 40


def source_excerpt(line_text: str, diagnostic: Diagnostic) -> tuple[str, int, int]:
    """The part of the line to show, and the caret's start and width within it."""
    span = diagnostic.span
    line = line_text.replace("\t", " ")
    start = max(span.start_column - 1, 0)
    if span.end_line == span.start_line:
        width = max(span.end_column - span.start_column, 1)
    else:
        width = max(len(line) - start, 1)
    if len(line) <= WINDOW:
        return line, start, width
    begin = max(0, min(start - _CONTEXT, len(line) - WINDOW))
    end = min(len(line), begin + WINDOW)
    shown = line[begin:end]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(line) else ""
    caret_start = start - begin + len(prefix)
    width = max(1, min(width, end - start))
    return prefix + shown + suffix, caret_start, width


def _diagnostic(console: Console, result: FileResult, diagnostic: Diagnostic) -> None:
    table = rule_table()
    name = table.get(diagnostic.rule).name if diagnostic.rule in table else ""
    severity = diagnostic.severity
    console.print(
        f"[bold]{escape(result.path)}:{diagnostic.line}:{diagnostic.column}:[/] "
        f"[{_STYLES[severity]}]{severity.value}[/] [dim]{diagnostic.rule} {name}:[/] "
        f"{escape(diagnostic.message)}"
    )
    line_text = result.source_lines.get(diagnostic.line)
    if line_text is not None and line_text.strip():
        shown, caret, width = source_excerpt(line_text, diagnostic)
        number = str(diagnostic.line)
        gutter = " " * len(number)
        console.print(f"  [dim]{number} |[/] {escape(shown)}")
        console.print(f"  [dim]{gutter} |[/] {' ' * caret}[{_CARETS[severity]}]{'^' * width}[/]")
        prefix = f"  {gutter} [dim]=[/]"
    else:
        prefix = "  [dim]=[/]"
    if diagnostic.hint:
        console.print(f"{prefix} [cyan]hint:[/] {escape(diagnostic.hint)}")
    for info in diagnostic.related:
        console.print(
            f"{prefix} [dim]note: {escape(info.message)} at "
            f"{escape(result.path)}:{info.span.start_line}:{info.span.start_column}[/]"
        )


def summary_line(report: LintReport) -> str:
    """``Found 2 errors, 1 warning and 0 infos in 3 files.`` (plain text)."""
    files = plural(len(report.files), "file")
    counts = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} and "
        f"{plural(report.infos, 'info')}"
    )
    if not (report.errors or report.warnings or report.infos) and not report.exit_code:
        text = f"Checked {files}: no problems found."
    elif not (report.errors or report.warnings or report.infos):
        text = f"Checked {files}: the run fails."  # a view that left the failures out
    else:
        text = f"Found {counts} in {files}."
    if report.unloadable:
        text += f" {plural(len(report.unloadable), 'file')} could not be loaded."
    if report.strict and report.warnings and not report.errors:
        text += " Warnings fail the run (--strict)."
    return text


def _console(buffer: io.StringIO, color: bool) -> Console:
    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=100_000,
        soft_wrap=True,
        highlight=False,
        emoji=False,
    )


def render_findings(result: FileResult, color: bool = False) -> str:
    """One file's findings exactly as the text report prints them, without the summary
    line: what ``crmtpl render`` and ``crmtpl run`` print for the findings that stop them."""
    buffer = io.StringIO()
    console = _console(buffer, color)
    for diagnostic in result.diagnostics:
        _diagnostic(console, result, diagnostic)
    return buffer.getvalue()


def render(report: LintReport, color: bool = False) -> str:
    """The report as text; with ``color``, styled with ANSI escapes."""
    buffer = io.StringIO()
    console = _console(buffer, color)
    for result in report.files:
        for diagnostic in result.diagnostics:
            _diagnostic(console, result, diagnostic)
    style = "bold red" if report.exit_code else "bold green"
    console.print(f"[{style}]{escape(summary_line(report))}[/]")
    return buffer.getvalue()
