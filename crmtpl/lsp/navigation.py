"""Go to definition, find references and the outline, on file offsets.

A custom field's ``{{.name}}`` uses <-> its ``CustomFieldList`` declaration; an
``<Outputs Next="X">`` <-> the ``Common`` request ``X``. The outline lists scenarios, their
requests and the requests' outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtpl.lsp.locate import all_attributes, field_uses, spot_at, word_at
from crmtpl.template import LoadedTemplate, XmlAttribute, XmlElement


@dataclass(frozen=True)
class Place:
    """A ``[start, end)`` range of file offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class Symbol:
    """An outline entry: its name, kind (scenario, request, output), where the whole
    element is, where its name is, and what it holds."""

    name: str
    kind: str
    whole: Place
    name_place: Place
    children: tuple[Symbol, ...] = field(default_factory=tuple)


def _value_place(attribute: XmlAttribute) -> Place:
    return Place(attribute.value_start, attribute.value_end)


def _custom_field(loaded: LoadedTemplate, name: str) -> XmlAttribute | None:
    for parameter in loaded.model.custom_fields:
        if parameter.name == name:
            return parameter.node.attributes.get("Name")
    return None


def _common_requests(loaded: LoadedTemplate, name: str) -> XmlAttribute | None:
    request = loaded.model.common_request(name)
    return None if request is None else request.node.attributes.get("Name")


def _target_at(loaded: LoadedTemplate, offset: int) -> tuple[str, str] | None:
    """``("field", name)`` or ``("request", name)`` for what the cursor names, or None."""
    spot = spot_at(loaded, offset)
    if spot is None or spot.attribute is None or spot.part != "value":
        return None
    attribute, element = spot.attribute, spot.element
    if element.name == "Outputs" and attribute.name == "Next" and attribute.value:
        return ("request", attribute.value)
    if element.name == "Request" and attribute.name == "Name" and spot.scenario_id == "Common":
        return ("request", attribute.value)
    declares = element.name == "Parameter" and element.get("Father") == "CustomFieldList"
    if declares and attribute.name == "Name" and attribute.value:
        return ("field", attribute.value)
    word = word_at(attribute.value, spot.index)
    if word is not None and word.in_action and word.field is not None:
        return ("field", word.field)
    return None


def definition(loaded: LoadedTemplate, offset: int) -> Place | None:
    """Where what the cursor names is declared, or None."""
    target = _target_at(loaded, offset)
    if target is None:
        return None
    kind, name = target
    found = _custom_field(loaded, name) if kind == "field" else _common_requests(loaded, name)
    return None if found is None else _value_place(found)


def references(loaded: LoadedTemplate, offset: int, *, declaration: bool) -> list[Place]:
    """Every use of what the cursor names (and its declaration when asked), in order."""
    target = _target_at(loaded, offset)
    if target is None:
        return []
    kind, name = target
    places: list[Place] = []
    declared = _custom_field(loaded, name) if kind == "field" else _common_requests(loaded, name)
    if kind == "field" and declared is None:
        return []
    if declaration and declared is not None:
        places.append(_value_place(declared))
    for element, attribute in all_attributes(loaded):
        if kind == "request":
            if element.name == "Outputs" and attribute.name == "Next" and attribute.value == name:
                places.append(_value_place(attribute))
            continue
        for used, start, end in field_uses(attribute.value):
            if used == name:
                span = attribute.span_of(start + 1, end)  # the name, without its dot
                places.append(Place(span.start_offset, span.end_offset))
    return places


def _place(node: XmlElement) -> Place:
    return Place(node.start, max(node.end, node.tag_end))


def _named(node: XmlElement, attribute: str, kind: str, children: tuple[Symbol, ...]) -> Symbol:
    found = node.attributes.get(attribute)
    name = found.value if found is not None and found.value else f"<{node.name}>"
    name_place = _value_place(found) if found is not None else Place(node.start, node.tag_end)
    return Symbol(name, kind, _place(node), name_place, children)


def symbols(loaded: LoadedTemplate) -> list[Symbol]:
    """The outline: scenarios, their requests, the requests' outputs."""
    found = []
    for scenario in loaded.model.scenarios:
        requests = tuple(
            _named(
                request.node,
                "Name",
                "request",
                tuple(_named(o.node, "Name", "output", ()) for o in request.output_list),
            )
            for request in scenario.requests
        )
        found.append(_named(scenario.node, "Id", "scenario", requests))
    return found
