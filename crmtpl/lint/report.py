"""The result of a whole run: one :class:`FileResult` per file, totals, the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtpl.errors import ExitCode
from crmtpl.lint.checker import FileResult


@dataclass
class LintReport:
    """Every file's findings, in the order the files were given."""

    files: list[FileResult] = field(default_factory=list)
    strict: bool = False

    @property
    def errors(self) -> int:
        """Errors in all files."""
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        """Warnings in all files."""
        return sum(f.warnings for f in self.files)

    @property
    def infos(self) -> int:
        """Infos in all files."""
        return sum(f.infos for f in self.files)

    @property
    def unloadable(self) -> list[FileResult]:
        """Files that could not be loaded at all (unreadable, not XML, too large …)."""
        return [f for f in self.files if not f.loaded]

    @property
    def unreadable(self) -> list[FileResult]:
        """Files that could not be read at all (missing, a directory, no permission)."""
        return [f for f in self.files if f.unreadable]

    def failed(self, result: FileResult) -> bool:
        """True when this file fails the run (errors, or warnings under ``strict``)."""
        return not result.loaded or result.errors > 0 or (self.strict and result.warnings > 0)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, else 1 for errors (or warnings with strict).

        A file that was read but is not a template (not well-formed XML, a DOCTYPE, over
        1 MB, not UTF-8) is a finding like any other: exit 1, as in ruff and actionlint.
        """
        if self.unreadable:
            return ExitCode.TEMPLATE_UNLOADABLE
        if self.unloadable or self.errors or (self.strict and self.warnings):
            return ExitCode.FINDINGS
        return ExitCode.OK
