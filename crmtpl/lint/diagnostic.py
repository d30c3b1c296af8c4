"""Diagnostics are values: a rule id, a severity, a sentence, a hint, and where it is.

Positions are :class:`~crmtpl.template.source.SourceSpan` values: 1-based lines, columns
counting characters, end exclusive. A diagnostic about the whole file (unreadable, too
large) points at line 1, column 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from crmtpl.template.source import SourceSpan


class Severity(StrEnum):
    """How bad a finding is: errors fail a run, warnings fail it only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for infos (to sort and compare)."""
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}

#: The span of a finding about the file as a whole.
FILE_START = SourceSpan(1, 1, 1, 1, 0, 0)


def point(line: int, column: int) -> SourceSpan:
    """The one character at ``line:column`` (file offsets unknown, set to 0)."""
    return SourceSpan(line, column, line, column + 1, 0, 0)


@dataclass(frozen=True, slots=True)
class RelatedInfo:
    """Another place that explains a diagnostic (the earlier duplicate, the definition)."""

    message: str
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the file's characters ``[start_offset, end_offset)`` with ``text``."""

    start_offset: int
    end_offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """The correction of a finding, as edits of the file text (applied together)."""

    title: str
    edits: tuple[TextEdit, ...]


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """``text`` with every edit applied (edits must not overlap; later ones first)."""
    for edit in sorted(edits, key=lambda e: e.start_offset, reverse=True):
        text = text[: edit.start_offset] + edit.text + text[edit.end_offset :]
    return text


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of one rule at one place of a template file."""

    rule: str
    severity: Severity
    message: str
    span: SourceSpan
    hint: str | None = None
    related: tuple[RelatedInfo, ...] = field(default_factory=tuple)
    fix: Fix | None = None

    @property
    def line(self) -> int:
        """1-based line of the first character."""
        return self.span.start_line

    @property
    def column(self) -> int:
        """1-based column (characters) of the first character."""
        return self.span.start_column

    def sort_key(self) -> tuple[int, int, int, str]:
        """Order of a report: by position, errors first at the same place, then rule id."""
        return (self.span.start_line, self.span.start_column, -self.severity.rank, self.rule)
