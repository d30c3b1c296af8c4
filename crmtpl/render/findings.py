"""Render's side of the one diagnosis: leave out what a lint finding already says.

``crmtpl render`` and ``crmtpl run`` stop on validate's error-level findings
(:func:`crmtpl.lint.diagnosis.blocking_diagnostics`); with ``--force`` they go on, and a
render issue at the place of such a finding (a misspelt variable that "has no value", say)
would only restate it in other words. :func:`without_restated` drops those issues, so
every command says the same thing about the same mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.render.renderer import RenderIssue, RenderResult
from crmtpl.template import SourceSpan


def _inside(span: SourceSpan, finding: Diagnostic) -> bool:
    """True when ``span`` starts within the finding's span (or at its first character)."""
    start = (span.start_line, span.start_column)
    first = (finding.span.start_line, finding.span.start_column)
    end = (finding.span.end_line, finding.span.end_column)
    return start == first or first <= start < end


def restated_by(issue: RenderIssue, findings: Sequence[Diagnostic]) -> Diagnostic | None:
    """The finding at the place of ``issue`` (which then says the same thing), or None."""
    if issue.span is None:
        return None
    return next((f for f in findings if _inside(issue.span, f)), None)


def in_finding_words(issue: RenderIssue, finding: Diagnostic) -> RenderIssue:
    """An error issue told as a pointer to the finding that explains it: the template
    still fails there (so the command still fails), but the words are validate's."""
    return replace(
        issue,
        message=f"the template fails here: {finding.rule} (shown above), {finding.message}",
        hint=finding.hint,
    )


def without_restated(result: RenderResult, findings: Sequence[Diagnostic]) -> RenderResult:
    """``result`` without the warnings that only restate one of ``findings``, and with
    the errors at a finding's place told in the finding's words."""
    if not findings:
        return result
    issues = []
    for issue in result.issues:
        finding = restated_by(issue, findings)
        if finding is None:
            issues.append(issue)
        elif issue.severity == "error":
            issues.append(in_finding_words(issue, finding))
    return replace(result, issues=issues)
