"""The text format, for people: where, how bad, which rule, what, the source line with a
caret under the exact span, how to fix it, and a summary line.

    crm.xml:12:34: error CT821 undefined-variable: {{.apiKey}} is not …
       12 |     <Request … URLFormat="https://crm.example/c?key={{.apiKey}}">
          |                                                    ^^^^^^^^^^^
          = hint: did you mean api_key?
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from crmtpl.lint.checker import FileResult
from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.lint.report import LintReport
from crmtpl.lint.ruletable import rule_table
from crmtpl.lint.wording import plural

if TYPE_CHECKING:
    from rich.console import Console

#: ``mark(style, text)``: text in a Rich style (markup), or the text alone (plain).
Mark = Callable[[str, str], str]
#: ``esc(text)``: outside text made safe for markup, or left as it is (plain).
Escape = Callable[[str], str]

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
_CARETS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
#: Longest stretch of a source line shown; longer lines are cut around the span.
WINDOW = 120
#: The shortest stretch shown however narrow the terminal.
MIN_WINDOW = 30
_CONTEXT = 40


def source_excerpt(
    line_text: str, diagnostic: Diagnostic, window: int = WINDOW
) -> tuple[str, int, int]:
    """The part of the line to show (at most ``window`` characters of it), and the caret's
    start and width within it."""
    span = diagnostic.span
    line = line_text.replace("\t", " ")
    start = max(span.start_column - 1, 0)
    if span.end_line == span.start_line:
        width = max(span.end_column - span.start_column, 1)
    else:
        width = max(len(line) - start, 1)
    if len(line) <= window:
        return line, start, width
    begin = max(0, min(start - min(_CONTEXT, window // 3), len(line) - window))
    end = min(len(line), begin + window)
    shown = line[begin:end]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(line) else ""
    caret_start = start - begin + len(prefix)
    width = max(1, min(width, end - start))
    return prefix + shown + suffix, caret_start, width


def excerpt_window(line_number: int, width: int | None) -> int:
    """How much of a source line to show so that the excerpt line (``  12 | …text…``) fits
    ``width`` columns (a terminal's); :data:`WINDOW` when the width is not known."""
    if width is None:
        return WINDOW
    gutter = len(str(line_number)) + len("  ") + len(" | ") + len("……") + 1
    return max(MIN_WINDOW, min(WINDOW, width - gutter))


def _diagnostic_lines(
    result: FileResult,
    diagnostic: Diagnostic,
    mark: Mark,
    esc: Escape,
    width: int | None = None,
) -> list[str]:
    table = rule_table()
    name = table.get(diagnostic.rule).name if diagnostic.rule in table else ""
    severity = diagnostic.severity
    lines = [
        f"{mark('bold', f'{esc(result.path)}:{diagnostic.line}:{diagnostic.column}:')} "
        f"{mark(_STYLES[severity], severity.value)} {mark('dim', f'{diagnostic.rule} {name}:')} "
        f"{esc(diagnostic.message)}"
    ]
    line_text = result.source_lines.get(diagnostic.line)
    if line_text is not None and line_text.strip():
        window = excerpt_window(diagnostic.line, width)
        shown, caret, carets = source_excerpt(line_text, diagnostic, window)
        number = str(diagnostic.line)
        gutter = " " * len(number)
        lines.append(f"  {mark('dim', f'{number} |')} {esc(shown)}")
        lines.append(
            f"  {mark('dim', f'{gutter} |')} {' ' * caret}{mark(_CARETS[severity], '^' * carets)}"
        )
        prefix = f"  {gutter} {mark('dim', '=')}"
    else:
        prefix = f"  {mark('dim', '=')}"
    if diagnostic.hint:
        lines.append(f"{prefix} {mark('cyan', 'hint:')} {esc(diagnostic.hint)}")
    for info in diagnostic.related:
        where = f"{esc(result.path)}:{info.span.start_line}:{info.span.start_column}"
        lines.append(f"{prefix} {mark('dim', f'note: {esc(info.message)} at {where}')}")
    return lines


def _report_lines(
    report: LintReport, mark: Mark, esc: Escape, width: int | None = None
) -> list[str]:
    lines = [
        line
        for result in report.files
        for diagnostic in result.diagnostics
        for line in _diagnostic_lines(result, diagnostic, mark, esc, width)
    ]
    style = "bold red" if report.exit_code else "bold green"
    lines.append(mark(style, esc(summary_line(report))))
    return lines


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


#: What Rich would change in printed text (it expands tabs by cell width and drops some
#: control characters): a report holding any of these, or a backslash in text from
#: outside, is printed through Rich.
_RICH_CHANGES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


#: Builds the lines to print, given how to style (Mark) and escape (Escape) text.
LineBuilder = Callable[[Mark, Escape], list[str]]


def render(report: LintReport, color: bool = False, width: int | None = None) -> str:
    """The report as text; with ``color``, styled with ANSI escapes. With ``width`` (a
    terminal's columns), source excerpts are cut to fit it, so that a caret stays under
    the text it marks instead of wrapping away from it."""
    return _render(lambda mark, esc: _report_lines(report, mark, esc, width), color)


def render_findings(result: FileResult, color: bool = False) -> str:
    """One file's findings exactly as the text report prints them, without the summary
    line: what ``crmtpl render`` and ``crmtpl run`` print for the findings that stop them."""

    def lines(mark: Mark, esc: Escape) -> list[str]:
        return [
            line
            for diagnostic in result.diagnostics
            for line in _diagnostic_lines(result, diagnostic, mark, esc)
        ]

    return _render(lines, color)


def render_plain(report: LintReport) -> str | None:
    """The uncoloured report built as plain strings, without loading Rich (~20 ms of a
    ``validate`` run); None when the text holds a character Rich would change, where
    :func:`render_with_rich` must print it. Both give the same text
    (``tests/unit/lint/test_text_reporter_plain.py``)."""
    return _plain(lambda mark, esc: _report_lines(report, mark, esc))


def render_with_rich(report: LintReport, color: bool) -> str:
    """The report printed through a Rich console (styled when ``color``)."""
    return _with_rich(lambda mark, esc: _report_lines(report, mark, esc), color)


def _render(build: LineBuilder, color: bool) -> str:
    if not color:
        plain = _plain(build)
        if plain is not None:
            return plain
    return _with_rich(build, color)


def _plain(build: LineBuilder) -> str | None:
    has_backslash = False

    def as_is(text: str) -> str:
        nonlocal has_backslash  # Rich's markup reads backslashes its own way: let it print
        has_backslash = has_backslash or "\\" in text
        return text

    text = "".join(f"{line}\n" for line in build(_unstyled, as_is))
    return None if has_backslash or _RICH_CHANGES.search(text) else text


def _with_rich(build: LineBuilder, color: bool) -> str:
    from rich.console import Console
    from rich.markup import escape

    buffer = io.StringIO()
    console: Console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=100_000,
        soft_wrap=True,
        highlight=False,
        emoji=False,
    )
    for line in build(_markup, escape):
        console.print(line)
    return buffer.getvalue()


def _markup(style: str, text: str) -> str:
    return f"[{style}]{text}[/]"


def _unstyled(_style: str, text: str) -> str:
    return text
