"""Output paths judged against the CRM's recorded answers (CT708).

Runs only when the CLI gives lint recorded answers (``validate --responses DIR``, or the
recordings of a template's test files). A plain output path that matches nothing in every
recorded answer of its request, where the answer makes the mistake evident (the same rule
as run's CT950, :attr:`crmtpl.pathmiss.PathMiss.evident`), is an error at the Output's
``Path``, with the closest real path.
"""

from __future__ import annotations

from crmtpl.lint.answers import RecordedAnswer
from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.pathmiss import PathMiss, explain_miss
from crmtpl.template import Output, Request

RULE = "CT708"
#: Outputs the PBX cannot do without: a miss of these is a finding even when not evident.
REQUIRED_OUTPUTS = frozenset({"ContactsId", "UserUniqueId", "TicketId"})


def _miss_in_every_answer(path: str, answers: list[RecordedAnswer]) -> PathMiss | None:
    """The miss in the first answer, when the path matches none of them (else None)."""
    misses = [explain_miss(answer.body, path) for answer in answers]
    if not misses or any(miss is None for miss in misses):
        return None
    return misses[0]


def _message(miss: PathMiss, output: Output, request: Request, origin: str) -> str:
    if miss.keys:
        there = f"the keys are {miss.describe_keys()}"
    else:
        there = f"the answer has {'an' if miss.found[0] in 'aeiou' else 'a'} {miss.found}"
    at = f"at {miss.matched}" if miss.matched else "at its top level"
    return (
        f"the path {miss.path!r} of output {output.name} in request '{request.name}' matches "
        f"nothing in the recorded answer {origin} ({at} {there})"
    )


@check(RULE)
def output_paths_in_recorded_answers(ctx: LintContext) -> None:
    """Every plain output path against the recorded answers of its request."""
    if not ctx.answers:
        return
    for scenario in ctx.model.scenarios:
        for request in scenario.requests:
            answers = [
                a for a in ctx.answers if a.scenario == scenario.id and a.request == request.name
            ]
            if not answers:
                continue
            for output in request.output_list:
                path = output.path or ""
                if not path or "{{" in path:
                    continue  # filled by a Next request, or made by a Go template
                miss = _miss_in_every_answer(path, answers)
                if miss is None or not (miss.evident or output.name in REQUIRED_OUTPUTS):
                    continue
                hint = (
                    f'did you mean Path="{miss.closest}"? GJSON keys are case-sensitive'
                    if miss.closest is not None
                    else "write the path to the value as the answer has it; arrays take # "
                    "(every element) or an index"
                )
                ctx.report(
                    RULE,
                    ctx.attribute_span(output, "Path"),
                    _message(miss, output, request, answers[0].origin),
                    hint=hint,
                )
