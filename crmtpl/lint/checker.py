"""Run every selected check on one template; never raise.

A file that cannot be loaded gives one diagnostic of the rule for its failure reason
(CT101-CT106) and ``loaded=False``. A check that raises gives an internal-error
diagnostic (CT001) and the other checks still run. Inline suppressions apply last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crmtpl.lint import checks as _checks  # noqa: F401  (registers every check)
from crmtpl.lint.answers import RecordedAnswer
from crmtpl.lint.causes import without_consequences
from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import FILE_START, Diagnostic, Severity, point
from crmtpl.lint.registry import CHECKS
from crmtpl.lint.ruletable import RuleTable, rule_table
from crmtpl.lint.suppressions import apply_suppressions, find_suppressions
from crmtpl.template import (
    MAX_TEMPLATE_BYTES,
    LoadedTemplate,
    TemplateFileError,
    load_template,
)

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription

INTERNAL_ERROR = "CT001"
#: The loader's reason for a file that cannot be read (CT105).
UNREADABLE_REASON = "unreadable"


@dataclass(frozen=True)
class FileResult:
    """The findings for one file, with the source lines they point at (for reports)."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    loaded: bool = True
    source_lines: Mapping[int, str] = field(default_factory=dict)
    #: True when the file could not be read at all (missing, a directory, no permission):
    #: the only load failure that is not a finding of the file's content (exit code 3).
    unreadable: bool = False

    def count(self, severity: Severity) -> int:
        """How many diagnostics of this severity."""
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> int:
        """Number of errors."""
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return self.count(Severity.WARNING)

    @property
    def infos(self) -> int:
        """Number of infos."""
        return self.count(Severity.INFO)


def _internal_error(where: str, bug: BaseException) -> Diagnostic:
    return Diagnostic(
        INTERNAL_ERROR,
        Severity.ERROR,
        f"internal error in {where}: {type(bug).__name__}: {bug}",
        FILE_START,
        "this is a bug in crmtpl, not in the template; please report it with the template",
    )


def lint_loaded(
    loaded: LoadedTemplate,
    *,
    enabled: frozenset[str] | None = None,
    table: RuleTable | None = None,
    answers: Sequence[RecordedAnswer] = (),
    api: ApiDescription | None = None,
) -> list[Diagnostic]:
    """Run the checks on a loaded template; sorted diagnostics, suppressions applied, the
    causes first and the findings that only restate them left out (:mod:`.causes`).
    ``answers`` are the CRM's recorded answers the output paths are judged against (CT708);
    ``api`` the CRM's API description the requests are checked against (CT97x)."""
    table = table or rule_table()
    found = _lint_once(loaded, enabled=enabled, table=table, answers=answers, api=api)
    try:
        return without_consequences(
            loaded,
            found,
            lambda fixed: _lint_once(fixed, enabled=enabled, table=table, answers=answers, api=api),
        )
    except Exception as bug:  # never lose the findings to a bug in this step
        return [*found, _internal_error("the cause/consequence step", bug)]


def _lint_once(
    loaded: LoadedTemplate,
    *,
    enabled: frozenset[str] | None,
    table: RuleTable,
    answers: Sequence[RecordedAnswer] = (),
    api: ApiDescription | None = None,
) -> list[Diagnostic]:
    ctx = LintContext(loaded, enabled=enabled, table=table, answers=answers, api=api)
    for item in CHECKS:
        if not ctx.wants(*item.rules):
            continue
        try:
            item.run(ctx)
        except Exception as bug:  # a rule bug must not stop the others
            if INTERNAL_ERROR in ctx.enabled:
                ctx.diagnostics.append(_internal_error(f"check {item.name}", bug))
    diagnostics = _unique(ctx.diagnostics)
    try:
        suppressions, problems = find_suppressions(loaded.source, table)
    except Exception as bug:
        suppressions, problems = [], [_internal_error("the suppression reader", bug)]
    diagnostics = apply_suppressions(diagnostics, suppressions)
    diagnostics.extend(p for p in problems if p.rule in ctx.enabled)
    return sorted(diagnostics, key=Diagnostic.sort_key)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    kept = []
    for diagnostic in diagnostics:
        key = (
            diagnostic.rule,
            diagnostic.span.start_offset,
            diagnostic.span.end_offset,
            diagnostic.message,
        )
        if key not in seen:
            seen.add(key)
            kept.append(diagnostic)
    return kept


def load_failure(error: TemplateFileError, table: RuleTable) -> Diagnostic:
    """The diagnostic for a file that could not be loaded."""
    spec = table.for_load_reason(error.reason)
    span = point(error.line, error.column or 1) if error.line is not None else FILE_START
    return Diagnostic(spec.id, spec.severity, error.message, span, error.hint)


def _raw_line(source: Path | bytes, line: int) -> dict[int, str]:
    """Line ``line`` of a file that did not load, read leniently, for the text report."""
    try:
        if isinstance(source, Path):
            with source.open("rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        else:
            data = source
    except OSError:
        return {}
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    lines = text.split("\n")
    return {line: lines[line - 1].rstrip("\r")} if 0 < line <= len(lines) else {}


def lint_source(
    source: Path | bytes,
    *,
    display_name: str | None = None,
    enabled: frozenset[str] | None = None,
    table: RuleTable | None = None,
    answers: Sequence[RecordedAnswer] = (),
    api: ApiDescription | None = None,
) -> FileResult:
    """Load and lint one file (a path or its bytes), its output paths judged against
    ``answers`` when there are some (CT708) and its requests against the API description
    ``api`` when there is one (CT97x); never raises."""
    table = table or rule_table()
    name = display_name or (str(source) if isinstance(source, Path) else "<bytes>")
    selected = enabled if enabled is not None else frozenset(r.id for r in table)
    try:
        loaded = load_template(source, display_name=name)
    except TemplateFileError as error:
        found = load_failure(error, table)
        kept = (found,) if found.rule in selected else ()
        lines = {} if error.line is None else _raw_line(source, error.line)
        unreadable = error.reason == UNREADABLE_REASON
        return FileResult(name, kept, loaded=False, source_lines=lines, unreadable=unreadable)
    except Exception as bug:  # the loader must not take the run down either
        return FileResult(name, (_internal_error("the template loader", bug),), loaded=False)
    try:
        diagnostics = lint_loaded(loaded, enabled=selected, table=table, answers=answers, api=api)
    except Exception as bug:
        diagnostics = [_internal_error("the checker", bug)]
    lines = {d.line: loaded.source.line_text(d.line) for d in diagnostics}
    return FileResult(name, tuple(diagnostics), loaded=True, source_lines=lines)
