"""Apply the fixes attached to diagnostics: the same edits serve ``validate --fix`` and the
editor's code actions.

A fix is a set of :class:`~crmtpl.lint.diagnostic.TextEdit` values on the decoded file
text; nothing outside its edits changes. :func:`fix_text` applies every fix that does not
overlap another, lints again and repeats (a fix may reveal the next finding, such as the
second raw ``&`` of a file the loader stopped at), until nothing is left to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from crmtpl.lint.checker import FileResult, lint_source
from crmtpl.lint.diagnostic import Diagnostic, Fix, TextEdit, apply_edits

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription

#: Rounds of fix-and-lint-again before giving up (each round fixes at least one thing).
MAX_ROUNDS = 20

_UTF8_BOM = "\ufeff"
_UNESCAPED_AMPERSAND = "unescaped '&'"
# A reference the loader accepts or names as undefined: those are left alone.
_REFERENCE_START = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][\w.:-]*);")


@dataclass(frozen=True)
class FixOutcome:
    """The text after fixing, and the titles of the fixes applied (in order)."""

    text: str
    applied: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """True when at least one fix was applied."""
        return bool(self.applied)


def offset_of(text: str, line: int, column: int) -> int | None:
    """Offset of the 1-based ``line:column`` (``\\n`` ends a line, columns count
    characters), or None when it is outside the text."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return None
        start = found + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    offset = start + column - 1
    return offset if start <= offset <= end else None


def _ampersand_fix(text: str, diagnostic: Diagnostic) -> Fix | None:
    """``&`` -> ``&amp;`` at the raw ampersand the loader stopped at."""
    if not diagnostic.message.startswith(_UNESCAPED_AMPERSAND):
        return None
    offset = offset_of(text, diagnostic.line, diagnostic.column)
    if offset is None or not text.startswith("&", offset):
        return None
    if _REFERENCE_START.match(text, offset):
        return None
    return Fix("write the & as &amp;", (TextEdit(offset, offset + 1, "&amp;"),))


def lint_text(
    text: str,
    *,
    display_name: str = "<text>",
    enabled: frozenset[str] | None = None,
    api: ApiDescription | None = None,
) -> FileResult:
    """Lint a document held in memory (an editor buffer, a file being fixed); offsets of
    spans and fixes index ``text`` without a leading BOM; its requests checked against
    ``api`` when given (CT97x). Never raises."""
    body = text.removeprefix(_UTF8_BOM)
    result = lint_source(
        body.encode("utf-8", "surrogatepass"), display_name=display_name, enabled=enabled, api=api
    )
    if result.loaded:
        return result
    diagnostics = tuple(
        d if d.fix is not None else replace(d, fix=_ampersand_fix(body, d))
        for d in result.diagnostics
    )
    return replace(result, diagnostics=diagnostics)


def compatible_fixes(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Fix]:
    """The fixes of these diagnostics that can be applied together: in report order, a fix
    whose edits touch an earlier chosen fix's edits is left for the next round."""
    chosen: list[Fix] = []
    taken: list[TextEdit] = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or fix in chosen:
            continue
        if any(_overlap(edit, other) for edit in fix.edits for other in taken):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def _overlap(one: TextEdit, other: TextEdit) -> bool:
    if one.start_offset == one.end_offset or other.start_offset == other.end_offset:
        return one.start_offset == other.start_offset
    return one.start_offset < other.end_offset and other.start_offset < one.end_offset


def fix_text(
    text: str, *, display_name: str = "<text>", enabled: frozenset[str] | None = None
) -> FixOutcome:
    """Apply every available fix to ``text``, round after round; a leading BOM is kept.
    Text without fixable findings comes back unchanged (the same string)."""
    bom = _UTF8_BOM if text.startswith(_UTF8_BOM) else ""
    body = text.removeprefix(_UTF8_BOM)
    applied: list[str] = []
    seen: set[str] = {body}
    for _round in range(MAX_ROUNDS):
        result = lint_text(body, display_name=display_name, enabled=enabled)
        fixes = compatible_fixes(result.diagnostics)
        if not fixes:
            break
        fixed = apply_edits(body, [edit for fix in fixes for edit in fix.edits])
        if fixed in seen:  # a fix that undoes another: stop rather than loop
            break
        seen.add(fixed)
        body = fixed
        applied.extend(fix.title for fix in fixes)
    if not applied:
        return FixOutcome(text, ())
    return FixOutcome(bom + body, tuple(applied))
