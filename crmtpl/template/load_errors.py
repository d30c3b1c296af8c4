"""The one error a template load can end with, carrying its reason and position."""

from __future__ import annotations

from crmtpl.errors import TemplateLoadError


class TemplateFileError(TemplateLoadError):
    """A template file that cannot be loaded: unreadable, too large, not well-formed …

    ``reason`` is a stable identifier (``too-large``, ``unreadable``, ``encoding``,
    ``not-well-formed``, ``doctype``, ``entity``, ``xml-version``, ``xml-encoding``,
    ``empty``) that a linter can turn into a rule id. ``line``/``column`` (1-based,
    characters) point at the offending character when there is one. ``str()`` reads
    ``NAME:LINE:COL: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        display_name: str,
        hint: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason
        self.display_name = display_name
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.display_name}: {self.message}"
        return f"{self.display_name}:{self.line}:{self.column}: {self.message}"
