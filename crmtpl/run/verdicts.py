"""The findings of a run (CT95x): what the answers show is wrong with the template.

They are :class:`~crmtpl.lint.diagnostic.Diagnostic` values of rules in lint's rule table
(``crmtpl rules CT950`` explains one), placed at the template text they are about, so
``crmtpl run`` prints them exactly as ``crmtpl validate`` prints its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.lint.ruletable import rule_table
from crmtpl.pathmiss import PathMiss
from crmtpl.template import Request, SourceSpan
from crmtpl.template.model import Located

OUTPUT_MATCHES_NOTHING = "CT950"
CONTACT_MISSING_FIELD = "CT951"


def _finding(rule: str, message: str, span: SourceSpan, hint: str | None) -> Diagnostic:
    return Diagnostic(rule, rule_table().get(rule).severity, message, span, hint)


def where_written(owner: Located, attribute: str) -> SourceSpan:
    """The value of ``attribute`` of ``owner`` in the file (its start tag without it)."""
    return owner.value_span(attribute) or owner.span


def output_miss(miss: PathMiss, *, output: str, request: str, span: SourceSpan) -> Diagnostic:
    """CT950: the output's path matches nothing in a non-empty answer."""
    if miss.keys:
        there = f"the answer has the keys {miss.describe_keys()}"
    else:
        there = f"the answer has {'an' if miss.found[0] in 'aeiou' else 'a'} {miss.found}"
    at = f"at {miss.matched}" if miss.matched else "at its top level"
    message = (
        f"the path {miss.path!r} of output {output} in request '{request}' matches nothing "
        f"in the answer ({at} {there}): the PBX stores an empty {output} on every call"
    )
    if miss.closest is not None:
        hint = f'did you mean Path="{miss.closest}"? GJSON keys are case-sensitive'
    else:
        hint = (
            "write the path to the value as the answer has it (run -vv shows the whole "
            "answer); arrays take # (every element) or an index"
        )
    return _finding(OUTPUT_MATCHES_NOTHING, message, span, hint)


def contact_missing_fields(
    request: Request, missing: Sequence[str], count: int, total: int
) -> Diagnostic:
    """CT951: ``count`` of ``total`` contacts of a contact type lack a required field."""
    owner = request.output("ContactsId") if missing == ["ContactsId"] else None
    span = where_written(owner, "Path") if owner is not None else where_written(request, "Name")
    what = "no ContactsId" if missing == ["ContactsId"] else "no FirstName and no LastName"
    which = "every contact" if count == total else f"{count} of {total} contacts"
    if missing == ["ContactsId"]:
        consequence = "the PBX cannot store a contact without its id"
        hint = "add or correct the ContactsId output (run -v shows what each output gave)"
    else:
        consequence = "no output gives a FirstName or a LastName, which the PBX needs"
        hint = "add a FirstName or LastName output (or one the Next chain fills)"
    message = (
        f"{which} found by request '{request.name}' {'has' if count == 1 else 'have'} "
        f"{what}: {consequence}"
    )
    return _finding(CONTACT_MISSING_FIELD, message, span, hint)
