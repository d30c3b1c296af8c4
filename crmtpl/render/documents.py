"""The JSON documents of ``crmtpl render --format json`` and ``run --dry-run --format json``.

Built here, in the core, so every command that shows rendered requests prints the same
document; secrets are masked by the :class:`~crmtpl.secrets.Masker` passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.render.formats import render_document, request_document, variable_document
from crmtpl.render.renderer import RenderResult
from crmtpl.secrets import Masker
from crmtpl.variables import VariableContext


def variable_rows(
    result: RenderResult, context: VariableContext, masker: Masker
) -> list[dict[str, Any]]:
    """One row per variable the scenario used: value (masked), source, secret, placeholder."""
    rows = []
    for name in sorted(result.used_variables):
        variable = result.variable(context, name)
        if variable is None:
            rows.append(
                {
                    "name": name,
                    "value": None,
                    "source": "missing",
                    "origin": "",
                    "secret": False,
                    "placeholder": False,
                    "used": True,
                }
            )
        else:
            rows.append(variable_document(variable, masker))
    return rows


def result_document(
    result: RenderResult,
    context: VariableContext,
    masker: Masker,
    findings: Sequence[Diagnostic] = (),
) -> dict[str, Any]:
    """The whole render document: requests, variables, problems, validate's findings that
    ``--force`` went past (as in validate's json), the contact URL."""
    problems = [
        {
            "severity": issue.severity,
            "code": issue.code,
            "message": masker.text(issue.message),
            "hint": issue.hint,
            "line": issue.span.start_line if issue.span else None,
            "column": issue.span.start_column if issue.span else None,
        }
        for issue in result.issues
    ]
    document = render_document(
        result.scenario_id,
        [request_document(r, masker) for r in result.requests],
        variable_rows(result, context, masker),
        problems,
    )
    from crmtpl.lint.diagnosis import findings_json  # json only: tables need no linter

    document["findings"] = findings_json(findings)
    if result.contact_url is not None:
        document["contact_url"] = masker.text(result.contact_url)
    return document
