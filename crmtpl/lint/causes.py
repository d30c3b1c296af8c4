"""Cause before consequence: a finding that disappears once another finding's fix is
applied only restates that cause, and is left out.

``<Output>`` written for ``<Outputs>`` makes a request look as if it had no outputs: every
enable flag without output (CT507), the missing ContactsId (CT504), the Common request
never chained (CT514) … are all that one mistake. Rather than teaching each rule about each
mistake, the findings that carry a fix of a *cause rule* are applied to the text, the
corrected text is linted again, and what is no longer found there is a consequence. The
causes then come first in the report.
"""

from __future__ import annotations

from collections.abc import Callable

from crmtpl.lint.diagnostic import Diagnostic, TextEdit, apply_edits
from crmtpl.template import LoadedTemplate, TemplateFileError, load_template

#: Rules whose fixes correct a misreading of the whole template (a misspelt element,
#: attribute or parameter name; a JSONPath output path).
CAUSE_RULES = frozenset({"CT212", "CT707"})

Relint = Callable[[LoadedTemplate], list[Diagnostic]]


def _causes(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.rule in CAUSE_RULES and d.fix is not None]


def _non_overlapping(causes: list[Diagnostic]) -> list[TextEdit]:
    edits: list[TextEdit] = []
    for cause in causes:
        assert cause.fix is not None
        for edit in cause.fix.edits:
            if all(
                edit.end_offset <= e.start_offset or edit.start_offset >= e.end_offset
                for e in edits
            ):
                edits.append(edit)
    return edits


def without_consequences(
    loaded: LoadedTemplate, diagnostics: list[Diagnostic], relint: Relint
) -> list[Diagnostic]:
    """The diagnostics with the causes first and their mere consequences left out.

    ``relint`` lints a loaded template without this step. Unchanged when no finding of a
    cause rule carries a fix, or when the corrected text does not load.
    """
    causes = _causes(diagnostics)
    if not causes:
        return diagnostics
    fixed_text = apply_edits(loaded.source.text, _non_overlapping(causes))
    try:
        fixed = load_template(fixed_text.encode("utf-8"), display_name=loaded.display_name)
    except TemplateFileError:
        return diagnostics
    # Fixes rename names on their line: lines do not move, so (rule, line) identifies a
    # finding in both texts.
    remaining = {(d.rule, d.line) for d in relint(fixed)}
    kept = [d for d in diagnostics if d in causes or (d.rule, d.line) in remaining]
    if len(kept) == len(diagnostics):
        return diagnostics
    return [*causes, *(d for d in kept if d not in causes)]
