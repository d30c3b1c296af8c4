"""Structure: the root, <Scenarios>, the scenarios present, and the element tree (CT2xx)."""

from __future__ import annotations

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.lint.suggest import did_you_mean
from crmtpl.template import XmlElement

ROOT = "Information"
#: Elements whose content is reported by CT904 (undocumented, expected empty).
OPAQUE_ELEMENTS = frozenset({"Presets", "Responses"})


@check("CT201", "CT202", "CT203", "CT204")
def root_and_required_scenarios(ctx: LintContext) -> None:
    """The root is <Information>, it holds <Scenarios>, and the two scenarios always needed."""
    model = ctx.model
    root = model.node
    if root.name != ROOT:
        ctx.report(
            "CT201",
            root.name_span,
            f"the root element is <{root.name}>; a template's root is <{ROOT}>",
            hint=f"rename it to {ROOT} (element names are case-sensitive)",
        )
    if not model.scenarios_nodes:
        ctx.report(
            "CT202",
            root.name_span,
            f"<{root.name}> has no <Scenarios> element",
            hint="put every <Scenario> inside one <Scenarios> element",
        )
        return
    anchor = model.scenarios_nodes[0].name_span
    for spec in ctx.catalogue.scenarios:
        if not spec.required or model.scenario(spec.id) is not None:
            continue
        rule = "CT203" if spec.type == "AUTH" else "CT204"
        ctx.report(
            rule,
            anchor,
            f'there is no <Scenario Id="{spec.id}">; every template needs one',
            hint=f'add <Scenario Id="{spec.id}" Type="{spec.type}"> ({spec.description})',
        )


@check("CT205", "CT206", "CT207", "CT211")
def scenario_ids_and_types(ctx: LintContext) -> None:
    """Each scenario has a known, unique Id and the Type its Id requires."""
    known = ctx.catalogue.scenario_ids
    for scenario, first in repeats((s.id, s) for s in ctx.model.scenarios):
        ctx.report_repeat(
            "CT205",
            ctx.attribute_span(scenario, "Id"),
            first.node.name_span,
            f"a second scenario with Id {scenario.id!r}; which one the PBX uses is unknown",
            "merge the two: a scenario can hold several requests",
        )
    for scenario in ctx.model.scenarios:
        if not scenario.id:
            ctx.report(
                "CT211",
                ctx.attribute_span(scenario, "Id"),
                "this <Scenario> has no Id, so it implements no PBX function",
                hint="set Id to one of: " + ", ".join(known),
            )
            continue
        spec = ctx.catalogue.scenario(scenario.id)
        if spec is None:
            ctx.report(
                "CT206",
                ctx.attribute_span(scenario, "Id"),
                f"{scenario.id!r} is not a scenario id the PBX knows; this scenario never runs",
                hint=did_you_mean(scenario.id, known) or "known ids: " + ", ".join(known),
            )
            continue
        if scenario.type != spec.type:
            written = "no Type" if scenario.type is None else f"Type {scenario.type!r}"
            ctx.report(
                "CT207",
                ctx.attribute_span(scenario, "Type"),
                f"scenario {spec.id} has {written}; it must be {spec.type!r}",
                hint=f'write Type="{spec.type}"',
            )


def _parent_name(element: XmlElement) -> str | None:
    return None if element.parent is None else element.parent.name


@check("CT208", "CT209", "CT210")
def element_tree(ctx: LintContext) -> None:
    """Unknown or misplaced elements, unknown attributes, repeated once-only elements."""
    facts = ctx.catalogue
    element_names = [e.name for e in facts.elements]
    root = ctx.model.node
    pending = [root]
    while pending:
        element = pending.pop()
        spec = facts.element(element.name)
        if element is not root:
            parent = _parent_name(element)
            if spec is None:
                ctx.report(
                    "CT208",
                    element.name_span,
                    f"<{element.name}> is not an element of the template format; the PBX "
                    "probably ignores it and everything inside it",
                    hint=did_you_mean(element.name, element_names),
                )
                continue
            if parent not in spec.parents:
                expected = " or ".join(f"<{p}>" for p in spec.parents)
                ctx.report(
                    "CT208",
                    element.name_span,
                    f"<{element.name}> inside <{parent}> is not where the format puts it "
                    f"(it belongs inside {expected}); the PBX probably ignores it",
                    hint=f"move it inside {expected}",
                )
                continue
        elif spec is None:
            continue  # a wrong root is CT201
        _unknown_attributes(ctx, element, spec.attributes)
        _repeated_children(ctx, element)
        if element.name not in OPAQUE_ELEMENTS:
            pending.extend(reversed(element.children))


def _unknown_attributes(ctx: LintContext, element: XmlElement, known: tuple[str, ...]) -> None:
    for name, attribute in element.attributes.items():
        if name in known:
            continue
        ctx.report(
            "CT209",
            attribute.name_span,
            f"<{element.name}> has no attribute {name!r} in the template format; the PBX "
            "probably ignores it",
            hint=did_you_mean(name, known) or "known attributes: " + ", ".join(known),
        )


def _repeated_children(ctx: LintContext, element: XmlElement) -> None:
    once = {e.name for e in ctx.catalogue.elements if e.cardinality in ("0-1", "1")}
    children = ((c.name, c) for c in element.children if c.name in once)
    for child, first in repeats(children):
        ctx.report_repeat(
            "CT210",
            child.name_span,
            first.name_span,
            f"a second <{child.name}> inside <{element.name}>; the format has one, and "
            "whether the PBX reads both is unknown (crmtpl reads only the first <Outputs>)",
            f"merge its content into the first <{child.name}>",
        )
