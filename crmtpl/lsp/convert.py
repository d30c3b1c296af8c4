"""Linter values -> LSP values (lsprotocol types): ranges, diagnostics, edits."""

from __future__ import annotations

from lsprotocol import types

from crmtpl.lint import Diagnostic, Fix, Severity
from crmtpl.lint.ruletable import rule_table
from crmtpl.lsp.positions import PositionMap, offset_of_line_column
from crmtpl.template import SourceSpan

#: Where ``codeDescription`` links point: the rule reference on the project's site, one
#: heading per rule (``#ct212-name-misspelt``, GitHub's anchor of ``### CT212 ...``).
#: An editor's ``initializationOptions`` may set ``rulesUrl`` to another copy.
RULES_URL = "https://github.com/your-org/crmtpl/blob/main/docs/rules.md"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class DocumentView:
    """One document's text as the linter sees it (without a BOM) and as the editor does."""

    def __init__(self, text: str, encoding: str) -> None:
        self.shift = 1 if text.startswith("\ufeff") else 0
        self.body = text[self.shift :]
        self.positions = PositionMap(text, encoding)

    def position(self, offset: int) -> types.Position:
        """The LSP position of a linter offset."""
        line, character = self.positions.position(offset + self.shift)
        return types.Position(line=line, character=character)

    def range(self, start: int, end: int) -> types.Range:
        """The LSP range of linter offsets ``[start, end)``."""
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The linter offset of an LSP position."""
        return max(self.positions.offset(position.line, position.character) - self.shift, 0)

    def span_range(self, span: SourceSpan) -> types.Range:
        """A span's range; spans without offsets (loader failures) go by line:column."""
        if span.start_offset or span.end_offset:
            return self.range(span.start_offset, span.end_offset)
        start = offset_of_line_column(self.body, span.start_line, span.start_column)
        end = offset_of_line_column(self.body, span.end_line, span.end_column)
        return self.range(start, max(end, start + 1) if start < len(self.body) else start)


def rule_url(rule: str, base: str = RULES_URL) -> str:
    """The link to a rule's section of docs/rules.md."""
    spec = rule_table().lookup(rule)
    name = spec.name if spec is not None else ""
    anchor = f"{rule}-{name}".lower() if name else rule.lower()
    return f"{base}#{anchor}"


def diagnostic(
    found: Diagnostic, view: DocumentView, uri: str, rules_url: str = RULES_URL
) -> types.Diagnostic:
    """One linter diagnostic as the editor shows it (the hint on a second line)."""
    message = found.message if not found.hint else f"{found.message}\nhint: {found.hint}"
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=view.span_range(info.span)),
            message=info.message,
        )
        for info in found.related
    ]
    return types.Diagnostic(
        range=view.span_range(found.span),
        message=message,
        severity=_SEVERITY[found.severity],
        code=found.rule,
        code_description=types.CodeDescription(href=rule_url(found.rule, rules_url)),
        source="crmtpl",
        related_information=related or None,
    )


def edits(fix: Fix, view: DocumentView) -> list[types.TextEdit]:
    """A fix's edits in LSP terms."""
    return [
        types.TextEdit(range=view.range(e.start_offset, e.end_offset), new_text=e.text)
        for e in fix.edits
    ]
