"""What a check sees: the loaded template, the catalogue, and a way to report.

A check is a function ``(LintContext) -> None`` that calls :meth:`LintContext.report`.
Severity comes from the rule table, so a check only says which rule, where and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from crmtpl.lint.answers import RecordedAnswer
from crmtpl.lint.diagnostic import Diagnostic, Fix, RelatedInfo, TextEdit
from crmtpl.lint.ruletable import RuleTable, rule_table
from crmtpl.template import LoadedTemplate, SourceSpan, XmlElement
from crmtpl.template.catalogue import Catalogue, catalogue
from crmtpl.template.model import Located

if TYPE_CHECKING:  # lint must not load crmtpl.openapi (nor yaml) unless a description is given
    from crmtpl.openapi.description import ApiDescription


class LintContext:
    """One template being linted, and the diagnostics found so far."""

    def __init__(
        self,
        loaded: LoadedTemplate,
        *,
        enabled: frozenset[str] | None = None,
        table: RuleTable | None = None,
        facts: Catalogue | None = None,
        answers: Sequence[RecordedAnswer] = (),
        api: ApiDescription | None = None,
    ) -> None:
        self.loaded = loaded
        self.model = loaded.model
        self.source = loaded.source
        self.table = table or rule_table()
        self.catalogue = facts or catalogue()
        self.enabled = enabled if enabled is not None else frozenset(r.id for r in self.table)
        self.diagnostics: list[Diagnostic] = []
        #: Results shared between checks (template analyses, rendered values …).
        self.cache: dict[Any, Any] = {}
        #: The CRM's recorded answers to judge output paths against (CT708); often none.
        self.answers = tuple(answers)
        #: The CRM's API description the requests are checked against (CT97x); often none.
        self.api = api

    def wants(self, *rule_ids: str) -> bool:
        """True when any of these rules is selected (so a check can skip costly work)."""
        return any(rule_id in self.enabled for rule_id in rule_ids)

    def report(
        self,
        rule_id: str,
        span: SourceSpan,
        message: str,
        *,
        hint: str | None = None,
        related: Iterable[RelatedInfo] = (),
        fix: Fix | None = None,
    ) -> None:
        """Record a finding of ``rule_id`` at ``span`` (ignored when the rule is off)."""
        if rule_id not in self.enabled:
            return
        spec = self.table.get(rule_id)
        self.diagnostics.append(
            Diagnostic(rule_id, spec.severity, message, span, hint, tuple(related), fix)
        )

    def report_repeat(
        self, rule_id: str, span: SourceSpan, first: SourceSpan, message: str, hint: str
    ) -> None:
        """Report a second occurrence, pointing at the first one too."""
        self.report(
            rule_id, span, message, hint=hint, related=[RelatedInfo("the first one", first)]
        )

    # -- fixes ----------------------------------------------------------------------------

    def rename_fix(self, element: XmlElement, name: str) -> Fix:
        """Rename an element in its start tag and its end tag."""
        start = element.name_span
        edits = [TextEdit(start.start_offset, start.end_offset, name)]
        if not element.self_closing:
            closing = f"</{element.name}"
            at = self.source.text.rfind(closing, element.tag_end, element.end)
            if at >= 0:
                edits.append(TextEdit(at + 2, at + len(closing), name))
        return Fix(f"rename <{element.name}> to <{name}>", tuple(edits))

    @staticmethod
    def replace_fix(span: SourceSpan, text: str, title: str) -> Fix:
        """Replace the characters of ``span`` (an attribute value or name) with ``text``."""
        return Fix(title, (TextEdit(span.start_offset, span.end_offset, text),))

    # -- where things are ------------------------------------------------------------------

    @staticmethod
    def element_span(node: XmlElement) -> SourceSpan:
        """The element's name in its start tag: where a finding about the element points."""
        return node.name_span

    @staticmethod
    def attribute_span(owner: Located | XmlElement, attribute: str) -> SourceSpan:
        """The attribute's value, or the element's name when the attribute is absent."""
        node = owner if isinstance(owner, XmlElement) else owner.node
        found = node.attributes.get(attribute)
        return node.name_span if found is None else found.value_span

    @staticmethod
    def attribute_name_span(owner: Located | XmlElement, attribute: str) -> SourceSpan:
        """The attribute's name, or the element's name when the attribute is absent."""
        node = owner if isinstance(owner, XmlElement) else owner.node
        found = node.attributes.get(attribute)
        return node.name_span if found is None else found.name_span

    def value_part_span(
        self, owner: Located | XmlElement, attribute: str, start: int, end: int
    ) -> SourceSpan:
        """File span of the decoded value's characters ``[start, end)`` of an attribute."""
        node = owner if isinstance(owner, XmlElement) else owner.node
        found = node.attributes.get(attribute)
        if found is None:
            return node.name_span
        return found.span_of(start, end)
