"""The engine's exceptions: Go's exact error text plus a position in the template text.

``message`` is what Go prints (``template: tpl:1:2: executing "tpl" at <.x>: ...``);
``offset`` is a character offset into the template text (or None), and ``line``/``col``
the 1-based line and column *in characters* of that offset, for mapping back to a source
file. (Go's own column, inside the message, counts bytes from 0.)
"""

from __future__ import annotations


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, columns counted in characters."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


class GoTemplateError(Exception):
    """Base of the engine's errors; ``str()`` is Go's full error text."""

    def __init__(self, message: str, text: str | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line: int | None = None
        self.col: int | None = None
        if text is not None and offset is not None:
            self.line, self.col = line_col(text, offset)

    def __str__(self) -> str:
        return self.message


class TemplateParseError(GoTemplateError):
    """The text is not a valid template (Go's ``Parse`` error)."""


class TemplateExecError(GoTemplateError):
    """Execution failed (Go's ``Execute`` error); ``partial_output`` is what was written first."""

    def __init__(
        self,
        message: str,
        text: str | None = None,
        offset: int | None = None,
        partial_output: str = "",
    ) -> None:
        super().__init__(message, text, offset)
        self.partial_output = partial_output
