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
from crmtpl.render.request import RenderedRequest
from crmtpl.template import LoadedTemplate, SourceSpan

#: The lint rule that finds a body that is not JSON after rendering.
BODY_NOT_JSON = "CT661"


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


def _explained_bodies(loaded: LoadedTemplate, findings: Sequence[Diagnostic]) -> dict[str, str]:
    """Request name -> the CT661 finding inside that request's element."""
    explained = {}
    for finding in findings:
        if finding.rule != BODY_NOT_JSON:
            continue
        for _, request in loaded.model.requests():
            if request.node.start <= finding.span.start_offset < request.node.end:
                where = f"{finding.span.start_line}:{finding.span.start_column}"
                explained[request.name or ""] = f"{finding.rule} at {where}"
    return explained


def body_problem_message(result: RenderResult, rendered: RenderedRequest) -> tuple[str, str]:
    """What to say about a rendered body that is not JSON: the finding that explains it
    when ``--force`` went past one, else where the body breaks; (message, hint)."""
    problem = rendered.body_json_problem()
    where = f"(body line {problem.line}, column {problem.column})" if problem else ""
    finding = result.explained_bodies.get(rendered.name)
    if finding is not None:
        return (
            f"{rendered.name}: the body is not valid JSON {where}: {finding} (shown above)",
            "the hint of the finding above says how to fix it",
        )
    message = problem.message if problem else "not JSON"
    return (
        f"{rendered.name}: the body is not valid JSON: {message} {where}",
        "check the commas between members and the quotes around string values; "
        "crmtpl validate points at the place in the template",
    )


def without_restated(
    result: RenderResult, findings: Sequence[Diagnostic], loaded: LoadedTemplate | None = None
) -> RenderResult:
    """``result`` without the warnings that only restate one of ``findings``, with the
    errors at a finding's place told in the finding's words, and (given ``loaded``) the
    bodies a CT661 finding explains noted in ``explained_bodies``."""
    if not findings:
        return result
    issues = []
    for issue in result.issues:
        finding = restated_by(issue, findings)
        if finding is None:
            issues.append(issue)
        elif issue.severity == "error":
            issues.append(in_finding_words(issue, finding))
    explained = _explained_bodies(loaded, findings) if loaded is not None else {}
    return replace(result, issues=issues, explained_bodies=explained)
