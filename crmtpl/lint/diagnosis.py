"""One diagnosis for validate, render and run: the error-level findings of a template.

``crmtpl validate`` reports every finding; ``crmtpl render`` and ``crmtpl run`` (including
``--dry-run``) call :func:`blocking_diagnostics` before sending anything, so the three
commands report the same finding with the same rule id, position and words, and stop on
the same mistakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crmtpl.lint.checker import FileResult, lint_loaded
from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.template import LoadedTemplate

# The reporters are imported by the two functions that print findings (render and run
# call them), so that validate, which picks its own reporter, does not load both.

#: Scenarios whose requests serve every other one: their errors matter to any scenario.
SHARED_SCENARIOS = frozenset({"AuthMethod", "Common", "GetGlobalInfo"})


def _other_scenario_ranges(loaded: LoadedTemplate, scenario: str) -> list[tuple[int, int]]:
    """File offsets of the scenarios that do not take part when ``scenario`` runs."""
    ranges = []
    for other in loaded.model.scenarios:
        if other.id == scenario or other.id in SHARED_SCENARIOS:
            continue
        ranges.append((other.node.start, other.node.end))
    return ranges


def blocking_diagnostics(loaded: LoadedTemplate, scenario: str | None = None) -> list[Diagnostic]:
    """The error-level diagnostics of ``loaded``: the one diagnosis render and run use.

    These are exactly the errors ``crmtpl validate`` reports (same rule ids, positions and
    messages, inline suppressions applied), in report order. With ``scenario`` (a scenario
    Id such as ``SyncContactAuto``), errors inside the *other* function scenarios are left
    out; errors in AuthMethod, Common and GetGlobalInfo, and outside any scenario, stay,
    because every scenario depends on them. An empty list means: nothing stops a send.
    """
    errors = [d for d in lint_loaded(loaded) if d.severity is Severity.ERROR]
    if scenario is None:
        return errors
    elsewhere = _other_scenario_ranges(loaded, scenario)
    return [
        d for d in errors if not any(start <= d.span.start_offset < end for start, end in elsewhere)
    ]


def findings_result(loaded: LoadedTemplate, findings: Sequence[Diagnostic]) -> FileResult:
    """The findings of ``loaded`` as a :class:`FileResult` (with the source lines they
    point at), the shape lint's reporters print."""
    lines = {d.line: loaded.source.line_text(d.line) for d in findings}
    return FileResult(loaded.display_name, tuple(findings), source_lines=lines)


def findings_text(
    loaded: LoadedTemplate, findings: Sequence[Diagnostic], *, color: bool = False
) -> str:
    """The findings exactly as ``crmtpl validate`` prints them (rule id, file:line:col,
    words, the source line with a caret, the hint), without validate's summary line."""
    from crmtpl.lint.reporters.text import (
        render_findings,
    )

    return render_findings(findings_result(loaded, findings), color)


def findings_json(findings: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    """The findings as the objects of validate's json report (``"findings"`` of render's
    and run's json documents)."""
    from crmtpl.lint.reporters.json_report import (
        diagnostic_dict,
    )

    return [diagnostic_dict(d) for d in findings]


def error_count(findings: Sequence[Diagnostic]) -> int:
    """How many of the findings are errors (the ones that stop render and run)."""
    return sum(1 for d in findings if d.severity is Severity.ERROR)
