"""Inline suppressions: XML comments that silence rules on one element or the whole file.

    <!-- crmtpl: ignore CT825 -->                  the next element (and all inside it)
    <!-- crmtpl: ignore CT825, undefined-variable -->
    <!-- crmtpl: ignore-file CT108 -->             the whole file, wherever it is written

Rules are named by id, name or id prefix (``CT8``), separated by commas or spaces; text
after `` - `` (a hyphen between spaces) is a free reason (``--`` may not appear in an XML
comment). A comment that names nothing known is itself reported
(CT002), since it would silence nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.lint.ruletable import RuleTable
from crmtpl.template import SourceMap, XmlComment, XmlElement

_DIRECTIVE = re.compile(r"^\s*crmtpl\s*:\s*(ignore-file|ignore)\b(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Suppression:
    """Rules silenced in the file offsets ``[start, end)`` (the whole file when ``end`` < 0)."""

    rules: frozenset[str]
    start: int
    end: int

    def covers(self, diagnostic: Diagnostic) -> bool:
        """True when this suppression silences the diagnostic."""
        if diagnostic.rule not in self.rules:
            return False
        if self.end < 0:
            return True
        return self.start <= diagnostic.span.start_offset < self.end


def _selectors(text: str) -> list[str]:
    reason = text.find(" - ")
    if reason >= 0:
        text = text[:reason]
    return [part for part in re.split(r"[\s,]+", text.strip()) if part]


def _next_element(source: SourceMap, comment: XmlComment) -> XmlElement | None:
    elements = source.elements
    starts = [e.start for e in elements]
    index = bisect_left(starts, comment.span.end_offset)
    if index >= len(elements):
        return None
    candidate = elements[index]
    return candidate if candidate.parent is comment.parent else None


def find_suppressions(
    source: SourceMap, table: RuleTable
) -> tuple[list[Suppression], list[Diagnostic]]:
    """The suppressions written in a file, and CT002 findings for ones that name nothing."""
    suppressions: list[Suppression] = []
    problems: list[Diagnostic] = []
    severity = table.get("CT002").severity
    for comment in source.comments:
        match = _DIRECTIVE.match(comment.text)
        if match is None:
            continue
        kind, rest = match.groups()
        names = _selectors(rest)
        rules: set[str] = set()
        unknown = []
        for name in names:
            found = table.resolve(name)
            if found:
                rules.update(found)
            else:
                unknown.append(name)
        if unknown or not names:
            message = (
                f"the suppression names no rule: write <!-- crmtpl: {kind} RULE-ID -->"
                if not names
                else f"the suppression names unknown rules: {', '.join(unknown)}"
            )
            problems.append(
                Diagnostic(
                    "CT002",
                    severity,
                    message,
                    comment.span,
                    "name rules by id (CT821) or name (undefined-variable); see crmtpl rules",
                )
            )
        if not rules:
            continue
        if kind == "ignore-file":
            suppressions.append(Suppression(frozenset(rules), 0, -1))
            continue
        target = _next_element(source, comment)
        if target is None:
            problems.append(
                Diagnostic(
                    "CT002",
                    severity,
                    "no element follows this suppression in the same parent, so it "
                    "silences nothing",
                    comment.span,
                    "put the comment just before the element it is about",
                )
            )
            continue
        suppressions.append(Suppression(frozenset(rules), target.start, target.end))
    return suppressions, problems


def apply_suppressions(
    diagnostics: list[Diagnostic], suppressions: list[Suppression]
) -> list[Diagnostic]:
    """The diagnostics no suppression covers."""
    if not suppressions:
        return diagnostics
    return [d for d in diagnostics if not any(s.covers(d) for s in suppressions)]
