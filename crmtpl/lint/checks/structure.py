"""Structure: the root, <Scenarios>, the scenarios present, and the element tree (CT2xx)."""

from __future__ import annotations

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.repeats import repeats
from crmtpl.suggest import closest, did_you_mean
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


@check("CT205", "CT206", "CT207", "CT211", "CT212")
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
        meant = closest(scenario.id, known) if spec is None else None
        if meant is not None and ctx.model.scenario(meant) is None:
            span = ctx.attribute_span(scenario, "Id")
            ctx.report(
                "CT212",
                span,
                f"scenario Id {scenario.id!r} is a misspelling of {meant!r}: the PBX never "
                "runs this scenario",
                hint=f'write Id="{meant}"',
                fix=ctx.replace_fix(span, meant, f"rename the scenario to {meant}"),
            )
            continue
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


def _allowed_in(ctx: LintContext, parent: str | None) -> list[str]:
    """Names of the elements the format allows inside ``parent``."""
    return [e.name for e in ctx.catalogue.elements if parent in e.parents]


def _container_meant(ctx: LintContext, element: XmlElement, parent: str | None) -> str | None:
    """The element allowed here that ``element`` misspells: a close name whose allowed
    children are what ``element`` holds (``<Output>`` holding outputs for ``<Outputs>``)."""
    guess = closest(element.name, _allowed_in(ctx, parent))
    if guess is None:
        return None
    held = {c.name for c in element.children}
    if ctx.catalogue.element(element.name) is None:
        return guess  # an unknown name close to one allowed here: a typo
    return guess if held and held <= set(_allowed_in(ctx, guess)) else None


def _misspelt_element(ctx: LintContext, element: XmlElement, meant: str, parent: str) -> None:
    ctx.report(
        "CT212",
        element.name_span,
        f"<{element.name}> inside <{parent}> is a misspelling of <{meant}>: the PBX ignores "
        "it and everything inside it",
        hint=f"write <{meant}> (and </{meant}>)",
        fix=ctx.rename_fix(element, meant),
    )


@check("CT208", "CT209", "CT210", "CT212", "CT213")
def element_tree(ctx: LintContext) -> None:
    """Unknown, misspelt or misplaced elements and attributes, repeated once-only elements."""
    facts = ctx.catalogue
    element_names = [e.name for e in facts.elements]
    root = ctx.model.node
    pending = [root]
    while pending:
        element = pending.pop()
        spec = facts.element(element.name)
        if element is not root:
            parent = _parent_name(element)
            meant = None
            if spec is None or parent not in spec.parents:
                meant = _container_meant(ctx, element, parent)
            if meant is not None and parent is not None:
                _misspelt_element(ctx, element, meant, parent)
                continue
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
                    "CT213",
                    element.name_span,
                    f"<{element.name}> inside <{parent}> is not where the format puts it "
                    f"(it belongs inside {expected}); the PBX ignores it and what it holds",
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
        meant = closest(name, known)
        if meant is not None:
            ctx.report(
                "CT212",
                attribute.name_span,
                f"<{element.name}> attribute {name!r} is a misspelling of {meant!r}: the PBX "
                "ignores it, so its value is lost",
                hint=f"write {meant}=",
                fix=ctx.replace_fix(attribute.name_span, meant, f"rename {name} to {meant}"),
            )
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
