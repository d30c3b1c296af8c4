"""One diagnosis for validate, render and run: the error-level findings of a template.

``crmtpl validate`` reports every finding; ``crmtpl render`` and ``crmtpl run`` (including
``--dry-run``) call :func:`blocking_diagnostics` before sending anything, so the three
commands report the same finding with the same rule id, position and words, and stop on
the same mistakes.
"""

from __future__ import annotations

from crmtpl.lint.checker import lint_loaded
from crmtpl.lint.diagnostic import Diagnostic, Severity
from crmtpl.template import LoadedTemplate

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
